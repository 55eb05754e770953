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
internal sealed class RunningHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Address { get; }
    public HttpClient Client { get; }
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
        return new RunningHost(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
