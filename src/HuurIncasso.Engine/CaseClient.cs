namespace HuurIncasso.Engine;

/// <summary>
/// Instance management: start, send, look at, suspend, resume, terminate, purge and list
/// cases, and look at and requeue poisoned messages. What the host's HTTP routes and
/// command line call. Thread-safe.
/// </summary>
public sealed class CaseClient<TState, TMessage, TEvent>
{
    private readonly CaseEngine<TState, TMessage, TEvent> _engine;
    private readonly ICaseStore _store;
    private readonly IInbox _inbox;
    private readonly OutboxDispatcher _dispatcher;

    /// <summary>Creates the client.</summary>
    public CaseClient(CaseEngine<TState, TMessage, TEvent> engine, ICaseStore store, IInbox inbox, OutboxDispatcher dispatcher)
    {
        _engine = Check.NotNull(engine);
        _store = Check.NotNull(store);
        _inbox = Check.NotNull(inbox);
        _dispatcher = Check.NotNull(dispatcher);
    }

    /// <summary>
    /// Handles <paramref name="message"/> for <paramref name="caseId"/> now, in this call,
    /// opening the case when the workflow allows it, and performs its effects. Idempotent
    /// by <paramref name="idempotencyKey"/>.
    /// </summary>
    public async Task<HandleResult> StartAsync(string caseId, string idempotencyKey, TMessage message, CancellationToken cancellationToken = default)
    {
        CheckEnvelope(caseId, idempotencyKey, message);
        var result = await _engine.HandleAsync(caseId, idempotencyKey, message, cancellationToken).ConfigureAwait(false);
        await _dispatcher.DispatchAsync(caseId, result.Effects, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Sends a message to a case through the inbox (handled by the workers), optionally later.</summary>
    public Task SendAsync(string caseId, string idempotencyKey, TMessage message, TimeSpan? delay = null, CancellationToken cancellationToken = default) =>
        _inbox.SendAsync(Envelope(caseId, idempotencyKey, message), delay, cancellationToken);

    /// <summary>The case with its timeline, effects and parked messages; null when unknown.</summary>
    public async Task<CaseInstance?> GetAsync(string caseId, bool includeTimeline = true, CancellationToken cancellationToken = default)
    {
        Check.CaseId(caseId);
        var record = await _store.LoadAsync(caseId, fresh: true, cancellationToken).ConfigureAwait(false);
        var parked = await _store.ListParkedAsync(caseId, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return parked.Count == 0 ? null : new CaseInstance(
                new CaseRecord(caseId, "", CaseStatus.Suspended, "parked", 0, "", null, default, default), [], [], parked);
        }

        var timeline = includeTimeline ? await _store.ReadEventsAsync(caseId, cancellationToken).ConfigureAwait(false) : [];
        var effects = includeTimeline ? await _store.ReadEffectsAsync(caseId, cancellationToken).ConfigureAwait(false) : [];
        return new CaseInstance(record, timeline, effects, parked);
    }

    /// <summary>
    /// The case's own record (status, stage, sequence, state) read fresh, without its timeline,
    /// effects or parked messages; null when the case was not opened (even when messages wait
    /// parked for it). One point read.
    /// </summary>
    public Task<CaseRecord?> GetRecordAsync(string caseId, CancellationToken cancellationToken = default) =>
        _store.LoadAsync(Check.CaseId(caseId), fresh: true, cancellationToken);

    /// <summary>The case's state, or the default when unknown.</summary>
    public async Task<TState?> GetStateAsync(string caseId, CancellationToken cancellationToken = default)
    {
        Check.CaseId(caseId);
        var record = await _store.LoadAsync(caseId, fresh: true, cancellationToken).ConfigureAwait(false);
        return record is null ? default : _engine.Serializer.DeserializeState(record.State);
    }

    /// <summary>The case's domain events (engine events left out), decoded.</summary>
    public async Task<IReadOnlyList<TEvent>> GetEventsAsync(string caseId, CancellationToken cancellationToken = default)
    {
        var events = await _store.ReadEventsAsync(Check.CaseId(caseId), cancellationToken).ConfigureAwait(false);
        return [.. events.Where(e => !e.FromEngine).Select(e => _engine.Serializer.DeserializeEvent(e.Data))];
    }

    /// <inheritdoc cref="CaseEngine{TState, TMessage, TEvent}.SuspendAsync"/>
    public Task<CaseRecord> SuspendAsync(string caseId, string reason, string by, CancellationToken cancellationToken = default) =>
        _engine.SuspendAsync(caseId, reason, by, cancellationToken);

    /// <inheritdoc cref="CaseEngine{TState, TMessage, TEvent}.ResumeAsync"/>
    public Task<CaseRecord> ResumeAsync(string caseId, string reason, string by, CancellationToken cancellationToken = default) =>
        _engine.ResumeAsync(caseId, reason, by, cancellationToken);

    /// <inheritdoc cref="CaseEngine{TState, TMessage, TEvent}.TerminateAsync"/>
    public Task<CaseRecord> TerminateAsync(string caseId, string reason, string by, CancellationToken cancellationToken = default) =>
        _engine.TerminateAsync(caseId, reason, by, cancellationToken);

    /// <inheritdoc cref="CaseEngine{TState, TMessage, TEvent}.MigrateAsync"/>
    public async Task<CaseRecord> MigrateAsync(string caseId, string toVersion, string reason, string by, CancellationToken cancellationToken = default)
    {
        var record = await _engine.MigrateAsync(caseId, toVersion, reason, by, cancellationToken).ConfigureAwait(false);
        var pending = (await _store.ReadEffectsAsync(caseId, cancellationToken).ConfigureAwait(false))
            .Where(e => e.Status == EffectStatus.Pending && e.Sequence == record.Sequence).ToList();
        await _dispatcher.DispatchAsync(caseId, pending, cancellationToken).ConfigureAwait(false);
        return record;
    }

    /// <summary>
    /// Deletes a completed or terminated case with its events, effects and markers (for the
    /// retention period). False when there was nothing to delete.
    /// </summary>
    /// <exception cref="CaseStatusException">The case is still running or suspended.</exception>
    public async Task<bool> PurgeAsync(string caseId, CancellationToken cancellationToken = default)
    {
        Check.CaseId(caseId);
        var record = await _store.LoadAsync(caseId, fresh: true, cancellationToken).ConfigureAwait(false);
        if (record is { Status: CaseStatus.Running or CaseStatus.Suspended })
        {
            throw new CaseStatusException(caseId, record.Status, "purge");
        }

        return await _store.PurgeAsync(caseId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The domain events of every case, case by case (engine events left out), read in one pass
    /// where the store can. For reports over all cases; memory holds one case at a time.
    /// </summary>
    public async IAsyncEnumerable<(string CaseId, IReadOnlyList<TEvent> Events)> ReadAllEventsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var list in _store.ReadAllEventsAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return (list.CaseId, [.. list.Events.Where(e => !e.FromEngine).Select(e => _engine.Serializer.DeserializeEvent(e.Data))]);
        }
    }

    /// <summary>Cases by status and/or stage.</summary>
    public Task<IReadOnlyList<CaseRecord>> ListAsync(CaseQuery query, CancellationToken cancellationToken = default) =>
        _store.ListAsync(Check.NotNull(query), cancellationToken);

    /// <summary>Sends the parked messages of a case to the inbox again.</summary>
    public Task<int> ReleaseParkedAsync(string caseId, CancellationToken cancellationToken = default) =>
        _engine.ReleaseParkedAsync(caseId, cancellationToken);

    /// <summary>Messages that failed too often.</summary>
    public Task<IReadOnlyList<PoisonedMessage>> ListPoisonedAsync(int max = 100, CancellationToken cancellationToken = default) =>
        _inbox.ListPoisonedAsync(Check.Positive(max), cancellationToken);

    /// <summary>Sends a poisoned message to the inbox again (after the cause was fixed). False when not found.</summary>
    public Task<bool> RequeuePoisonedAsync(string poisonedId, CancellationToken cancellationToken = default) =>
        _inbox.RequeuePoisonedAsync(Check.NotEmpty(poisonedId), cancellationToken);

    /// <summary>
    /// Offers an effect that failed too often to its handler again, now, with a fresh count of
    /// attempts: for after a person fixed the cause (a template, a mail setting). Handlers make a
    /// second run harmless by the effect id, so a mail that did go out is not sent twice.
    /// </summary>
    /// <returns>The effect as it is afterwards (done, or pending again with its error); null when the case has no such effect.</returns>
    /// <exception cref="InvalidOperationException">The effect has not failed: it is done, or the engine still retries it.</exception>
    public async Task<Effect?> RetryEffectAsync(string caseId, string effectId, CancellationToken cancellationToken = default)
    {
        Check.CaseId(caseId);
        Check.NotEmpty(effectId);
        var effect = (await _store.ReadEffectsAsync(caseId, cancellationToken).ConfigureAwait(false)).FirstOrDefault(e => e.Id == effectId);
        if (effect is null)
        {
            return null;
        }

        if (effect.Status != EffectStatus.Failed)
        {
            throw new InvalidOperationException($"Effect {effectId} of case {caseId} is {effect.Status}, not {EffectStatus.Failed}: only a failed effect is offered again by hand.");
        }

        await _dispatcher.DispatchAsync(caseId, [effect with { Status = EffectStatus.Pending, Attempts = 0 }], cancellationToken).ConfigureAwait(false);
        return (await _store.ReadEffectsAsync(caseId, cancellationToken).ConfigureAwait(false)).First(e => e.Id == effectId);
    }

    private InboxMessage Envelope(string caseId, string idempotencyKey, TMessage message)
    {
        CheckEnvelope(caseId, idempotencyKey, message);
        return new InboxMessage(caseId, idempotencyKey, _engine.Serializer.SerializeMessage(message));
    }

    private static void CheckEnvelope(string caseId, string idempotencyKey, TMessage message)
    {
        Check.CaseId(caseId);
        Check.NotEmpty(idempotencyKey);
        ArgumentNullException.ThrowIfNull(message);
    }
}
