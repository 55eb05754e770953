using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Engine;
using HuurIncasso.Host.Security;
using HuurIncasso.Host.Web;
using HuurIncasso.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HuurIncasso.Host.Tests.Web;

public sealed class AuthTests(AzuriteFixture azurite)
{
    internal static async Task OpenCaseAsync(RunningHost host, string caseId, decimal balance = 1400m)
    {
        var client = host.Services.GetRequiredService<CaseClient<CaseState, CaseMessage, CaseEvent>>();
        var open = new OpenCase(caseId, caseId, "T-" + caseId, 700m, "WON", new DateOnly(2020, 1, 1), DirectDebit: false, LateMonthsInLast12: 0,
            Balance: balance, OldestUnpaidDueDate: DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-40))
        { MessageId = $"ledger:{caseId}:open" };
        await client.StartAsync(caseId, open.MessageId, open, TestContext.Current.CancellationToken);
    }

    internal static Task<HttpResponseMessage> CommandAsync(HttpClient client, string caseId, string kind, object body) =>
        client.PostAsync($"/api/cases/{caseId}/commands/{kind}", JsonContent.Create(body), TestContext.Current.CancellationToken);

    private static async Task AssertDutchProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        // Dutch words the problem texts use; an English framework default would have none of them.
        var text = problem.GetProperty("title").GetString() + " " + (problem.TryGetProperty("detail", out var d) ? d.GetString() : "");
        Assert.Matches("(U |niet|mag|Vier ogen|teamleider)", text);
    }

    [Fact]
    public async Task Api_WithoutLogin_Returns401DutchProblem()
    {
        await using var host = await RunningHost.StartAsync(azurite);

        using var response = await host.Anonymous.GetAsync("/api/worklist", TestContext.Current.CancellationToken);

        await AssertDutchProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Page_WithoutLogin_RedirectsToLoginAndHealthStaysOpen()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite);

        using var page = await host.Anonymous.GetAsync("/", ct);
        using var health = await host.Anonymous.GetAsync("/health", ct);

        Assert.Equal("/inloggen", page.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Login_WrongPassword_StaysOnLoginWithMessage()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite);
        var page = await host.Anonymous.GetStringAsync("/inloggen", ct);
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;

        using var response = await host.Anonymous.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["naam"] = "ans",
            ["wachtwoord"] = "fout",
        }), ct);

        Assert.Equal("/inloggen", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("Naam of wachtwoord klopt niet", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManagementApi_AsConsultant_Returns403()
    {
        await using var host = await RunningHost.StartAsync(azurite);
        var consultant = await host.LoginAsync("ans");

        using var response = await consultant.GetAsync("/api/cases", TestContext.Current.CancellationToken);

        await AssertDutchProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public void Build_LocalUsersInProduction_IsRefusedAtStart()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => HuurIncassoWebHost.Build(
            ["--environment", "Production", "--Auth:LocalUsers:0:Name=ans", "--Auth:LocalUsers:0:Password=x", "--Auth:LocalUsers:0:Roles:0=consultant"]));

        Assert.Contains("Auth:LocalUsers", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_LocalUserWithUnknownRole_SaysWhichSetting()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => HuurIncassoWebHost.Build(
            ["--environment", "Development", "--Auth:LocalUsers:0:Name=ans", "--Auth:LocalUsers:0:Password=x", "--Auth:LocalUsers:0:Roles:0=baas"]));

        Assert.Contains("Auth:LocalUsers:0:Roles", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteOffApprove_ByConsultant_Returns403AndCaseUnchanged()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite, "--Engine:IdlePollDelay=00:00:00.100");
        await OpenCaseAsync(host, "W-1");
        var ans = await host.LoginAsync("ans");
        var bram = await host.LoginAsync("bram");
        (await CommandAsync(ans, "W-1", "write-off-request", new { commandId = "w1-req", reason = "wsnp" })).Dispose();

        using var response = await CommandAsync(bram, "W-1", "write-off-approve", new { commandId = "w1-ok" });

        await AssertDutchProblemAsync(response, HttpStatusCode.Forbidden);
        var state = await host.Services.GetRequiredService<CaseClient<CaseState, CaseMessage, CaseEvent>>().GetStateAsync("W-1", ct);
        Assert.NotNull(state!.WriteOffRequest);
        Assert.Equal(HuurIncasso.Domain.Cases.CaseStatus.Open, state.Status);
    }

    [Fact]
    public async Task WriteOffApprove_ByTheRequester_Returns409AndAnotherTeamLeadCanApprove()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite, "--Engine:IdlePollDelay=00:00:00.100");
        await OpenCaseAsync(host, "W-2");
        var tess = await host.LoginAsync("tess");
        var tim = await host.LoginAsync("tim");
        using var requested = await CommandAsync(tess, "W-2", "write-off-request", new { commandId = "w2-req", reason = "wsnp" });
        Assert.Equal(HttpStatusCode.OK, requested.StatusCode);

        using var own = await CommandAsync(tess, "W-2", "write-off-approve", new { commandId = "w2-own" });
        await AssertDutchProblemAsync(own, HttpStatusCode.Conflict);

        using var other = await CommandAsync(tim, "W-2", "write-off-approve", new { commandId = "w2-tim" });
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        var body = await other.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.True(body.GetProperty("next").GetProperty("closed").GetBoolean());
    }

    [Fact]
    public async Task PauseApprove_ByTheRequester_Returns409()
    {
        await using var host = await RunningHost.StartAsync(azurite, "--Engine:IdlePollDelay=00:00:00.100");
        await OpenCaseAsync(host, "P-1");
        var tess = await host.LoginAsync("tess");
        var until = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        (await CommandAsync(tess, "P-1", "pause-request", new { commandId = "p1-req", pauseKind = "Deferral", until })).Dispose();

        using var own = await CommandAsync(tess, "P-1", "pause-approve", new { commandId = "p1-own" });

        await AssertDutchProblemAsync(own, HttpStatusCode.Conflict);
    }

    [Fact]
    public void EasyAuthHeader_WithRolesClaims_GivesThoseRoles()
    {
        var json = """{"auth_typ":"aad","name_typ":"name","role_typ":"http://schemas.microsoft.com/ws/2008/06/identity/claims/role","claims":[{"typ":"name","val":"Tess"},{"typ":"oid","val":"0001"},{"typ":"roles","val":"teamlead"}]}""";

        var principal = EasyAuthHandler.Parse(Convert.ToBase64String(Encoding.UTF8.GetBytes(json)));

        var user = CurrentUser.From(principal!);
        Assert.Equal("0001", user.Id);
        Assert.Equal("Tess", user.DisplayName);
        Assert.True(user.CanApprove);
    }

    [Fact]
    public void EasyAuthHeader_NotBase64_IsNoPrincipal()
    {
        Assert.Null(EasyAuthHandler.Parse("%%%"));
    }

    [Theory]
    // A stored hash must verify the same password and nothing else.
    [InlineData("geheim", "geheim", true)]
    [InlineData("geheim", "Geheim", false)]
    public void LocalPasswords_HashThenVerify(string password, string attempt, bool expected)
    {
        Assert.Equal(expected, LocalPasswords.Verify(attempt, LocalPasswords.Hash(password, iterations: 1000)));
    }
}
