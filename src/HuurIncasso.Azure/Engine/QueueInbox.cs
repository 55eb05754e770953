using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Engine;

namespace HuurIncasso.Azure.Engine;

/// <summary>
/// The inbox on Azure Queue storage (base64 text, as host.json sets it for the Functions
/// host): competing consumers, leases by visibility timeout and pop receipt, and a poison
/// queue that keeps the message text with its error. Messages never expire. With
/// <see cref="EngineOptions.InboxShards"/> above 1 the inbox is several queues ("inbox",
/// "inbox-1", …), a case always in the same one; each process reads the shards it owns
/// (<see cref="ShardOwnership"/>) and takes from the others only what waited too long, so
/// competing hosts seldom handle one case at the same moment. Thread-safe.
/// </summary>
public sealed class QueueInbox : IInbox
{
    /// <summary>Queue messages hold 64 KB; base64 takes a third more, so the text must stay below this.</summary>
    public const int MaxMessageChars = 46_000;

    private static readonly TimeSpan NeverExpire = TimeSpan.FromSeconds(-1);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly QueueClient[] _shards;
    private readonly bool[] _created;
    private readonly QueueClient _poison;
    private readonly TimeProvider _time;
    private readonly TimeSpan _leaseTime;
    private readonly ShardOwnership? _ownership;
    private readonly (string? Id, long Since)[] _heads;
    private int _stealChecking;
    private int[] _stealing = [];
    private long _nextStealCheck;
    private int _rotation;

    /// <summary>Uses the inbox and poison queues of <paramref name="clients"/>.</summary>
    public QueueInbox(StorageClients clients, TimeProvider time, EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(options);
        _shards = [.. Enumerable.Range(0, Math.Max(1, options.InboxShards)).Select(k => clients.Queues.GetQueueClient(clients.Names.InboxShardQueue(k)))];
        _created = new bool[_shards.Length];
        _heads = new (string?, long)[_shards.Length];
        _created[0] = true; // provisioned with the other queues
        _poison = clients.Queues.GetQueueClient(clients.Names.PoisonQueue);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _leaseTime = options.LeaseTime;
        if (_shards.Length > 1)
        {
            _ownership = new ShardOwnership(clients.Tables.GetTableClient(clients.Names.EngineTable), _shards.Length, options.LeaseTime, time);
        }
    }

    /// <summary>How many queues the inbox is split into.</summary>
    public int ShardCount => _shards.Length;

    /// <summary>Who owns which shard, as this process last saw it (for logs and tests).</summary>
    public string Ownership => _ownership?.ToString() ?? "one queue";

    /// <summary>The shard the messages of <paramref name="caseId"/> go to: FNV-1a of its UTF-16 code units, stable across processes and versions.</summary>
    public static int ShardOf(string caseId, int shards)
    {
        ArgumentNullException.ThrowIfNull(caseId);
        if (shards <= 1)
        {
            return 0;
        }

        var hash = 2166136261u;
        foreach (var c in caseId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)shards);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The message is too large for a queue; keep large data in Blob and send a reference.</exception>
    public Task SendAsync(InboxMessage message, TimeSpan? delay = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SendTextAsync(InboxMessageCodec.Encode(message), ShardOf(message.CaseId, _shards.Length), delay, cancellationToken);
    }

    /// <summary>Sends raw text (tests use this to send what no producer would) to the first shard.</summary>
    public Task SendTextAsync(string text, TimeSpan? delay = null, CancellationToken cancellationToken = default) =>
        SendTextAsync(text, 0, delay, cancellationToken);

    /// <summary>Removes this process's heartbeat, so that other hosts take over its shards at once.</summary>
    public Task LeaveAsync(CancellationToken cancellationToken = default) =>
        _ownership?.LeaveAsync(cancellationToken) ?? Task.CompletedTask;

    /// <inheritdoc />
    public async Task<IReadOnlyList<InboxLease>> ReceiveAsync(int max, CancellationToken cancellationToken = default)
    {
        if (_ownership is null)
        {
            return await ReceiveFromAsync(0, max, cancellationToken).ConfigureAwait(false);
        }

        var owned = await _ownership.OwnedAsync(cancellationToken).ConfigureAwait(false);
        var stealing = await StealCandidatesAsync(owned, cancellationToken).ConfigureAwait(false);
        var start = Interlocked.Increment(ref _rotation);
        for (var i = 0; i < owned.Length; i++)
        {
            var leases = await ReceiveFromAsync(owned[(int)((uint)(start + i) % (uint)owned.Length)], max, cancellationToken).ConfigureAwait(false);
            if (leases.Count > 0)
            {
                return leases;
            }
        }

        foreach (var shard in stealing)
        {
            var leases = await ReceiveFromAsync(shard, max, cancellationToken).ConfigureAwait(false);
            if (leases.Count > 0)
            {
                return leases;
            }
        }

        return [];
    }

    private async Task<IReadOnlyList<InboxLease>> ReceiveFromAsync(int shard, int max, CancellationToken cancellationToken)
    {
        await EnsureShardAsync(shard, cancellationToken).ConfigureAwait(false);
        var received = await _shards[shard].ReceiveMessagesAsync(Math.Clamp(max, 1, 32), _leaseTime, cancellationToken).ConfigureAwait(false);
        return [.. received.Value.Select(m =>
        {
            var text = m.Body.ToString();
            InboxMessageCodec.TryDecode(text, out var message, out var error);
            return new InboxLease(message, m.MessageId, m.DequeueCount, m.PopReceipt, text, error) { Shard = shard };
        })];
    }

    // Shards someone else owns are peeked once per heartbeat interval. A backlog is no reason
    // to step in (the owner works through it, head first); a head message that stays the same
    // for StealAfter is: the owner died, hangs or no longer reads. Such a shard is read by this
    // process too until its head moves again.
    private async ValueTask<int[]> StealCandidatesAsync(int[] owned, CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        if (now < Volatile.Read(ref _nextStealCheck) || Interlocked.Exchange(ref _stealChecking, 1) != 0)
        {
            return Volatile.Read(ref _stealing);
        }

        try
        {
            Volatile.Write(ref _nextStealCheck, now + (long)(_ownership!.Interval.TotalSeconds * _time.TimestampFrequency));
            var stealing = new List<int>();
            for (var shard = 0; shard < _shards.Length; shard++)
            {
                if (Array.IndexOf(owned, shard) >= 0)
                {
                    _heads[shard] = default;
                    continue;
                }

                await EnsureShardAsync(shard, cancellationToken).ConfigureAwait(false);
                var peeked = await _shards[shard].PeekMessagesAsync(1, cancellationToken).ConfigureAwait(false);
                if (peeked.Value.Length == 0)
                {
                    _heads[shard] = default;
                }
                else if (_heads[shard].Id != peeked.Value[0].MessageId)
                {
                    _heads[shard] = (peeked.Value[0].MessageId, now);
                }
                else if (_time.GetElapsedTime(_heads[shard].Since) > _ownership.StealAfter)
                {
                    stealing.Add(shard);
                }
            }

            int[] result = [.. stealing];
            Volatile.Write(ref _stealing, result);
            return result;
        }
        finally
        {
            Volatile.Write(ref _stealChecking, 0);
        }
    }

    private async Task SendTextAsync(string text, int shard, TimeSpan? delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxMessageChars)
        {
            throw new ArgumentException($"An inbox message holds at most {MaxMessageChars} characters; this one has {text.Length}. Keep large data in Blob storage and send a reference.", nameof(text));
        }

        await EnsureShardAsync(shard, cancellationToken).ConfigureAwait(false);
        await _shards[shard].SendMessageAsync(text, delay, NeverExpire, cancellationToken).ConfigureAwait(false);
    }

    // Shard 0 is provisioned with the other queues; the number of further shards is a
    // setting, so they are made on first use in each process (one call per shard).
    private async ValueTask EnsureShardAsync(int shard, CancellationToken cancellationToken)
    {
        if (!Volatile.Read(ref _created[shard]))
        {
            await _shards[shard].CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _created[shard], true);
        }
    }

    /// <inheritdoc />
    public async Task CompleteAsync(InboxLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        try
        {
            await _shards[lease.Shard].DeleteMessageAsync(lease.Id, lease.Receipt, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 400)
        {
            // The lease ran out and another consumer holds the message: it will find it a duplicate.
        }
    }

    /// <inheritdoc />
    public async Task AbandonAsync(InboxLease lease, TimeSpan retryAfter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        try
        {
            await _shards[lease.Shard].UpdateMessageAsync(lease.Id, lease.Receipt, visibilityTimeout: retryAfter, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 400)
        {
            // The lease ran out already: the message is visible again anyway.
        }
    }

    /// <inheritdoc />
    public async Task<InboxLease> RenewAsync(InboxLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var receipt = await _shards[lease.Shard].UpdateMessageAsync(lease.Id, lease.Receipt, visibilityTimeout: _leaseTime, cancellationToken: cancellationToken).ConfigureAwait(false);
        return lease with { Receipt = receipt.Value.PopReceipt };
    }

    /// <inheritdoc />
    public async Task PoisonAsync(InboxLease lease, string error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var envelope = new PoisonEnvelope(lease.Message?.CaseId, lease.RawText, error.Length > 8000 ? error[..8000] : error, lease.DequeueCount, _time.GetUtcNow());
        await _poison.SendMessageAsync(JsonSerializer.Serialize(envelope, Json), null, NeverExpire, cancellationToken).ConfigureAwait(false);
        await CompleteAsync(lease, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PoisonedMessage>> ListPoisonedAsync(int max, CancellationToken cancellationToken = default)
    {
        var peeked = await _poison.PeekMessagesAsync(Math.Clamp(max, 1, 32), cancellationToken).ConfigureAwait(false);
        return [.. peeked.Value.Select(m => ToPoisoned(m.MessageId, m.Body.ToString()))];
    }

    /// <inheritdoc />
    public async Task<bool> RequeuePoisonedAsync(string poisonedId, CancellationToken cancellationToken = default)
    {
        // Queues cannot fetch one message by id: take a batch, keep the one, give the rest back.
        var received = await _poison.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        var found = false;
        foreach (var message in received.Value)
        {
            if (message.MessageId == poisonedId)
            {
                var poisoned = ToPoisoned(message.MessageId, message.Body.ToString());
                var shard = InboxMessageCodec.TryDecode(poisoned.RawText, out var decoded, out _) ? ShardOf(decoded!.CaseId, _shards.Length) : 0;
                await SendTextAsync(poisoned.RawText, shard, null, cancellationToken).ConfigureAwait(false);
                await _poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
                found = true;
            }
            else
            {
                await _poison.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }

        return found;
    }

    private static PoisonedMessage ToPoisoned(string id, string text)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize<PoisonEnvelope>(text, Json);
            if (envelope is not null)
            {
                return new PoisonedMessage(id, envelope.CaseId, envelope.Text, envelope.Error, envelope.Attempts, envelope.PoisonedAt);
            }
        }
        catch (JsonException)
        {
            // Put there by someone else: show it as it is.
        }

        return new PoisonedMessage(id, null, text, "Not written by the engine.", 0, default);
    }

    private sealed record PoisonEnvelope(string? CaseId, string Text, string Error, long Attempts, DateTimeOffset PoisonedAt);
}
