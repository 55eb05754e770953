using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using HuurIncasso.Azure.Engine;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Host.Inputs;
using HuurIncasso.Host.Web;
using HuurIncasso.Integrations.Ledger;
using HuurIncasso.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HuurIncasso.Bench;

/// <summary>
/// The ERP's debtor export: reading it, and a whole month's processing on Azurite (register,
/// tenant directory, case messages into the inbox, then the engine draining the inbox), beside
/// the limit: the same number of raw batched table writes straight through the SDK.
/// </summary>
public static class LedgerBench
{
    /// <summary>The month sizes measured (`--ledger-rows 10000,50000`; the LEDGER_BENCH_SIZES variable also works).</summary>
    public static IReadOnlyList<int> RowCounts { get; set; } = Environment.GetEnvironmentVariable("LEDGER_BENCH_SIZES") is { Length: > 0 } sizes
        ? ParseRowCounts(sizes)
        : [10_000, 50_000];

    /// <summary>Month sizes written as "10000,50000".</summary>
    public static IReadOnlyList<int> ParseRowCounts(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture))];

    /// <summary>`--azurite-memory`: Azurite keeps everything in memory instead of writing its database out every 5 s.</summary>
    public static bool AzuriteInMemory { get; set; }

    /// <summary>`--drain-processors N`: processor loops side by side in the measured drain (default 1, as one host runs).</summary>
    public static int DrainProcessors { get; set; } = 1;

    public static IEnumerable<BenchResult> Run(int runs)
    {
        foreach (var result in Read(runs)) yield return result;
        foreach (var result in Process(runs)) yield return result;
    }

    private static IEnumerable<BenchResult> Read(int runs)
    {
        foreach (var rows in RowCounts)
        {
            var file = MonthOne(rows);
            var rates = new List<double>();
            var seconds = new List<double>();
            var heap = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var valid = 0;
                var (s, mib) = BenchReport.Measure(() =>
                {
                    using var reader = LedgerCsvReader.Open(new MemoryStream(file), "bench.csv");
                    foreach (var record in reader.ReadRecords())
                    {
                        if (record.IsValid) valid++;
                    }
                });
                if (valid != rows) throw new InvalidOperationException($"expected {rows} valid rows, read {valid}");
                seconds.Add(s);
                heap.Add(mib);
                rates.Add(rows / s);
            }

            yield return BenchReport.From($"ledger read, {rows:N0} rows", "s", seconds, $"{file.Length / 1024.0 / 1024.0:0.0} MiB file");
            yield return BenchReport.From($"ledger read, {rows:N0} rows", "rows/s", rates);
            yield return BenchReport.From($"ledger read, {rows:N0} rows, heap growth", "MiB", heap);
        }
    }

    private static IEnumerable<BenchResult> Process(int runs)
    {
        var sizes = RowCounts;
        var azurite = AzuriteFixture.StartAsync(AzuriteInMemory).GetAwaiter().GetResult();
        try
        {
            foreach (var rows in sizes)
            {
                var samples = new List<MonthSample>();
                for (var i = 0; i < runs; i++)
                {
                    var sample = MonthAsync(azurite, rows).GetAwaiter().GetResult();
                    Console.Error.WriteLine($"  {rows:N0} rows, run {i + 1}: {sample}");
                    samples.Add(sample);
                }

                var name = $"ledger month, {rows:N0} rows{(AzuriteInMemory ? " (Azurite in memory)" : "")}{(DrainProcessors > 1 ? $" ({DrainProcessors} drain loops)" : "")}";
                var last = samples[^1];
                yield return BenchReport.From($"{name}: import", "s", [.. samples.Select(s => s.ImportSeconds)],
                    $"{last.Messages:N0} messages ({last.Opened:N0} opened, {last.Restated:N0} restated, {last.Departures:N0} departures); {last.ImportOperations}");
                yield return BenchReport.From($"{name}: import", "rows/s", [.. samples.Select(s => rows / s.ImportSeconds)]);
                yield return BenchReport.From($"{name}: import transactions", "count", [.. samples.Select(s => (double)s.ImportTransactions)]);
                yield return BenchReport.From($"{name}: import peak heap", "MiB", [.. samples.Select(s => s.ImportPeakMiB)]);
                yield return BenchReport.From($"{name}: raw batched writes", "s", [.. samples.Select(s => s.RawSeconds)],
                    $"{rows:N0} entities, 100 per transaction, through TableClient");
                yield return BenchReport.From($"{name}: import / raw writes", "ratio", [.. samples.Select(s => s.ImportSeconds / s.RawSeconds)]);
                yield return BenchReport.From($"{name}: drain (engine)", "s", [.. samples.Select(s => s.DrainSeconds)], last.DrainOperations);
                yield return BenchReport.From($"{name}: drain (engine)", "messages/s", [.. samples.Select(s => s.Messages / s.DrainSeconds)]);
                yield return BenchReport.From($"{name}: drain transactions", "count", [.. samples.Select(s => (double)s.DrainTransactions)]);
                yield return BenchReport.From($"{name}: import + drain", "s", [.. samples.Select(s => s.ImportSeconds + s.DrainSeconds)]);
                yield return BenchReport.From($"ledger first month, {rows:N0} rows: import", "s", [.. samples.Select(s => s.FirstImportSeconds)], "into empty storage: every contract written");
            }
        }
        finally
        {
            azurite.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private sealed record MonthSample(
        double ImportSeconds, long ImportTransactions, string ImportOperations, double ImportPeakMiB,
        double DrainSeconds, long DrainTransactions, string DrainOperations,
        double RawSeconds, int Messages, int Opened, int Restated, int Departures, double FirstImportSeconds)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"first month import {FirstImportSeconds:0.0} s; import {ImportSeconds:0.0} s ({ImportTransactions} tx: {ImportOperations}), drain {DrainSeconds:0.0} s ({DrainTransactions} tx: {DrainOperations}), raw {RawSeconds:0.00} s, {Messages} messages, peak {ImportPeakMiB:0} MiB");
    }

    /// <summary>
    /// One month on a portfolio that already has cases: month one's file is imported and
    /// drained first (not measured), then month two's file is the measured month.
    /// </summary>
    private static async Task<MonthSample> MonthAsync(AzuriteFixture azurite, int rows)
    {
        string[] args =
        [
            "--Corporation:Name=Woonstichting Bench", "--Corporation:Street=Benchlaan 1", "--Corporation:PostalCode=3511 AA",
            "--Corporation:City=Utrecht", "--Corporation:Phone=030 000 00 00", "--Corporation:Email=bench@voorbeeld.example",
            "--Corporation:Iban=NL91ABNA0417164300", "--Documents:PdfSharpLicense=AGPL",
            $"--Storage:ConnectionString={azurite.ConnectionString}", $"--Storage:Prefix={AzuriteFixture.UniquePrefix()}",
            "--Ledger:ScheduleEnabled=false", "--Logging:LogLevel:Default=Warning",
        ];
        // Built, not started: the bench drives the engine itself, so import and drain are measured apart.
        await using var app = HuurIncassoWebHost.Build(args);
        var clients = app.Services.GetRequiredService<StorageClients>();
        await StorageProvisioner.EnsureCreatedAsync(clients).ConfigureAwait(false);
        var importer = app.Services.GetRequiredService<LedgerImportService>();
        var engine = app.Services.GetRequiredService<AzureCaseEngine<CaseState, CaseMessage, CaseEvent>>();

        var setup = Stopwatch.StartNew();
        await importer.ImportAsync(new MemoryStream(MonthOne(rows)), "maand-1.csv").ConfigureAwait(false);
        var firstImportSeconds = setup.Elapsed.TotalSeconds;
        Console.Error.WriteLine($"  {rows:N0} rows: month one imported in {firstImportSeconds:0.0} s; draining it (not measured, two processors) …");
        // Not measured: two processors side by side, as two hosts would, to get to month two sooner.
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => DrainAsync(engine))).ConfigureAwait(false);
        Console.Error.WriteLine($"  {rows:N0} rows: month one drained after {setup.Elapsed.TotalSeconds:0.0} s; importing month two …");

        var file = MonthTwo(rows);
        var before = clients.Transactions.Snapshot();
        var (importSeconds, peak, result) = await MeasureAsync(() => importer.ImportAsync(new MemoryStream(file), "maand-2.csv")).ConfigureAwait(false);
        if (result.Accepted != rows) throw new InvalidOperationException($"expected {rows} accepted rows, got {result.Accepted}: {string.Join("; ", result.Errors.Take(3))}");
        var afterImport = clients.Transactions.Snapshot();
        Console.Error.WriteLine($"  {rows:N0} rows: month two imported in {importSeconds:0.0} s; draining it ({DrainProcessors} processor loop(s)) …");

        var causesBefore = clients.Transactions.SnapshotByCause();
        using var effects = new EffectCounter();
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var azuriteCpu = azurite.ProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, DrainProcessors).Select(_ => DrainAsync(engine))).ConfigureAwait(false);
        var drainSeconds = stopwatch.Elapsed.TotalSeconds;
        var drainCpu = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var drainAzuriteCpu = (azurite.ProcessorTime - azuriteCpu).TotalSeconds;
        var afterDrain = clients.Transactions.Snapshot();
        var causes = clients.Transactions.SnapshotByCause();
        Console.Error.WriteLine($"  drain: {drainSeconds:0.0} s wall, {drainCpu:0.0} s CPU in the host, {drainAzuriteCpu:0.0} s CPU in Azurite; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; effects performed: {effects}");
        Console.Error.WriteLine("  drain transactions by cause:");
        foreach (var (key, count) in causes.Select(kv => (kv.Key, Count: kv.Value - causesBefore.GetValueOrDefault(kv.Key))).Where(x => x.Count > 0))
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {key,-48} {count,7} ({(double)count / result.MessagesSent:0.000} per message)"));
        }

        var rawSeconds = await RawBatchedWritesAsync(clients, rows).ConfigureAwait(false);
        return new MonthSample(
            importSeconds, Total(before, afterImport), Describe(before, afterImport), peak,
            drainSeconds, Total(afterImport, afterDrain), Describe(afterImport, afterDrain),
            rawSeconds, result.MessagesSent, result.CasesOpened, result.CasesRestated, result.Departures, firstImportSeconds);
    }

    /// <summary>Effects performed while it lives, by kind and status (the engine's "huurincasso.engine.effects" counter).</summary>
    private sealed class EffectCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

        public EffectCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == HuurIncasso.Engine.EngineTelemetry.Name && instrument.Name == "huurincasso.engine.effects")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? kind = null, status = null;
                foreach (var tag in tags)
                {
                    if (tag.Key == "kind") kind = tag.Value as string;
                    if (tag.Key == "status") status = tag.Value as string;
                }

                _counts.AddOrUpdate($"{kind} {status}", value, (_, n) => n + value);
            });
            _listener.Start();
        }

        public override string ToString() => string.Join(", ", _counts.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}"));

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>Handles inbox messages until the inbox stays empty (one processor, as one host would).</summary>
    private static async Task DrainAsync(AzureCaseEngine<CaseState, CaseMessage, CaseEvent> engine)
    {
        var inbox = engine.Clients.Queues.GetQueueClient(engine.Clients.Names.InboxQueue);
        while (true)
        {
            try
            {
                if (await engine.Processor.ProcessBatchAsync().ConfigureAwait(false) > 0) continue;
                // Empty for this processor; done when no message is left at all, also none hidden under a lease.
                if ((await inbox.GetPropertiesAsync().ConfigureAwait(false)).Value.ApproximateMessagesCount == 0) return;
                await Task.Delay(500).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is global::Azure.RequestFailedException or AggregateException or OperationCanceledException)
            {
                // An overloaded emulator times out now and then; the engine's own loop goes on the same way (the lease brings the message back).
                Console.Error.WriteLine($"  drain: {ex.GetType().Name}, going on");
            }
        }
    }

    /// <summary>The limit: <paramref name="rows"/> entities in batches of 100, four transactions at a time, into a fresh table.</summary>
    private static async Task<double> RawBatchedWritesAsync(StorageClients clients, int rows)
    {
        var table = clients.Tables.GetTableClient("raw" + Guid.NewGuid().ToString("N")[..12]);
        await table.CreateAsync().ConfigureAwait(false);
        var stopwatch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, rows).Chunk(100), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (chunk, ct) =>
        {
            var actions = chunk.Select(i => new TableTransactionAction(TableTransactionActionType.UpsertMerge, new TableEntity("contract", i.ToString("D8", CultureInfo.InvariantCulture))
            {
                ["ContractId"] = i.ToString(CultureInfo.InvariantCulture),
                ["Ledger"] = new string('x', 400),
            }));
            await table.SubmitTransactionAsync(actions, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
        var seconds = stopwatch.Elapsed.TotalSeconds;
        await table.DeleteAsync().ConfigureAwait(false);
        return seconds;
    }

    /// <summary>Seconds and the peak managed heap above the start (sampled every 20 ms) of an async action.</summary>
    private static async Task<(double Seconds, double PeakMiB, T Result)> MeasureAsync<T>(Func<Task<T>> action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var peak = baseline;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                try { await Task.Delay(20, stop.Token).ConfigureAwait(false); } catch (OperationCanceledException) { }
            }
        });
        var stopwatch = Stopwatch.StartNew();
        var result = await action().ConfigureAwait(false);
        stopwatch.Stop();
        await stop.CancelAsync().ConfigureAwait(false);
        await sampler.ConfigureAwait(false);
        peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
        return (stopwatch.Elapsed.TotalSeconds, (peak - baseline) / (1024.0 * 1024.0), result);
    }

    private static long Total(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        after.Sum(kv => kv.Value - before.GetValueOrDefault(kv.Key));

    private static string Describe(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        string.Join(", ", after.Select(kv => (kv.Key, Count: kv.Value - before.GetValueOrDefault(kv.Key))).Where(x => x.Count > 0).Select(x => $"{x.Key} {x.Count}"));

    private const string Header = "contractnummer;huurder;adres;postcode;woonplaats;email;geboortedatum;ingangsdatum;einddatum;objecttype;huur;saldo;openstaand_0_30;openstaand_31_60;automatische_incasso;machtigingskenmerk;iban\n";

    /// <summary>Month one: 5% of the contracts one or two rents behind.</summary>
    public static byte[] MonthOne(int rows) => MakeFile(rows, month: 1);

    /// <summary>
    /// Month two: of last month's arrears 40% paid (their cases close), 10% left (departed-tenant
    /// track), the rest still behind (restated); another 5% newly behind (opened).
    /// </summary>
    public static byte[] MonthTwo(int rows) => MakeFile(rows, month: 2);

    private static byte[] MakeFile(int rows, int month)
    {
        var builder = new StringBuilder(Header, rows * 160);
        var random = new Random(42);
        for (var i = 0; i < rows; i++)
        {
            var rent = 450 + random.Next(0, 45000) / 100m;
            var behindInMonthOne = random.Next(0, 100) < 5;
            var monthsOne = behindInMonthOne ? random.Next(1, 3) : 0;
            var fate = random.Next(0, 100);
            var newlyBehind = random.Next(0, 100) < 5;
            var months = month == 1 ? monthsOne
                : behindInMonthOne ? (fate < 40 ? 0 : monthsOne + 1)
                : newlyBehind ? 1 : 0;
            var departed = month == 2 && behindInMonthOne && fate >= 90;
            var balance = rent * months;
            var due0 = months > 0 ? rent : 0;
            var directDebit = random.Next(0, 100) < 75;
            builder.Append(Dutch($"{100000 + i};Huurder {i};Straat {i % 300};3532 AB;Utrecht;h{i}@example.nl;01-01-1980;01-01-2015;{(departed ? "30-09-2026" : "")};woning;{rent:0.00};{balance:0.00};{due0:0.00};{balance - due0:0.00};{(directDebit ? "ja" : "nee")};{(directDebit ? $"MND-{i}" : "")};NL91ABNA0417164300\n"));
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    // Amounts with a decimal comma, as a Dutch ERP writes them.
    private static string Dutch(FormattableString s) => s.ToString(CultureInfo.GetCultureInfo("nl-NL"));
}
