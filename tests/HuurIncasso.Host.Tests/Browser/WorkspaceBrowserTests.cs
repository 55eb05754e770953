using System.Globalization;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Engine;
using HuurIncasso.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static HuurIncasso.Host.Tests.Web.AuthTests;
using static Microsoft.Playwright.Assertions;

namespace HuurIncasso.Host.Tests.Browser;

public sealed class WorkspaceBrowserTests(AzuriteFixture azurite)
{
    private static string Day(int fromToday) =>
        DateOnly.FromDateTime(DateTime.UtcNow).AddDays(fromToday).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Consultant_RecordsACallAndAgreesAnArrangement_TeamLeadApprovesAPause()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite, "--Engine:IdlePollDelay=00:00:00.100");
        var cases = host.Services.GetRequiredService<CaseClient<CaseState, CaseMessage, CaseEvent>>();
        await OpenCaseAsync(host, "B-1", balance: 1400m);
        await OpenCaseAsync(host, "B-2", balance: 700m);
        // A returned direct debit puts "contact opnemen" on the consultants' worklist.
        var reversal = new ReverseDirectDebit("bank:b1", DateOnly.FromDateTime(DateTime.UtcNow), 700m, "MD06") { MessageId = "bank:b1-r" };
        await cases.StartAsync("B-1", reversal.MessageId, reversal, ct);
        var bram = await host.LoginAsync("bram");
        (await CommandAsync(bram, "B-2", "pause-request", new { commandId = "b2-pause", pauseKind = "Deferral", until = Day(30) })).Dispose();
        await using var browser = await BrowserSession.StartAsync();

        // The consultant: worklist, case, call, arrangement.
        var ans = await browser.LoginAsync(host, "ans");
        await Expect(ans.Locator("#bellen").GetByRole(AriaRole.Link, new() { Name = "B-1" })).ToBeVisibleAsync();
        // Dutch money, never "2100.00": the returned debit put 700 back on the 1,400.
        await Expect(ans.Locator("#bellen")).ToContainTextAsync("€ 2.100,00");
        await Expect(ans.Locator("#goedkeuringen").GetByRole(AriaRole.Link, new() { Name = "B-2" })).ToBeVisibleAsync();
        await BrowserSession.ScreenshotAsync(ans, "werklijst");
        await ans.Locator("#bellen").GetByRole(AriaRole.Link, new() { Name = "B-1" }).ClickAsync();
        await Expect(ans.GetByRole(AriaRole.Heading, new() { Name = "Zaak B-1" })).ToBeVisibleAsync();
        await ans.Locator("#call-ja").CheckAsync();
        await ans.GetByLabel("Advies gegeven").First.CheckAsync();
        await ans.Locator("#call-notitie").FillAsync("Huurder kan vanaf volgende maand betalen");
        await ans.GetByRole(AriaRole.Button, new() { Name = "Gesprek opslaan" }).ClickAsync();
        await Expect(ans.Locator("p.message")).ToContainTextAsync("Opgeslagen");
        await Expect(ans.GetByRole(AriaRole.Cell, new() { Name = "Gebeld en gesproken — Huurder kan vanaf volgende maand betalen" })).ToBeVisibleAsync();
        await Expect(ans.GetByRole(AriaRole.Heading, new() { Name = "Open taken" })).Not.ToBeVisibleAsync();
        await ans.GetByText("Betalingsregeling", new() { Exact = true }).First.ClickAsync();
        await ans.GetByLabel("Aantal termijnen").FillAsync("4");
        await ans.GetByLabel("Eerste betaaldatum").FillAsync(Day(7));
        await ans.GetByRole(AriaRole.Button, new() { Name = "Regeling vastleggen" }).ClickAsync();
        await Expect(ans.Locator("p.message")).ToContainTextAsync("Regeling vastgelegd: 4 termijnen");
        await Expect(ans.GetByRole(AriaRole.Heading, new() { Name = "Betalingsregeling" })).ToBeVisibleAsync();
        await BrowserSession.ScreenshotAsync(ans, "zaak-met-regeling");
        Assert.DoesNotContain("\"type\"", await ans.ContentAsync(), StringComparison.Ordinal);

        // The team lead: approvals queue, approve the pause, the case stops escalating.
        var tess = await browser.LoginAsync(host, "tess");
        await tess.GetByRole(AriaRole.Link, new() { Name = "Goedkeuren" }).ClickAsync();
        await Expect(tess.GetByRole(AriaRole.Cell, new() { Name = "bram" })).ToBeVisibleAsync();
        await BrowserSession.ScreenshotAsync(tess, "goedkeuren");
        await tess.GetByRole(AriaRole.Link, new() { Name = "B-2" }).ClickAsync();
        await tess.GetByRole(AriaRole.Button, new() { Name = "Pauze goedkeuren" }).ClickAsync();
        await Expect(tess.Locator("p.message")).ToContainTextAsync("pauze");
        await Expect(tess.GetByText("Pauze: er volgen geen stappen.")).ToBeVisibleAsync();
        await BrowserSession.ScreenshotAsync(tess, "zaak-op-pauze");
        var paused = await cases.GetAsync("B-2", includeTimeline: false, ct);
        Assert.Equal("paused", paused!.Case.Stage);

        // The approval task left the worklist with the decision; the case is no longer waiting for one.
        await tess.GetByRole(AriaRole.Link, new() { Name = "Werklijst" }).ClickAsync();
        await Expect(tess.Locator("#goedkeuringen")).Not.ToContainTextAsync("B-2");
        await tess.GetByRole(AriaRole.Link, new() { Name = "Overzicht" }).ClickAsync();
        await Expect(tess.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await BrowserSession.ScreenshotAsync(tess, "overzicht");
    }

    [Fact]
    public async Task LoginPage_IsReadableAndLabelled()
    {
        await using var host = await RunningHost.StartAsync(azurite);
        await using var browser = await BrowserSession.StartAsync();
        var page = await (await browser.Browser.NewContextAsync(new() { BaseURL = host.Address.ToString() })).NewPageAsync();

        await page.GotoAsync("/");

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/inloggen"));
        await Expect(page.GetByLabel("Naam")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Wachtwoord")).ToHaveAttributeAsync("type", "password");
        Assert.Equal("nl", await page.Locator("html").GetAttributeAsync("lang"));
        await BrowserSession.ScreenshotAsync(page, "inloggen");
    }
}
