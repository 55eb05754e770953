using System.Globalization;
using HuurIncasso.Azure.Engine;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Engine;
using HuurIncasso.Engine.TestHost;
using HuurIncasso.Testing.Engine;
using Microsoft.Extensions.Logging;

// Usage: HuurIncasso.Engine.TestHost --connection <storage connection string> --prefix <prefix>
//        [--defused] [--lease-seconds 5] [--max-deliveries 3] [--processors 2] [--shards 1]
// Runs inbox processors and the sweeper until killed (or until stdin closes).
var settings = ParseArgs(args);
var clients = new StorageClients(new StorageOptions { ConnectionString = settings["connection"], Prefix = settings["prefix"] });
await StorageProvisioner.EnsureCreatedAsync(clients);
var sent = clients.Tables.GetTableClient(clients.Names.Prefix + TableSentMailHandler.TableSuffix);
await sent.CreateIfNotExistsAsync();

var options = new EngineOptions
{
    LeaseTime = TimeSpan.FromSeconds(Number("lease-seconds", 5)),
    MaxDeliveries = (int)Number("max-deliveries", 3),
    RetryBackoff = TimeSpan.Zero,
    SweepInterval = TimeSpan.FromMilliseconds(500),
    EffectSweepAge = TimeSpan.FromSeconds(2),
    IdlePollDelay = TimeSpan.FromMilliseconds(100),
    InboxShards = (int)Number("shards", 1),
};
var workflow = new AccountWorkflow { Defused = settings.ContainsKey("defused") };
// Warnings and errors on stderr, so that a test that fails shows why the host did not get on.
using var loggers = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Warning));
var engine = new AzureCaseEngine<AccountState, AccountMessage, AccountEvent>(clients, workflow, [new TableSentMailHandler(sent)], TimeProvider.System, options, loggers: loggers);

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
var sweeper = new SweepWorker(engine.TimerSweeper, engine.Dispatcher, TimeProvider.System, options, loggers.CreateLogger<SweepWorker>());
var work = new List<Task>();
for (var i = 0; i < (int)Number("processors", 2); i++)
{
    work.Add(engine.Processor.RunAsync(stop.Token));
}

await sweeper.StartAsync(stop.Token);
Stats(); // the baseline: what starting cost
Console.WriteLine($"ready {Environment.ProcessId}");
_ = Task.Run(async () =>
{
    // The parent closing our stdin (or ending) stops us cleanly; SIGKILL stops us anyway.
    await Console.In.ReadToEndAsync();
    await stop.CancelAsync();
});
while (!stop.IsCancellationRequested)
{
    try
    {
        await Task.Delay(1000, stop.Token);
    }
    catch (OperationCanceledException)
    {
        break;
    }

    Stats();
}

await Task.WhenAll(work);
await sweeper.StopAsync(CancellationToken.None);
await engine.Inbox.LeaveAsync();
Stats();
return 0;

void Stats() => Console.WriteLine("stats " + string.Join(";", clients.Transactions.Snapshot().Select(kv => $"{kv.Key}={kv.Value}")) + ";" + engine.Inbox.Ownership);

double Number(string name, double fallback) =>
    settings.TryGetValue(name, out var text) ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

static Dictionary<string, string> ParseArgs(string[] args)
{
    var result = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i < args.Length; i++)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Unexpected argument '{args[i]}' at position {i + 1}.");
        }

        var name = args[i][2..];
        result[name] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
    }

    foreach (var required in new[] { "connection", "prefix" })
    {
        if (!result.ContainsKey(required))
        {
            throw new ArgumentException($"Missing --{required}.");
        }
    }

    return result;
}
