using System.Text;
using HuurIncasso.Azure.Engine;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Figures;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Engine;
using HuurIncasso.Host.Cases;
using HuurIncasso.Host.Inputs;
using HuurIncasso.Host.Reports;
using HuurIncasso.Integrations.Documents;
using HuurIncasso.Integrations.Ledger;
using HuurIncasso.Integrations.Reports;
using HuurIncasso.Integrations.Tests.Outputs;
using HuurIncasso.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HuurIncasso.Host.Tests.Reports;

/// <summary>
/// Cases walked through January-March 2026 on the real case engine on Azurite with a virtual
/// clock (no workers: only the messages below happen), then the monthly-figures job writes
/// the March report. The expected figures are worked out by hand in the comments.
/// </summary>
public sealed class MonthlyReportTests(AzuriteFixture azurite)
{
    private static readonly ReportMonth January = new(2026, 1);
    private static readonly ReportMonth March = new(2026, 3);

    /// <summary>10:00 in Amsterdam (winter time) on the day.</summary>
    private static DateTimeOffset At(int month, int day) => new(2026, month, day, 10, 0, 0, TimeSpan.FromHours(1));

    [Fact]
    public async Task Job_ThreeMonthsOfCases_WritesHtmlCsvAndChartsWithTheExpectedFigures()
    {
        var ct = TestContext.Current.CancellationToken;
        var w = await World.StartAsync(azurite, ct);
        await w.WalkThroughFirstQuarterAsync(ct);

        var summary = await w.RunJobAsync(ct);

        Assert.Equal("report 2026-03: 10 files in rapportages/2026-03/", summary);
        var names = await w.Documents.ListAsync("rapportages/2026-03/", ct);
        string[] expected =
        [
            .. Kpis.All.Where(k => k.TargetIn(w.Targets) is not null).Select(k => $"rapportages/2026-03/{k.Code}.svg"),
            "rapportages/2026-03/kengetallen.csv", "rapportages/2026-03/kengetallen.html", "rapportages/2026-03/portefeuille.json",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), names);

        var rows = KpiCsv.Read((await w.Documents.ReadAsync("rapportages/2026-03/kengetallen.csv", ct))!.ToStream());
        decimal? Value(ReportMonth month, KpiId id) => rows.Single(r => r.Month == month.ToString() && r.Code == Kpis.Of(id).Code).Value;

        // Jan: K1 800 + K2 1,200. Feb: K1 1,600 (K2 paid). Mar: K3 700 (K1 departed).
        Assert.Equal([2m, 1m, 1m], new[] { January, January.AddMonths(1), March }.Select(m => Value(m, KpiId.TenantsInArrears)));
        Assert.Equal([2000m, 1600m, 700m], new[] { January, January.AddMonths(1), March }.Select(m => Value(m, KpiId.ArrearsCurrent)));
        Assert.Equal([1000m, 1600m, 700m], new[] { January, January.AddMonths(1), March }.Select(m => Value(m, KpiId.AverageArrearsCurrent)));
        // K1 departed on 1 March with 1,600.
        Assert.Equal(1600m, Value(March, KpiId.AverageArrearsDeparted));
        // Yearly rent Jan/Feb: (800 + 600 + 700 + 900) × 12 = 36,000; March without K1 (ended 1 March): 26,400.
        // 2,000 / 36,000 = 5.56 %; 1,600 / 36,000 = 4.44 %; 700 / 26,400 = 2.65 %.
        Assert.Equal([5.56m, 4.44m, 2.65m], new[] { January, January.AddMonths(1), March }.Select(m => Value(m, KpiId.ArrearsPercentOfYearlyRent)));
        // Direct debit: K2 and K4 of four contracts, then of three.
        Assert.Equal([50m, 50m, 66.67m], new[] { January, January.AddMonths(1), March }.Select(m => Value(m, KpiId.DirectDebitShare)));
        // December 2025: no case yet, the four contracts already ran.
        Assert.Equal(0m, Value(new ReportMonth(2025, 12), KpiId.TenantsInArrears));
        Assert.Equal(0m, Value(new ReportMonth(2025, 12), KpiId.ArrearsPercentOfYearlyRent));
        Assert.Null(Value(new ReportMonth(2025, 12), KpiId.AverageArrearsCurrent));

        // The CSV read back is exactly the figures computed from storage.
        var computed = await w.Figures.ComputeAsync(March, ct);
        Assert.Equal(12, computed.Length);
        Assert.Equal(KpiCsv.Rows(computed).Select(Tuple), rows.Select(Tuple));
    }

    [Fact]
    public async Task Csv_OpensInDutchExcel_BomSemicolonDecimalComma()
    {
        var ct = TestContext.Current.CancellationToken;
        var w = await World.StartAsync(azurite, ct);
        await w.WalkThroughFirstQuarterAsync(ct);
        await w.RunJobAsync(ct);

        var bytes = (await w.Documents.ReadAsync("rapportages/2026-03/kengetallen.csv", ct))!.ToArray();

        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Equal("maand;peildatum;code;kengetal;waarde;eenheid;norm;doel;doel_vanaf;gehaald", lines[0]);
        Assert.Contains("2026-03;2026-03-31;achterstand_pct_jaarhuur;Achterstand in % van de jaarhuur;2,65;procent;hoogstens;1,35;;nee", lines);
        Assert.Contains("2026-03;2026-03-31;automatische_incasso_pct;Huurders met automatische incasso;66,67;procent;minstens;90;2028;nog niet", lines);
        Assert.Contains("2026-03;2026-03-31;achterstand_zittend;Achterstand zittende huurders;700;euro;;;;", lines);
        // 12 months × every figure, a header and the final line break.
        Assert.Equal((12 * Kpis.All.Length) + 2, lines.Length);
    }

    [Fact]
    public async Task HtmlAndCharts_AreStandaloneDutchAndAccessible()
    {
        var ct = TestContext.Current.CancellationToken;
        var w = await World.StartAsync(azurite, ct);
        await w.WalkThroughFirstQuarterAsync(ct);
        await w.RunJobAsync(ct);

        var html = (await w.Documents.ReadAsync("rapportages/2026-03/kengetallen.html", ct))!.ToString();
        var svg = (await w.Documents.ReadAsync("rapportages/2026-03/huurders_met_achterstand.svg", ct))!.ToString();

        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"nl\">", html, StringComparison.Ordinal);
        Assert.Contains("<h1>Kengetallen huurincasso – maart 2026</h1>", html, StringComparison.Ordinal);
        Assert.Contains("Woonstichting Test", html, StringComparison.Ordinal);
        // Every target has its chart inline; the report fetches nothing and runs nothing.
        Assert.Equal(Kpis.All.Count(k => k.TargetIn(w.Targets) is not null), CountOf(html, "<svg "));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.Ordinal);
        Assert.Contains("✗ niet gehaald", html, StringComparison.Ordinal);
        Assert.Contains("nog niet (doel geldt vanaf 2028)", html, StringComparison.Ordinal);

        Assert.Contains("role=\"img\"", svg, StringComparison.Ordinal);
        Assert.Contains("<title id=\"huurders_met_achterstand-title\">Zittende huurders met achterstand, april 2025 tot en met maart 2026</title>", svg, StringComparison.Ordinal);
        Assert.Contains("maart 2026 1", svg, StringComparison.Ordinal);
        Assert.Contains("doel 1.000", svg, StringComparison.Ordinal);
        var parsed = System.Xml.Linq.XDocument.Parse(svg);
        Assert.Equal("svg", parsed.Root!.Name.LocalName);
    }

    [Fact]
    public async Task Job_SameMonthTwice_SameBlobsWithTheSameBytes_EvenAfterTheRegisterChanged()
    {
        var ct = TestContext.Current.CancellationToken;
        var w = await World.StartAsync(azurite, ct);
        await w.WalkThroughFirstQuarterAsync(ct);
        await w.RunJobAsync(ct);
        var first = await w.ReadAllAsync(ct);

        // April: K4 stops paying by direct debit. The report divides by the counts frozen in the first run.
        await w.Register.UpsertLedgerAsync([(Contract("K4", 900m, directDebit: false), null)], ct);
        await w.RunJobAsync(ct);
        var second = await w.ReadAllAsync(ct);

        Assert.Equal(first.Keys, second.Keys);
        Assert.All(first, f => Assert.Equal(f.Value, second[f.Key]));
        // Each month of the trend has its frozen counts: April 2025 to March 2026.
        Assert.Equal(12, first.Keys.Count(k => k.EndsWith("/portefeuille.json", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ReadAllEvents_OneScan_SameAsReadingEachCase()
    {
        var ct = TestContext.Current.CancellationToken;
        var w = await World.StartAsync(azurite, ct);
        await w.WalkThroughFirstQuarterAsync(ct);

        var scanned = new List<(string CaseId, IReadOnlyList<CaseEvent> Events)>();
        await foreach (var c in w.Engine.Client.ReadAllEventsAsync(ct))
        {
            scanned.Add(c);
        }

        Assert.Equal(["K1-2026-01", "K2-2026-01", "K3-2026-03"], scanned.Select(c => c.CaseId));
        foreach (var (caseId, events) in scanned)
        {
            var one = await w.Engine.Client.GetEventsAsync(caseId, ct);
            // As JSON: events hold immutable arrays, which compare by reference.
            Assert.Equal(one.Select(Json), events.Select(Json));
            Assert.NotEmpty(events);
        }
    }

    private static (string, DateOnly, string, string, decimal?, string, string, decimal?, int?, string) Tuple(KpiCsvRow r) =>
        (r.Month, r.MeasuredOn, r.Code, r.Name, r.Value, r.Unit, r.Direction, r.Target, r.TargetFromYear, r.Met);

    private static string Json(CaseEvent e) => System.Text.Json.JsonSerializer.Serialize(e, CaseJson.Options);

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private static LedgerRow Contract(string id, decimal rent, bool directDebit, DateOnly? end = null) =>
        Samples.LedgerContract(id, rent, directDebit, end: end);

    /// <summary>The engine, register, documents and report job on one storage prefix, with a virtual clock.</summary>
    private sealed class World
    {
        private World(StorageClients clients, FakeTimeProvider time)
        {
            Time = time;
            var catalog = PolicyCatalog.LoadFiles([RepositoryRoot.Path("policy", "default.yaml")]);
            Targets = catalog.Versions[0].Kpis;
            var kinds = new[] { "tenantMessage", "personTask", "partnerReferral", "handoverDossier", "agencyUpdate", "ledgerPosting", "recollection", "cancelOpenTasks", "exportRecord" };
            Engine = new AzureCaseEngine<CaseState, CaseMessage, CaseEvent>(
                clients, new ArrearsCaseWorkflow(catalog, time), [.. kinds.Select(k => (IEffectHandler)new Ignore(k))], time, new EngineOptions(), ArrearsCaseWorkflow.CreateSerializer());
            Register = new ContractRegister(clients);
            Documents = new DocumentStore(clients);
            Figures = new MonthlyFiguresService(Engine.Client, Register, Documents, catalog, time);
            Writer = new MonthlyReportWriter(Figures, Documents, Options.Create(new CorporationOptions { Name = "Woonstichting Test" }));
        }

        public FakeTimeProvider Time { get; }

        public KpiTargets Targets { get; }

        public AzureCaseEngine<CaseState, CaseMessage, CaseEvent> Engine { get; }

        public ContractRegister Register { get; }

        public DocumentStore Documents { get; }

        public MonthlyFiguresService Figures { get; }

        public MonthlyReportWriter Writer { get; }

        public static async Task<World> StartAsync(AzuriteFixture azurite, CancellationToken ct)
        {
            var clients = new StorageClients(new StorageOptions { ConnectionString = azurite.ConnectionString, Prefix = AzuriteFixture.UniquePrefix() });
            await StorageProvisioner.EnsureCreatedAsync(clients, ct);
            return new World(clients, new FakeTimeProvider(At(1, 5)));
        }

        public async Task WalkThroughFirstQuarterAsync(CancellationToken ct)
        {
            await Register.UpsertLedgerAsync(
            [
                (Contract("K1", 800m, directDebit: false, end: new DateOnly(2026, 3, 1)), null),
                (Contract("K2", 600m, directDebit: true), null),
                (Contract("K3", 700m, directDebit: false), null),
                (Contract("K4", 900m, directDebit: true), null),
            ], ct);

            Time.SetUtcNow(At(1, 5));
            await SendAsync("K1-2026-01", Open("K1-2026-01", 800m, 800m, new DateOnly(2026, 1, 1)), ct);
            await SendAsync("K2-2026-01", Open("K2-2026-01", 600m, 1200m, new DateOnly(2025, 12, 1)), ct);
            Time.SetUtcNow(At(2, 3));
            await SendAsync("K1-2026-01", new ChargeRent(new DateOnly(2026, 2, 1), 800m) { MessageId = "rent:K1:2026-02" }, ct);
            Time.SetUtcNow(At(2, 20));
            await SendAsync("K2-2026-01", new ReceivePayment("bank:k2", new DateOnly(2026, 2, 20), 1200m, ByDirectDebit: false) { MessageId = "bank:k2" }, ct);
            Time.SetUtcNow(At(3, 4));
            await SendAsync("K3-2026-03", Open("K3-2026-03", 700m, 700m, new DateOnly(2026, 3, 1)), ct);
            await SendAsync("K1-2026-01", new RecordTenantDeparture(new DateOnly(2026, 3, 1)) { MessageId = "ledger:K1:vertrek" }, ct);
        }

        public Task<string> RunJobAsync(CancellationToken ct)
        {
            // The schedule's occurrence: 1 April 07:00 in Amsterdam (summer time) reports March.
            Time.SetUtcNow(new DateTimeOffset(2026, 4, 1, 7, 0, 0, TimeSpan.FromHours(2)));
            return new MonthlyFiguresJob(Writer).RunAsync(Time.GetUtcNow(), ct);
        }

        public async Task<Dictionary<string, string>> ReadAllAsync(CancellationToken ct)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var name in await Documents.ListAsync(ReportNames.Root, ct))
            {
                result[name] = Convert.ToBase64String((await Documents.ReadAsync(name, ct))!.ToArray());
            }

            return result;
        }

        private static OpenCase Open(string caseId, decimal rent, decimal balance, DateOnly oldestDue)
        {
            var contract = caseId[..2];
            return new(caseId, contract, "T-" + contract, rent, "WON", new DateOnly(2015, 6, 1), DirectDebit: false, LateMonthsInLast12: 0, balance, oldestDue)
            { MessageId = $"ledger:{contract}:open" };
        }

        private async Task SendAsync(string caseId, CaseMessage message, CancellationToken ct) =>
            await Engine.Client.StartAsync(caseId, message.MessageId, message, ct);
    }

    private sealed class Ignore(string kind) : IEffectHandler
    {
        public string Kind => kind;

        public Task HandleAsync(Effect effect, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
