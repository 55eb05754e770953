using Azure.Data.Tables;
using HuurIncasso.Azure.Engine;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Engine;
using HuurIncasso.Testing;

namespace HuurIncasso.Azure.Tests.Engine;

/// <summary>The sharded inbox: a case stays in one queue, hosts split the queues, and nothing starves.</summary>
public sealed class ShardedInboxTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void ShardOf_IsStableAndSpreadsCases()
    {
        // Fixed values: a change of hash would strand messages already in the queues.
        Assert.Equal(QueueInbox.ShardOf("acc-0001", 4), QueueInbox.ShardOf("acc-0001", 4));
        Assert.Equal(0, QueueInbox.ShardOf("anything", 1));
        var counts = Enumerable.Range(0, 4000).GroupBy(i => QueueInbox.ShardOf($"case-{i}", 4)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([0, 1, 2, 3], counts.Keys.Order());
        Assert.All(counts.Values, n => Assert.InRange(n, 800, 1200));
    }

    [Fact]
    public async Task TwoProcesses_SplitTheShards_AndOneTakesAllWhenTheOtherLeaves()
    {
        var prefix = AzuriteFixture.UniquePrefix();
        // Heartbeats every 3 s: a member is taken for dead after 9 s and a shard read by others after
        // 18 s, far beyond a slow Azurite answer on a loaded machine, which made a 1 s beat flaky here.
        var leaseTime = TimeSpan.FromSeconds(9);
        var (first, _) = await NewInboxAsync(prefix, leaseTime);
        var (second, _) = await NewInboxAsync(prefix, leaseTime);
        var beat = (leaseTime / 3) + TimeSpan.FromMilliseconds(200); // ShardOwnership beats at a third of the lease time
        var cases = Enumerable.Range(0, 40).Select(i => $"case-{i}").ToList();
        foreach (var id in cases)
        {
            await first.SendAsync(new InboxMessage(id, "k", "{}"), cancellationToken: Ct);
        }

        // Both register, then both see two members at a following heartbeat (on a loaded machine a
        // beat may come late or read the members just before the other registered: a few beats).
        await first.ReceiveAsync(1, Ct);
        await second.ReceiveAsync(1, Ct);
        for (var beats = 0; beats < 5 && !(first.Ownership.Contains(" of 2:", StringComparison.Ordinal) && second.Ownership.Contains(" of 2:", StringComparison.Ordinal)); beats++)
        {
            await Task.Delay(beat, Ct);
            await first.ReceiveAsync(1, Ct);
            await second.ReceiveAsync(1, Ct);
        }

        Assert.Contains(" of 2:", first.Ownership, StringComparison.Ordinal);
        Assert.Contains(" of 2:", second.Ownership, StringComparison.Ordinal);

        // From now on each gets only messages of its own shards, never one of the other's
        // (both keep reading, so neither's shards look abandoned to the other).
        var firstShards = new HashSet<int>();
        var secondShards = new HashSet<int>();
        // Stop as soon as each has seen its two shards: reading on for long on a loaded machine would
        // let the other's untouched front messages look abandoned, and taking those is by design.
        for (var i = 0; i < 20 && (firstShards.Count < 2 || secondShards.Count < 2); i++)
        {
            foreach (var lease in await first.ReceiveAsync(32, Ct))
            {
                firstShards.Add(lease.Shard);
                Assert.Equal(lease.Shard, QueueInbox.ShardOf(lease.Message!.CaseId, 4));
            }

            foreach (var lease in await second.ReceiveAsync(32, Ct))
            {
                secondShards.Add(lease.Shard);
            }
        }

        Assert.Equal(2, firstShards.Count);
        Assert.Equal(2, secondShards.Count);
        Assert.Empty(firstShards.Intersect(secondShards));

        // A clean stop hands the shards over at the next heartbeat.
        await second.LeaveAsync(Ct);
        await Task.Delay(beat, Ct);
        await first.ReceiveAsync(1, Ct);
        Assert.Contains(" of 1: shards 0,1,2,3", first.Ownership, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShardOfALiveButSilentHost_IsReadByAnotherOnceItsMessagesWaitedTooLong()
    {
        var prefix = AzuriteFixture.UniquePrefix();
        var (worker, clients) = await NewInboxAsync(prefix);
        var engineTable = clients.Tables.GetTableClient(clients.Names.EngineTable);
        // A host that keeps its heartbeat but never reads (hung, or far behind).
        async Task SilentHeartbeatAsync() =>
            await engineTable.UpsertEntityAsync(new TableEntity("hosts", "silent"), cancellationToken: Ct);
        await SilentHeartbeatAsync();
        await worker.ReceiveAsync(1, Ct);
        Assert.Contains(" of 2:", worker.Ownership, StringComparison.Ordinal);
        var foreign = Enumerable.Range(0, 4).Except(OwnedBy(worker.Ownership)).First();
        var caseId = Enumerable.Range(0, 1000).Select(i => $"c-{i}").First(id => QueueInbox.ShardOf(id, 4) == foreign);
        await worker.SendAsync(new InboxMessage(caseId, "k", "{}"), cancellationToken: Ct);

        var first = await worker.ReceiveAsync(32, Ct);
        Assert.Empty(first); // not its shard, and not waiting long yet
        InboxLease? taken = null;
        for (var i = 0; i < 40 && taken is null; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), Ct);
            await SilentHeartbeatAsync();
            taken = (await worker.ReceiveAsync(32, Ct)).SingleOrDefault();
        }

        Assert.NotNull(taken);
        Assert.Equal(caseId, taken!.Message!.CaseId);
        Assert.Equal(foreign, taken.Shard);
        Assert.Contains(" of 2:", worker.Ownership, StringComparison.Ordinal); // the silent host still counts as alive
    }

    private static int[] OwnedBy(string ownership) =>
        [.. ownership[(ownership.IndexOf("shards ", StringComparison.Ordinal) + 7)..].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)];

    private async Task<(QueueInbox Inbox, StorageClients Clients)> NewInboxAsync(string prefix, TimeSpan? leaseTime = null)
    {
        var clients = new StorageClients(new StorageOptions { ConnectionString = azurite.ConnectionString, Prefix = prefix });
        await StorageProvisioner.EnsureCreatedAsync(clients, Ct);
        return (new QueueInbox(clients, TimeProvider.System, new EngineOptions { InboxShards = 4, LeaseTime = leaseTime ?? TimeSpan.FromSeconds(3) }), clients);
    }
}
