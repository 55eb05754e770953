using HuurIncasso.Azure.Storage;
using HuurIncasso.Engine;
using HuurIncasso.Testing;
using HuurIncasso.Testing.Engine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HuurIncasso.Azure.Tests.Engine;

public sealed class EngineRegistrationTests(AzuriteFixture azurite)
{
    private ServiceProvider Build(Dictionary<string, string?> settings, bool runWorkers)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddHuurIncassoStorage();
        services.AddSingleton<IEffectHandler, RecordingMailHandler>();
        services.AddHuurIncassoEngine<AccountState, AccountMessage, AccountEvent, AccountWorkflow>(runWorkers);
        return services.BuildServiceProvider(validateScopes: true);
    }

    [Fact]
    public async Task AddHuurIncassoEngine_ResolvesAWorkingClientAndTheWorkers()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = AzuriteFixture.UniquePrefix();
        await using var provider = Build(new() { ["Storage:ConnectionString"] = azurite.ConnectionString, ["Storage:Prefix"] = prefix, ["Engine:MaxDeliveries"] = "7" }, runWorkers: true);
        await StorageProvisioner.EnsureCreatedAsync(provider.GetRequiredService<StorageClients>(), ct);

        Assert.Equal(7, provider.GetRequiredService<IOptions<EngineOptions>>().Value.MaxDeliveries);
        var hosted = provider.GetServices<IHostedService>().ToList();
        Assert.Single(hosted.OfType<InboxWorker>());
        Assert.Single(hosted.OfType<SweepWorker>());
        var client = provider.GetRequiredService<CaseClient<AccountState, AccountMessage, AccountEvent>>();
        await client.StartAsync("case-di", "n", new Notify("hallo"), ct);
        Assert.Single(((RecordingMailHandler)provider.GetRequiredService<IEffectHandler>()).Sent);
    }

    [Fact]
    public void AddHuurIncassoEngine_InvalidOption_FailsValidationNamingIt()
    {
        using var provider = Build(new() { ["Engine:MaxDeliveries"] = "0" }, runWorkers: false);
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<EngineOptions>>().Value);
        Assert.Contains("MaxDeliveries", ex.Message, StringComparison.Ordinal);
    }
}
