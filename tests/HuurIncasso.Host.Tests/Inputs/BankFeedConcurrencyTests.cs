using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HuurIncasso.Host.Inputs;
using HuurIncasso.Host.Tests.Faults;
using HuurIncasso.Testing;
using Microsoft.Extensions.DependencyInjection;
using static HuurIncasso.Host.Tests.Inputs.InputsFixtures;

namespace HuurIncasso.Host.Tests.Inputs;

/// <summary>
/// The bank feed handles the contracts of one delivery side by side. The same delivery sent twice
/// at once (a bank retrying while the first call still runs) and then once more must still put
/// every payment on its case exactly once, keep none on the contract as well, and leave one
/// unknown payment.
/// </summary>
public sealed class BankFeedConcurrencyTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task OneDeliveryTwiceAtOnceThenAgain_TwoPaymentsOfOneContractAnotherAndAnUnknown_EachPaymentOnceOnItsCase()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartHostAsync(azurite);
        (await host.SendAsync(LedgerUpload(Ledger), ct)).Dispose();
        await InputsApiTests.PollCaseAsync(host, CaseIdOf("300101"), c => c.GetProperty("status").GetString() == "Running", ct);
        await InputsApiTests.PollCaseAsync(host, CaseIdOf("300102"), c => c.GetProperty("status").GetString() == "Running", ct);

        // 300101 owes 700 and pays it in two parts; 300102 pays 650 by direct debit; one payment matches nothing.
        var statement = Camt053(1,
            CreditWithReference("PAR-1", 300m, "7000000000300101", "J. Visser", "NL44RABO0123456789"),
            CreditWithoutReference("PAR-U", 55m, "P. Onbekend", "NL18RABO0123459876"),
            DirectDebit("PAR-2", 650m, "MND-300102", "E2E-PAR-2"),
            CreditWithReference("PAR-3", 400m, "7000000000300101", "J. Visser", "NL44RABO0123456789"));

        var answers = await Task.WhenAll(SendAsync(host, statement, ct), SendAsync(host, statement, ct));
        foreach (var answer in answers)
        {
            Assert.Equal(4, answer.GetProperty("new").GetInt32() + answer.GetProperty("alreadyKnown").GetInt32());
        }

        var replay = await SendAsync(host, statement, ct);
        Assert.Equal(0, replay.GetProperty("new").GetInt32());
        Assert.Equal(4, replay.GetProperty("alreadyKnown").GetInt32());

        var visser = await InputsApiTests.PollCaseAsync(host, CaseIdOf("300101"), c => FaultData.AppliedPaymentIds(c).Count >= 2 && c.GetProperty("status").GetString() == "Completed", ct);
        var smit = await InputsApiTests.PollCaseAsync(host, CaseIdOf("300102"), c => FaultData.AppliedPaymentIds(c).Count >= 1 && c.GetProperty("status").GetString() == "Completed", ct);
        // A double would come from a message still on its way: give the inbox a moment, then look again.
        await Task.Delay(1000, ct);
        visser = await InputsApiTests.PollCaseAsync(host, CaseIdOf("300101"), _ => true, ct);
        smit = await InputsApiTests.PollCaseAsync(host, CaseIdOf("300102"), _ => true, ct);

        var visserPaid = FaultData.AppliedPaymentIds(visser);
        Assert.Equal(2, visserPaid.Count);
        Assert.Equal(2, visserPaid.Distinct(StringComparer.Ordinal).Count());
        Assert.Single(FaultData.AppliedPaymentIds(smit));

        var bank = host.Services.GetRequiredService<BankFeedService>();
        var rows = await bank.ListPaymentsAsync("300101", ct);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(CaseIdOf("300101"), r.CaseId));
        Assert.Equal(700m, rows.Sum(r => r.Amount));
        Assert.Equal(CaseIdOf("300102"), Assert.Single(await bank.ListPaymentsAsync("300102", ct)).CaseId);
        var register = host.Services.GetRequiredService<ContractRegister>();
        Assert.Empty((await register.GetAsync("300101", ct))!.UnappliedPayments);
        Assert.Empty((await register.GetAsync("300102", ct))!.UnappliedPayments);
        var unknown = Assert.Single(await bank.ListUnknownAsync(ct));
        Assert.Equal(55m, unknown.Amount);
    }

    private static async Task<JsonElement> SendAsync(RunningHost host, string statement, CancellationToken ct)
    {
        using var response = await host.SendAsync(Signed(statement, "application/xml"), ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(ct);
    }
}
