namespace HuurIncasso.Engine;

/// <summary>
/// What the engine needs to know of one kind of case. Every member is pure: no I/O, no
/// clock (the engine passes <c>now</c>), no randomness, so that deciding again after a
/// conflict, a crash or in a simulation gives the same answer. The engine never looks
/// inside the three types; it stores them as JSON (System.Text.Json, see
/// <see cref="CaseSerializer{TState, TMessage, TEvent}"/>).
/// </summary>
/// <typeparam name="TState">The case's state: a fold of its events.</typeparam>
/// <typeparam name="TMessage">Everything that can reach a case.</typeparam>
/// <typeparam name="TEvent">What happened to a case: the audit trail.</typeparam>
public interface ICaseWorkflow<TState, TMessage, TEvent>
{
    /// <summary>
    /// The workflow (policy) version a new case is pinned to. A running case keeps the
    /// version it started on; migrating it is an explicit command.
    /// </summary>
    string Version { get; }

    /// <summary>
    /// Whether <paramref name="message"/> may open a case that does not exist yet. A message
    /// that may not is parked with the case id, never dropped, and handled once the case
    /// is opened.
    /// </summary>
    bool Opens(TMessage message);

    /// <summary>The state of a case before its first event.</summary>
    TState Initial(string caseId, string version);

    /// <summary>What happens when <paramref name="message"/> reaches a case in <paramref name="state"/>.</summary>
    IReadOnlyList<TEvent> Decide(TState state, TMessage message, DateTimeOffset now);

    /// <summary>The state after <paramref name="event"/>.</summary>
    TState Apply(TState state, TEvent @event);

    /// <summary>
    /// <see cref="Decide"/>, with the state after each event. The engine calls this one. By
    /// default it applies the decided events one by one; a workflow whose decision already
    /// applies its events as it makes them may return those states instead, so that each
    /// event is applied once. They must be exactly the states <see cref="Apply"/> gives.
    /// </summary>
    IReadOnlyList<Decided<TState, TEvent>> DecideAndApply(TState state, TMessage message, DateTimeOffset now)
    {
        var events = Decide(state, message, now) ?? [];
        var decided = new Decided<TState, TEvent>[events.Count];
        for (var i = 0; i < decided.Length; i++)
        {
            state = Apply(state, events[i]);
            decided[i] = new Decided<TState, TEvent>(events[i], state);
        }

        return decided;
    }

    /// <summary>
    /// The effects (mail, letter, task, referral, ...) an event asks for, given the state
    /// after it. The engine gives each a stable id from the case id, the event's sequence
    /// number and the effect's position, so a handler can make it harmless to run twice.
    /// </summary>
    IReadOnlyList<EffectRequest> EffectsOf(TEvent @event, TState after);

    /// <summary>When the case wants to be woken, or null. Timers are part of the state.</summary>
    DateTimeOffset? WaitingUntil(TState state);

    /// <summary>
    /// The message that wakes a case in <paramref name="state"/> for the timer due at
    /// <paramref name="due"/>. Called only after the engine saw that the case still waits
    /// for that time (<see cref="WaitingUntil"/> at or before <paramref name="due"/>), so
    /// the workflow may take what it needs from the state (e.g. its timer id). Must be
    /// deterministic: a redelivered timer must give the same message.
    /// </summary>
    TMessage TimerFired(TState state, DateTimeOffset due);

    /// <summary>Stage (for lists and dashboards) and whether the case is closed.</summary>
    CaseDescription Describe(TState state);
}

/// <summary>
/// Implemented by a workflow whose running cases can be moved to a newer version by an
/// explicit command (<see cref="CaseEngine{TState, TMessage, TEvent}.MigrateAsync"/>).
/// </summary>
public interface ICaseMigration<TState>
{
    /// <summary>The state of a case moved from <paramref name="fromVersion"/> to <paramref name="toVersion"/>.</summary>
    /// <exception cref="NotSupportedException">This migration is not possible.</exception>
    TState Migrate(TState state, string fromVersion, string toVersion);
}

/// <summary>A decided event with the case's state right after it.</summary>
/// <param name="Event">The event.</param>
/// <param name="After">The state after <paramref name="Event"/>.</param>
public readonly record struct Decided<TState, TEvent>(TEvent Event, TState After);

/// <summary>How a workflow describes a case to the engine's lists.</summary>
/// <param name="Stage">A short, stable name of where the case is (no personal data).</param>
/// <param name="Closed">True when the case needs nothing more.</param>
public readonly record struct CaseDescription(string Stage, bool Closed);

/// <summary>An effect that an event asks for; <see cref="Kind"/> selects its <see cref="IEffectHandler"/>.</summary>
/// <param name="Kind">E.g. "mail", "letter", "task".</param>
/// <param name="Payload">The handler's input, usually JSON.</param>
public sealed record EffectRequest(string Kind, string Payload);
