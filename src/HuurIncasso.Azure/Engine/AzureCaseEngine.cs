using HuurIncasso.Azure.Storage;
using HuurIncasso.Engine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HuurIncasso.Azure.Engine;

/// <summary>
/// The case engine on Azure storage, wired in one place: table store, queue inbox, timer
/// index, engine core, outbox dispatcher, inbox processor, timer sweeper and client. The
/// DI registration (<c>AddHuurIncassoEngine</c>) and the test host both use it.
/// </summary>
public sealed class AzureCaseEngine<TState, TMessage, TEvent>
{
    /// <summary>Wires the engine; the tables, queues and containers must exist (see <see cref="StorageProvisioner"/>).</summary>
    public AzureCaseEngine(
        StorageClients clients,
        ICaseWorkflow<TState, TMessage, TEvent> workflow,
        IEnumerable<IEffectHandler> handlers,
        TimeProvider time,
        EngineOptions options,
        CaseSerializer<TState, TMessage, TEvent>? serializer = null,
        ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        loggers ??= NullLoggerFactory.Instance;
        Clients = clients;
        Options = options ?? throw new ArgumentNullException(nameof(options));
        Store = new TableCaseStore(clients);
        Inbox = new QueueInbox(clients, time, options);
        Timers = new TableTimerIndex(clients);
        Engine = new CaseEngine<TState, TMessage, TEvent>(workflow, Store, Inbox, time, options, serializer, loggers.CreateLogger<CaseEngine<TState, TMessage, TEvent>>());
        Dispatcher = new OutboxDispatcher(handlers, Store, Timers, time, options, loggers.CreateLogger<OutboxDispatcher>());
        Processor = new InboxProcessor(Engine, Inbox, Dispatcher, time, options, loggers.CreateLogger<InboxProcessor>());
        TimerSweeper = new TimerSweeper(Timers, Inbox, time);
        Client = new CaseClient<TState, TMessage, TEvent>(Engine, Store, Inbox, Dispatcher);
    }

    /// <summary>The storage clients (with <see cref="StorageClients.Transactions"/>).</summary>
    public StorageClients Clients { get; }

    /// <summary>The options.</summary>
    public EngineOptions Options { get; }

    /// <summary>The case store.</summary>
    public TableCaseStore Store { get; }

    /// <summary>The inbox.</summary>
    public QueueInbox Inbox { get; }

    /// <summary>The timer index.</summary>
    public TableTimerIndex Timers { get; }

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
}
