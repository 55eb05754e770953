using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace HuurIncasso.Azure.Engine;

/// <summary>
/// Which inbox shards this process prefers. Every process writes a heartbeat row (partition
/// "hosts" of the engine table) and reads the others'; the live members, sorted by id, share
/// the shards round-robin (shard k goes to member k mod count). Ownership is a preference,
/// not a lock: views may differ for a moment when a host comes or goes (then two hosts read
/// a shard and the ETag check sorts it out), and a shard whose owner died is picked up as
/// soon as its heartbeat is old, or by anyone once its oldest message waited too long.
/// Liveness is judged on the table service's own timestamps, so clock skew between
/// machines does not matter. Thread-safe.
/// </summary>
internal sealed class ShardOwnership
{
    private const string Partition = "hosts";
    private readonly TableClient _table;
    private readonly TimeProvider _time;
    private readonly int _shards;
    private int _refreshing;
    private int[] _owned;
    private long _nextRefreshTicks;

    public ShardOwnership(TableClient table, int shards, TimeSpan leaseTime, TimeProvider time)
    {
        _table = table;
        _shards = shards;
        _time = time;
        MemberId = Guid.NewGuid().ToString("N");
        // Shorter leases mean faster failover is wanted; the heartbeat follows, within bounds.
        Interval = TimeSpan.FromTicks(Math.Clamp(leaseTime.Ticks / 3, TimeSpan.TicksPerSecond, 10 * TimeSpan.TicksPerSecond));
        _owned = [.. Enumerable.Range(0, shards)]; // until the first heartbeat: everything
    }

    /// <summary>This process's member id (a fresh one per start).</summary>
    public string MemberId { get; }

    /// <summary>How often the heartbeat is written and the members are read.</summary>
    public TimeSpan Interval { get; }

    /// <summary>A member whose heartbeat is older than this is taken for dead.</summary>
    public TimeSpan DeadAfter => 3 * Interval;

    /// <summary>A shard of someone else whose head message stays put this long is read anyway: nothing starves.</summary>
    public TimeSpan StealAfter => 6 * Interval;

    /// <summary>Live members at the last refresh.</summary>
    public int Members { get; private set; } = 1;

    /// <summary>The shards this process prefers, refreshed at most every <see cref="Interval"/>.</summary>
    public async ValueTask<int[]> OwnedAsync(CancellationToken cancellationToken)
    {
        if (_time.GetTimestamp() >= Volatile.Read(ref _nextRefreshTicks) && Interlocked.Exchange(ref _refreshing, 1) == 0)
        {
            try
            {
                await RefreshAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException)
            {
                // Storage trouble: keep the last view; the receive loop reports the outage itself.
            }
            finally
            {
                Volatile.Write(ref _nextRefreshTicks, _time.GetTimestamp() + (long)(Interval.TotalSeconds * _time.TimestampFrequency));
                Volatile.Write(ref _refreshing, 0);
            }
        }

        return Volatile.Read(ref _owned);
    }

    /// <summary>Removes this member's heartbeat (on a clean stop), so the others take over at once.</summary>
    public async Task LeaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(Partition, MemberId, ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException)
        {
            // It expires by itself.
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _table.UpsertEntityAsync(new TableEntity(Partition, MemberId) { ["Shards"] = _shards }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        var rows = new List<TableEntity>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), select: ["RowKey", "Timestamp"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        var own = rows.FirstOrDefault(r => r.RowKey == MemberId)?.Timestamp;
        if (own is null)
        {
            return;
        }

        var live = rows.Where(r => r.Timestamp >= own.Value - DeadAfter).Select(r => r.RowKey).Order(StringComparer.Ordinal).ToList();
        var rank = live.IndexOf(MemberId);
        Members = live.Count;
        Volatile.Write(ref _owned, [.. Enumerable.Range(0, _shards).Where(k => k % live.Count == rank)]);

        // Long-dead members are forgotten by whoever notices first.
        foreach (var dead in rows.Where(r => r.Timestamp < own.Value - (10 * DeadAfter)))
        {
            try
            {
                await _table.DeleteEntityAsync(Partition, dead.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Another member forgot it first.
            }
        }
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"member {MemberId[..8]} of {Members}: shards {string.Join(",", Volatile.Read(ref _owned))}");
}
