using System.Net;
using System.Text.RegularExpressions;
using HuurIncasso.Host.Storage;
using HuurIncasso.Host.Web;
using HuurIncasso.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace HuurIncasso.Host.Tests;

/// <summary>
/// The real host on Kestrel, on a port the OS picks, with a storage prefix of its own:
/// tests talk to it over real HTTP.
/// </summary>
internal sealed partial class RunningHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private readonly List<HttpClient> _clients = [];

    private readonly Dictionary<HttpClient, CookieContainer> _cookies = [];

    private RunningHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Anonymous = NewClient();
        Client = Anonymous;
    }

    /// <summary>The local users every test host knows: name, password, roles.</summary>
    /// <summary>The sender every letter needs; the host refuses to start without one.</summary>
    public static readonly string[] DemoCorporation =
    [
        "--Corporation:Name=Woonstichting Test", "--Corporation:Street=Testlaan 1", "--Corporation:PostalCode=3511 AA",
        "--Corporation:City=Utrecht", "--Corporation:Phone=030 000 00 00", "--Corporation:Email=test@voorbeeld.example",
        "--Corporation:Iban=NL91ABNA0417164300", "--Documents:PdfSharpLicense=AGPL",
    ];

    public static readonly (string Name, string Password, string Role)[] Users =
    [
        ("ans", "ans-wachtwoord", "consultant"),
        ("bram", "bram-wachtwoord", "consultant"),
        ("tess", "tess-wachtwoord", "teamlead"),
        ("tim", "tim-wachtwoord", "teamlead"),
        ("beheer", "beheer-wachtwoord", "admin"),
        ("erp", "erp-wachtwoord", "erp"),
    ];

    public Uri Address { get; }

    /// <summary>Signed in as the admin ("beheer") once the host runs.</summary>
    public HttpClient Client { get; private set; }

    /// <summary>Not signed in.</summary>
    public HttpClient Anonymous { get; }
    public IServiceProvider Services => _app.Services;

    public static Task<RunningHost> StartAsync(AzuriteFixture azurite, params string[] extraArgs) =>
        StartAsync(azurite.ConnectionString, waitForStorage: true, extraArgs);

    public static Task<RunningHost> StartAsync(string connectionString, bool waitForStorage, params string[] extraArgs) =>
        StartAsync(connectionString, waitForStorage, configure: null, extraArgs);

    /// <summary>Starts the host; <paramref name="configure"/> adds services (e.g. a test sign-in) before it is built.</summary>
    public static async Task<RunningHost> StartAsync(string connectionString, bool waitForStorage, Action<WebApplicationBuilder>? configure, params string[] extraArgs)
    {
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--environment", "Testing",
            .. Users.SelectMany((u, i) => new[] { $"--Auth:LocalUsers:{i}:Name={u.Name}", $"--Auth:LocalUsers:{i}:Password={u.Password}", $"--Auth:LocalUsers:{i}:Roles:0={u.Role}" }),
            .. DemoCorporation,
            $"--Storage:ConnectionString={connectionString}",
            $"--Storage:Prefix={AzuriteFixture.UniquePrefix()}",
            .. extraArgs,
        ];
        var app = HuurIncassoWebHost.Build(args, configure);
        await app.StartAsync(TestContext.Current.CancellationToken);
        if (waitForStorage)
        {
            await app.Services.GetRequiredService<StorageReadiness>().WhenReadyAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30));
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var host = new RunningHost(app, new Uri(address));
        host.Client = await host.LoginAsync("beheer");
        return host;
    }

    /// <summary>A client that went through the login page as <paramref name="name"/> (cookie kept), landing on <paramref name="landing"/>.</summary>
    public async Task<HttpClient> LoginAsync(string name, string landing = "/")
    {
        var ct = TestContext.Current.CancellationToken;
        var client = NewClient();
        var page = await client.GetStringAsync("/inloggen", ct);
        var token = AntiforgeryToken().Match(page).Groups[1].Value;
        var password = Users.Single(u => u.Name == name).Password;
        using var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["naam"] = name,
            ["wachtwoord"] = password,
            ["terug"] = landing,
        }), ct);
        if (response.RequestMessage?.RequestUri?.AbsolutePath != landing)
        {
            throw new InvalidOperationException($"Login as {name} failed: ended at {response.RequestMessage?.RequestUri}.");
        }

        return client;
    }

    private HttpClient NewClient()
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        _clients.Add(client);
        _cookies[client] = cookies;
        return client;
    }

    /// <summary>The Cookie header <paramref name="client"/> sends (e.g. to replay a signed-in request elsewhere).</summary>
    public string CookieHeader(HttpClient client) => _cookies[client].GetCookieHeader(Address);

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
