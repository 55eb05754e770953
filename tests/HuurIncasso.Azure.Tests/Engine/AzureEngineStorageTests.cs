using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using HuurIncasso.Azure.Engine;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Engine;
using HuurIncasso.Testing;
using HuurIncasso.Testing.Engine;

namespace HuurIncasso.Azure.Tests.Engine;

/// <summary>What only the Azure engine has to prove: storage layout, queue behaviour, costs.</summary>
public sealed class AzureEngineStorageTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Commit_LaysOutOnePartitionPerCase_WithStateEventsOutboxAndMarker()
    {
        await using var h = await AzureEngineHarness.CreateAsync(azurite);
        await h.Client.StartAsync("case-a", "n1", new Notify("hallo"), Ct);
        await h.Client.StartAsync("case-a", "n2", new Notify("weer"), Ct);

        var table = h.Azure.Clients.Tables.GetTableClient(h.Azure.Clients.Names.CasesTable);
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: Ct))
        {
            rows.Add(row);
        }

        Assert.All(rows, r => Assert.Equal("case-a", r.PartitionKey));
        Assert.Equal(
            ["evt-0000000001", "evt-0000000002", "msg-n1", "msg-n2", "out-0000000001-000", "out-0000000002-000", "parked", "state"],
            rows.Select(r => r.RowKey).Order(StringComparer.Ordinal));
        var state = rows.Single(r => r.RowKey == "state");
        Assert.Equal(2, state.GetInt64("Sequence"));
        Assert.Equal("v1", state.GetString("WorkflowVersion"));
        Assert.All(rows.Where(r => r.RowKey.StartsWith("out-", StringComparison.Ordinal)), r => Assert.Equal("Done", r.GetString("Status")));
    }

    [Fact]
    public async Task Commit_PayloadLargerThanARowProperty_GoesToBlobAndReadsBack()
    {
        await using var h = await AzureEngineHarness.CreateAsync(azurite);
        var text = new string('x', 100_000);
        await h.Client.StartAsync("case-big", "n1", new Notify(text), Ct);

        var notified = Assert.IsType<Notified>(Assert.Single(await h.Client.GetEventsAsync("case-big", Ct)));
        Assert.Equal(text, notified.Text);
        Assert.Equal("notify:" + text, h.Mail.Sent.Single().Value);
        var container = h.Azure.Clients.Blobs.GetBlobContainerClient(h.Azure.Clients.Names.PayloadsContainer);
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(cancellationToken: Ct))
        {
            names.Add(blob.Name);
        }

        Assert.Contains(names, n => n.StartsWith("case-big/evt-0000000001-", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("case-big/out-0000000001-000-", StringComparison.Ordinal));

        await h.Client.TerminateAsync("case-big", "test", "tester", Ct);
        Assert.True(await h.Client.PurgeAsync("case-big", Ct));
        await foreach (var _ in container.GetBlobsAsync(cancellationToken: Ct))
        {
            Assert.Fail("purge left a payload blob behind");
        }
    }

    [Fact]
    public async Task Inbox_MessageTextOnTheQueue_IsBase64AsHostJsonSays()
    {
        await using var h = await AzureEngineHarness.CreateAsync(azurite);
        await h.Client.SendAsync("case-b", "d1", new Deposit(1m), cancellationToken: Ct);

        var raw = new QueueClient(azurite.ConnectionString, h.Azure.Clients.Names.InboxQueue); // no decoding
        var peeked = (await raw.PeekMessageAsync(Ct)).Value;
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(peeked.Body.ToString()));
        Assert.Contains("\"caseId\":\"case-b\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inbox_LeaseRunsOut_MessageIsDeliveredAgainAndTheOldReceiptNoLongerDeletes()
    {
        // Azurite issue 2343 reports trouble with redelivery: prove it here instead of assuming it.
        await using var h = await AzureEngineHarness.CreateAsync(azurite, new EngineOptions { LeaseTime = TimeSpan.FromSeconds(1) });
        await h.Client.SendAsync("case-c", "d1", new Deposit(1m), cancellationToken: Ct);
        var first = Assert.Single(await h.Inbox.ReceiveAsync(1, Ct));
        Assert.Equal(1, first.DequeueCount);
        Assert.Empty(await h.Inbox.ReceiveAsync(1, Ct));

        await Task.Delay(TimeSpan.FromSeconds(1.6), Ct);
        var second = Assert.Single(await h.Inbox.ReceiveAsync(1, Ct));
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(2, second.DequeueCount);

        await h.Inbox.CompleteAsync(first, Ct); // stale receipt: must not delete (and must not throw)
        await Task.Delay(TimeSpan.FromSeconds(1.6), Ct);
        var third = Assert.Single(await h.Inbox.ReceiveAsync(1, Ct));
        Assert.Equal(3, third.DequeueCount);

        var renewed = await h.Inbox.RenewAsync(third, Ct);
        Assert.NotEqual(third.Receipt, renewed.Receipt);
        await h.Inbox.CompleteAsync(renewed, Ct);
        await Task.Delay(TimeSpan.FromSeconds(1.6), Ct);
        Assert.Empty(await h.Inbox.ReceiveAsync(1, Ct));
    }

    [Fact]
    public async Task Processor_HandlingLongerThanTheLease_RenewsItSoNoOtherConsumerGetsTheMessage()
    {
        var options = new EngineOptions { LeaseTime = TimeSpan.FromSeconds(2) };
        var clients = new StorageClients(new StorageOptions { ConnectionString = azurite.ConnectionString, Prefix = AzuriteFixture.UniquePrefix() });
        await StorageProvisioner.EnsureCreatedAsync(clients, Ct);
        var workflow = new AccountWorkflow();
        var engine = new AzureCaseEngine<AccountState, AccountMessage, AccountEvent>(clients, workflow, [], TimeProvider.System, options);
        await engine.Client.StartAsync("case-slow", "d", new Deposit(1m), Ct);
        await engine.Client.SendAsync("case-slow", "slow", new Slow(4.5), cancellationToken: Ct);

        var handling = Task.Run(() => engine.Processor.ProcessBatchAsync(Ct), Ct);
        await Task.Delay(TimeSpan.FromSeconds(3), Ct); // past the first lease
        Assert.Empty(await engine.Inbox.ReceiveAsync(1, Ct)); // renewed: still hidden
        Assert.Equal(1, await handling);
        await Task.Delay(TimeSpan.FromSeconds(2.5), Ct);
        Assert.Empty(await engine.Inbox.ReceiveAsync(1, Ct)); // completed with the renewed receipt
        Assert.True(clients.Transactions.Snapshot().GetValueOrDefault("queue update") >= 1);
    }

    [Fact]
    public async Task Timer_IndexRowWrittenThroughOutbox_AndRemovedWhenSwept()
    {
        await using var h = await AzureEngineHarness.CreateAsync(azurite);
        await h.Client.StartAsync("case-t", "r1", new Remind(3600), Ct);
        var due = h.Clock.GetUtcNow().AddHours(1);
        var timers = h.Azure.Clients.Tables.GetTableClient(h.Azure.Clients.Names.TimersTable);
        var row = Assert.Single(timers.Query<TableEntity>(cancellationToken: Ct));
        Assert.Equal("case-t", row.GetString("CaseId"));
        Assert.Empty(await h.Timers.ListDueAsync(due.AddTicks(-1), 10, Ct));
        Assert.Equal(new DueTimer("case-t", due), Assert.Single(await h.Timers.ListDueAsync(due, 10, Ct)));

        h.Clock.Advance(TimeSpan.FromHours(1));
        await h.RunUntilIdleAsync(Ct);
        Assert.Empty(timers.Query<TableEntity>(cancellationToken: Ct));
        Assert.Equal(1, (await h.Client.GetStateAsync("case-t", Ct))!.RemindersSent);
    }

    [Fact]
    public async Task Transactions_PerHandledMessage_OneCommitPlusQueueCalls()
    {
        // Cost on Azure is per storage transaction. On the common path (case state cached,
        // no effects) one message costs: one batch commit, one queue delete, and a share of
        // one receive per batch of up to 32.
        await using var h = await AzureEngineHarness.CreateAsync(azurite);
        const int Cases = 10, PerCase = 20;
        for (var c = 0; c < Cases; c++)
        {
            await h.Client.StartAsync($"case-{c}", "open", new Deposit(1m), Ct); // warms the cache, as a running host has it
        }

        for (var i = 0; i < PerCase; i++)
        {
            for (var c = 0; c < Cases; c++)
            {
                await h.Client.SendAsync($"case-{c}", $"d{i}", new Deposit(1m), cancellationToken: Ct);
            }
        }

        var counter = h.Azure.Clients.Transactions;
        var perMessage = new System.Collections.Concurrent.ConcurrentBag<long>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == EngineTelemetry.Name && instrument.Name == "huurincasso.engine.message.storage_requests") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => perMessage.Add(value));
        listener.Start();
        var before = counter.Snapshot();
        await h.RunUntilIdleAsync(Ct);
        var after = counter.Snapshot();
        listener.Dispose();
        var used = after.ToDictionary(kv => kv.Key, kv => kv.Value - before.GetValueOrDefault(kv.Key));
        const int Messages = Cases * PerCase;
        var output = TestContext.Current.TestOutputHelper!;
        output.WriteLine($"Storage transactions for {Messages} messages:");
        foreach (var (name, count) in used.Where(kv => kv.Value > 0))
        {
            output.WriteLine($"  {name,-14} {count,5}  ({(double)count / Messages:0.00} per message)");
        }

        output.WriteLine("  (table queries are the idle sweeps of timers and pending effects, not per message)");
        output.WriteLine($"  total          {used.Values.Sum(),5}  ({(double)used.Values.Sum() / Messages:0.00} per message)");
        Assert.Equal(Messages, used["table batch"]); // exactly one commit per message: no conflicts, no reloads
        Assert.Equal(Messages, used["queue delete"]);
        Assert.Equal(0, used.GetValueOrDefault("table read")); // the cached state row made reads unnecessary
        // The metric says the same, message by message (other tests running meanwhile may add their own).
        Assert.True(perMessage.Count(v => v == 2) >= Messages, $"{perMessage.Count(v => v == 2)} messages recorded 2 storage requests");
        Assert.Equal(Cases * (PerCase + 1), (await h.Client.ListAsync(new HuurIncasso.Engine.CaseQuery(), Ct)).Sum(r => r.Sequence));
    }

    [Fact]
    public async Task Transactions_OpeningNewCases_OneCommitPerCaseNoReadNoQuery()
    {
        // A message that opens a case this process has not seen is committed without reading the
        // (absent) state row first, and the commit's parked flag tells that nothing was parked
        // for the case, so no query for parked messages follows. A case with a parked message
        // costs one more commit and the query, and its message is released.
        await using var h = await AzureEngineHarness.CreateAsync(azurite);
        const int Cases = 20;
        await h.Client.SendAsync("case-parked", "w1", new Withdraw(2m), cancellationToken: Ct);
        await h.RunUntilIdleAsync(Ct);
        for (var c = 0; c < Cases; c++)
        {
            await h.Client.SendAsync($"case-{c}", "open", new Deposit(5m), cancellationToken: Ct);
        }

        var counter = h.Azure.Clients.Transactions;
        var before = counter.SnapshotByCause();
        await h.RunUntilIdleAsync(Ct);
        var used = counter.SnapshotByCause().ToDictionary(kv => kv.Key, kv => kv.Value - before.GetValueOrDefault(kv.Key));
        foreach (var (name, count) in used.Where(kv => kv.Value > 0))
        {
            TestContext.Current.TestOutputHelper!.WriteLine($"  {name,-40} {count,5}");
        }

        Assert.Equal(Cases, used["message: table batch"]);
        Assert.Equal(0, used.GetValueOrDefault("message: table read"));
        Assert.Equal(0, used.GetValueOrDefault("message: table query"));
        Assert.Equal(Cases, used["inbox: queue delete"]);

        await h.Client.SendAsync("case-parked", "open", new Deposit(5m), cancellationToken: Ct);
        before = counter.SnapshotByCause();
        await h.RunUntilIdleAsync(Ct);
        used = counter.SnapshotByCause().ToDictionary(kv => kv.Key, kv => kv.Value - before.GetValueOrDefault(kv.Key));
        Assert.Equal(3m, (await h.Client.GetStateAsync("case-parked", Ct))!.Balance);
        Assert.Empty((await h.Client.GetAsync("case-parked", cancellationToken: Ct))!.Parked);
        // The opening commit failed on the flag and went again; the released withdrawal is one more commit.
        Assert.Equal(3, used["message: table batch"]);
        Assert.Equal(1, used["message: table query"]);
    }

    [Fact]
    public async Task Open_MessageParkedByAVersionWithoutTheParkedFlag_IsStillReleased()
    {
        // Written as the engine wrote parked messages before the flag existed: the row alone.
        await using var h = await AzureEngineHarness.CreateAsync(azurite);
        var parked = new InboxMessage("case-old", "w1", h.Engine.Serializer.SerializeMessage(new Withdraw(2m)));
        var table = h.Azure.Clients.Tables.GetTableClient(h.Azure.Clients.Names.CasesTable);
        await table.AddEntityAsync(new TableEntity("case-old", "park-w1") { ["Message"] = InboxMessageCodec.Encode(parked) }, Ct);

        await h.Client.SendAsync("case-old", "open", new Deposit(5m), cancellationToken: Ct);
        await h.RunUntilIdleAsync(Ct);

        Assert.Equal(3m, (await h.Client.GetStateAsync("case-old", Ct))!.Balance);
        Assert.Empty((await h.Client.GetAsync("case-old", cancellationToken: Ct))!.Parked);
    }
}
