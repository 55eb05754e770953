using System.IO.Compression;
using System.Text.Json.Nodes;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Engine;
using HuurIncasso.Host.Functions;
using HuurIncasso.Host.Web;
using HuurIncasso.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HuurIncasso.Host.Tests.Functions;

/// <summary>The function table, the function.json files written from it, host.json and the published package.</summary>
public sealed class FunctionTableTests
{
    private static FunctionTable Table(params string[] args)
    {
        var app = HuurIncassoWebHost.Build(args);
        return app.Services.GetRequiredService<FunctionTable>();
    }

    [Fact]
    public async Task WriteCommand_EveryFunctionOfTheTableGetsItsFunctionJsonWithTheRightBindings()
    {
        var dir = Directory.CreateTempSubdirectory("functions-").FullName;
        string[] settings = ["--Storage:Prefix=acc", "--Segmentation:Schedule=30 3 * * *", "--Ledger:Schedule=off"];

        var (exit, output, error) = await CommandLineRunner.RunAsync(["functions", "write", dir, .. settings]);
        var table = Table(settings);

        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.Contains($"{table.All.Count} functies geschreven", output, StringComparison.Ordinal);
        Assert.Equal(table.All.Select(f => f.Name).Order(), Directory.GetDirectories(dir).Select(Path.GetFileName).Order());
        foreach (var function in table.All)
        {
            var written = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, function.Name, "function.json")))!;
            Assert.True(JsonNode.DeepEquals(function.ToFunctionJson(), written), function.Name);
        }

        Bindings(dir, "nightly-segmentation", """[{"name":"timer","type":"timerTrigger","direction":"in","schedule":"0 30 3 * * *","useMonitor":true,"runOnStartup":false}]""");
        Assert.False(Directory.Exists(Path.Combine(dir, "monthly-ledger")), "a job whose schedule is 'off' gets no function");
        Bindings(dir, "timer-sweep", """[{"name":"timer","type":"timerTrigger","direction":"in","schedule":"0 * * * * *","useMonitor":true,"runOnStartup":false}]""");
        Bindings(dir, "case-inbox", """
            [{"name":"message","type":"queueTrigger","direction":"in","queueName":"accinbox","connection":"AzureWebJobsStorage"},
             {"name":"effects","type":"queue","direction":"out","queueName":"acceffects","connection":"AzureWebJobsStorage"}]
            """);
        Bindings(dir, "effect-dispatch", """[{"name":"dispatch","type":"queueTrigger","direction":"in","queueName":"acceffects","connection":"AzureWebJobsStorage"}]""");
        Bindings(dir, "bank-webhook", """
            [{"name":"req","type":"httpTrigger","direction":"in","authLevel":"anonymous","route":"api/bank/webhook","methods":["post"]},
             {"name":"res","type":"http","direction":"out"}]
            """);
        Bindings(dir, "ui", """[{"name":"req","type":"httpTrigger","direction":"in","authLevel":"anonymous","route":"{*path}"},{"name":"res","type":"http","direction":"out"}]""");
    }

    [Fact]
    public void Table_ShardedInbox_OneCaseInboxFunctionPerShardQueue()
    {
        var table = Table("--Engine:InboxShards=3", "--Storage:Prefix=acc");

        var inboxes = table.All.Where(f => f.Role == FunctionRole.CaseInbox).ToList();

        Assert.Equal(["case-inbox", "case-inbox-1", "case-inbox-2"], inboxes.Select(f => f.Name));
        Assert.Equal(["accinbox", "accinbox-1", "accinbox-2"], inboxes.Select(f => ((QueueTriggerBinding)f.Trigger).QueueName));
        Assert.Equal([0, 1, 2], inboxes.Select(f => f.Shard));
    }

    [Fact]
    public void Table_DefaultSettings_EveryJobATimerEveryQueueOfTheEngineATrigger()
    {
        var table = Table();
        var names = new StorageNames("");

        Assert.Equal(
            ["daily-exports", "early-signal-list", "monthly-figures", "monthly-ledger", "nightly-segmentation", "print-batch", "referral-exports"],
            table.All.Where(f => f.Role == FunctionRole.ScheduledJob).Select(f => f.Name).Order());
        Assert.Equal("0 0 6 5 * *", ((TimerTriggerBinding)table.Find("monthly-ledger")!.Trigger).Schedule);
        Assert.Equal("0 0 2 * * *", ((TimerTriggerBinding)table.Find("nightly-segmentation")!.Trigger).Schedule);
        Assert.Equal(names.InboxQueue, ((QueueTriggerBinding)table.Find(FunctionTable.CaseInboxName)!.Trigger).QueueName);
        Assert.Equal(names.EffectsQueue, ((QueueTriggerBinding)table.Find(FunctionTable.EffectDispatchName)!.Trigger).QueueName);
        Assert.Contains(names.EffectsQueue, names.Queues);
        // Names the Functions host accepts, unique, and no clash with the folders the publish output has.
        Assert.All(table.All, f => Assert.Matches("^[a-z][a-z0-9-]{0,62}$", f.Name));
        Assert.Equal(table.All.Count, table.All.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.DoesNotContain(table.All, f => f.Name is "policy" or "templates" or "samples" or "wwwroot");
        // The Functions host matches overlapping HTTP routes in the order of function names: specific first.
        var http = table.All.Where(f => f.Role == FunctionRole.Http).OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => ((HttpTriggerBinding)f.Trigger).Route).ToList();
        Assert.Equal(["api/bank/webhook", "api/{*path}", "{*path}"], http);
    }

    [Fact]
    public void HostJson_CustomHandlerPointsAtTheExecutableWithProxyingAndTheEngineRetries()
    {
        var host = JsonNode.Parse(File.ReadAllText(RepositoryRoot.Path("host.json")))!;

        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.Equal(typeof(HuurIncassoWebHost).Assembly.GetName().Name, host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>());
        Assert.Equal(["serve"], host["customHandler"]!["description"]!["arguments"]!.AsArray().Select(a => a!.GetValue<string>()));
        // Proxying is what lets an outside request to /case-inbox be told apart from an invocation.
        Assert.True(host["customHandler"]!["enableProxyingHttpRequest"]!.GetValue<bool>());
        Assert.Null(host["customHandler"]!["enableForwardingHttpRequest"]);
        Assert.Equal("", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        Assert.Equal("base64", host["extensions"]!["queues"]!["messageEncoding"]!.GetValue<string>());
        // The handler poisons on the engine's last delivery itself, with the error; the Functions host must not do it first.
        Assert.Equal(new EngineOptions().MaxDeliveries, host["extensions"]!["queues"]!["maxDequeueCount"]!.GetValue<int>());
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", host["extensionBundle"]!["id"]!.GetValue<string>());
        Assert.NotNull(host["functionTimeout"]);
    }

    [Fact]
    public async Task PublishScript_ZipHasHostJsonTheExecutableAndOneFolderPerFunction()
    {
        var ct = TestContext.Current.CancellationToken;
        // The host's own build output (the test builds it) instead of a 2-minute self-contained publish.
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var appDir = RepositoryRoot.Path("src", "HuurIncasso.Host", "bin", configuration, "net10.0");
        var zip = Path.Combine(Directory.CreateTempSubdirectory("package-").FullName, "app.zip");
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("bash")
        {
            ArgumentList = { RepositoryRoot.Path("infra", "publish.sh"), "--app-dir", appDir, "--out", zip, "--", "--Storage:Prefix=pkg" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stderr = process.StandardError.ReadToEndAsync(ct);
        var stdout = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        Assert.True(process.ExitCode == 0, await stderr);
        Assert.Equal(zip, stdout.Trim());

        using var archive = ZipFile.OpenRead(zip);
        var entries = archive.Entries.ToDictionary(e => e.FullName.Replace('\\', '/'), StringComparer.Ordinal);
        var hostJson = JsonNode.Parse(new StreamReader(entries["host.json"].Open()).ReadToEnd())!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(RepositoryRoot.Path("host.json"))), hostJson));
        var executable = hostJson["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>();
        Assert.True(entries.ContainsKey(executable), $"{executable} at the root");
        Assert.NotEqual(0, (entries[executable].ExternalAttributes >> 16) & 0b001_000_000);
        Assert.True(entries.ContainsKey("huurincasso.dll"));
        Assert.True(entries.ContainsKey("policy/default.yaml"));
        Assert.Contains(entries.Keys, k => k.StartsWith("templates/", StringComparison.Ordinal));
        Assert.False(entries.ContainsKey("appsettings.Development.json"), "development users and secrets stay out");
        foreach (var function in Table("--Storage:Prefix=pkg").All)
        {
            var text = new StreamReader(entries[$"{function.Name}/function.json"].Open()).ReadToEnd();
            Assert.True(JsonNode.DeepEquals(function.ToFunctionJson(), JsonNode.Parse(text)), function.Name);
        }

        Assert.Contains("pkginbox", new StreamReader(entries["case-inbox/function.json"].Open()).ReadToEnd(), StringComparison.Ordinal);
    }

    private static void Bindings(string dir, string function, string expected)
    {
        var written = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, function, "function.json")))!["bindings"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), written), $"{function}: {written.ToJsonString()}");
    }
}
