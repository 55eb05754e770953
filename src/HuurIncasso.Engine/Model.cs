namespace HuurIncasso.Engine;

/// <summary>Where a case is in its life, as the engine sees it.</summary>
public enum CaseStatus
{
    /// <summary>Handles messages.</summary>
    Running,

    /// <summary>Parks messages until resumed.</summary>
    Suspended,

    /// <summary>The workflow says the case needs nothing more; messages are still handled.</summary>
    Completed,

    /// <summary>Stopped by a person; messages are recorded as handled and ignored.</summary>
    Terminated,
}

/// <summary>
/// A message on its way to a case. <see cref="IdempotencyKey"/> makes handling exactly
/// once: a second message with the same key for the same case changes nothing.
/// </summary>
/// <param name="CaseId">The case it is for.</param>
/// <param name="IdempotencyKey">Unique per intent (bank entry id, ledger line, command id).</param>
/// <param name="Body">The workflow message as JSON; empty for a timer.</param>
/// <param name="TimerDue">Set when this is a timer that fell due.</param>
public sealed record InboxMessage(string CaseId, string IdempotencyKey, string Body, DateTimeOffset? TimerDue = null)
{
    /// <summary>True when this message is a fired timer.</summary>
    public bool IsTimer => TimerDue is not null;
}

/// <summary>A message received from an inbox, held until completed, abandoned or poisoned.</summary>
/// <param name="Message">The message, or null when its text could not be read.</param>
/// <param name="Id">The inbox's id of the message.</param>
/// <param name="DequeueCount">How often it was handed out, this time included.</param>
/// <param name="Receipt">The inbox's proof of holding it (a pop receipt), changes on renewal.</param>
/// <param name="RawText">The text as received, kept for the poison queue.</param>
/// <param name="ReadError">Why the text could not be read, when <paramref name="Message"/> is null.</param>
public sealed record InboxLease(InboxMessage? Message, string Id, long DequeueCount, string Receipt, string RawText, string? ReadError = null)
{
    /// <summary>The part of a sharded inbox the message came from (0 when the inbox is one queue).</summary>
    public int Shard { get; init; }
}

/// <summary>A message that failed too often, kept with its error.</summary>
public sealed record PoisonedMessage(string Id, string? CaseId, string RawText, string Error, long Attempts, DateTimeOffset PoisonedAt);

/// <summary>One stored event. Engine events (suspend, resume, terminate) have <see cref="FromEngine"/> set.</summary>
public sealed record StoredEvent(long Sequence, DateTimeOffset RecordedAt, string Type, string Data, string CausedBy, bool FromEngine = false);

/// <summary>Outbox status of an effect.</summary>
public enum EffectStatus
{
    /// <summary>Committed, not yet performed.</summary>
    Pending,

    /// <summary>Its handler finished.</summary>
    Done,

    /// <summary>Its handler failed too often; needs a person.</summary>
    Failed,
}

/// <summary>
/// An effect in the outbox. <see cref="Id"/> is stable: "{caseId}:{sequence:D10}:{index}".
/// </summary>
public sealed record Effect(string Id, string CaseId, long Sequence, int Index, string Kind, string Payload, DateTimeOffset CreatedAt)
{
    /// <summary>Where the effect is.</summary>
    public EffectStatus Status { get; init; } = EffectStatus.Pending;

    /// <summary>Failed attempts so far.</summary>
    public int Attempts { get; init; }

    /// <summary>The last handler error (no personal data: exception type and message of our own handlers).</summary>
    public string? LastError { get; init; }

    /// <summary>The stable id of the effect asked for by event <paramref name="sequence"/>.</summary>
    public static string MakeId(string caseId, long sequence, int index) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{caseId}:{sequence:D10}:{index}");
}

/// <summary>The result of handling one effect.</summary>
public sealed record EffectOutcome(Effect Effect, EffectStatus Status, int Attempts, string? Error);

/// <summary>The state row of a case as stored, with the store's concurrency token.</summary>
public sealed record CaseRecord(
    string CaseId,
    string WorkflowVersion,
    CaseStatus Status,
    string Stage,
    long Sequence,
    string State,
    DateTimeOffset? WaitingUntil,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The store's concurrency token; null before the first commit.</summary>
    public string? ETag { get; init; }
}

/// <summary>Everything one handled message writes, committed atomically or not at all.</summary>
/// <param name="Case">The new state row.</param>
/// <param name="ExpectedETag">The token the state row must still have; null when the case is new.</param>
/// <param name="Events">New events, numbered on from the previous sequence.</param>
/// <param name="Effects">New outbox effects.</param>
/// <param name="IdempotencyKey">The marker to add; null for management commands without one.</param>
public sealed record CaseCommit(CaseRecord Case, string? ExpectedETag, IReadOnlyList<StoredEvent> Events, IReadOnlyList<Effect> Effects, string? IdempotencyKey);

/// <summary>How a commit ended.</summary>
public enum CommitStatus
{
    /// <summary>Written.</summary>
    Committed,

    /// <summary>Someone else changed the case first: reload and decide again.</summary>
    Conflict,

    /// <summary>The idempotency key was handled before: nothing to do.</summary>
    Duplicate,
}

/// <summary>How a commit ended, with the new token when written.</summary>
/// <param name="NoneParked">
/// Only for a commit that created the case: the store knows that no message was parked for it
/// before, so there is nothing to release (and no need to look). False when it does not know.
/// </param>
public readonly record struct CommitResult(CommitStatus Status, string? ETag, bool NoneParked = false);

/// <summary>Filter for listing cases.</summary>
public sealed record CaseQuery(CaseStatus? Status = null, string? Stage = null, int Max = 1000);

/// <summary>What handling one message did.</summary>
public enum HandleOutcome
{
    /// <summary>Decided and committed (possibly with zero events).</summary>
    Applied,

    /// <summary>Its idempotency key was handled before.</summary>
    Duplicate,

    /// <summary>A timer the case no longer waits for, or a message for a terminated case.</summary>
    Ignored,

    /// <summary>Kept with the case until it is opened or resumed.</summary>
    Parked,
}

/// <summary>The result of handling one message; <see cref="Effects"/> are to be dispatched.</summary>
public sealed record HandleResult(HandleOutcome Outcome, IReadOnlyList<Effect> Effects, int Attempts, long Sequence);

/// <summary>
/// A case with (optionally) its timeline and effects, as the management client shows it.
/// A case that is not opened yet but has parked messages shows with stage "parked",
/// sequence 0 and <see cref="Opened"/> false.
/// </summary>
public sealed record CaseInstance(CaseRecord Case, IReadOnlyList<StoredEvent> Timeline, IReadOnlyList<Effect> Effects, IReadOnlyList<InboxMessage> Parked)
{
    /// <summary>False while only parked messages exist for the case id.</summary>
    public bool Opened => Case.ETag is not null;
}
