using System.Net.Http.Json;
using System.Text.Json;
using HuurIncasso.Testing;

namespace HuurIncasso.Host.Tests.Inputs;

public sealed class DemoDataTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Serve_EmptyStorageWithDemoSeeding_OpensTheExampleLedgersCasesOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite, "--Demo:SeedWhenEmpty=true", "--Engine:IdlePollDelay=00:00:00.100");

        // samples/ledger-example.csv: 100235, 100236, 100237 (departed) and the BOG 200010 are in arrears; 100234 is not.
        var cases = await PollAsync(host, list => list.Count >= 4, ct);

        Assert.Equal(["100235", "100236", "100237", "200010"], cases.Select(c => c.Split('-')[0]).Order());
    }

    [Fact]
    public async Task Serve_WithoutDemoSeeding_LeavesStorageEmpty()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite, "--Engine:IdlePollDelay=00:00:00.100");
        await Task.Delay(TimeSpan.FromSeconds(2), ct);

        var cases = await host.Client.GetFromJsonAsync<JsonElement>("/api/cases", ct);

        Assert.Equal(0, cases.GetArrayLength());
    }

    private static async Task<List<string>> PollAsync(RunningHost host, Func<List<string>, bool> until, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        var ids = new List<string>();
        while (DateTime.UtcNow < deadline)
        {
            var cases = await host.Client.GetFromJsonAsync<JsonElement>("/api/cases", ct);
            ids = [.. cases.EnumerateArray().Select(c => c.GetProperty("caseId").GetString()!)];
            if (until(ids)) return ids;
            await Task.Delay(250, ct);
        }

        Assert.Fail($"Demo cases did not appear within 45 s; seen: {string.Join(", ", ids)}");
        return ids;
    }
}
