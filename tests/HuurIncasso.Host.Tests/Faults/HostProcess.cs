using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace HuurIncasso.Host.Tests.Faults;

/// <summary>
/// The built <c>huurincasso</c> executable as a separate OS process (<c>dotnet huurincasso.dll serve</c>),
/// so a test can SIGKILL it: no finally blocks, no flushing, no graceful shutdown.
/// </summary>
internal sealed partial class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<HttpClient> _clients = [];

    private HostProcess(Process process) => _process = process;

    public Uri Address { get; private set; } = null!;

    /// <summary>Not signed in (the webhook needs no sign-in).</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    public string Output { get { lock (_output) { return _output.ToString(); } } }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the host with <paramref name="settings"/> as <c>--Key=value</c> arguments and waits until it listens.</summary>
    public static async Task<HostProcess> StartAsync(string connectionString, string prefix, IEnumerable<string> settings, CancellationToken cancellationToken)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "huurincasso.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"The host is not built next to the tests: {dll} is missing.");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        // Environment first: the test runner's own ASPNETCORE_/DOTNET_ settings must not leak in.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Storage__ConnectionString"] = connectionString;
        start.Environment["Storage__Prefix"] = prefix;
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("serve");
        foreach (var (user, i) in RunningHost.Users.Select((u, i) => (u, i)))
        {
            start.Environment[$"Auth__LocalUsers__{i}__Name"] = user.Name;
            start.Environment[$"Auth__LocalUsers__{i}__Password"] = user.Password;
            start.Environment[$"Auth__LocalUsers__{i}__Roles__0"] = user.Role;
        }

        foreach (var setting in RunningHost.DemoCorporation.Concat(settings))
        {
            // --A:B=c becomes A__B=c: values with spaces and semicolons pass untouched.
            var pair = setting.TrimStart('-').Split('=', 2);
            start.Environment[pair[0].Replace(":", "__", StringComparison.Ordinal)] = pair[1];
        }

        var host = new HostProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start the host."));
        host._process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        host._process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        try
        {
            host.Address = await host._listening.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch (TimeoutException)
        {
            host.Kill();
            throw new InvalidOperationException("The host did not listen within 60 s. Its output:\n" + host.Output);
        }

        host.Anonymous = host.NewClient();
        return host;
    }

    /// <summary>SIGKILL (Process.Kill on Linux), then waits until the process is gone.</summary>
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

    /// <summary>A client that signed in through the login page as <paramref name="name"/>.</summary>
    public async Task<HttpClient> LoginAsync(string name, CancellationToken cancellationToken)
    {
        var client = NewClient();
        var page = await client.GetStringAsync("/inloggen", cancellationToken);
        var token = AntiforgeryToken().Match(page).Groups[1].Value;
        using var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["naam"] = name,
            ["wachtwoord"] = RunningHost.Users.Single(u => u.Name == name).Password,
            ["terug"] = "/",
        }), cancellationToken);
        if (response.RequestMessage?.RequestUri?.AbsolutePath != "/")
        {
            throw new InvalidOperationException($"Login as {name} failed: ended at {response.RequestMessage?.RequestUri}.");
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        if (!_process.HasExited)
        {
            // A clean stop: closing stdin is not enough for the web host, so Ctrl+C's signal.
            using (var term = Process.Start(new ProcessStartInfo("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
            {
                if (term is not null) await term.WaitForExitAsync();
            }

            if (!_process.WaitForExit(10_000)) Kill();
        }

        _process.Dispose();
    }

    private HttpClient NewClient()
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        _clients.Add(client);
        return client;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_output) { _output.AppendLine(line); }
        var match = ListeningLine().Match(line);
        if (match.Success) _listening.TrySetResult(new Uri(match.Groups[1].Value));
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
