namespace HuurIncasso.Engine;

/// <summary>
/// One async lock per case id, made on demand and dropped when nobody holds or waits for it.
/// Processors in one process take it around a message, so they never race each other for
/// the same case (which would only end in an ETag conflict and a second commit). Thread-safe.
/// </summary>
internal sealed class CaseLocks
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Waits until this caller holds the case; dispose the result to let the next in.</summary>
    public async Task<IDisposable> AcquireAsync(string caseId, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(caseId, out entry!))
            {
                entry = new Entry();
                _entries[caseId] = entry;
            }

            entry.Users++;
        }

        try
        {
            await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(caseId, entry);
            throw;
        }

        return new Holder(this, caseId, entry);
    }

    private void Leave(string caseId, Entry entry)
    {
        lock (_entries)
        {
            if (--entry.Users == 0)
            {
                _entries.Remove(caseId);
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Holder(CaseLocks owner, string caseId, Entry entry) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                entry.Gate.Release();
                owner.Leave(caseId, entry);
            }
        }
    }
}
