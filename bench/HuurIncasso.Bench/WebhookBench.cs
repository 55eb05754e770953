using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Payments;
using HuurIncasso.Engine;
using HuurIncasso.Host.Inputs;
using HuurIncasso.Host.Storage;
using HuurIncasso.Host.Web;
using HuurIncasso.Integrations.Banking;
using HuurIncasso.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace HuurIncasso.Bench;

/// <summary>
/// The bank webhook on loopback, the real host on the bench's Azurite: payments applied end to
/// end (first POST to the last PaymentApplied committed) for a burst of camt.053 statements and
/// of JSON events, and the webhook's latency at a steady, open-loop offered load.
/// </summary>
public static class WebhookBench
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const int Cases = 300;
    private const int BurstPayments = 1500;
    private const int PerDelivery = 10;
    private const double OfferedRate = 200;
    private static readonly TimeSpan SteadyFor = TimeSpan.FromSeconds(15);

    public static IEnumerable<BenchResult> Run(int runs) => RunAsync(runs).GetAwaiter().GetResult();

    private static async Task<IEnumerable<BenchResult>> RunAsync(int runs)
    {
        await using var azurite = await AzuriteFixture.StartAsync();
        var prefix = "wh" + Environment.ProcessId.ToString("x", CultureInfo.InvariantCulture) + "x";
        string[] args =
        [
            "--urls", "http://127.0.0.1:0", "--environment", "Bench",
            "--Logging:LogLevel:Default=Critical",
            $"--Storage:ConnectionString={azurite.ConnectionString}", $"--Storage:Prefix={prefix}",
            $"--Bank:WebhookSecrets:0={Secret}", "--Ledger:ScheduleEnabled=false", "--Engine:IdlePollDelay=00:00:00.050",
            "--Corporation:Name=Woonstichting Bench", "--Corporation:Street=Benchlaan 1", "--Corporation:PostalCode=3511 AA",
            "--Corporation:City=Utrecht", "--Corporation:Phone=030 000 00 00", "--Corporation:Email=bench@voorbeeld.example",
            "--Corporation:Iban=NL91ABNA0417164300", "--Documents:PdfSharpLicense=AGPL",
        ];
        var app = HuurIncassoWebHost.Build(args);
        await app.StartAsync();
        try
        {
            await app.Services.GetRequiredService<StorageReadiness>().WhenReadyAsync().WaitAsync(TimeSpan.FromSeconds(60));
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
            var caseIds = await OpenCasesAsync(app);
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10) }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
            var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(prefix + "cases");
            var counter = app.Services.GetRequiredService<StorageClients>().Transactions;

            var results = new List<BenchResult>();
            var round = 0;
            foreach (var format in new[] { "camt.053", "json" })
            {
                var rates = new List<double>();
                var postRates = new List<double>();
                var requests = new List<double>();
                var hostCpu = new List<double>();
                var azuriteCpu = new List<double>();
                var busy = new List<double>();
                for (var i = 0; i < Math.Min(runs, 3); i++)
                {
                    var before = Usage.Take(counter);
                    var (applied, posted) = await BurstAsync(client, table, caseIds, format, ++round);
                    var used = Usage.Take(counter) - before;
                    busy.Add(used.AzuriteCpu / used.Wall);
                    rates.Add(applied);
                    postRates.Add(posted);
                    requests.Add(used.Requests / (double)BurstPayments);
                    hostCpu.Add(used.HostCpu.TotalMilliseconds / BurstPayments);
                    azuriteCpu.Add(used.AzuriteCpu.TotalMilliseconds / BurstPayments);
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {format} burst: {applied:0} payments/s applied, {posted:0} payments/s answered, {used.Requests / (double)BurstPayments:0.0} storage requests/payment (webhook and engine), CPU per payment: host {used.HostCpu.TotalMilliseconds / BurstPayments:0.00} ms, Azurite {used.AzuriteCpu.TotalMilliseconds / BurstPayments:0.00} ms"));
                    Console.Error.WriteLine("    requests: " + string.Join(", ", used.ByOperation.Where(o => o.Value > 0).Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Key} {o.Value / (double)BurstPayments:0.00}"))));
                }

                results.Add(BenchReport.From($"webhook {format} burst, applied end to end", "payments/s", rates,
                    $"{BurstPayments} payments for {Cases} cases, {PerDelivery} per delivery, 8 deliveries at once; first POST to last PaymentApplied committed"));
                results.Add(BenchReport.From($"webhook {format} burst, answered", "payments/s", postRates));
                results.Add(BenchReport.From($"webhook {format} burst, storage requests", "per payment", requests, "webhook and engine together, from the first POST until the last payment was applied"));
                results.Add(BenchReport.From($"webhook {format} burst, host CPU", "ms/payment", hostCpu, "the bench process (host, engine and load generator)"));
                results.Add(BenchReport.From($"webhook {format} burst, Azurite CPU", "ms/payment", azuriteCpu));
                results.Add(BenchReport.From($"webhook {format} burst, Azurite busy", "cores", busy, "Azurite's CPU seconds per second of the burst: near 1 it is saturated (it runs on one thread)"));
            }

            foreach (var rate in new[] { 50.0, OfferedRate })
            {
                var p50 = new List<double>();
                var p99 = new List<double>();
                var failed = new List<double>();
                var steadyBusy = new List<double>();
                for (var i = 0; i < Math.Min(runs, 3); i++)
                {
                    var before = Usage.Take(counter);
                    var (median, tail, failures) = await SteadyAsync(client, caseIds, ++round, rate);
                    var used = Usage.Take(counter) - before;
                    p50.Add(median);
                    p99.Add(tail);
                    failed.Add(failures);
                    steadyBusy.Add(used.AzuriteCpu / used.Wall);
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  steady {rate:0}/s: p50 {median:0} ms, p99 {tail:0} ms, {failures} failed; Azurite busy {used.AzuriteCpu / used.Wall:0.00} cores, host {used.HostCpu / used.Wall:0.00} cores, {used.Requests / (rate * SteadyFor.TotalSeconds):0.0} storage requests per call while the calls ran"));
                    // Let the engine catch up before the next run, so runs do not carry each other's backlog.
                    await Task.Delay(5000);
                }

                var note = $"JSON event deliveries (1 payment each) offered open-loop at {rate:0}/s for {SteadyFor.TotalSeconds:0} s; latency from the scheduled send time";
                results.Add(BenchReport.From($"webhook at {rate:0} req/s, p50", "ms", p50, note));
                results.Add(BenchReport.From($"webhook at {rate:0} req/s, p99", "ms", p99));
                results.Add(BenchReport.From($"webhook at {rate:0} req/s, failed or timed out", "calls", failed));
                results.Add(BenchReport.From($"webhook at {rate:0} req/s, Azurite busy", "cores", steadyBusy));
            }
            return results;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Imports a ledger with <see cref="Cases"/> contracts in arrears and waits until their cases run and their first letters are out.</summary>
    private static async Task<List<string>> OpenCasesAsync(WebApplication app)
    {
        var builder = new StringBuilder("contractnummer;huurder;adres;postcode;woonplaats;ingangsdatum;objecttype;huur;saldo;automatische_incasso;betalingskenmerk\n");
        for (var i = 0; i < Cases; i++)
        {
            var id = 900000 + i;
            builder.Append(CultureInfo.InvariantCulture, $"{id};Huurder {i};Benchlaan {i};3532 AB;Utrecht;01-01-2015;woning;700,00;1400,00;nee;{Betalingskenmerk.Generate(id).Value}\n");
        }

        var result = await app.Services.GetRequiredService<LedgerImportService>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(builder.ToString())), "bench.csv");
        if (result.CasesOpened != Cases) throw new InvalidOperationException($"expected {Cases} cases opened, got {result.CasesOpened}: {string.Join("; ", result.Errors.Select(e => e.Message))}");
        var client = app.Services.GetRequiredService<CaseClient<CaseState, CaseMessage, CaseEvent>>();
        var deadline = Stopwatch.StartNew();
        while ((await client.ListAsync(new CaseQuery(HuurIncasso.Engine.CaseStatus.Running, null, int.MaxValue))).Count < Cases)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException("the bench's cases did not open within 10 minutes");
            await Task.Delay(500);
        }

        // Their reminders (letters, mails) are written while the cases open; let the last ones finish.
        await Task.Delay(3000);
        return [.. Enumerable.Range(0, Cases).Select(i => (900000 + i).ToString(CultureInfo.InvariantCulture))];
    }

    private static async Task<(double Applied, double Answered)> BurstAsync(HttpClient client, TableClient cases, List<string> contracts, string format, int round)
    {
        var payments = Enumerable.Range(0, BurstPayments).Select(i => (Key: $"r{round}-{i}", Contract: contracts[i % contracts.Count])).ToList();
        var bodies = payments.Chunk(PerDelivery).Select((chunk, n) => format == "json"
            ? (Json(chunk), "application/json")
            : (Camt053(round * 1000 + n, chunk), "application/xml")).ToList();
        var before = await CountAppliedAsync(cases, round);
        var start = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(bodies, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (b, ct) =>
        {
            using var response = await client.SendAsync(Signed(b.Item1, b.Item2), ct);
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"webhook answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        });
        var answered = BurstPayments / watch.Elapsed.TotalSeconds;
        DateTimeOffset last;
        while (true)
        {
            var (count, latest) = await CountAppliedAsync(cases, round);
            if (count - before.Count >= BurstPayments)
            {
                last = latest;
                break;
            }

            if (watch.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException($"only {count - before.Count} of {BurstPayments} payments applied after 5 minutes");
            // Each poll scans the whole cases table in Azurite, the resource under test: poll seldom (the end time comes from RecordedAt, not from the poll).
            await Task.Delay(2000);
        }

        return (BurstPayments / (last - start).TotalSeconds, answered);
    }

    /// <summary>Payments of this round committed so far, and when the latest was recorded.</summary>
    private static async Task<(int Count, DateTimeOffset Latest)> CountAppliedAsync(TableClient cases, int round)
    {
        var count = 0;
        var latest = DateTimeOffset.MinValue;
        await foreach (var row in cases.QueryAsync<TableEntity>("Type eq 'PaymentApplied'", select: ["RecordedAt", "CausedBy"]))
        {
            count++;
            var at = DateTimeOffset.Parse(row.GetString("RecordedAt")!, CultureInfo.InvariantCulture);
            if (at > latest) latest = at;
        }

        return (count, latest);
    }

    private static async Task<(double P50, double P99, int Failures)> SteadyAsync(HttpClient client, List<string> contracts, int round, double offered)
    {
        var total = (int)(offered * SteadyFor.TotalSeconds);
        var latencies = new ConcurrentBag<double>();
        var failures = 0;
        var interval = TimeSpan.FromSeconds(1 / offered);
        var watch = Stopwatch.StartNew();
        var inFlight = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = interval * i;
            var wait = due - watch.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
            var body = Json([($"s{round}-{i}", contracts[i % contracts.Count])]);
            inFlight.Add(Task.Run(async () =>
            {
                try
                {
                    using var response = await client.SendAsync(Signed(body, "application/json"));
                    if (response.StatusCode != HttpStatusCode.OK) Interlocked.Increment(ref failures);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // Refused or timed out (the client waits 60 s): counted, and its latency is the time it waited.
                    Interlocked.Increment(ref failures);
                }

                // From the time it should have been sent: a stalled sender shows as latency, not as a lower rate.
                latencies.Add((watch.Elapsed - due).TotalMilliseconds);
            }));
        }

        await Task.WhenAll(inFlight);
        var sorted = latencies.Order().ToArray();
        return (sorted[sorted.Length / 2], sorted[(int)Math.Ceiling(sorted.Length * 0.99) - 1], failures);
    }

    /// <summary>Storage requests so far (by operation) and CPU time of this process and of its children (Azurite).</summary>
    private sealed record Usage(long Requests, IReadOnlyDictionary<string, long> ByOperation, TimeSpan HostCpu, TimeSpan AzuriteCpu, TimeSpan Wall)
    {
        public static Usage Take(StorageTransactionCounter counter)
        {
            var byOperation = counter.Snapshot();
            using var self = Process.GetCurrentProcess();
            return new Usage(byOperation.Values.Sum(), byOperation, self.TotalProcessorTime, ChildrenCpu(), TimeSpan.FromTicks(Environment.TickCount64 * TimeSpan.TicksPerMillisecond));
        }

        public static Usage operator -(Usage after, Usage before) => new(
            after.Requests - before.Requests,
            after.ByOperation.ToDictionary(o => o.Key, o => o.Value - before.ByOperation.GetValueOrDefault(o.Key), StringComparer.Ordinal),
            after.HostCpu - before.HostCpu,
            after.AzuriteCpu - before.AzuriteCpu,
            after.Wall - before.Wall);

        // Linux only: user and system clock ticks of the direct children (the Azurite node process); zero elsewhere.
        private static TimeSpan ChildrenCpu()
        {
            long ticks = 0;
            try
            {
                foreach (var task in Directory.EnumerateDirectories($"/proc/{Environment.ProcessId}/task"))
                {
                    foreach (var child in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        var stat = File.ReadAllText($"/proc/{child}/stat");
                        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                        ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (IOException)
            {
                return TimeSpan.Zero;
            }
            catch (UnauthorizedAccessException)
            {
                return TimeSpan.Zero;
            }

            // USER_HZ is 100 on every Linux this runs on.
            return TimeSpan.FromMilliseconds(ticks * 10);
        }
    }

    private static string Json(IEnumerable<(string Key, string Contract)> payments) =>
        "[" + string.Join(",", payments.Select(p => JsonSerializer.Serialize(new
        {
            id = p.Key,
            bookingDate = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            amount = "1.00",
            direction = "credit",
            counterpartyName = "Huurder " + p.Contract,
            structuredReference = Betalingskenmerk.Generate(long.Parse(p.Contract, CultureInfo.InvariantCulture)).Value,
        }))) + "]";

    private static string Camt053(int sequence, IEnumerable<(string Key, string Contract)> payments)
    {
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var entries = string.Join("\n", payments.Select(p => $"""
            <Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>{today}</Dt></BookgDt><AcctSvcrRef>{p.Key}</AcctSvcrRef>
              <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
              <NtryDtls><TxDtls><AmtDtls><TxAmt><Amt Ccy="EUR">1.00</Amt></TxAmt></AmtDtls>
                <RltdPties><Dbtr><Nm>Huurder {p.Contract}</Nm></Dbtr></RltdPties>
                <RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>CUR</Issr></Tp><Ref>{Betalingskenmerk.Generate(long.Parse(p.Contract, CultureInfo.InvariantCulture)).Value}</Ref></CdtrRefInf></Strd></RmtInf>
              </TxDtls></NtryDtls></Ntry>
            """));
        return $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
              <GrpHdr><MsgId>BENCH-{sequence}</MsgId><CreDtTm>{today}T06:00:00+01:00</CreDtTm></GrpHdr>
              <Stmt><Id>BENCH-STMT-{sequence}</Id><ElctrncSeqNb>{sequence}</ElctrncSeqNb><CreDtTm>{today}T06:00:00+01:00</CreDtTm>
                <Acct><Id><IBAN>NL02ABNA0123456789</IBAN></Id><Ccy>EUR</Ccy></Acct>
                {entries}
              </Stmt></BkToCstmrStmt></Document>
            """;
    }

    private static HttpRequestMessage Signed(string body, string contentType)
    {
        var id = "msg_" + Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow;
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/bank/webhook") { Content = new StringContent(body, Encoding.UTF8, contentType) };
        request.Headers.Add(WebhookSignature.IdHeader, id);
        request.Headers.Add(WebhookSignature.TimestampHeader, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(id, now, body, Secret));
        return request;
    }
}
