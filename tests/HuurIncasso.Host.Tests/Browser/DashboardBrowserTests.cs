using System.Net;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Figures;
using HuurIncasso.Engine;
using HuurIncasso.Host.Inputs;
using HuurIncasso.Host.Reports;
using HuurIncasso.Integrations.Ledger;
using HuurIncasso.Integrations.Reports;
using HuurIncasso.Integrations.Tests.Outputs;
using HuurIncasso.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static HuurIncasso.Host.Tests.Web.AuthTests;
using static Microsoft.Playwright.Assertions;

namespace HuurIncasso.Host.Tests.Browser;

/// <summary>The dashboard of the policy's figures and the report downloads, through the real host.</summary>
public sealed class DashboardBrowserTests(AzuriteFixture azurite)
{
    /// <summary>Six contracts, four in arrears (one departed), and last month's report written.</summary>
    private static async Task<(RunningHost Host, ReportMonth LastMonth)> StartWithFiguresAsync(AzuriteFixture azurite)
    {
        var ct = TestContext.Current.CancellationToken;
        var host = await RunningHost.StartAsync(azurite);
        var register = host.Services.GetRequiredService<ContractRegister>();
        await register.UpsertLedgerAsync(
        [
            .. new[] { ("D-1", true), ("D-2", false), ("D-3", true), ("D-4", true), ("D-5", true), ("D-6", false) }.Select(c =>
                (Samples.LedgerContract(c.Item1, 700m, c.Item2, start: new DateOnly(2015, 1, 1)), (string?)null)),
        ], ct);
        await OpenCaseAsync(host, "D-1", balance: 700m);
        await OpenCaseAsync(host, "D-2", balance: 1400m);
        await OpenCaseAsync(host, "D-3", balance: 2100m);
        await OpenCaseAsync(host, "D-4", balance: 900m);
        var cases = host.Services.GetRequiredService<CaseClient<CaseState, CaseMessage, CaseEvent>>();
        var departure = new RecordTenantDeparture(DateOnly.FromDateTime(DateTime.UtcNow)) { MessageId = "ledger:D-4:vertrek" };
        await cases.StartAsync("D-4", departure.MessageId, departure, ct);
        var lastMonth = host.Services.GetRequiredService<MonthlyFiguresService>().CurrentMonth.AddMonths(-1);
        await host.Services.GetRequiredService<MonthlyReportWriter>().WriteAsync(lastMonth, ct);
        return (host, lastMonth);
    }

    [Fact]
    public async Task TeamLead_OpensTheDashboard_SeesFiguresAgainstTargetsChartsAndReports()
    {
        var (host, lastMonth) = await StartWithFiguresAsync(azurite);
        await using var _ = host;
        await using var browser = await BrowserSession.StartAsync();
        var tess = await browser.LoginAsync(host, "tess");

        await tess.GetByRole(AriaRole.Link, new() { Name = "Overzicht" }).ClickAsync();

        await Expect(tess.GetByRole(AriaRole.Heading, new() { Name = "Doelen" })).ToBeVisibleAsync();
        // Three current tenants in arrears this month: 700 + 1,400 + 2,100 = 4,200, on average 1,400 (over the 1,200 target).
        var tenants = tess.GetByRole(AriaRole.Row).Filter(new() { Has = tess.GetByRole(AriaRole.Rowheader, new() { Name = "Zittende huurders met achterstand" }) });
        await Expect(tenants.GetByRole(AriaRole.Cell).Nth(1)).ToContainTextAsync("3");
        await Expect(tenants.GetByRole(AriaRole.Cell).Nth(1)).ToContainTextAsync("gehaald");
        var average = tess.GetByRole(AriaRole.Row).Filter(new() { Has = tess.GetByRole(AriaRole.Rowheader, new() { Name = "Gemiddelde achterstand zittende huurders" }) });
        await Expect(average.GetByRole(AriaRole.Cell).Nth(1)).ToContainTextAsync("€ 1.400,00");
        await Expect(average.GetByRole(AriaRole.Cell).Nth(1)).ToContainTextAsync("✗ niet gehaald");
        await Expect(average.GetByRole(AriaRole.Cell).Nth(2)).ToHaveTextAsync("hoogstens € 1.200");
        // A chart per target, named for a screen reader.
        await Expect(tess.GetByRole(AriaRole.Img, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Zittende huurders met achterstand, ") })).ToBeVisibleAsync();
        Assert.Equal(8, await tess.Locator("figure svg[role=img]").CountAsync());
        await Expect(tess.GetByRole(AriaRole.Link, new() { Name = $"rapport (HTML) {lastMonth.DutchName}" })).ToBeVisibleAsync();
        Assert.DoesNotContain("\"type\"", await tess.ContentAsync(), StringComparison.Ordinal);
        await BrowserSession.ScreenshotAsync(tess, "dashboard");

        // The report opens from the link, with its own charts.
        await tess.GetByRole(AriaRole.Link, new() { Name = $"rapport (HTML) {lastMonth.DutchName}" }).ClickAsync();
        await Expect(tess.GetByRole(AriaRole.Heading, new() { Name = $"Kengetallen huurincasso – {lastMonth.DutchName}" })).ToBeVisibleAsync();
        await BrowserSession.ScreenshotAsync(tess, "maandrapport");
    }

    [Fact]
    public async Task Downloads_TeamLeadGetsTheFiles_ConsultantAndOddNamesDoNot()
    {
        var ct = TestContext.Current.CancellationToken;
        var (host, lastMonth) = await StartWithFiguresAsync(azurite);
        await using var _ = host;
        var tess = await host.LoginAsync("tess");
        var ans = await host.LoginAsync("ans");

        using var csv = await tess.GetAsync($"/rapportages/{lastMonth}/kengetallen.csv", ct);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"kengetallen-{lastMonth}.csv", csv.Content.Headers.ContentDisposition?.FileNameStar ?? csv.Content.Headers.ContentDisposition?.FileName);
        var rows = KpiCsv.Read(await csv.Content.ReadAsStreamAsync(ct));
        Assert.Equal(12 * Kpis.All.Length, rows.Count);

        using var html = await tess.GetAsync($"/rapportages/{lastMonth}/kengetallen.html", ct);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", html.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        using var svg = await tess.GetAsync($"/rapportages/{lastMonth}/huurders_met_achterstand.svg", ct);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);

        // A consultant sees the dashboard but not the files: the host sends them to "geen toegang".
        using var denied = await ans.GetAsync($"/rapportages/{lastMonth}/kengetallen.csv", ct);
        Assert.Equal("/geen-toegang", denied.RequestMessage!.RequestUri!.AbsolutePath);
        var page = await ans.GetStringAsync("/dashboard", ct);
        Assert.Contains("Teamleiders en beheerders kunnen de maandrapporten downloaden.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("/rapportages/", page, StringComparison.Ordinal);

        // Only the names the job writes.
        foreach (var odd in new[] { $"/rapportages/{lastMonth}/portefeuille.json", "/rapportages/2026-13/kengetallen.csv", $"/rapportages/{lastMonth}/..%2F..%2Fletters", "/rapportages/1999-01/kengetallen.csv" })
        {
            using var response = await tess.GetAsync(odd, ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }
}
