using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using HuurIncasso.Integrations.Tenants;
using HuurIncasso.Testing;
using Microsoft.Extensions.DependencyInjection;
using static HuurIncasso.Host.Tests.Web.AuthTests;

namespace HuurIncasso.Host.Tests.Outputs;

/// <summary>Without a SendGrid key mails are captured; the case page lists them with the letters, and a consultant can read them.</summary>
public sealed partial class CaseDocumentsUiTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task CasePage_ListsTheLetterAndTheCapturedMail_BothCanBeOpened()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite, "--Engine:IdlePollDelay=00:00:00.100");
        await host.Services.GetRequiredService<ITenantDirectory>().SetAsync(
            new TenantContact("D-1", "D-1", "J. de Vries", "Lindelaan 12", "3511 XY", "Utrecht", "j.devries@example.org", "06 12345678", new DateOnly(1980, 3, 4)), ct);
        // Forty days late: the reminder (mail and letter) is due the moment the case opens.
        await OpenCaseAsync(host, "D-1");
        var ans = await host.LoginAsync("ans");

        var documents = await ans.GetFromJsonAsync<JsonElement>("/api/cases/D-1/documents", ct);
        var page = await ans.GetStringAsync("/zaken/D-1", ct);

        var letter = Assert.Single(documents.GetProperty("letters").EnumerateArray());
        Assert.Equal("herinnering", letter.GetProperty("template").GetString());
        var mail = Assert.Single(documents.GetProperty("mails").EnumerateArray());
        Assert.True(mail.GetProperty("captured").GetBoolean());
        Assert.Contains("Documenten", page, StringComparison.Ordinal);
        var pdfLink = WebUtility.HtmlDecode(PdfLink().Match(page).Groups[1].Value);
        var mailLink = WebUtility.HtmlDecode(MailLink().Match(page).Groups[1].Value);
        Assert.Equal($"/api/cases/D-1/documents/{letter.GetProperty("document").GetString()}", pdfLink);
        Assert.Equal($"/zaken/D-1/mails/{mail.GetProperty("messageKey").GetString()}", mailLink);

        using var pdf = await ans.GetAsync(pdfLink, ct);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("%PDF", await pdf.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        var mailPage = await ans.GetStringAsync(mailLink, ct);
        Assert.Contains("Herinnering: uw huur is nog niet betaald", mailPage, StringComparison.Ordinal);
        Assert.Contains("Beste J. de Vries,", mailPage, StringComparison.Ordinal);
        Assert.Contains("j.devries@example.org", mailPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedReminder_AdminOffersItAgainFromTheCasePage_SentOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        // One attempt: the engine gives up at once, as it would after ten on a real failure.
        await using var host = await RunningHost.StartAsync(azurite, "--Engine:IdlePollDelay=00:00:00.100", "--Engine:MaxEffectAttempts=1");
        // No contact details in the tenant directory yet, so the reminder cannot be addressed.
        await OpenCaseAsync(host, "R-1");
        var ans = await host.LoginAsync("ans");
        var admin = host.Client;

        var adminPage = await admin.GetStringAsync("/zaken/R-1", ct);
        var consultantPage = await ans.GetStringAsync("/zaken/R-1", ct);

        Assert.Contains("(mislukt)", adminPage, StringComparison.Ordinal);
        Assert.Contains("(mislukt)", consultantPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Opnieuw versturen", consultantPage, StringComparison.Ordinal);
        var retry = RetryForm().Matches(adminPage).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, retry.Count); // the mail and the letter
        var token = AntiforgeryToken().Match(adminPage).Groups[1].Value;
        using var refused = await ans.PostAsync(retry[0], new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }), ct);
        Assert.Equal("/geen-toegang", refused.RequestMessage!.RequestUri!.AbsolutePath);

        await host.Services.GetRequiredService<ITenantDirectory>().SetAsync(
            new TenantContact("R-1", "R-1", "J. de Vries", "Lindelaan 12", "3511 XY", "Utrecht", "j.devries@example.org", "06 12345678", new DateOnly(1980, 3, 4)), ct);
        foreach (var action in retry)
        {
            using var response = await admin.PostAsync(action, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }), ct);
            Assert.Equal("/zaken/R-1", response.RequestMessage!.RequestUri!.AbsolutePath);
            Assert.Contains("opnieuw aangeboden en nu verstuurd", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(ct)), StringComparison.Ordinal);
        }

        using var again = await admin.PostAsync(retry[0], new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }), ct);
        Assert.Contains("niet mislukt", WebUtility.HtmlDecode(await again.Content.ReadAsStringAsync(ct)), StringComparison.Ordinal);
        var documents = await admin.GetFromJsonAsync<JsonElement>("/api/cases/R-1/documents", ct);
        Assert.Single(documents.GetProperty("letters").EnumerateArray());
        Assert.Single(documents.GetProperty("mails").EnumerateArray());
        var effects = (await admin.GetFromJsonAsync<JsonElement>("/api/cases/R-1", ct)).GetProperty("effects").EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == "tenantMessage").ToList();
        Assert.Equal(2, effects.Count);
        Assert.All(effects, e => Assert.Equal("Done", e.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task RetryEffectApi_EffectNotFailed_Is409AndUnknownIs404()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite);
        await host.Services.GetRequiredService<ITenantDirectory>().SetAsync(
            new TenantContact("R-2", "R-2", "J. de Vries", "Lindelaan 12", "3511 XY", "Utrecht", "j.devries@example.org", "06 12345678", new DateOnly(1980, 3, 4)), ct);
        await OpenCaseAsync(host, "R-2");
        var done = (await host.Client.GetFromJsonAsync<JsonElement>("/api/cases/R-2", ct)).GetProperty("effects").EnumerateArray()
            .First(e => e.GetProperty("kind").GetString() == "tenantMessage").GetProperty("id").GetString();

        using var notFailed = await host.Client.PostAsync($"/api/cases/R-2/effects/{done}/retry", null, ct);
        using var unknown = await host.Client.PostAsync("/api/cases/R-2/effects/nothing/retry", null, ct);

        Assert.Equal(HttpStatusCode.Conflict, notFailed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    // Another case's letter through this case's address.
    [InlineData("/api/cases/D-2/documents/letters/D-1/0000000003-1.pdf")]
    // Climbing out of the case's folder with encoded dots.
    [InlineData("/api/cases/D-2/documents/letters/D-2/%2E%2E/%2E%2E/early-signal/2026-12.csv")]
    // A list for the municipality is no document of a case.
    [InlineData("/api/cases/D-2/documents/early-signal/2026-12.csv")]
    public async Task Document_OutsideTheCasesOwnFolders_Is404(string path)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite);
        var ans = await host.LoginAsync("ans");

        using var response = await ans.GetAsync(path, ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Documents_WithoutLogin_Is401()
    {
        await using var host = await RunningHost.StartAsync(azurite);

        using var response = await host.Anonymous.GetAsync("/api/cases/D-1/documents", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [GeneratedRegex("href=\"(/api/cases/D-1/documents/letters/[^\"]+)\"")]
    private static partial Regex PdfLink();

    [GeneratedRegex("href=\"(/zaken/D-1/mails/[^\"]+)\"")]
    private static partial Regex MailLink();

    [GeneratedRegex("action=\"(/zaken/R-1/effecten/[^\"]+/opnieuw)\"")]
    private static partial Regex RetryForm();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
