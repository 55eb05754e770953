using System.Net;
using System.Text.Json;
using HuurIncasso.Testing;

namespace HuurIncasso.Host.Tests;

public sealed class HealthApiTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task GetHealth_WithAzurite_ReportsAllThreeServicesHealthy()
    {
        await using var host = await RunningHost.StartAsync(azurite);

        using var response = await host.Client.GetAsync("/health", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Healthy", doc.RootElement.GetProperty("status").GetString());
        var services = doc.RootElement.GetProperty("services");
        foreach (var service in new[] { "table", "queue", "blob" })
        {
            Assert.Equal("Healthy", services.GetProperty(service).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task GetHealth_StorageUnreachable_Returns503AndSaysWhichService()
    {
        // A port nothing listens on: the host must still start and tell IT what is wrong. Below
        // the range other tests' listeners and connections use, so none of them can take it meanwhile.
        var deadPort = LoopbackPorts.FreeBelowEphemeralRange(1)[0];
        var deadStorage =
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            $"BlobEndpoint=http://127.0.0.1:{deadPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{deadPort}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{deadPort}/devstoreaccount1;";
        await using var host = await RunningHost.StartAsync(deadStorage, waitForStorage: false);

        using var response = await host.Client.GetAsync("/health", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Unhealthy", doc.RootElement.GetProperty("status").GetString());
        var table = doc.RootElement.GetProperty("services").GetProperty("table");
        Assert.Equal("Unhealthy", table.GetProperty("status").GetString());
        Assert.Contains("Table storage", table.GetProperty("description").GetString(), StringComparison.Ordinal);
    }
}
