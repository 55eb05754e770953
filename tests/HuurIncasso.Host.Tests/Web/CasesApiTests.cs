using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Testing;

namespace HuurIncasso.Host.Tests.Web;

public sealed class CasesApiTests(AzuriteFixture azurite)
{
    private static StringContent Json(CaseMessage message) =>
        new(JsonSerializer.Serialize(message, CaseJson.Options), Encoding.UTF8, "application/json");

    private static OpenCase Opening(string caseId) => new(
        caseId, ContractId: caseId, TenantId: "T-" + caseId, MonthlyRent: 700m, PropertyType: "WON",
        ContractStart: new DateOnly(2020, 1, 1), DirectDebit: false, LateMonthsInLast12: 0, Balance: 700m,
        OldestUnpaidDueDate: DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-10))
    { MessageId = $"ledger:{caseId}:open" };

    [Fact]
    public async Task StartThenPayInFull_ThroughTheInbox_ClosesTheCaseWithATimeline()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite, "--Engine:IdlePollDelay=00:00:00.100");

        using var started = await host.Client.PostAsync("/api/cases", Json(Opening("C-1001")), ct);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        Assert.Equal("/api/cases/C-1001", started.Headers.Location?.ToString());

        // The same opening again changes nothing and says so.
        using var again = await host.Client.PostAsync("/api/cases", Json(Opening("C-1001")), ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("Duplicate", (await again.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("outcome").GetString());

        var opened = await host.Client.GetFromJsonAsync<JsonElement>("/api/cases/C-1001", ct);
        Assert.Equal("Running", opened.GetProperty("status").GetString());
        var types = opened.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Contains("CaseOpened", types);

        var payment = new ReceivePayment("bank:1", DateOnly.FromDateTime(DateTime.UtcNow), 700m, ByDirectDebit: false) { MessageId = "bank:1" };
        using var raised = await host.Client.PostAsync("/api/cases/C-1001/messages", Json(payment), ct);
        Assert.Equal(HttpStatusCode.Accepted, raised.StatusCode);

        var closed = await PollAsync(host, "C-1001", c => c.GetProperty("status").GetString() == "Completed", ct);
        var closedTypes = closed.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Contains("PaymentApplied", closedTypes);
        Assert.Contains("CaseClosed", closedTypes);
        Assert.Equal(JsonValueKind.Null, closed.GetProperty("waitingUntil").ValueKind);
    }

    [Fact]
    public async Task Raise_MessageWithoutType_Returns400ProblemSayingWhat()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite);

        using var response = await host.Client.PostAsync("/api/cases/C-1/messages",
            new StringContent("{\"messageId\":\"x\",\"amount\":5}", Encoding.UTF8, "application/json"), ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Contains("type", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnknownCase_Returns404()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite);

        using var response = await host.Client.GetAsync("/api/cases/nobody", ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task SuspendResumeTerminate_ChangeTheStatusAndTerminatedCanBePurged()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite);
        (await host.Client.PostAsync("/api/cases", Json(Opening("C-2002")), ct)).Dispose();
        var reason = JsonContent.Create(new { reason = "controle", by = "beheer" });

        var suspended = await (await host.Client.PostAsync("/api/cases/C-2002/suspend", reason, ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal("Suspended", suspended.GetProperty("status").GetString());
        var resumed = await (await host.Client.PostAsync("/api/cases/C-2002/resume", JsonContent.Create(new { reason = "klaar", by = "beheer" }), ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal("Running", resumed.GetProperty("status").GetString());

        using var purgeRunning = await host.Client.DeleteAsync("/api/cases/C-2002", ct);
        Assert.Equal(HttpStatusCode.Conflict, purgeRunning.StatusCode);

        (await host.Client.PostAsync("/api/cases/C-2002/terminate", JsonContent.Create(new { reason = "fout aangemaakt", by = "beheer" }), ct)).Dispose();
        using var purge = await host.Client.DeleteAsync("/api/cases/C-2002", ct);
        Assert.Equal(HttpStatusCode.NoContent, purge.StatusCode);
        using var gone = await host.Client.GetAsync("/api/cases/C-2002", ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    private static async Task<JsonElement> PollAsync(RunningHost host, string caseId, Func<JsonElement, bool> until, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await host.Client.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}", ct);
            if (until(last)) return last;
            await Task.Delay(200, ct);
        }

        Assert.Fail($"Case {caseId} did not reach the expected state in 30 s; last: {last}");
        return last;
    }
}
