using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using HuurIncasso.Azure.Engine;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Engine;
using HuurIncasso.Testing;
using HuurIncasso.Testing.Engine;

namespace HuurIncasso.Bench;

/// <summary>
/// The case engine on Azurite in real host processes (tests/HuurIncasso.Engine.TestHost):
/// messages per second with one and two hosts, storage transactions per message, timer
/// lateness with 5,000 waiting cases, and beside them the limit: the same table batches and
/// queue round trips sent straight through the Azure SDK on the same Azurite.
/// </summary>
public static class EngineBench
{
    private const int Cases = 200;
    private const int PerCase = 10;
    private const int Messages = Cases * PerCase;

    public static IEnumerable<BenchResult> Run(int runs)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        var ct = cancel.Token;
        var azurite = AzuriteFixture.StartAsync(cancellationToken: ct).GetAwaiter().GetResult();
        try
        {
            return RunAsync(azurite, Math.Min(runs, 3), ct).GetAwaiter().GetResult();
        }
        finally
        {
            azurite.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static async Task<List<BenchResult>> RunAsync(AzuriteFixture azurite, int runs, CancellationToken ct)
    {
        var results = new List<BenchResult>();
        var raw = new List<double>();
        var configs = new (string Name, int Hosts, int Shards)[] { ("1 host", 1, 1), ("2 hosts, 1 queue", 2, 1), ("2 hosts, 4 shards", 2, 4) };
        var rates = configs.ToDictionary(c => c.Name, _ => new List<double>());
        var perMessage = configs.ToDictionary(c => c.Name, _ => new List<double>());
        var batchesPerMessage = configs.ToDictionary(c => c.Name, _ => new List<double>());
        for (var run = 0; run < runs; run++)
        {
            // Interleaved, so that a slow moment of the shared machine hits all alike.
            raw.Add(await RawAsync(azurite, ct));
            foreach (var config in configs)
            {
                var (rate, tx, batches) = await EngineAsync(azurite, config.Hosts, config.Shards, ct);
                rates[config.Name].Add(rate);
                perMessage[config.Name].Add(tx);
                batchesPerMessage[config.Name].Add(batches);
            }
        }

        results.Add(BenchReport.From($"raw SDK limit, {Messages:N0} messages", "msg/s", raw, "receive 32 + one 2-row table batch + queue delete per message, 2 loops × 16 at once"));
        foreach (var config in configs)
        {
            results.Add(BenchReport.From($"engine, {config.Name}", "msg/s", rates[config.Name], $"{Messages:N0} deposits for {Cases} cases, each host 2 processors"));
            results.Add(BenchReport.From($"engine, {config.Name}, ratio to raw", "×", [.. rates[config.Name].Zip(raw, (e, r) => e / r)]));
            results.Add(BenchReport.From($"engine, {config.Name}, storage tx", "tx/msg", perMessage[config.Name], "every request of the hosts while they worked: receives, idle polls, sweeps, heartbeats included"));
            results.Add(BenchReport.From($"engine, {config.Name}, table batches", "batch/msg", batchesPerMessage[config.Name], "1.0 = no ETag conflict"));
        }

        results.Add(await TimerLatenessAsync(azurite, ct));
        return results;
    }

    /// <summary>Messages per second of <paramref name="hosts"/> host processes handling 2,000 pre-sent deposits.</summary>
    private static async Task<(double Rate, double TxPerMessage, double BatchesPerMessage)> EngineAsync(AzuriteFixture azurite, int hosts, int shards, CancellationToken ct)
    {
        var (prefix, engine) = await NewEngineAsync(azurite, shards, ct);
        var messages = Enumerable.Range(0, PerCase).SelectMany(i => Enumerable.Range(0, Cases).Select(c => (Case: $"acc-{c:D4}", Key: $"d{i}"))).ToList();
        await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = ct }, async (m, token) =>
            await engine.Client.SendAsync(m.Case, m.Key, new Deposit(1m), cancellationToken: token));

        var processes = Enumerable.Range(0, hosts).Select(_ => HostProcess.Start(azurite, prefix, "--shards", shards.ToString(CultureInfo.InvariantCulture))).ToList();
        try
        {
            await Task.WhenAll(processes.Select(p => p.Ready.WaitAsync(TimeSpan.FromSeconds(60), ct)));
            var watch = Stopwatch.StartNew();
            while ((await engine.Client.ListAsync(new CaseQuery(Max: 10_000), ct)).Sum(r => r.Sequence) < Messages)
            {
                if (watch.Elapsed > TimeSpan.FromMinutes(5))
                {
                    throw new TimeoutException("The engine hosts did not finish within 5 minutes:\n" + string.Join("\n---\n", processes.Select(p => p.Output)));
                }

                await Task.Delay(100, ct);
            }

            var seconds = watch.Elapsed.TotalSeconds;
            foreach (var process in processes)
            {
                await process.StopAsync();
            }

            var used = processes.Select(p => p.Used()).ToList();
            return (Messages / seconds, used.Sum(u => u.Values.Sum()) / (double)Messages, used.Sum(u => u.GetValueOrDefault("table batch")) / (double)Messages);
        }
        finally
        {
            foreach (var process in processes)
            {
                process.Dispose();
            }
        }
    }

    /// <summary>
    /// The limit for the same work: per message one receive share, one entity-group transaction
    /// of two rows (marker and state, as a commit has) and one queue delete, at the parallelism
    /// of one host (2 loops, 32 messages a receive, 16 cases at once).
    /// </summary>
    private static async Task<double> RawAsync(AzuriteFixture azurite, CancellationToken ct)
    {
        var prefix = AzuriteFixture.UniquePrefix();
        var queue = new QueueClient(azurite.ConnectionString, prefix + "raw", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var table = new TableClient(azurite.ConnectionString, prefix + "raw");
        await queue.CreateIfNotExistsAsync(cancellationToken: ct);
        await table.CreateIfNotExistsAsync(ct);
        var state = new string('s', 200);
        await Parallel.ForEachAsync(Enumerable.Range(0, Messages), new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = ct }, async (i, token) =>
            await queue.SendMessageAsync(InboxMessageCodec.Encode(new InboxMessage($"acc-{i % Cases:D4}", $"d{i / Cases}", "{\"$type\":\"deposit\",\"amount\":1}")), token));

        var handled = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 2).Select(async loop =>
        {
            while (Volatile.Read(ref handled) < Messages)
            {
                var batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(60), ct)).Value;
                var groups = batch.GroupBy(m => { InboxMessageCodec.TryDecode(m.Body.ToString(), out var message, out _); return message!.CaseId; });
                await Parallel.ForEachAsync(groups, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (group, token) =>
                {
                    foreach (var m in group)
                    {
                        await table.SubmitTransactionAsync(
                        [
                            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(group.Key, "msg-" + m.MessageId)),
                            new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(group.Key, "state") { ["State"] = state }),
                        ], token);
                        await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt, token);
                        Interlocked.Increment(ref handled);
                    }
                });
            }
        }));
        return Messages / watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// 5,000 cases wait on a timer: 4,500 an hour away, 500 falling due spread over 10 seconds.
    /// One host; lateness is when the host recorded the reminder minus when it was due.
    /// </summary>
    private static async Task<BenchResult> TimerLatenessAsync(AzuriteFixture azurite, CancellationToken ct)
    {
        const int Waiting = 5_000, Due = 500;
        var (prefix, engine) = await NewEngineAsync(azurite, 1, ct);
        var ids = Enumerable.Range(0, Waiting).Select(i => $"wait-{i:D5}").ToList();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = ct }, async (id, token) =>
            await engine.Client.StartAsync(id, "far", new Remind(3600), token));

        using var host = HostProcess.Start(azurite, prefix);
        await host.Ready.WaitAsync(TimeSpan.FromSeconds(60), ct);
        var start = DateTimeOffset.UtcNow.AddSeconds(10);
        var soon = ids.Take(Due).ToList();
        await Parallel.ForEachAsync(soon.Select((id, i) => (id, i)), new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = ct }, async (x, token) =>
        {
            var due = start.AddSeconds(10.0 * x.i / Due);
            await engine.Client.StartAsync(x.id, "soon", new Remind((due - DateTimeOffset.UtcNow).TotalSeconds), token);
        });

        var lateness = new List<double>();
        var watch = Stopwatch.StartNew();
        foreach (var id in soon)
        {
            while (true)
            {
                var sent = (await engine.Store.ReadEventsAsync(id, ct)).FirstOrDefault(e => e.Type == nameof(ReminderSent));
                if (sent is not null)
                {
                    var due = engine.Engine.Serializer.DeserializeEvent(sent.Data) is ReminderSent r ? r.Due : throw new InvalidOperationException("not a reminder");
                    lateness.Add((sent.RecordedAt - due).TotalSeconds);
                    break;
                }

                if (watch.Elapsed > TimeSpan.FromMinutes(5))
                {
                    throw new TimeoutException($"Timer of {id} did not fire within 5 minutes.\n{host.Output}");
                }

                await Task.Delay(200, ct);
            }
        }

        await host.StopAsync();
        var sorted = lateness.Order().ToList();
        var p99 = sorted[(int)Math.Ceiling(0.99 * sorted.Count) - 1];
        return new BenchResult($"timer lateness p99, {Waiting:N0} waiting", "s", p99, sorted[0], sorted[^1], 1,
            string.Create(CultureInfo.InvariantCulture, $"{Due} due over 10 s, sweep every 0.5 s; median {sorted[sorted.Count / 2]:0.00} s; min/max are of the {Due} timers of one run"));
    }

    private static async Task<(string Prefix, AzureCaseEngine<AccountState, AccountMessage, AccountEvent> Engine)> NewEngineAsync(AzuriteFixture azurite, int shards, CancellationToken ct)
    {
        var prefix = AzuriteFixture.UniquePrefix();
        var clients = new StorageClients(new StorageOptions { ConnectionString = azurite.ConnectionString, Prefix = prefix });
        await StorageProvisioner.EnsureCreatedAsync(clients, ct);
        return (prefix, new AzureCaseEngine<AccountState, AccountMessage, AccountEvent>(clients, new AccountWorkflow(), [], TimeProvider.System, new EngineOptions { InboxShards = shards }));
    }

    /// <summary>A HuurIncasso.Engine.TestHost process; its "stats" lines count its storage requests.</summary>
    private sealed class HostProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private string? _baseline;
        private string? _last;

        private HostProcess(Process process) => _process = process;

        public Task Ready => _ready.Task;

        public string Output { get { lock (_output) { return _output.ToString(); } } }

        public static HostProcess Start(AzuriteFixture azurite, string prefix, params string[] extra)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
            foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "HuurIncasso.Engine.TestHost.dll"), "--connection", azurite.ConnectionString, "--prefix", prefix }.Concat(extra))
            {
                start.ArgumentList.Add(arg);
            }

            var host = new HostProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start the engine test host."));
            host._process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
            host._process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
            host._process.BeginOutputReadLine();
            host._process.BeginErrorReadLine();
            return host;
        }

        /// <summary>Closes its stdin (a clean stop that prints the final counts) and waits for it.</summary>
        public async Task StopAsync()
        {
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
        }

        /// <summary>Storage requests since it was ready, by "service operation".</summary>
        public Dictionary<string, long> Used()
        {
            var before = Parse(_baseline);
            return Parse(_last).ToDictionary(kv => kv.Key, kv => kv.Value - before.GetValueOrDefault(kv.Key));
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }

        private static Dictionary<string, long> Parse(string? stats) =>
            (stats ?? "").Split(';').Where(p => p.Contains('=', StringComparison.Ordinal))
                .Select(p => p.Split('=')).ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));

        private void OnLine(string? line)
        {
            if (line is null) return;
            if (line.StartsWith("stats ", StringComparison.Ordinal))
            {
                _last = line[6..];
                if (!_ready.Task.IsCompleted) _baseline = _last;
                return;
            }

            lock (_output) { _output.AppendLine(line); }
            if (line.StartsWith("ready", StringComparison.Ordinal)) _ready.TrySetResult();
        }
    }
}
