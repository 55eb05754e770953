using System.Globalization;

namespace HuurIncasso.Engine.InMemory;

/// <summary>
/// A case store in memory with the same semantics as the durable one (atomic commits,
/// ETags, idempotency markers). For tests and simulation. Thread-safe (one lock).
/// </summary>
public sealed class InMemoryCaseStore : ICaseStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, CaseData> _cases = new(StringComparer.Ordinal);
    private readonly bool _retainEvents;
    private readonly bool _retainDoneEffects;
    private long _etag;

    /// <summary>A store that keeps every committed event, as the durable one does.</summary>
    public InMemoryCaseStore()
        : this(retainEvents: true)
    {
    }

    /// <summary>
    /// With <paramref name="retainEvents"/> false, committed events are counted but not kept, and
    /// <see cref="ReadEventsAsync"/> returns none: for a run that takes what it needs from the
    /// events as they are decided (a simulation of a large portfolio), so that they need not all
    /// stay in memory until the end.
    /// </summary>
    /// <param name="retainEvents">Keep the committed events.</param>
    public InMemoryCaseStore(bool retainEvents)
        : this(retainEvents, retainDoneEffects: true)
    {
    }

    /// <summary>
    /// As <see cref="InMemoryCaseStore(bool)"/>; with <paramref name="retainDoneEffects"/> false,
    /// an effect is forgotten once it is done (pending and failed ones stay), so a long run does
    /// not keep every letter and task it ever made.
    /// </summary>
    /// <param name="retainEvents">Keep the committed events.</param>
    /// <param name="retainDoneEffects">Keep effects after they are done.</param>
    public InMemoryCaseStore(bool retainEvents, bool retainDoneEffects)
    {
        _retainEvents = retainEvents;
        _retainDoneEffects = retainDoneEffects;
    }

    /// <summary>How many events were committed, kept or not.</summary>
    public long EventsCommitted { get; private set; }

    /// <summary>How many commits were written (a stand-in for storage transactions).</summary>
    public long Commits { get; private set; }

    /// <inheritdoc />
    public Task<CaseRecord?> LoadAsync(string caseId, bool fresh, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_cases.TryGetValue(caseId, out var data) ? data.Record : null);
        }
    }

    /// <inheritdoc />
    public Task<CommitResult> CommitAsync(CaseCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        lock (_lock)
        {
            var data = Get(commit.Case.CaseId);
            if (commit.IdempotencyKey is not null && data.Markers.Contains(commit.IdempotencyKey))
            {
                return Task.FromResult(new CommitResult(CommitStatus.Duplicate, null));
            }

            if (data.Record?.ETag != commit.ExpectedETag)
            {
                return Task.FromResult(new CommitResult(CommitStatus.Conflict, null));
            }

            var created = data.Record is null;
            var etag = (++_etag).ToString(CultureInfo.InvariantCulture);
            data.Record = commit.Case with { ETag = etag };
            if (_retainEvents)
            {
                data.Events.AddRange(commit.Events);
            }

            EventsCommitted += commit.Events.Count;
            data.Effects.AddRange(commit.Effects);
            if (commit.IdempotencyKey is not null)
            {
                data.Markers.Add(commit.IdempotencyKey);
            }

            Commits++;
            return Task.FromResult(new CommitResult(CommitStatus.Committed, etag, NoneParked: created && data.Parked.Count == 0));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredEvent>> ReadEventsAsync(string caseId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<StoredEvent>>(_cases.TryGetValue(caseId, out var data) ? [.. data.Events] : []);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Effect>> ReadEffectsAsync(string caseId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<Effect>>(_cases.TryGetValue(caseId, out var data) ? [.. data.Effects] : []);
        }
    }

    /// <inheritdoc />
    public Task CompleteEffectsAsync(string caseId, IReadOnlyList<EffectOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        lock (_lock)
        {
            if (!_cases.TryGetValue(caseId, out var data))
            {
                return Task.CompletedTask;
            }

            foreach (var outcome in outcomes)
            {
                // Outcomes are mostly of the effects just committed, at the end of the list.
                var i = data.Effects.FindLastIndex(e => e.Id == outcome.Effect.Id);
                if (i >= 0 && !_retainDoneEffects && outcome.Status == EffectStatus.Done)
                {
                    data.Effects.RemoveAt(i);
                }
                else if (i >= 0)
                {
                    data.Effects[i] = data.Effects[i] with { Status = outcome.Status, Attempts = outcome.Attempts, LastError = outcome.Error };
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Effect>> ListPendingEffectsAsync(DateTimeOffset createdBefore, int max, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<Effect>>([.. _cases.Values
                .SelectMany(d => d.Effects)
                .Where(e => e.Status == EffectStatus.Pending && e.CreatedAt <= createdBefore)
                .Take(max)]);
        }
    }

    /// <inheritdoc />
    public Task ParkAsync(InboxMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_lock)
        {
            var data = Get(message.CaseId);
            if (!data.Parked.Any(m => m.IdempotencyKey == message.IdempotencyKey))
            {
                data.Parked.Add(message);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<InboxMessage>> ListParkedAsync(string caseId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<InboxMessage>>(_cases.TryGetValue(caseId, out var data) ? [.. data.Parked] : []);
        }
    }

    /// <inheritdoc />
    public Task RemoveParkedAsync(string caseId, IReadOnlyList<string> idempotencyKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKeys);
        lock (_lock)
        {
            if (_cases.TryGetValue(caseId, out var data))
            {
                data.Parked.RemoveAll(m => idempotencyKeys.Contains(m.IdempotencyKey));
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> PurgeAsync(string caseId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_cases.Remove(caseId));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<CaseRecord>> ListAsync(CaseQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<CaseRecord>>([.. _cases.Values
                .Select(d => d.Record)
                .OfType<CaseRecord>()
                .Where(r => (query.Status is null || r.Status == query.Status) && (query.Stage is null || r.Stage == query.Stage))
                .OrderBy(r => r.CaseId, StringComparer.Ordinal)
                .Take(query.Max)]);
        }
    }

    private CaseData Get(string caseId)
    {
        if (!_cases.TryGetValue(caseId, out var data))
        {
            data = new CaseData();
            _cases[caseId] = data;
        }

        return data;
    }

    private sealed class CaseData
    {
        public CaseRecord? Record { get; set; }

        public List<StoredEvent> Events { get; } = [];

        public List<Effect> Effects { get; } = [];

        public HashSet<string> Markers { get; } = new(StringComparer.Ordinal);

        public List<InboxMessage> Parked { get; } = [];
    }
}
