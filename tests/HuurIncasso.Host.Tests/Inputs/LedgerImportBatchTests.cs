using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using HuurIncasso.Azure.Engine;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Engine;
using HuurIncasso.Host.Inputs;
using HuurIncasso.Host.Web;
using HuurIncasso.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace HuurIncasso.Host.Tests.Inputs;

/// <summary>
/// The monthly import at a size where it runs in several chunks with batched writes: a file
/// imported twice, or run again after it stopped half-way, ends exactly as one clean import.
/// </summary>
public sealed class LedgerImportBatchTests(AzuriteFixture azurite)
{
    // Three chunks; every 80th contract in arrears (30 cases), every other of those leaving (15 departures), three bad rows.
    private const int Contracts = 2_400;
    private static readonly byte[] File = MakeFile(Contracts);

    [Fact]
    public async Task Import_SameFileTwice_SecondIsRecognisedAndChangesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ImportHost.StartAsync(azurite);

        var first = await host.Importer.ImportAsync(new MemoryStream(File), "grootboek-november.csv", ct);
        var register = await host.RegisterJsonAsync(ct);
        var contacts = await host.TenantRowsAsync(ct);
        var queued = await host.QueuedCountAsync(ct);
        var second = await host.Importer.ImportAsync(new MemoryStream(File), "kopie.csv", ct);

        Assert.Equal((Contracts, Contracts - 3, 3, 30, 15, 45), (first.Rows, first.Accepted, first.Rejected, first.CasesOpened, first.Departures, first.MessagesSent));
        Assert.NotNull(first.RejectionBlob);
        Assert.Equal(Contracts - 3, register.Count);
        Assert.Equal(30, contacts);
        Assert.Equal(45, queued);
        Assert.True(second.AlreadyProcessed);
        Assert.Equal(first.MessagesSent, second.MessagesSent);
        Assert.Equal(register, await host.RegisterJsonAsync(ct));
        Assert.Equal(contacts, await host.TenantRowsAsync(ct));
        Assert.Equal(queued, await host.QueuedCountAsync(ct));
    }

    [Fact]
    public async Task NextMonth_OneMessagePerRunningCase_TheEngineSpendsOneCommitAndOneQueueDeleteOnEach()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ImportHost.StartAsync(azurite);
        await host.Importer.ImportAsync(new MemoryStream(File), "oktober.csv", ct);
        await host.DrainAsync(ct);

        // A month on, the same 30 contracts are further behind: each running case gets one
        // message with its restatement, facts and (for the 15 leaving) departure.
        var month = await host.Importer.ImportAsync(new MemoryStream(MakeFile(Contracts, arrearsBalance: "1950,00")), "november.csv", ct);
        Assert.Equal((30, 30, 0), (month.MessagesSent, month.CasesRestated, month.CasesOpened));
        var before = host.TransactionsByCause();
        await host.DrainAsync(ct);
        var used = host.TransactionsByCause().ToDictionary(kv => kv.Key, kv => kv.Value - before.GetValueOrDefault(kv.Key));
        foreach (var (name, count) in used.Where(kv => kv.Value > 0))
        {
            TestContext.Current.TestOutputHelper!.WriteLine($"  {name,-44} {count,5}");
        }

        // The engine's own part: one commit and one queue delete per message; the state rows
        // are cached by this host, so no reads, and no queries.
        Assert.Equal(30, used["message: table batch"]);
        Assert.Equal(30, used["inbox: queue delete"]);
        Assert.Equal(0, used.GetValueOrDefault("message: table read"));
        Assert.Equal(0, used.GetValueOrDefault("message: table query"));
        // Effects cost what their handlers do, plus at most one batch per message to record them.
        Assert.InRange(used.GetValueOrDefault("effects.complete: table batch"), 1, 30);
        // And the month was applied: every case has the ledger's balance, the 15 leaving ones departed.
        var states = new List<CaseState>();
        foreach (var line in await host.CasesAsync(ct))
        {
            states.Add((await host.Engine.Client.GetStateAsync(line.Split(' ')[0], ct))!);
        }

        Assert.Equal(30, states.Count);
        Assert.All(states, st => Assert.Equal(1950m, st.Arrears - st.Credit));
        Assert.Equal(15, states.Count(st => st.DepartedOn is not null));
    }

    [Fact]
    public async Task Import_RunAgainAfterItsResultWasLost_WritesNoBatchAndSendsOnlyTheSameMessagesAgain()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ImportHost.StartAsync(azurite);
        var first = await host.Importer.ImportAsync(new MemoryStream(File), "grootboek.csv", ct);
        var messages = await host.QueuedMessagesAsync(ct);
        var register = await host.RegisterJsonAsync(ct);

        // As if the process died just before the result blob was written: the whole file runs again.
        await host.Imports.DeleteBlobAsync(LedgerImportService.ResultBlobName(first.FileHash), cancellationToken: ct);
        var batchesBefore = host.Transactions("table batch");
        var again = await host.Importer.ImportAsync(new MemoryStream(File), "grootboek.csv", ct);
        var batches = host.Transactions("table batch") - batchesBefore;
        var messagesAfter = await host.QueuedMessagesAsync(ct);

        Assert.False(again.AlreadyProcessed);
        Assert.Equal((first.Accepted, first.CasesOpened, first.MessagesSent), (again.Accepted, again.CasesOpened, again.MessagesSent));
        // The register and the contacts already held these facts: not one batch was written.
        Assert.Equal(0, batches);
        Assert.Equal(register, await host.RegisterJsonAsync(ct));
        Assert.Equal(30, await host.TenantRowsAsync(ct));
        // Each message twice, with the same key and body: the engine takes the second for a duplicate.
        Assert.Equal(messages.Concat(messages).Order(StringComparer.Ordinal), messagesAfter.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Import_CancelledHalfWay_RunAgainGoesOnFromItsProgressAndEndsAsOneCleanImport()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var clean = await ImportHost.StartAsync(azurite);
        var expected = await clean.Importer.ImportAsync(new MemoryStream(File), "grootboek.csv", ct);
        var expectedMessages = await clean.QueuedMessagesAsync(ct);

        await using var host = await ImportHost.StartAsync(azurite);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Cancelled at the 28th message sent: in the second chunk, the first holding 13 cases and 20 messages.
        // The storage meter reports each request as it leaves, so the cut falls at the same place every run.
        using (var listener = new MeterListener())
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "HuurIncasso.Storage") l.EnableMeasurementEvents(instrument);
            };
            listener.SetMeasurementEventCallback<long>((_, _, _, _) =>
            {
                if (host.Transactions("queue send") >= 28) stop.Cancel();
            });
            listener.Start();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.Importer.ImportAsync(new MemoryStream(File), "grootboek.csv", stop.Token));
        }

        var progress = (await host.Imports.GetBlobClient(LedgerImportService.ProgressBlobName(expected.FileHash)).DownloadContentAsync(ct)).Value.Content
            .ToObjectFromJson<LedgerImportProgress>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        var sentBeforeRerun = host.Transactions("queue send");

        var result = await host.Importer.ImportAsync(new MemoryStream(File), "grootboek.csv", ct);
        var messages = await host.QueuedMessagesAsync(ct);

        // The first chunk (1,000 good rows and the bad one among them) was done; the second was not.
        Assert.Equal((LedgerImportService.ChunkSize + 1, 20), (progress.Records, progress.Sent));
        Assert.InRange(sentBeforeRerun, 28, expected.MessagesSent - 1);
        Assert.False(await host.Imports.GetBlobClient(LedgerImportService.ProgressBlobName(expected.FileHash)).ExistsAsync(ct));
        // The counts carry over from the progress, so the result reads as one import.
        Assert.Equal(
            (expected.Rows, expected.Accepted, expected.Rejected, expected.CasesOpened, expected.Departures, expected.MessagesSent),
            (result.Rows, result.Accepted, result.Rejected, result.CasesOpened, result.Departures, result.MessagesSent));
        Assert.Equal(await clean.RegisterJsonAsync(ct), await host.RegisterJsonAsync(ct));
        Assert.Equal(await clean.TenantRowsAsync(ct), await host.TenantRowsAsync(ct));
        // Nothing lost; what the cut chunk had sent comes again as the same message with the same key.
        Assert.Equal(expectedMessages.Distinct().Order(StringComparer.Ordinal), messages.Distinct().Order(StringComparer.Ordinal));
        Assert.InRange(messages.Count, expectedMessages.Count, expectedMessages.Count + (int)sentBeforeRerun - 20);

        // And the engine makes of it exactly what it makes of the clean import.
        await clean.DrainAsync(ct);
        await host.DrainAsync(ct);
        var cases = await host.CasesAsync(ct);
        Assert.Equal(30, cases.Count);
        Assert.Equal(await clean.CasesAsync(ct), cases);
    }

    private static byte[] MakeFile(int contracts, string arrearsBalance = "1300,00")
    {
        var builder = new StringBuilder("contractnummer;huurder;adres;postcode;woonplaats;email;ingangsdatum;einddatum;objecttype;huur;saldo;automatische_incasso;machtigingskenmerk\n");
        for (var i = 0; i < contracts; i++)
        {
            var arrears = i % 80 == 7;
            var leaving = arrears && i % 160 == 7;
            // Three rows the import must refuse: an unreadable rent, a missing contract number, a bad date.
            var rent = i == 100 ? "veel" : "650,00";
            var contract = i == 1_500 ? "" : (400000 + i).ToString(CultureInfo.InvariantCulture);
            var start = i == 2_300 ? "31-02-2020" : "01-03-2018";
            builder.Append(CultureInfo.InvariantCulture,
                $"{contract};Huurder {i};Beukstraat {i % 200};3532 AB;Utrecht;h{i}@example.nl;{start};{(leaving ? "31-10-2026" : "")};woning;{rent};{(arrears ? arrearsBalance : "0,00")};{(i % 4 == 0 ? "ja" : "nee")};{(i % 4 == 0 ? $"MND-{i}" : "")}\n");
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    /// <summary>The host's services on a storage prefix of their own, not started: the test drives import and engine itself.</summary>
    private sealed class ImportHost : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly StorageClients _clients;
        private readonly AzureCaseEngine<CaseState, CaseMessage, CaseEvent> _engine;

        private ImportHost(WebApplication app)
        {
            _app = app;
            _clients = app.Services.GetRequiredService<StorageClients>();
            _engine = app.Services.GetRequiredService<AzureCaseEngine<CaseState, CaseMessage, CaseEvent>>();
            Importer = app.Services.GetRequiredService<LedgerImportService>();
            Imports = _clients.Blobs.GetBlobContainerClient(_clients.Names.ImportsContainer);
        }

        public LedgerImportService Importer { get; }

        public AzureCaseEngine<CaseState, CaseMessage, CaseEvent> Engine => _engine;

        public global::Azure.Storage.Blobs.BlobContainerClient Imports { get; }

        public static async Task<ImportHost> StartAsync(AzuriteFixture azurite)
        {
            var app = HuurIncassoWebHost.Build(
            [
                .. RunningHost.DemoCorporation,
                $"--Storage:ConnectionString={azurite.ConnectionString}",
                $"--Storage:Prefix={AzuriteFixture.UniquePrefix()}",
                "--Ledger:ScheduleEnabled=false",
            ]);
            var host = new ImportHost(app);
            await StorageProvisioner.EnsureCreatedAsync(host._clients, TestContext.Current.CancellationToken);
            return host;
        }

        public long Transactions(string operation) => _clients.Transactions.Snapshot().GetValueOrDefault(operation);

        public IReadOnlyDictionary<string, long> TransactionsByCause() => _clients.Transactions.SnapshotByCause();

        /// <summary>Every contract of the register as JSON, by contract id.</summary>
        public async Task<List<string>> RegisterJsonAsync(CancellationToken ct)
        {
            var entries = await _app.Services.GetRequiredService<ContractRegister>().ListAsync(ct);
            return [.. entries.OrderBy(e => e.ContractId, StringComparer.Ordinal).Select(e => JsonSerializer.Serialize(e))];
        }

        public async Task<int> TenantRowsAsync(CancellationToken ct)
        {
            var count = 0;
            await foreach (var _ in _clients.Tables.GetTableClient(_clients.Names.TenantsTable).QueryAsync<TableEntity>(select: ["PartitionKey"], cancellationToken: ct))
            {
                count++;
            }

            return count;
        }

        public async Task<int> QueuedCountAsync(CancellationToken ct) =>
            (await _clients.Queues.GetQueueClient(_clients.Names.InboxQueue).GetPropertiesAsync(ct)).Value.ApproximateMessagesCount;

        /// <summary>The inbox's messages (case, key, body), received and hidden for a minute, then made visible again.</summary>
        public async Task<List<string>> QueuedMessagesAsync(CancellationToken ct)
        {
            var queue = _clients.Queues.GetQueueClient(_clients.Names.InboxQueue);
            var messages = new List<string>();
            var received = new List<(string Id, string Receipt)>();
            while (true)
            {
                var batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1), ct)).Value;
                if (batch.Length == 0) break;
                foreach (var m in batch)
                {
                    Assert.True(InboxMessageCodec.TryDecode(m.Body.ToString(), out var message, out var error), error);
                    messages.Add($"{message!.CaseId} {message.IdempotencyKey} {message.Body}");
                    received.Add((m.MessageId, m.PopReceipt));
                }
            }

            foreach (var (id, receipt) in received)
            {
                await queue.UpdateMessageAsync(id, receipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: ct);
            }

            return messages;
        }

        /// <summary>Handles inbox messages until the inbox stays empty.</summary>
        public async Task DrainAsync(CancellationToken ct)
        {
            var empty = 0;
            while (empty < 2)
            {
                empty = await _engine.Processor.ProcessBatchAsync(ct) == 0 ? empty + 1 : 0;
            }
        }

        /// <summary>Every case with its status, stage and event count (the sequence): what a consultant or tenant could see change.</summary>
        public async Task<List<string>> CasesAsync(CancellationToken ct)
        {
            var records = await _engine.Client.ListAsync(new CaseQuery(Max: int.MaxValue), ct);
            return [.. records.Select(r => $"{r.CaseId} {r.Status} {r.Stage} {r.Sequence}").Order(StringComparer.Ordinal)];
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}
