using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Engine;
using HuurIncasso.Testing;
using Microsoft.Extensions.DependencyInjection;
using static HuurIncasso.Host.Tests.Web.AuthTests;

namespace HuurIncasso.Host.Tests.Web;

/// <summary>Handover approve and reject through real HTTP, on a policy that proposes the handover right after a visit.</summary>
public sealed class HandoverApiTests(AzuriteFixture azurite)
{
    private static Task<RunningHost> StartAsync(AzuriteFixture azurite) =>
        RunningHost.StartAsync(azurite, "--Engine:IdlePollDelay=00:00:00.100", VisitFirstPolicy.Argument());

    /// <summary>Opens the case, records a visit (required before a handover) and waits until the handover is proposed.</summary>
    internal static async Task<HttpClient> ProposeHandoverAsync(RunningHost host, string caseId)
    {
        await OpenCaseAsync(host, caseId, balance: 2100m);
        var ans = await host.LoginAsync("ans");
        using var visit = await CommandAsync(ans, caseId, "visit-outcome", new { commandId = caseId + "-visit", met = false });
        Assert.Equal(HttpStatusCode.OK, visit.StatusCode);
        var cases = host.Services.GetRequiredService<CaseClient<CaseState, CaseMessage, CaseEvent>>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await cases.GetStateAsync(caseId, TestContext.Current.CancellationToken))?.ProposedStep is null)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{caseId}: no handover proposed within 20 s.");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        return ans;
    }

    [Fact]
    public async Task HandoverApprove_ByTeamLead_HandsOverAndTheApprovalLeavesTheQueue()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartAsync(azurite);
        await ProposeHandoverAsync(host, "H-1");
        var tess = await host.LoginAsync("tess");
        var queue = await tess.GetFromJsonAsync<JsonElement>("/api/approvals", ct);
        Assert.Contains(queue.EnumerateArray(), a => a.GetProperty("caseId").GetString() == "H-1" && a.GetProperty("kind").GetString() == "handover-approve");

        using var approved = await CommandAsync(tess, "H-1", "handover-approve", new { commandId = "h1-ok" });

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var body = await approved.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal("handed-over", body.GetProperty("next").GetProperty("stage").GetString());
        var state = await host.Services.GetRequiredService<CaseClient<CaseState, CaseMessage, CaseEvent>>().GetStateAsync("H-1", ct);
        Assert.Equal(HuurIncasso.Domain.Cases.CaseStatus.HandedOver, state!.Status);
        Assert.Equal("tess", state.Handover!.ApprovedBy.Id);
        queue = await tess.GetFromJsonAsync<JsonElement>("/api/approvals", ct);
        Assert.DoesNotContain(queue.EnumerateArray(), a => a.GetProperty("caseId").GetString() == "H-1");
        // The approval task is done: it is no longer on the worklist either.
        var worklist = await tess.GetFromJsonAsync<JsonElement>("/api/worklist", ct);
        Assert.DoesNotContain(worklist.EnumerateArray(), i => i.GetProperty("caseId").GetString() == "H-1" && i.GetProperty("kind").GetString() == "HandoverApproval");
    }

    [Fact]
    public async Task HandoverReject_WithReason_KeepsTheCaseAndSaysWhy_WithoutReasonIs400()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartAsync(azurite);
        await ProposeHandoverAsync(host, "H-2");
        var tim = await host.LoginAsync("tim");

        using var noReason = await CommandAsync(tim, "H-2", "handover-reject", new { commandId = "h2-no" });
        using var rejected = await CommandAsync(tim, "H-2", "handover-reject", new { commandId = "h2-reject", reason = "huurder heeft schuldhulp aangevraagd" });

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal("application/problem+json", noReason.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        var state = await host.Services.GetRequiredService<CaseClient<CaseState, CaseMessage, CaseEvent>>().GetStateAsync("H-2", ct);
        Assert.Equal(HuurIncasso.Domain.Cases.CaseStatus.Open, state!.Status);
        Assert.Null(state.ProposedStep);
        var overview = await tim.GetFromJsonAsync<JsonElement>("/api/cases/H-2/overview", ct);
        var line = overview.GetProperty("timeline").EnumerateArray().Single(e => e.GetProperty("type").GetString() == nameof(StepRejected));
        Assert.Equal("tim", line.GetProperty("who").GetString());
        Assert.Contains("huurder heeft schuldhulp aangevraagd", line.GetProperty("what").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    // A consultant may neither approve nor reject a handover: four eyes means a team lead decides.
    [InlineData("handover-approve", "{\"commandId\":\"h3-ok\"}")]
    [InlineData("handover-reject", "{\"commandId\":\"h3-no\",\"reason\":\"liever niet\"}")]
    public async Task HandoverDecision_ByConsultant_Returns403AndTheProposalStays(string kind, string body)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartAsync(azurite);
        var ans = await ProposeHandoverAsync(host, "H-3");

        using var response = await ans.PostAsync($"/api/cases/H-3/commands/{kind}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var state = await host.Services.GetRequiredService<CaseClient<CaseState, CaseMessage, CaseEvent>>().GetStateAsync("H-3", ct);
        Assert.Equal("overdracht", state!.ProposedStep);
    }
}
