namespace HuurIncasso.Engine.InMemory;

/// <summary>
/// The whole engine in memory, on the given clock: for tests and for simulating a
/// portfolio for a year in seconds. Deterministic when driven by one thread and a fake
/// clock: call <see cref="RunUntilIdleAsync"/> after sending messages or moving the clock.
/// </summary>
public sealed class InMemoryCaseEngine<TState, TMessage, TEvent>
{
    /// <summary>Wires the in-memory store, inbox and timer index to the engine core.</summary>
    /// <param name="workflow">The workflow.</param>
    /// <param name="time">The clock.</param>
    /// <param name="handlers">The effect handlers.</param>
    /// <param name="options">The options; the defaults if null.</param>
    /// <param name="serializer">The serializer; a JSON one if null.</param>
    /// <param name="store">The store; one that keeps every event if null.</param>
    public InMemoryCaseEngine(ICaseWorkflow<TState, TMessage, TEvent> workflow, TimeProvider time, IEnumerable<IEffectHandler> handlers, EngineOptions? options = null, CaseSerializer<TState, TMessage, TEvent>? serializer = null, InMemoryCaseStore? store = null)
    {
        Store = store ?? new InMemoryCaseStore();
        Time = Check.NotNull(time);
        Options = options ?? new EngineOptions();
        Inbox = new InMemoryInbox(time, Options);
        Engine = new CaseEngine<TState, TMessage, TEvent>(workflow, Store, Inbox, time, Options, serializer);
        Dispatcher = new OutboxDispatcher(handlers, Store, Timers, time, Options);
        Processor = new InboxProcessor(Engine, Inbox, Dispatcher, time, Options);
        TimerSweeper = new TimerSweeper(Timers, Inbox, time);
        Client = new CaseClient<TState, TMessage, TEvent>(Engine, Store, Inbox, Dispatcher);
    }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>The options.</summary>
    public EngineOptions Options { get; }

    /// <summary>The store.</summary>
    public InMemoryCaseStore Store { get; }

    /// <summary>The inbox.</summary>
    public InMemoryInbox Inbox { get; }

    /// <summary>The timer index.</summary>
    public InMemoryTimerIndex Timers { get; } = new();

    /// <summary>The engine core.</summary>
    public CaseEngine<TState, TMessage, TEvent> Engine { get; }

    /// <summary>The outbox dispatcher.</summary>
    public OutboxDispatcher Dispatcher { get; }

    /// <summary>The inbox processor.</summary>
    public InboxProcessor Processor { get; }

    /// <summary>The timer sweeper.</summary>
    public TimerSweeper TimerSweeper { get; }

    /// <summary>The management client.</summary>
    public CaseClient<TState, TMessage, TEvent> Client { get; }

    /// <summary>
    /// Handles every visible message, fires every due timer and performs every pending
    /// effect, until nothing is left to do at the current time.
    /// </summary>
    public async Task RunUntilIdleAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var work = await Processor.ProcessBatchAsync(cancellationToken).ConfigureAwait(false);
            work += await TimerSweeper.SweepAsync(cancellationToken).ConfigureAwait(false);
            if (work == 0)
            {
                // Effects left pending (a failing handler) are retried once per idle round,
                // so a failing handler cannot keep this loop busy forever.
                await Dispatcher.SweepAsync(Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                if (await Processor.ProcessBatchAsync(cancellationToken).ConfigureAwait(false) == 0
                    && await TimerSweeper.SweepAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    return;
                }
            }
        }
    }
}
