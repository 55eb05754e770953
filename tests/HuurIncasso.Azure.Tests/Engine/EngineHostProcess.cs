using System.Diagnostics;
using System.Text;
using HuurIncasso.Testing;

namespace HuurIncasso.Azure.Tests.Engine;

/// <summary>A real HuurIncasso.Engine.TestHost process on the fixture's Azurite.</summary>
public sealed class EngineHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private EngineHostProcess(Process process)
    {
        _process = process;
    }

    public string? LastStats { get; private set; }

    public string Output { get { lock (_output) { return _output.ToString(); } } }

    public bool HasExited => _process.HasExited;

    public static EngineHostProcess Start(AzuriteFixture azurite, string prefix, params string[] extra)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "HuurIncasso.Engine.TestHost.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "--connection", azurite.ConnectionString, "--prefix", prefix }.Concat(extra))
        {
            start.ArgumentList.Add(arg);
        }

        var host = new EngineHostProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start the engine test host."));
        host._process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        host._process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        return host;
    }

    public Task WaitReadyAsync(CancellationToken cancellationToken) =>
        _ready.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);

    /// <summary>SIGKILL: no clean-up, no finally blocks, no flushing.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited already.
        }

        _process.WaitForExit(10_000);
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Task.CompletedTask;
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        if (line.StartsWith("stats ", StringComparison.Ordinal))
        {
            LastStats = line[6..];
            return;
        }

        lock (_output) { _output.AppendLine(line); }
        if (line.StartsWith("ready", StringComparison.Ordinal)) _ready.TrySetResult();
    }
}
