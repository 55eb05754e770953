using System.Net;
using System.Text;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Host.Tests.Inputs;
using HuurIncasso.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HuurIncasso.Host.Tests.Faults;

/// <summary>
/// Storage goes away while the host works and comes back on the same address with its data:
/// the host reports itself unhealthy, refuses what it cannot store, and carries on afterwards
/// with nothing lost or doubled. A dedicated Azurite, so the other tests keep theirs.
/// </summary>
public sealed class StorageOutageTests
{
    [Fact]
    public async Task AzuriteStoppedAndRestartedDuringProcessing_HostWaitsAndRecovers_NothingLostOrDoubled()
    {
        var ct = TestContext.Current.CancellationToken;
        const int Contracts = 12;
        const int FirstContract = 840000;
        await using var storage = await AzuriteFixture.StartAsync(restartable: true, cancellationToken: ct);
        await using var sink = await MailSink.StartAsync();
        await using var host = await RunningHost.StartAsync(storage.ConnectionString, waitForStorage: true, configure: null,
        [
            .. sink.HostArgs,
            $"--Bank:WebhookSecrets:0={InputsFixtures.Secret}",
            "--Engine:IdlePollDelay=00:00:00.100",
            "--Engine:SweepInterval=00:00:00.500",
            "--Engine:EffectSweepAge=00:00:02",
            "--Engine:RetryBackoff=00:00:00.200",
            "--Ledger:Schedule=off",
        ]);
        var prefix = host.Services.GetRequiredService<StorageClients>().Names.Prefix;
        using (var import = await host.Client.PostAsync("/api/ledger/imports?fileName=grootboek.csv", new StringContent(FaultData.Ledger(FirstContract, Contracts), Encoding.UTF8, "text/csv"), ct))
        {
            Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        }

        var (json, camt) = FaultData.Instalments(FirstContract, Contracts);

        var deliveries = new Deliveries(json, camt, perDelivery: 2, firstSequence: 1);
        var firstHalf = Enumerable.Range(0, deliveries.Count / 2).ToList();
        var secondHalf = Enumerable.Range(deliveries.Count / 2, deliveries.Count - deliveries.Count / 2).ToList();
        await deliveries.SendAsync(host.Anonymous, firstHalf, parallel: 4, ct);
        Assert.Equal(firstHalf.Count, deliveries.Succeeded);
        FaultData.Step("outage: first half delivered, stopping storage");

        // The engine is still applying the first half and sending reminders when storage goes.
        await storage.StopAsync(ct);
        await FaultData.WaitUntilAsync(async () => await HealthAsync(host, ct) == HttpStatusCode.ServiceUnavailable ? null : "health still says OK", TimeSpan.FromSeconds(60), ct);
        await deliveries.SendAsync(host.Anonymous, secondHalf, parallel: 4, ct);
        Assert.DoesNotContain(secondHalf, i => deliveries.Answers[i] == HttpStatusCode.OK);
        FaultData.Step("outage: second half refused, restarting storage");

        await storage.RestartAsync(ct);
        await FaultData.WaitUntilAsync(async () => await HealthAsync(host, ct) == HttpStatusCode.OK ? null : "health not OK yet", TimeSpan.FromSeconds(60), ct);
        // The bank delivers again what it got no 200 for.
        await deliveries.SendAsync(host.Anonymous, deliveries.NotSucceeded.ToList(), parallel: 4, ct);
        Assert.Empty(deliveries.NotSucceeded);
        FaultData.Step("outage: redelivered after restart");

        await PaymentChecks.AssertEveryPaymentAppliedOnceAsync(host.Client, storage.ConnectionString, prefix, [.. json, .. camt], InputsFixtures.CaseIdOf, ct);
        await PaymentChecks.AssertMailsSettledOnceAsync(host.Client, sink, storage.ConnectionString, prefix,
            Enumerable.Range(0, Contracts).Select(i => InputsFixtures.CaseIdOf(FaultData.ContractId(FirstContract, i))), ct);
        using var poison = await host.Client.GetAsync("/api/poison", ct);
        Assert.Equal("[]", await poison.Content.ReadAsStringAsync(ct));
        FaultData.Step("outage: checked");
    }

    private static async Task<HttpStatusCode> HealthAsync(RunningHost host, CancellationToken ct)
    {
        using var response = await host.Anonymous.GetAsync("/health", ct);
        return response.StatusCode;
    }
}
