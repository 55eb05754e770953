namespace HuurIncasso.Engine;

/// <summary>
/// Durable storage of cases: per case a state row, append-only events, outbox effects,
/// idempotency markers and parked messages. Implementations are thread-safe.
/// </summary>
public interface ICaseStore
{
    /// <summary>The state row, or null when the case does not exist. A store may answer from a
    /// cache unless <paramref name="fresh"/>; a stale answer only costs a conflict at commit.</summary>
    Task<CaseRecord?> LoadAsync(string caseId, bool fresh, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether <see cref="LoadAsync"/> can answer for <paramref name="caseId"/> without a storage
    /// request (from a cache). When it cannot, the engine commits a message that would create the
    /// case without loading first (the commit fails if the case exists after all). This default
    /// says it always can, so the engine always loads first.
    /// </summary>
    bool HasCached(string caseId) => true;

    /// <summary>Writes the commit atomically: all or nothing, and only if the state row still has
    /// <see cref="CaseCommit.ExpectedETag"/> and the idempotency key is new.</summary>
    Task<CommitResult> CommitAsync(CaseCommit commit, CancellationToken cancellationToken = default);

    /// <summary>All events of a case in sequence order.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadEventsAsync(string caseId, CancellationToken cancellationToken = default);

    /// <summary>All outbox effects of a case, in order.</summary>
    Task<IReadOnlyList<Effect>> ReadEffectsAsync(string caseId, CancellationToken cancellationToken = default);

    /// <summary>Records what handlers did with effects of one case.</summary>
    Task CompleteEffectsAsync(string caseId, IReadOnlyList<EffectOutcome> outcomes, CancellationToken cancellationToken = default);

    /// <summary>Pending effects committed before <paramref name="createdBefore"/>, over all cases.</summary>
    Task<IReadOnlyList<Effect>> ListPendingEffectsAsync(DateTimeOffset createdBefore, int max, CancellationToken cancellationToken = default);

    /// <summary>Keeps a message with its case until the case is opened or resumed.</summary>
    Task ParkAsync(InboxMessage message, CancellationToken cancellationToken = default);

    /// <summary>The parked messages of a case.</summary>
    Task<IReadOnlyList<InboxMessage>> ListParkedAsync(string caseId, CancellationToken cancellationToken = default);

    /// <summary>Forgets parked messages (after they were sent to the inbox again).</summary>
    Task RemoveParkedAsync(string caseId, IReadOnlyList<string> idempotencyKeys, CancellationToken cancellationToken = default);

    /// <summary>Deletes everything of a case. False when there was nothing.</summary>
    Task<bool> PurgeAsync(string caseId, CancellationToken cancellationToken = default);

    /// <summary>State rows matching <paramref name="query"/>.</summary>
    Task<IReadOnlyList<CaseRecord>> ListAsync(CaseQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// The events of every case, one case at a time, each case's events in sequence order (for
    /// reports over all cases). This default lists the cases and reads them one by one; a store
    /// that can read all events in one scan overrides it.
    /// </summary>
    async IAsyncEnumerable<CaseEventList> ReadAllEventsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var record in await ListAsync(new CaseQuery(Max: int.MaxValue), cancellationToken).ConfigureAwait(false))
        {
            yield return new CaseEventList(record.CaseId, await ReadEventsAsync(record.CaseId, cancellationToken).ConfigureAwait(false));
        }
    }
}

/// <summary>The events of one case, in sequence order.</summary>
public sealed record CaseEventList(string CaseId, IReadOnlyList<StoredEvent> Events);

/// <summary>
/// The queue of messages to cases: competing consumers, leases, poison queue.
/// Implementations are thread-safe.
/// </summary>
public interface IInbox
{
    /// <summary>Sends a message, visible after <paramref name="delay"/>.</summary>
    Task SendAsync(InboxMessage message, TimeSpan? delay = null, CancellationToken cancellationToken = default);

    /// <summary>Receives up to <paramref name="max"/> messages, each hidden from others for the lease time.</summary>
    Task<IReadOnlyList<InboxLease>> ReceiveAsync(int max, CancellationToken cancellationToken = default);

    /// <summary>Deletes a handled message.</summary>
    Task CompleteAsync(InboxLease lease, CancellationToken cancellationToken = default);

    /// <summary>Gives a message back, visible again after <paramref name="retryAfter"/>.</summary>
    Task AbandonAsync(InboxLease lease, TimeSpan retryAfter, CancellationToken cancellationToken = default);

    /// <summary>Extends the lease of a message that takes long; returns the renewed lease.</summary>
    Task<InboxLease> RenewAsync(InboxLease lease, CancellationToken cancellationToken = default);

    /// <summary>Moves a message to the poison queue with its error.</summary>
    Task PoisonAsync(InboxLease lease, string error, CancellationToken cancellationToken = default);

    /// <summary>Poisoned messages, oldest first.</summary>
    Task<IReadOnlyList<PoisonedMessage>> ListPoisonedAsync(int max, CancellationToken cancellationToken = default);

    /// <summary>Sends a poisoned message to the inbox again (with a fresh attempt count). False when not found.</summary>
    Task<bool> RequeuePoisonedAsync(string poisonedId, CancellationToken cancellationToken = default);
}

/// <summary>The index of timers by due time, kept up to date through the outbox.</summary>
public interface ITimerIndex
{
    /// <summary>Records that <paramref name="caseId"/> waits until <paramref name="due"/> (idempotent).</summary>
    Task SetAsync(string caseId, DateTimeOffset due, CancellationToken cancellationToken = default);

    /// <summary>Timers due at or before <paramref name="now"/>, earliest first.</summary>
    Task<IReadOnlyList<DueTimer>> ListDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);

    /// <summary>Removes a timer once it is in the inbox.</summary>
    Task RemoveAsync(DueTimer timer, CancellationToken cancellationToken = default);
}

/// <summary>A timer in the index.</summary>
public sealed record DueTimer(string CaseId, DateTimeOffset Due);

/// <summary>
/// Performs one kind of effect. Runs at least once per effect: use <see cref="Effect.Id"/>
/// to make a second run harmless (a mail is never sent twice for one effect id).
/// </summary>
public interface IEffectHandler
{
    /// <summary>The <see cref="EffectRequest.Kind"/> this handler performs.</summary>
    string Kind { get; }

    /// <summary>Performs the effect; throws to have it retried later.</summary>
    Task HandleAsync(Effect effect, CancellationToken cancellationToken = default);
}

/// <summary>Handles inbox messages; <see cref="CaseEngine{TState, TMessage, TEvent}"/> is the one implementation.</summary>
public interface ICaseMessageHandler
{
    /// <summary>Handles one message exactly once.</summary>
    Task<HandleResult> HandleAsync(InboxMessage message, CancellationToken cancellationToken = default);

    /// <summary>Sends the parked messages of a case to the inbox again.</summary>
    Task<int> ReleaseParkedAsync(string caseId, CancellationToken cancellationToken = default);
}
