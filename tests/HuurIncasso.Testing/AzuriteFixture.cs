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
    private string _dataFolder = "";

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
    public static async Task<AzuriteFixture> StartAsync(CancellationToken cancellationToken = default)
    {
        var fixture = new AzuriteFixture();
        await fixture.StartCoreAsync(cancellationToken).ConfigureAwait(false);
        return fixture;
    }

    /// <inheritdoc />
    public ValueTask InitializeAsync() => new(StartCoreAsync(TestContext.Current.CancellationToken));

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var root = RepositoryRoot.Find();
        var script = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed at {script}. Run the README's test command (./test), which runs 'npm ci' first.");
        }

        var dataFolder = Path.Combine(Path.GetTempPath(), "huurincasso-azurite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataFolder);
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataFolder,
        };
        foreach (var arg in new[]
        {
            script, "--location", dataFolder, "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl",
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", "0", "--queuePort", "0", "--tablePort", "0",
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node for Azurite.");
        var log = _log;
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
            await allListening.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
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
        if (_process is null) return;
        TryKill(_process);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _process.Dispose();
        try { Directory.Delete(_dataFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

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
