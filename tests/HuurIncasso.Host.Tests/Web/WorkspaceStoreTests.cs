using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Engine;
using HuurIncasso.Host.Workspace;
using HuurIncasso.Testing;
using Microsoft.Extensions.DependencyInjection;
using static HuurIncasso.Host.Tests.Web.AuthTests;

namespace HuurIncasso.Host.Tests.Web;

public sealed class WorkspaceStoreTests(AzuriteFixture azurite)
{
    private static Effect TaskEffect(string caseId, long sequence) => new(
        Effect.MakeId(caseId, sequence, 0), caseId, sequence, 0, "personTask",
        JsonSerializer.Serialize<CaseEffect>(new PersonTask(Role.Consultant, "Bellen", new DateOnly(2026, 1, 5), Urgent: false), CaseJson.Options),
        DateTimeOffset.UtcNow);

    [Fact]
    public async Task PersonTask_HandledTwice_IsOneTask_AndCancelClosesIt_AndARetryDoesNotReopen()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite);
        var handlers = host.Services.GetServices<IEffectHandler>().ToDictionary(h => h.Kind);
        var store = host.Services.GetRequiredService<WorkspaceStore>();
        var effect = TaskEffect("K/1", 3);

        await handlers["personTask"].HandleAsync(effect, ct);
        await handlers["personTask"].HandleAsync(effect, ct);
        Assert.Single(await store.ListTasksAsync("K/1", ct));

        var cancel = new Effect(Effect.MakeId("K/1", 4, 0), "K/1", 4, 0, "cancelOpenTasks",
            JsonSerializer.Serialize<CaseEffect>(new CancelOpenTasks("zaak gesloten"), CaseJson.Options), DateTimeOffset.UtcNow);
        await handlers["cancelOpenTasks"].HandleAsync(cancel, ct);
        await handlers["personTask"].HandleAsync(effect, ct);

        var task = Assert.Single(await store.ListTasksAsync("K/1", ct));
        Assert.False(task.Open);
        Assert.Equal("zaak gesloten", task.ClosedWhy);
    }

    [Fact]
    public async Task Worklist_FilterByConsultant_ShowsOnlyCasesThatPersonWorked()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite, "--Engine:IdlePollDelay=00:00:00.100");
        await OpenCaseAsync(host, "F-1");
        await OpenCaseAsync(host, "F-2");
        var ans = await host.LoginAsync("ans");
        var bram = await host.LoginAsync("bram");
        var until = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        (await CommandAsync(ans, "F-1", "pause-request", new { commandId = "f1", pauseKind = "Deferral", until })).Dispose();
        (await CommandAsync(bram, "F-2", "pause-request", new { commandId = "f2", pauseKind = "Deferral", until })).Dispose();

        var deadline = DateTime.UtcNow.AddSeconds(20);
        List<string?> cases;
        do
        {
            var list = await ans.GetFromJsonAsync<JsonElement>("/api/worklist?consultant=ans", ct);
            cases = [.. list.EnumerateArray().Select(i => i.GetProperty("caseId").GetString()).Distinct()];
            if (cases.Contains("F-1")) break;
            await Task.Delay(200, ct);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Equal(["F-1"], cases);
    }

    [Fact]
    public async Task EasyAuth_HeaderWithConsultantRole_CanReadTheWorklistButNotManageCases()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite, "--Auth:EasyAuth:Enabled=true");
        var principal = """{"auth_typ":"aad","name_typ":"name","role_typ":"roles","claims":[{"typ":"name","val":"Ans"},{"typ":"oid","val":"a-1"},{"typ":"roles","val":"consultant"}]}""";
        using var client = new HttpClient { BaseAddress = host.Address };
        client.DefaultRequestHeaders.Add("X-MS-CLIENT-PRINCIPAL", Convert.ToBase64String(Encoding.UTF8.GetBytes(principal)));

        using var worklist = await client.GetAsync("/api/worklist", ct);
        using var manage = await client.GetAsync("/api/cases", ct);

        Assert.Equal(HttpStatusCode.OK, worklist.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, manage.StatusCode);
    }
}
