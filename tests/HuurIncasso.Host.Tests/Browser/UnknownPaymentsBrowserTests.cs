using System.Net.Http.Json;
using System.Text.Json;
using HuurIncasso.Host.Tests.Inputs;
using HuurIncasso.Testing;
using Microsoft.Playwright;
using static HuurIncasso.Host.Tests.Inputs.InputsFixtures;
using static Microsoft.Playwright.Assertions;

namespace HuurIncasso.Host.Tests.Browser;

public sealed class UnknownPaymentsBrowserTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Consultant_AssignsAnUnknownPayment_ItIsAppliedAndTheCaseCloses()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartHostAsync(azurite);
        (await host.SendAsync(LedgerUpload(Ledger), ct)).Dispose();
        var caseId = CaseIdOf("300103");
        await WaitForAsync(host, caseId, "Running", ct);
        (await host.SendAsync(Signed(Camt053(9, CreditWithoutReference("UNK-B", 800m, "P. Jansen", "NL18RABO0123459876")), "application/xml"), ct)).Dispose();
        await using var browser = await BrowserSession.StartAsync();
        var ans = await browser.LoginAsync(host, "ans");

        // The worklist says there is one, and leads to the screen.
        await Expect(ans.Locator("#onbekend")).ToContainTextAsync("€ 800,00");
        await ans.GetByRole(AriaRole.Link, new() { Name = "Onbekende betalingen toewijzen" }).ClickAsync();
        await Expect(ans.GetByRole(AriaRole.Heading, new() { Name = "Onbekende betalingen", Level = 1 })).ToBeVisibleAsync();
        await Expect(ans.GetByRole(AriaRole.Heading, new() { Name = "€ 800,00 ontvangen" })).ToBeVisibleAsync();
        await Expect(ans.GetByText("P. Jansen (NL18RABO0123459876)")).ToBeVisibleAsync();
        await Expect(ans.GetByText("voor mijn zoon")).ToBeVisibleAsync();
        await BrowserSession.ScreenshotAsync(ans, "onbekende-betalingen");

        // A number that is not a contract: a clear message, nothing assigned.
        await ans.GetByLabel("Contractnummer").FillAsync("999999");
        await ans.GetByRole(AriaRole.Button, new() { Name = "Toewijzen", Exact = true }).ClickAsync();
        await Expect(ans.Locator("p.message.error")).ToContainTextAsync("999999 staat niet in het contractregister");

        await ans.GetByLabel("Contractnummer").FillAsync("300103");
        await ans.GetByRole(AriaRole.Button, new() { Name = "Toewijzen", Exact = true }).ClickAsync();

        await Expect(ans.Locator("p.message")).ToContainTextAsync("toegewezen aan contract 300103");
        await Expect(ans.GetByText("Er zijn geen onbekende betalingen.")).ToBeVisibleAsync();
        await WaitForAsync(host, caseId, "Completed", ct);
        var payments = await host.Client.GetFromJsonAsync<JsonElement>("/api/contracts/300103/payments", ct);
        Assert.Equal("toegewezen door ans", Assert.Single(payments.EnumerateArray()).GetProperty("explanation").GetString());
    }

    private static async Task WaitForAsync(RunningHost host, string caseId, string status, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await host.Client.GetAsync($"/api/cases/{caseId}", ct);
            if (response.IsSuccessStatusCode && (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("status").GetString() == status)
            {
                return;
            }

            await Task.Delay(200, ct);
        }

        Assert.Fail($"{caseId} did not become {status} within 30 s.");
    }
}
