using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace HuurIncasso.Testing;

/// <summary>
/// Starts a private Azurite from the repository's <c>node_modules</c> on ports the OS
/// chooses, with a temporary data folder, and stops it (and removes the folder) at the end.
/// Tests never assume a running emulator or fixed ports; they take <see cref="ConnectionString"/>
/// and isolate themselves with <see cref="UniquePrefix"/>.
/// </summary>
public sealed partial class AzuriteFixture : IAsyncLifetime
{
    /// <summary>The well-known development account key that Azurite accepts.</summary>
    public const string AccountName = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static int s_prefixCounter;

    private readonly StringBuilder _log = new();
    private Process? _process;

    /// <summary>CPU time the Azurite process has used so far (for benchmarks: is the emulator the bottleneck?).</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            if (_process is not { HasExited: false } process) return TimeSpan.Zero;
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }
    private string _dataFolder = "";
    private bool _inMemory;

    public int BlobPort { get; private set; }
    public int QueuePort { get; private set; }
    public int TablePort { get; private set; }

    /// <summary>A connection string for this emulator's three services.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    /// <summary>What Azurite printed, for failure messages.</summary>
    public string Log { get { lock (_log) { return _log.ToString(); } } }

    /// <summary>
    /// A storage prefix no other test in this process uses: lower-case letters and digits,
    /// starting with a letter, short enough for every table, queue and container name.
    /// </summary>
    public static string UniquePrefix()
    {
        var n = Interlocked.Increment(ref s_prefixCounter);
        return $"t{Environment.ProcessId % 10000:x}x{n:x}x";
    }

    /// <summary>Starts a new emulator outside xUnit (the bench uses this).</summary>
    /// <param name="inMemory">
    /// Keep everything in memory (Azurite's --inMemoryPersistence). On disk, Azurite writes its
    /// whole table and queue database out every 5 s, which costs more the more rows it holds;
    /// Azure storage has no such cost, so the bench can leave it out.
    /// </param>
    /// <param name="restartable">
    /// The test will stop and restart it (<see cref="RestartAsync"/>): listen on ports below the
    /// OS's range for outgoing connections. Ports the OS picks lie inside that range, where any
    /// other test's outgoing connection may take them while the emulator is down, and the
    /// restart could not have them back.
    /// </param>
    public static async Task<AzuriteFixture> StartAsync(bool inMemory = false, bool restartable = false, CancellationToken cancellationToken = default)
    {
        var fixture = new AzuriteFixture { _inMemory = inMemory };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await fixture.StartCoreAsync(cancellationToken, fixedPorts: restartable ? FreePortsBelowEphemeralRange() : null).ConfigureAwait(false);
                return fixture;
            }
            catch (InvalidOperationException) when (restartable && attempt < 5)
            {
                // Another process took one of the ports after we looked: pick others.
            }
        }
    }

    private static (int Blob, int Queue, int Table) FreePortsBelowEphemeralRange()
    {
        var ports = LoopbackPorts.FreeBelowEphemeralRange(3);
        return (ports[0], ports[1], ports[2]);
    }

    /// <inheritdoc />
    public ValueTask InitializeAsync() => new(StartCoreAsync(TestContext.Current.CancellationToken));

    /// <summary>
    /// Stops the emulator as an outage would, but lets it save its data first (SIGTERM: Azurite
    /// writes its databases on shutdown; SIGKILL could lose the last seconds, which a real
    /// storage account never does). <see cref="RestartAsync"/> brings it back.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_process is not { } process || process.HasExited) return;
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
        {
            if (kill is not null) await kill.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            // Closing waits for open keep-alive connections; a few seconds is plenty.
            await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(15), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            TryKill(process);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }

        process.Dispose();
        _process = null;
    }

    /// <summary>Starts the emulator again on the same ports with the same data folder, after <see cref="StopAsync"/>.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        if (_process is { HasExited: false }) throw new InvalidOperationException("Azurite still runs: stop it first.");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                await StartCoreAsync(cancellationToken, _dataFolder, (BlobPort, QueuePort, TablePort)).ConfigureAwait(false);
                return;
            }
            catch (InvalidOperationException) when (DateTime.UtcNow < deadline)
            {
                // The old sockets may linger for a moment; try again.
                await Task.Delay(250, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken, string? existingFolder = null, (int Blob, int Queue, int Table)? fixedPorts = null)
    {
        var root = RepositoryRoot.Find();
        var script = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed at {script}. Run the README's test command (./test), which runs 'npm ci' first.");
        }

        var dataFolder = existingFolder ?? Path.Combine(Path.GetTempPath(), "huurincasso-azurite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataFolder);
        var (blobPort, queuePort, tablePort) = fixedPorts ?? (0, 0, 0);
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataFolder,
        };
        foreach (var arg in new[]
        {
            script, "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl",
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", Port(blobPort), "--queuePort", Port(queuePort), "--tablePort", Port(tablePort),
        })
        {
            start.ArgumentList.Add(arg);
        }

        // In memory, Azurite takes no --location (it would refuse to start).
        foreach (var arg in _inMemory ? ["--inMemoryPersistence"] : new[] { "--location", dataFolder })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node for Azurite.");
        var log = _log;
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => exited.TrySetResult();
        var ports = new Dictionary<string, int>();
        var allListening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (log) { log.AppendLine(line); }
            var match = ListeningLine().Match(line);
            if (!match.Success) return;
            lock (ports)
            {
                ports[match.Groups["service"].Value] = int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
                if (ports.Count == 3) allListening.TrySetResult();
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            // A port still taken ends the process at once: no need to wait the full minute.
            await Task.WhenAny(allListening.Task, exited.Task).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            if (!allListening.Task.IsCompleted)
            {
                string text;
                lock (log) { text = log.ToString(); }
                process.Dispose();
                throw new InvalidOperationException($"Azurite stopped before it listened. Its output:\n{text}");
            }
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            TryKill(process);
            string text;
            lock (log) { text = log.ToString(); }
            throw new InvalidOperationException($"Azurite did not start within 60 s. Its output:\n{text}", ex);
        }

        _process = process;
        _dataFolder = dataFolder;
        BlobPort = ports["Blob"];
        QueuePort = ports["Queue"];
        TablePort = ports["Table"];
    }

    /// <summary>Stops the emulator and removes its data.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_process is null)
        {
            if (_dataFolder.Length > 0)
            {
                try { Directory.Delete(_dataFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }

            return;
        }

        TryKill(_process);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _process.Dispose();
        try { Directory.Delete(_dataFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void TryKill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at http://[^:]+:(?<port>\d+)")]
    private static partial Regex ListeningLine();
}
