using System.Globalization;

namespace HuurIncasso.Engine.InMemory;

/// <summary>
/// A queue in memory with leases, delivery counts and a poison list, on the given clock
/// (a fake clock makes retries and delays deterministic). Thread-safe (one lock).
/// </summary>
public sealed class InMemoryInbox(TimeProvider time, EngineOptions? options = null) : IInbox
{
    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];

    // Completing marks the entry and forgets it here; the list drops marked entries the next
    // time anything else reads it. Completing thousands of leases is then not quadratic.
    private readonly Dictionary<string, Entry> _byId = new(StringComparer.Ordinal);
    private int _completed;
    private readonly List<PoisonedMessage> _poisoned = [];
    private readonly TimeSpan _leaseTime = (options ?? new EngineOptions()).LeaseTime;
    private long _ids;
    private long _receipts;

    /// <summary>Messages waiting (visible or not).</summary>
    public int Count
    {
        get { lock (_lock) { Compact(); return _entries.Count; } }
    }

    /// <summary>When the next hidden message becomes visible, or null when none waits.</summary>
    public DateTimeOffset? NextVisibleAt
    {
        get { lock (_lock) { Compact(); return _entries.Count == 0 ? null : _entries.Min(e => e.VisibleAt); } }
    }

    /// <inheritdoc />
    public Task SendAsync(InboxMessage message, TimeSpan? delay = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Enqueue(InboxMessageCodec.Encode(message), message, delay);
    }

    /// <summary>Sends raw text (tests use this to send what no producer would).</summary>
    public Task SendTextAsync(string text, TimeSpan? delay = null) => Enqueue(text, null, delay);

    /// <inheritdoc />
    public Task<IReadOnlyList<InboxLease>> ReceiveAsync(int max, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            Compact();
            var leases = new List<InboxLease>();
            foreach (var entry in _entries.Where(e => e.VisibleAt <= now).Take(max))
            {
                entry.VisibleAt = now + _leaseTime;
                entry.DequeueCount++;
                entry.Receipt = NewReceipt();

                // A message sent as an object is read back as that (immutable) object; only raw text is decoded.
                string? error = null;
                var message = entry.Message;
                if (message is null)
                {
                    InboxMessageCodec.TryDecode(entry.Text, out message, out error);
                }

                leases.Add(new InboxLease(message, entry.Id, entry.DequeueCount, entry.Receipt, entry.Text, error));
            }

            return Task.FromResult<IReadOnlyList<InboxLease>>(leases);
        }
    }

    /// <inheritdoc />
    public Task CompleteAsync(InboxLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            if (_byId.TryGetValue(lease.Id, out var entry) && entry.Receipt == lease.Receipt)
            {
                entry.Completed = true;
                _byId.Remove(lease.Id);
                _completed++;
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task AbandonAsync(InboxLease lease, TimeSpan retryAfter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            Compact();
            var entry = _entries.Find(e => e.Id == lease.Id && e.Receipt == lease.Receipt);
            entry?.VisibleAt = time.GetUtcNow() + retryAfter;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<InboxLease> RenewAsync(InboxLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            Compact();
            var entry = _entries.Find(e => e.Id == lease.Id && e.Receipt == lease.Receipt)
                ?? throw new InvalidOperationException($"Message {lease.Id} is no longer held.");
            entry.VisibleAt = time.GetUtcNow() + _leaseTime;
            entry.Receipt = NewReceipt();
            return Task.FromResult(lease with { Receipt = entry.Receipt });
        }
    }

    /// <inheritdoc />
    public Task PoisonAsync(InboxLease lease, string error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            Compact();
            _entries.RemoveAll(e => e.Id == lease.Id);
            _byId.Remove(lease.Id);
            _poisoned.Add(new PoisonedMessage(lease.Id, lease.Message?.CaseId, lease.RawText, error, lease.DequeueCount, time.GetUtcNow()));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PoisonedMessage>> ListPoisonedAsync(int max, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<PoisonedMessage>>([.. _poisoned.Take(max)]);
        }
    }

    /// <inheritdoc />
    public Task<bool> RequeuePoisonedAsync(string poisonedId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var poisoned = _poisoned.Find(p => p.Id == poisonedId);
            if (poisoned is null)
            {
                return Task.FromResult(false);
            }

            _poisoned.Remove(poisoned);
            Add(new Entry((++_ids).ToString(CultureInfo.InvariantCulture), poisoned.RawText, null) { VisibleAt = time.GetUtcNow() });
            return Task.FromResult(true);
        }
    }

    private Task Enqueue(string text, InboxMessage? message, TimeSpan? delay)
    {
        lock (_lock)
        {
            Add(new Entry((++_ids).ToString(CultureInfo.InvariantCulture), text, message) { VisibleAt = time.GetUtcNow() + (delay ?? TimeSpan.Zero) });
        }

        return Task.CompletedTask;
    }

    /// <summary>Under the lock.</summary>
    private void Add(Entry entry)
    {
        _entries.Add(entry);
        _byId.Add(entry.Id, entry);
    }

    /// <summary>Drops completed entries from the list (under the lock).</summary>
    private void Compact()
    {
        if (_completed > 0)
        {
            _entries.RemoveAll(e => e.Completed);
            _completed = 0;
        }
    }

    /// <summary>A receipt no earlier lease had (under the lock): like a pop receipt, it only has to differ from the last one.</summary>
    private string NewReceipt() => "r" + (++_receipts).ToString(CultureInfo.InvariantCulture);

    private sealed class Entry(string id, string text, InboxMessage? message)
    {
        public string Id { get; } = id;

        public string Text { get; } = text;

        public InboxMessage? Message { get; } = message;

        public DateTimeOffset VisibleAt { get; set; }

        public long DequeueCount { get; set; }

        public string Receipt { get; set; } = "";

        public bool Completed { get; set; }
    }
}
