using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HuurIncasso.Host.Inputs;
using HuurIncasso.Host.Tests.Inputs;
using HuurIncasso.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HuurIncasso.Host.Tests.Faults;

/// <summary>
/// Found by the webhook-burst fault test on a loaded machine: payments that arrive while the
/// import's opening of their case is still in the inbox. The first is parked by the inbox; the
/// engine then shows the case as "suspended, sequence 0", and the second used to be kept on the
/// contract instead, so the case never saw it.
/// </summary>
public sealed class PaymentsBeforeTheirCaseTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task SeveralPaymentsBeforeTheCaseOpens_AllParked_AllAppliedWhenItOpens()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await InputsFixtures.StartHostAsync(azurite, "--Ledger:Schedule=off");
        const string Contract = "860000";
        var caseId = InputsFixtures.CaseIdOf(Contract);
        var owing = FaultData.Ledger(860000, 1);
        var nothingOwed = owing.Replace(";1400,00;700,00;700,00;", ";0,00;0,00;0,00;", StringComparison.Ordinal);
        using (var first = await host.Client.PostAsync("/api/ledger/imports", new StringContent(nothingOwed, Encoding.UTF8, "text/csv"), ct))
        {
            Assert.Equal(0, (await first.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("casesOpened").GetInt32());
        }

        // The moment between an import's register write and its opening message: the contract points at a case that does not exist yet.
        var register = host.Services.GetRequiredService<ContractRegister>();
        var entry = await register.GetAsync(Contract, ct);
        await register.UpsertLedgerAsync([(entry!.Ledger!, caseId)], ct);

        await PostAsync(host, new FaultData.Payment("evt-early-1", Contract, 100m), ct);
        await FaultData.WaitUntilAsync(async () => (await FaultData.GetCaseAsync(host.Client, caseId, ct))?.GetProperty("parkedMessages").GetInt32() == 1 ? null : "first payment not parked", TimeSpan.FromSeconds(30), ct);
        var second = await PostAsync(host, new FaultData.Payment("evt-early-2", Contract, 200m), ct);

        Assert.Equal(1, second.GetProperty("applied").GetInt32());
        Assert.Equal(0, second.GetProperty("keptOnContract").GetInt32());
        Assert.Empty((await register.GetAsync(Contract, ct))!.UnappliedPayments);

        // The import's opening arrives: both payments come out of the park.
        using (var open = await host.Client.PostAsync("/api/ledger/imports", new StringContent(owing, Encoding.UTF8, "text/csv"), ct))
        {
            Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        }

        await FaultData.WaitUntilAsync(async () =>
            await FaultData.GetCaseAsync(host.Client, caseId, ct) is { } view && FaultData.AppliedPaymentIds(view).Count == 2 ? null : "payments not applied", TimeSpan.FromSeconds(30), ct);
    }

    private static async Task<JsonElement> PostAsync(RunningHost host, FaultData.Payment payment, CancellationToken ct)
    {
        using var response = await host.Anonymous.SendAsync(InputsFixtures.Signed(FaultData.JsonEvents([payment]), "application/json"), ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(ct);
    }
}
