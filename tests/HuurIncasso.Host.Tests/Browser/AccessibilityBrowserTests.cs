using HuurIncasso.Host.Tests.Inputs;
using HuurIncasso.Testing;
using Microsoft.Playwright;
using static HuurIncasso.Host.Tests.Inputs.InputsFixtures;
using static HuurIncasso.Host.Tests.Web.AuthTests;
using static Microsoft.Playwright.Assertions;

namespace HuurIncasso.Host.Tests.Browser;

/// <summary>axe-core on the main screens (no serious or critical findings), and a form done by keyboard only.</summary>
public sealed class AccessibilityBrowserTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task MainScreens_HaveNoSeriousOrCriticalAxeViolations()
    {
        var ct = TestContext.Current.CancellationToken;
        // Visits first: the worklist has visits to plan, and the screenshot shows a working day.
        await using var host = await StartHostAsync(azurite, Web.VisitFirstPolicy.Argument());
        (await host.SendAsync(LedgerUpload(Ledger), ct)).Dispose();
        (await host.SendAsync(Signed(Camt053(5, CreditWithoutReference("UNK-A", 800m, "P. Jansen", "NL18RABO0123459876")), "application/xml"), ct)).Dispose();
        await OpenCaseAsync(host, "AX-1");
        var bram = await host.LoginAsync("bram");
        var until = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        (await CommandAsync(bram, "AX-1", "pause-request", new { commandId = "ax1-pause", pauseKind = "Complaint", until })).Dispose();
        await using var browser = await BrowserSession.StartAsync();
        var findings = new List<string>();

        async Task CheckAsync(IPage page, string screen)
        {
            findings.AddRange((await BrowserSession.AxeAsync(page)).Select(v => $"{screen}: {v}"));
        }

        var anonymous = await (await browser.Browser.NewContextAsync(new() { BaseURL = host.Address.ToString(), Locale = "nl-NL" })).NewPageAsync();
        await anonymous.GotoAsync("/inloggen");
        await CheckAsync(anonymous, "inloggen");

        var tess = await browser.LoginAsync(host, "tess");
        await Expect(tess.Locator("#huisbezoeken")).ToContainTextAsync("Lindelaan, 3532 AB Utrecht");
        await CheckAsync(tess, "werklijst");
        await BrowserSession.ScreenshotAsync(tess, "werklijst-huisbezoeken");
        await tess.GotoAsync("/zaken/AX-1");
        await Expect(tess.GetByRole(AriaRole.Heading, new() { Name = "Zaak AX-1" })).ToBeVisibleAsync();
        await CheckAsync(tess, "zaak");
        await BrowserSession.ScreenshotAsync(tess, "zaak-pauze-aangevraagd");
        await tess.GotoAsync("/goedkeuren");
        await CheckAsync(tess, "goedkeuren");
        await tess.GotoAsync("/betalingen/onbekend");
        await Expect(tess.GetByRole(AriaRole.Heading, new() { Name = "Onbekende betalingen", Level = 1 })).ToBeVisibleAsync();
        await CheckAsync(tess, "onbekende betalingen");
        await tess.GotoAsync("/dashboard");
        await CheckAsync(tess, "overzicht");

        Assert.True(findings.Count == 0, "axe-core found:\n" + string.Join("\n", findings));
    }

    [Fact]
    public async Task CallOutcome_ByKeyboardOnly_FromLoginToSaved()
    {
        await using var host = await RunningHost.StartAsync(azurite, "--Engine:IdlePollDelay=00:00:00.100");
        await OpenCaseAsync(host, "K-1");
        await using var browser = await BrowserSession.StartAsync();
        var page = await (await browser.Browser.NewContextAsync(new() { BaseURL = host.Address.ToString(), Locale = "nl-NL" })).NewPageAsync();

        await page.GotoAsync("/inloggen");
        await TabToAsync(page, "#naam");
        await page.Keyboard.TypeAsync("ans");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("ans-wachtwoord");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Werklijst" })).ToBeVisibleAsync();
        await page.GotoAsync("/zaken/K-1");
        await TabToAsync(page, "#call-ja");
        await page.Keyboard.PressAsync("Space");
        await TabToAsync(page, "#call-notitie");
        await page.Keyboard.TypeAsync("Per toetsenbord vastgelegd");
        await TabToAsync(page, "#call-opslaan");
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("p.message")).ToContainTextAsync("Opgeslagen");
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Gebeld en gesproken — Per toetsenbord vastgelegd" })).ToBeVisibleAsync();
    }

    /// <summary>Presses Tab until the element matching <paramref name="selector"/> has the focus (at most 150 times).</summary>
    private static async Task TabToAsync(IPage page, string selector)
    {
        for (var i = 0; i < 150; i++)
        {
            if (await page.EvaluateAsync<bool>("s => document.activeElement === document.querySelector(s)", selector))
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"{selector} cannot be reached with the Tab key.");
    }
}
