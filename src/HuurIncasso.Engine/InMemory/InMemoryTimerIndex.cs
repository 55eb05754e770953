namespace HuurIncasso.Engine.InMemory;

/// <summary>The timer index in memory. Thread-safe (one lock).</summary>
public sealed class InMemoryTimerIndex : ITimerIndex
{
    private readonly Lock _lock = new();
    // Ordinal on the case id: the default tuple comparer would compare strings by culture (slow, and machine-dependent).
    private readonly SortedSet<(DateTimeOffset Due, string CaseId)> _timers = new(Comparer<(DateTimeOffset Due, string CaseId)>.Create(
        static (a, b) => a.Due != b.Due ? a.Due.CompareTo(b.Due) : string.CompareOrdinal(a.CaseId, b.CaseId)));

    /// <summary>All timers, earliest first.</summary>
    public IReadOnlyList<DueTimer> All
    {
        get { lock (_lock) { return [.. _timers.Select(t => new DueTimer(t.CaseId, t.Due))]; } }
    }

    /// <inheritdoc />
    public Task SetAsync(string caseId, DateTimeOffset due, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _timers.Add((due, caseId));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DueTimer>> ListDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<DueTimer>>([.. _timers.TakeWhile(t => t.Due <= now).Take(max).Select(t => new DueTimer(t.CaseId, t.Due))]);
        }
    }

    /// <inheritdoc />
    public Task RemoveAsync(DueTimer timer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timer);
        lock (_lock)
        {
            _timers.Remove((timer.Due, timer.CaseId));
        }

        return Task.CompletedTask;
    }
}
