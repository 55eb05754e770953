using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Testing;
using static HuurIncasso.Host.Tests.Web.AuthTests;

namespace HuurIncasso.Host.Tests.Web;

public sealed class WorkspaceApiTests(AzuriteFixture azurite)
{
    private static string Day(int fromToday) =>
        DateOnly.FromDateTime(DateTime.UtcNow).AddDays(fromToday).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Arrangement_ReturnsTheScheduleWithDates_AndTheSameCommandIdTwiceIsOneArrangement()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite, "--Engine:IdlePollDelay=00:00:00.100");
        await OpenCaseAsync(host, "A-1", balance: 1400m);
        var ans = await host.LoginAsync("ans");
        var body = new { commandId = "a1-reg", instalments = 4, firstDueDate = Day(7) };

        using var first = await CommandAsync(ans, "A-1", "arrangement", body);
        using var again = await CommandAsync(ans, "A-1", "arrangement", body);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var result = await first.Content.ReadFromJsonAsync<JsonElement>(ct);
        var schedule = result.GetProperty("schedule").EnumerateArray().ToList();
        Assert.Equal(4, schedule.Count);
        Assert.Equal(Day(7), schedule[0].GetProperty("dueDate").GetString());
        Assert.Equal(1400m, schedule.Sum(s => s.GetProperty("amount").GetDecimal()));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var overview = await ans.GetFromJsonAsync<JsonElement>("/api/cases/A-1/overview", ct);
        Assert.Equal(1, overview.GetProperty("timeline").EnumerateArray().Count(e => e.GetProperty("type").GetString() == nameof(ArrangementActivated)));
        Assert.Equal(4, overview.GetProperty("arrangement").GetArrayLength());
    }

    [Fact]
    public async Task CallOutcome_IsOnTheTimelineWithWhoAndNoteIsKeptOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite, "--Engine:IdlePollDelay=00:00:00.100");
        await OpenCaseAsync(host, "A-2");
        var ans = await host.LoginAsync("ans");

        // "by" in the body is ignored: the actor is the signed-in user.
        using var call = await CommandAsync(ans, "A-2", "call-outcome", new { commandId = "a2-call", reached = true, adviceGiven = true, note = "belt vrijdag terug", by = new { id = "iemand-anders", role = "TeamLead" } });
        (await CommandAsync(ans, "A-2", "note", new { commandId = "a2-note", note = "huurder heeft nieuwe baan" })).Dispose();
        (await CommandAsync(ans, "A-2", "note", new { commandId = "a2-note", note = "huurder heeft nieuwe baan" })).Dispose();

        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        var overview = await ans.GetFromJsonAsync<JsonElement>("/api/cases/A-2/overview", ct);
        var line = overview.GetProperty("timeline").EnumerateArray().Single(e => e.GetProperty("type").GetString() == nameof(CallOutcomeRecorded));
        Assert.Equal("ans", line.GetProperty("who").GetString());
        Assert.Contains("belt vrijdag terug", line.GetProperty("what").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, overview.GetProperty("notes").GetArrayLength());
        Assert.False(string.IsNullOrEmpty(overview.GetProperty("segment").GetString()));
        // The segment's reason in words, from the policy's rule (the catch-all rule for a tidy payer).
        Assert.Equal("geen bijzonderheden: de standaardgroep (plan keurige-betaler)", overview.GetProperty("segmentReason").GetString());
    }

    [Fact]
    public async Task PauseRequest_PutsATaskOnTheWorklist_AndPayingInFullClosesIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite, "--Engine:IdlePollDelay=00:00:00.100");
        await OpenCaseAsync(host, "A-3", balance: 700m);
        var ans = await host.LoginAsync("ans");
        using var requested = await CommandAsync(ans, "A-3", "pause-request", new { commandId = "a3-pause", pauseKind = "Deferral", until = Day(30) });
        Assert.Equal(HttpStatusCode.OK, requested.StatusCode);

        var open = await PollAsync(ans, "/api/worklist?role=consultant", l => l.EnumerateArray().Any(i => i.GetProperty("caseId").GetString() == "A-3" && i.GetProperty("title").GetString()!.StartsWith("Pauze", StringComparison.Ordinal)), ct);
        Assert.Contains(open.EnumerateArray(), i => i.GetProperty("caseId").GetString() == "A-3");

        var payment = new ReceivePayment("bank:a3", DateOnly.FromDateTime(DateTime.UtcNow), 700m, ByDirectDebit: false) { MessageId = "bank:a3" };
        (await host.Client.PostAsync("/api/cases/A-3/messages", new StringContent(JsonSerializer.Serialize<CaseMessage>(payment, CaseJson.Options), System.Text.Encoding.UTF8, "application/json"), ct)).Dispose();

        await PollAsync(ans, "/api/worklist", l => !l.EnumerateArray().Any(i => i.GetProperty("caseId").GetString() == "A-3"), ct);
    }

    [Fact]
    public async Task PauseApprove_ByAnotherTeamLead_StopsEscalation_AndPauseEndResumesIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite, "--Engine:IdlePollDelay=00:00:00.100");
        await OpenCaseAsync(host, "A-4");
        var ans = await host.LoginAsync("ans");
        var tess = await host.LoginAsync("tess");
        (await CommandAsync(ans, "A-4", "pause-request", new { commandId = "a4-req", pauseKind = "Deferral", until = Day(20) })).Dispose();
        var queue = await tess.GetFromJsonAsync<JsonElement>("/api/approvals", ct);
        Assert.Contains(queue.EnumerateArray(), a => a.GetProperty("caseId").GetString() == "A-4" && a.GetProperty("requestedBy").GetString() == "ans");

        using var approved = await CommandAsync(tess, "A-4", "pause-approve", new { commandId = "a4-ok" });
        var next = (await approved.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("next");
        Assert.True(next.GetProperty("paused").GetBoolean());
        Assert.Equal("paused", next.GetProperty("stage").GetString());

        using var ended = await CommandAsync(ans, "A-4", "pause-end", new { commandId = "a4-end" });
        Assert.False((await ended.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("next").GetProperty("paused").GetBoolean());
    }

    [Fact]
    public async Task Approvals_AsConsultant_Returns403()
    {
        await using var host = await RunningHost.StartAsync(azurite);
        var ans = await host.LoginAsync("ans");

        using var response = await ans.GetAsync("/api/approvals", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Worklist_SortByMonthsInArrears_PutsTheHighestFirst()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite, "--Engine:IdlePollDelay=00:00:00.100");
        await OpenCaseAsync(host, "S-1", balance: 700m);
        await OpenCaseAsync(host, "S-3", balance: 2100m);
        var ans = await host.LoginAsync("ans");
        (await CommandAsync(ans, "S-1", "pause-request", new { commandId = "s1-pause", pauseKind = "Deferral", until = Day(30) })).Dispose();
        (await CommandAsync(ans, "S-3", "pause-request", new { commandId = "s3-pause", pauseKind = "Deferral", until = Day(30) })).Dispose();

        var list = await PollAsync(ans, "/api/worklist?sort=months-in-arrears&propertyType=WON", l => l.EnumerateArray().Select(i => i.GetProperty("caseId").GetString()).Distinct().Count() >= 2, ct);

        var months = list.EnumerateArray().Select(i => i.GetProperty("monthsInArrears").GetInt32()).ToList();
        Assert.Equal(months.OrderByDescending(m => m), months);
        Assert.Equal("S-3", list.EnumerateArray().First().GetProperty("caseId").GetString());
    }

    [Theory]
    // An unknown kind is a wrong address, not a bad body.
    [InlineData("fly-to-the-moon", "{\"commandId\":\"x1\"}", HttpStatusCode.NotFound)]
    // Without a command id a retry could not be recognised.
    [InlineData("note", "{\"note\":\"hallo\"}", HttpStatusCode.BadRequest)]
    // A call outcome must say whether the tenant was reached.
    [InlineData("call-outcome", "{\"commandId\":\"x2\"}", HttpStatusCode.BadRequest)]
    public async Task Command_Wrong_ReturnsProblem(string kind, string body, HttpStatusCode expected)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite);
        await OpenCaseAsync(host, "E-1");
        var ans = await host.LoginAsync("ans");

        using var response = await ans.PostAsync($"/api/cases/E-1/commands/{kind}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), ct);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OpenApiDocument_IsServedToSignedInUsers()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite);
        var ans = await host.LoginAsync("ans");

        var doc = await ans.GetFromJsonAsync<JsonElement>("/openapi/v1.json", ct);

        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/cases/{caseId}/commands/{kind}", out _));
    }

    private static async Task<JsonElement> PollAsync(HttpClient client, string url, Func<JsonElement, bool> until, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await client.GetFromJsonAsync<JsonElement>(url, ct);
            if (until(last)) return last;
            await Task.Delay(200, ct);
        }

        Assert.Fail($"{url} did not reach the expected state in 20 s; last: {last}");
        return last;
    }
}
