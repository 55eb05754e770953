using System.Diagnostics;
using Azure.Data.Tables;
using HuurIncasso.Azure.Engine;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Engine;
using HuurIncasso.Testing;
using HuurIncasso.Testing.Engine;

namespace HuurIncasso.Azure.Tests.Engine;

/// <summary>
/// The engine in real processes on Azurite: competing hosts, hosts killed with SIGKILL,
/// poison messages. Each test has its own storage prefix.
/// </summary>
public sealed class MultiProcessEngineTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ITestOutputHelper Output => TestContext.Current.TestOutputHelper!;

    // Several queues, each host preferring its own: the way to run more than one host.
    private const int Shards = 4;

    [Fact]
    public async Task TwoHosts_2000MessagesFor200Cases_EachAppliedOnce_EventsGapFree_EveryMailSentOnce()
    {
        var (prefix, engine) = await NewStorageAsync(Shards);
        var workload = Workload.Create(cases: 200, perCase: 10, seed: 1);
        var expected = await workload.ExpectedStatesAsync(Ct);
        await SendAsync(engine, workload.Messages);

        var watch = Stopwatch.StartNew();
        await using var first = EngineHostProcess.Start(azurite, prefix, "--shards", $"{Shards}");
        await using var second = EngineHostProcess.Start(azurite, prefix, "--shards", $"{Shards}");
        await Task.WhenAll(first.WaitReadyAsync(Ct), second.WaitReadyAsync(Ct));
        await WaitUntilDoneAsync(engine, expected, TimeSpan.FromSeconds(300), [first, second]);
        Output.WriteLine($"2 hosts handled {workload.Messages.Count} messages for 200 cases in {watch.Elapsed.TotalSeconds:0.0} s.");
        Output.WriteLine($"host 1 storage transactions: {first.LastStats}");
        Output.WriteLine($"host 2 storage transactions: {second.LastStats}");

        await VerifyExactlyOnceAsync(engine, prefix, workload);
    }

    [Fact]
    public async Task Crash_HostsKilledWithSigkillAtRandomPoints_EndAsAnUninterruptedRun()
    {
        var (prefix, engine) = await NewStorageAsync(Shards);
        var workload = Workload.Create(cases: 125, perCase: 20, seed: 2);
        var expected = await workload.ExpectedStatesAsync(Ct);
        var waves = workload.Messages.Chunk((workload.Messages.Count / 24) + 1).ToList();
        var random = new Random(7);
        string[] settings = ["--lease-seconds", "3", "--shards", $"{Shards}"];
        var hosts = new[] { EngineHostProcess.Start(azurite, prefix, settings), EngineHostProcess.Start(azurite, prefix, settings) };
        var kills = 0;
        var watch = Stopwatch.StartNew();
        try
        {
            await Task.WhenAll(hosts.Select(h => h.WaitReadyAsync(Ct)));
            foreach (var wave in waves)
            {
                await SendAsync(engine, wave);
                var victim = kills % 2;
                await hosts[victim].WaitReadyAsync(Ct); // so that it dies at work, not while starting
                await Task.Delay(random.Next(100, 600), Ct);
                hosts[victim].Kill();
                kills++;
                await hosts[victim].DisposeAsync();
                hosts[victim] = EngineHostProcess.Start(azurite, prefix, settings);
            }

            Assert.True(kills >= 20, $"only {kills} kills");
            await WaitUntilDoneAsync(engine, expected, TimeSpan.FromSeconds(300), hosts);
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }

        Output.WriteLine($"{kills} SIGKILLs while handling {workload.Messages.Count} messages and their timers; done in {watch.Elapsed.TotalSeconds:0.0} s.");
        await VerifyExactlyOnceAsync(engine, prefix, workload);
    }

    [Fact]
    public async Task Poison_InARealHost_PoisonedAfterMaxDeliveries_CaseKeepsWorking_RequeueAfterFixAppliesOnce()
    {
        var (prefix, engine) = await NewStorageAsync();
        var client = engine.Client;
        await client.SendAsync("acc-p", "d1", new Deposit(10m), cancellationToken: Ct);
        await client.SendAsync("acc-p", "boom", new Explode(), cancellationToken: Ct);
        await client.SendAsync("acc-p", "d2", new Deposit(5m), cancellationToken: Ct);

        PoisonedMessage? poisoned = null;
        await using (var host = EngineHostProcess.Start(azurite, prefix, "--max-deliveries", "3"))
        {
            await host.WaitReadyAsync(Ct);
            await WaitForAsync(async () =>
            {
                poisoned = (await client.ListPoisonedAsync(cancellationToken: Ct)).SingleOrDefault();
                return poisoned is not null && (await client.GetStateAsync("acc-p", Ct))?.Balance == 15m;
            }, TimeSpan.FromSeconds(30), host.Output);
            host.Kill();
        }

        Assert.Equal(3, poisoned!.Attempts);
        Assert.Equal("acc-p", poisoned.CaseId);
        Assert.Contains("not defused", poisoned.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await client.GetStateAsync("acc-p", Ct))!.Explosions);

        // The fix: a host that can handle it. Requeue, and it is applied exactly once.
        await using var fixedHost = EngineHostProcess.Start(azurite, prefix, "--defused");
        await fixedHost.WaitReadyAsync(Ct);
        Assert.True(await client.RequeuePoisonedAsync(poisoned.Id, Ct));
        Assert.False(await client.RequeuePoisonedAsync(poisoned.Id, Ct));
        await WaitForAsync(async () => (await client.GetStateAsync("acc-p", Ct))!.Explosions == 1, TimeSpan.FromSeconds(30), fixedHost.Output);
        await client.SendAsync("acc-p", "boom", new Explode(), cancellationToken: Ct); // the same key again: a duplicate
        await client.SendAsync("acc-p", "d3", new Deposit(1m), cancellationToken: Ct);
        await WaitForAsync(async () => (await client.GetStateAsync("acc-p", Ct))!.Balance == 16m, TimeSpan.FromSeconds(30), fixedHost.Output);
        Assert.Equal(1, (await client.GetStateAsync("acc-p", Ct))!.Explosions);
        Assert.Empty(await client.ListPoisonedAsync(cancellationToken: Ct));
    }

    private async Task<(string Prefix, AzureCaseEngine<AccountState, AccountMessage, AccountEvent> Engine)> NewStorageAsync(int shards = 1)
    {
        var prefix = AzuriteFixture.UniquePrefix();
        var clients = new StorageClients(new StorageOptions { ConnectionString = azurite.ConnectionString, Prefix = prefix });
        await StorageProvisioner.EnsureCreatedAsync(clients, Ct);
        await clients.Tables.GetTableClient(prefix + "sent").CreateIfNotExistsAsync(Ct);
        return (prefix, new AzureCaseEngine<AccountState, AccountMessage, AccountEvent>(clients, new AccountWorkflow(), [], TimeProvider.System, new EngineOptions { InboxShards = shards }));
    }

    private static Task SendAsync(AzureCaseEngine<AccountState, AccountMessage, AccountEvent> engine, IEnumerable<(string CaseId, string Key, AccountMessage Message)> messages) =>
        Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Ct }, async (m, ct) =>
            await engine.Client.SendAsync(m.CaseId, m.Key, m.Message, cancellationToken: ct));

    private static async Task WaitUntilDoneAsync(AzureCaseEngine<AccountState, AccountMessage, AccountEvent> engine, Dictionary<string, string> expected, TimeSpan timeout, IReadOnlyList<EngineHostProcess> hosts)
    {
        var differing = expected.Count;
        await WaitForAsync(async () =>
        {
            var actual = (await engine.Client.ListAsync(new CaseQuery(Max: 100_000), Ct)).ToDictionary(r => r.CaseId, r => Workload.Normalize(r.State));
            differing = expected.Count(kv => !actual.TryGetValue(kv.Key, out var state) || state != kv.Value);
            return differing == 0
                && actual.Count == expected.Count
                && (await engine.Store.ListPendingEffectsAsync(DateTimeOffset.UtcNow.AddDays(1), 1, Ct)).Count == 0;
        }, timeout, () => $"{differing} cases differ from the uninterrupted run.\n" + string.Join("\n---\n", hosts.Select(h => h.Output)));
    }

    private static Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string log) => WaitForAsync(condition, timeout, () => log);

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> log)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > timeout)
            {
                Assert.Fail($"Not done within {timeout.TotalSeconds} s. {log()}");
            }

            await Task.Delay(500, Ct);
        }
    }

    private async Task VerifyExactlyOnceAsync(AzureCaseEngine<AccountState, AccountMessage, AccountEvent> engine, string prefix, Workload workload)
    {
        var mailEffects = new HashSet<string>(StringComparer.Ordinal);
        foreach (var byCase in workload.Messages.GroupBy(m => m.CaseId))
        {
            var events = await engine.Store.ReadEventsAsync(byCase.Key, Ct);
            Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence)); // gap-free
            var byMessage = events.Where(e => !e.CausedBy.StartsWith("timer-", StringComparison.Ordinal)).GroupBy(e => e.CausedBy).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(byCase.Select(m => m.Key).Order(), byMessage.Keys.Order()); // every message applied ...
            Assert.All(byMessage, kv => Assert.Equal(1, kv.Value)); // ... exactly once
            Assert.Equal(byCase.Count(m => m.Message is Remind), events.Count(e => e.Type == nameof(ReminderSent)));

            var effects = await engine.Store.ReadEffectsAsync(byCase.Key, Ct);
            Assert.All(effects, e => Assert.Equal(EffectStatus.Done, e.Status));
            foreach (var mail in effects.Where(e => e.Kind == "mail"))
            {
                Assert.True(mailEffects.Add(mail.Id));
            }
        }

        var sent = engine.Clients.Tables.GetTableClient(prefix + "sent");
        var mails = new List<TableEntity>();
        await foreach (var row in sent.QueryAsync<TableEntity>(cancellationToken: Ct))
        {
            mails.Add(row);
        }

        Assert.Equal(workload.ExpectedMails, mailEffects.Count);
        Assert.Equal(mailEffects.Order(StringComparer.Ordinal), mails.Select(m => m.RowKey).Order(StringComparer.Ordinal)); // every mail sent, none twice
        Assert.Equal(mails.Count, mails.Select(m => (m.PartitionKey, m.GetString("Payload"))).Distinct().Count()); // no mail under a second effect id
        Assert.Empty(await engine.Client.ListPoisonedAsync(cancellationToken: Ct));
        Output.WriteLine($"{workload.Messages.Count} messages applied exactly once; {mails.Count} mails sent, each once.");
    }
}
