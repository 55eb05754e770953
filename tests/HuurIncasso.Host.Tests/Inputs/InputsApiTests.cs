using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HuurIncasso.Testing;
using Microsoft.Extensions.DependencyInjection;
using static HuurIncasso.Host.Tests.Inputs.InputsFixtures;

namespace HuurIncasso.Host.Tests.Inputs;

public sealed class InputsApiTests(AzuriteFixture azurite)
{
    private const string JsonEvent = """
        {"id":"evt-1","bookingDate":"2026-11-20","amount":"10.00","direction":"credit","counterpartyName":"X. Onbekend","counterpartyIban":"NL44RABO0123456789","remittance":"gift"}
        """;

    [Fact]
    public async Task Webhook_ValidSignatureThenSameEventAgain_SecondChangesNothingAndSaysSo()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartHostAsync(azurite);

        using var first = await host.SendAsync(Signed(JsonEvent, "application/json"), ct);
        using var second = await host.SendAsync(Signed(JsonEvent, "application/json"), ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var a = await first.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(1, a.GetProperty("new").GetInt32());
        Assert.Equal(1, a.GetProperty("unknown").GetInt32());
        var b = await second.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(0, b.GetProperty("new").GetInt32());
        Assert.Equal(1, b.GetProperty("alreadyKnown").GetInt32());
    }

    [Fact]
    public async Task Webhook_ReplayedDelivery_IsAcceptedOnceAndTheRepeatChangesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartHostAsync(azurite);
        var at = DateTimeOffset.UtcNow;

        using var first = await host.SendAsync(Signed(JsonEvent, "application/json", at: at, id: "msg_replay"), ct);
        using var replay = await host.SendAsync(Signed(JsonEvent, "application/json", at: at, id: "msg_replay"), ct);

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(1, (await first.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("new").GetInt32());
        Assert.Equal(0, (await replay.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("new").GetInt32());
        var unknown = await GetUnknownAsync(host, ct);
        Assert.Single(unknown.EnumerateArray());
    }

    [Theory]
    // Signed with another secret.
    [InlineData("wrong-secret", 0)]
    // Signed correctly, but ten minutes ago: a replay outside the tolerance.
    [InlineData(null, -10)]
    public async Task Webhook_BadSignature_Returns401AndAppliesNothing(string? secret, int minutes)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartHostAsync(azurite);

        using var response = await host.SendAsync(Signed(JsonEvent, "application/json", secret, DateTimeOffset.UtcNow.AddMinutes(minutes)), ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty((await GetUnknownAsync(host, ct)).EnumerateArray());
    }

    [Fact]
    public async Task Webhook_WithoutSignatureHeaders_Returns401()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartHostAsync(azurite);

        using var response = await host.Client.PostAsync("/api/bank/webhook", new StringContent(JsonEvent, Encoding.UTF8, "application/json"), ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Webhook_BodyAboveMaxBodyBytes_Returns413()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartHostAsync(azurite, "--Bank:MaxBodyBytes=1000");

        using var response = await host.SendAsync(Signed("[" + string.Join(",", Enumerable.Repeat(JsonEvent, 10)) + "]", "application/json"), ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    // Broken JSON.
    [InlineData("{\"id\":", "application/json")]
    // An event without its amount.
    [InlineData("{\"id\":\"e\",\"bookingDate\":\"2026-11-20\",\"direction\":\"credit\"}", "application/json")]
    // Neither XML nor JSON.
    [InlineData("hallo bank", "text/plain")]
    public async Task Webhook_MalformedBody_Returns400ProblemWithReason(string body, string contentType)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartHostAsync(azurite);

        using var response = await host.SendAsync(Signed(body, contentType), ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }

    [Theory]
    // Nobody signed in.
    [InlineData(null, HttpStatusCode.Unauthorized)]
    // A consultant may not import.
    [InlineData("consultant", HttpStatusCode.Forbidden)]
    public async Task LedgerImport_WithoutAdminRole_IsRefused(string? role, HttpStatusCode expected)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartHostAsync(azurite);

        using var response = await host.SendAsync(LedgerUpload(Ledger, role), ct);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task LedgerImport_FileWithABadRow_ImportsTheGoodRowsAndReportsLineAndColumn()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartHostAsync(azurite);

        using var response = await host.SendAsync(LedgerUpload(Ledger), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(5, result.GetProperty("rows").GetInt32());
        Assert.Equal(4, result.GetProperty("accepted").GetInt32());
        Assert.Equal(1, result.GetProperty("rejected").GetInt32());
        Assert.Equal(3, result.GetProperty("casesOpened").GetInt32());
        var error = Assert.Single(result.GetProperty("errors").EnumerateArray());
        Assert.Equal(6, error.GetProperty("line").GetInt32());
        Assert.Equal("huur", error.GetProperty("column").GetString());
        Assert.EndsWith(".rejected.csv", result.GetProperty("rejectionBlob").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndToEnd_LedgerThenCamt053_ClosesPaidCasesAndRepeatsChangeNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartHostAsync(azurite);
        using (var import = await host.SendAsync(LedgerUpload(Ledger), ct))
        {
            Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        }

        var statement = Camt053(1,
            CreditWithReference("E2E-1", 700m, "7000000000300101", "J. Visser", "NL44RABO0123456789"),
            DirectDebit("E2E-2", 650m, "MND-300102", "E2E-DD-300102"));
        using var posted = await host.SendAsync(Signed(statement, "application/xml"), ct);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var first = await posted.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(2, first.GetProperty("new").GetInt32());
        Assert.Equal(2, first.GetProperty("applied").GetInt32());

        var visser = await PollCaseAsync(host, CaseIdOf("300101"), "Completed", ct);
        var smit = await PollCaseAsync(host, CaseIdOf("300102"), "Completed", ct);
        Assert.Contains("CaseClosed", Types(visser));
        Assert.Contains("CaseClosed", Types(smit));
        var smitPayments = await host.Services.GetRequiredService<HuurIncasso.Host.Inputs.BankFeedService>().ListPaymentsAsync("300102", ct);
        Assert.Equal("MandateOrEndToEnd", Assert.Single(smitPayments).Method);
        // 300103 still owes its rent; 300104 owed nothing and got no case.
        await PollCaseAsync(host, CaseIdOf("300103"), "Running", ct);
        using (var none = await host.Client.GetAsync($"/api/cases/{CaseIdOf("300104")}", ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        }

        // The same statement again: every entry is known, nothing changes.
        using var again = await host.SendAsync(Signed(statement, "application/xml"), ct);
        var second = await again.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(0, second.GetProperty("new").GetInt32());
        Assert.Equal(2, second.GetProperty("alreadyKnown").GetInt32());

        // The same ledger file again: recognised by its hash, no message sent.
        using var reimport = await host.SendAsync(LedgerUpload(Ledger), ct);
        var reimported = await reimport.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.True(reimported.GetProperty("alreadyProcessed").GetBoolean());
        await Task.Delay(500, ct);
        var visserAfter = await host.Client.GetFromJsonAsync<JsonElement>($"/api/cases/{CaseIdOf("300101")}", ct);
        Assert.Equal(visser.GetProperty("sequence").GetInt64(), visserAfter.GetProperty("sequence").GetInt64());
        Assert.Equal("Completed", visserAfter.GetProperty("status").GetString());
    }

    [Fact]
    public async Task UnknownPayment_AssignedByAPerson_ClosesTheCaseAndTeachesTheIban()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartHostAsync(azurite);
        (await host.SendAsync(LedgerUpload(Ledger), ct)).Dispose();
        await PollCaseAsync(host, CaseIdOf("300103"), "Running", ct);

        var statement = Camt053(7, CreditWithoutReference("UNK-1", 800m, "P. Jansen", "NL18RABO0123459876"));
        using var posted = await host.SendAsync(Signed(statement, "application/xml"), ct);
        Assert.Equal(1, (await posted.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("unknown").GetInt32());

        var unknown = Assert.Single((await GetUnknownAsync(host, ct)).EnumerateArray());
        var id = unknown.GetProperty("id").GetString()!;
        using var assign = new HttpRequestMessage(HttpMethod.Post, $"/api/payments/unknown/{id}/assign")
        {
            Content = JsonContent.Create(new { contractId = "300103", by = "iemand-anders" }),
        };
        assign.Headers.Add(TestSignIn.Header, "consultant");
        using var assigned = await host.SendAsync(assign, ct);
        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);

        var closed = await PollCaseAsync(host, CaseIdOf("300103"), "Completed", ct);
        Assert.Contains("PaymentApplied", Types(closed));
        Assert.Empty((await GetUnknownAsync(host, ct)).EnumerateArray());
        using var paymentsRequest = new HttpRequestMessage(HttpMethod.Get, "/api/contracts/300103/payments");
        paymentsRequest.Headers.Add(TestSignIn.Header, "consultant");
        using var paymentsResponse = await host.SendAsync(paymentsRequest, ct);
        var payment = Assert.Single((await paymentsResponse.Content.ReadFromJsonAsync<JsonElement>(ct)).EnumerateArray());
        Assert.Equal("Manual", payment.GetProperty("method").GetString());
        // The signed-in consultant, never the "by" in the body.
        Assert.Equal("toegewezen door ans", payment.GetProperty("explanation").GetString());
        Assert.Equal(CaseIdOf("300103"), payment.GetProperty("caseId").GetString());

        // The IBAN is learned: the next payment from it matches by itself.
        var next = Camt053(8, CreditWithoutReference("UNK-2", 800m, "P. Jansen", "NL18RABO0123459876"));
        using var nextPosted = await host.SendAsync(Signed(next, "application/xml"), ct);
        var nextResult = await nextPosted.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(0, nextResult.GetProperty("unknown").GetInt32());
    }

    [Fact]
    public async Task Reversal_OfTheDirectDebitThatClosedTheCase_ReopensIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartHostAsync(azurite);
        (await host.SendAsync(LedgerUpload(Ledger), ct)).Dispose();
        (await host.SendAsync(Signed(Camt053(1, DirectDebit("DD-1", 650m, "MND-300102", "E2E-DD-300102")), "application/xml"), ct)).Dispose();
        await PollCaseAsync(host, CaseIdOf("300102"), "Completed", ct);

        var returned = Camt053(2, DirectDebit("DD-R1", 650m, "MND-300102", "E2E-DD-300102", returnReason: "MD06"));
        using var posted = await host.SendAsync(Signed(returned, "application/xml"), ct);
        Assert.Equal(1, (await posted.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("applied").GetInt32());

        var reopened = await PollCaseAsync(host, CaseIdOf("300102"), "Running", ct);
        Assert.Contains("DirectDebitReversed", Types(reopened));
        Assert.Contains("CaseReopened", Types(reopened));
    }

    [Fact]
    public async Task LedgerImport_RunningCaseNowPaidInTheErp_RestatementClosesIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartHostAsync(azurite);
        (await host.SendAsync(LedgerUpload(Ledger), ct)).Dispose();
        await PollCaseAsync(host, CaseIdOf("300103"), "Running", ct);

        // Next month's export: 300103 paid at the counter, the ERP's balance is zero.
        var paid = Ledger.Replace("300103;L. de Boer;Lindelaan 3;3532 AB;Utrecht;;;;01-05-2021;;woning;800,00;800,00;800,00", "300103;L. de Boer;Lindelaan 3;3532 AB;Utrecht;;;;01-05-2021;;woning;800,00;0,00;0,00", StringComparison.Ordinal);
        using var response = await host.SendAsync(LedgerUpload(paid), ct);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.False(result.GetProperty("alreadyProcessed").GetBoolean());
        Assert.Equal(0, result.GetProperty("casesOpened").GetInt32());
        Assert.Equal(3, result.GetProperty("casesRestated").GetInt32());

        var closed = await PollCaseAsync(host, CaseIdOf("300103"), "Completed", ct);
        Assert.Contains("BalanceDifferenceFound", Types(closed));
    }

    [Fact]
    public async Task Payment_ForAContractWithoutRunningCase_IsKeptOnTheContractWithHowItMatched()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartHostAsync(azurite);
        (await host.SendAsync(LedgerUpload(Ledger), ct)).Dispose();
        (await host.SendAsync(Signed(Camt053(1, CreditWithReference("K-1", 700m, "7000000000300101", "J. Visser", "NL44RABO0123456789")), "application/xml"), ct)).Dispose();
        await PollCaseAsync(host, CaseIdOf("300101"), "Completed", ct);

        // December's rent paid early: the case is closed, so the payment waits on the contract.
        using var posted = await host.SendAsync(Signed(Camt053(2, CreditWithReference("K-2", 700m, "7000000000300101", "J. Visser", "NL44RABO0123456789")), "application/xml"), ct);
        Assert.Equal(1, (await posted.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("keptOnContract").GetInt32());

        var register = host.Services.GetRequiredService<HuurIncasso.Host.Inputs.ContractRegister>();
        var contract = await register.GetAsync("300101", ct);
        var kept = Assert.Single(contract!.UnappliedPayments);
        Assert.Equal(700m, kept.Amount);
        Assert.Equal("StructuredReference", kept.Method);
        Assert.False(string.IsNullOrWhiteSpace(kept.Explanation));
        Assert.Equal("Visser", contract.Ledger!.TenantNames[0][3..]);
    }

    [Fact]
    public async Task LedgerImport_AsMultipartFile_IsImportedUnderItsName()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartHostAsync(azurite);
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(Ledger, Encoding.UTF8, "text/csv"), "file", "grootboek-2026-11.csv");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ledger/imports") { Content = form };
        request.Headers.Add(TestSignIn.Header, "admin");

        using var response = await host.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal("grootboek-2026-11.csv", result.GetProperty("fileName").GetString());
        Assert.Equal(4, result.GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task LedgerImport_FileWithoutTheRequiredHeader_Returns400SayingWhat()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartHostAsync(azurite);

        using var response = await host.SendAsync(LedgerUpload("naam;bedrag\nJan;12\n"), ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Contains("regel 1", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static List<string?> Types(JsonElement view) =>
        [.. view.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("type").GetString())];

    private static async Task<JsonElement> GetUnknownAsync(RunningHost host, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/payments/unknown");
        request.Headers.Add(TestSignIn.Header, "consultant");
        using var response = await host.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(ct);
    }

    private static Task<JsonElement> PollCaseAsync(RunningHost host, string caseId, string status, CancellationToken ct) =>
        PollCaseAsync(host, caseId, c => c.GetProperty("status").GetString() == status, ct);

    /// <summary>The case as the management API shows it, once <paramref name="done"/> holds (at most 30 s).</summary>
    internal static async Task<JsonElement> PollCaseAsync(RunningHost host, string caseId, Func<JsonElement, bool> done, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await host.Client.GetAsync($"/api/cases/{caseId}", ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                last = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
                if (done(last)) return last;
            }

            await Task.Delay(100, ct);
        }

        Assert.Fail($"Case {caseId} did not get there within 30 s; last seen: {(last.ValueKind == JsonValueKind.Undefined ? "not found" : last.GetRawText())}.");
        return last;
    }
}
