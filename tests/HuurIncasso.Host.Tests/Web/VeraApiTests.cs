using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Testing;
using static HuurIncasso.Host.Tests.Web.AuthTests;

namespace HuurIncasso.Host.Tests.Web;

/// <summary>The VERA INC resources an ERP reads: field names and codes from LEGAL.md, role erp (or admin).</summary>
public sealed class VeraApiTests(AzuriteFixture azurite)
{
    private static string Day(int fromToday) =>
        DateOnly.FromDateTime(DateTime.UtcNow).AddDays(fromToday).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Betalingsregelingen_AfterAnArrangement_InVeraShape_AndPaidOffIsBeeAfb()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite, "--Engine:IdlePollDelay=00:00:00.100");
        await OpenCaseAsync(host, "V-1", balance: 1400m);
        var ans = await host.LoginAsync("ans");
        (await CommandAsync(ans, "V-1", "arrangement", new { commandId = "v1-reg", instalments = 4, firstDueDate = Day(7) })).Dispose();
        var erp = await host.LoginAsync("erp", landing: "/geen-toegang");

        var list = await erp.GetFromJsonAsync<JsonElement>("/api/vera/betalingsregelingen", ct);

        var regeling = Assert.Single(list.EnumerateArray());
        Assert.Equal("V-1-R1", regeling.GetProperty("id").GetString());
        Assert.Equal("ACT", regeling.GetProperty("status").GetProperty("code").GetString());
        Assert.Equal(1400m, regeling.GetProperty("bedrag").GetDecimal());
        Assert.Equal(1400m, regeling.GetProperty("saldo").GetDecimal());
        Assert.Equal(4, regeling.GetProperty("termijnenAantal").GetInt32());
        Assert.Equal("P1M", regeling.GetProperty("prolongatieInterval").GetString());
        Assert.Equal(Day(7), regeling.GetProperty("begindatum").GetString());
        Assert.Equal("V-1", regeling.GetProperty("overeenkomst").GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, regeling.GetProperty("eindeReden").ValueKind);
        var termijnen = regeling.GetProperty("termijnen").EnumerateArray().ToList();
        Assert.Equal(4, termijnen.Count);
        Assert.All(termijnen, t => Assert.Equal("open", t.GetProperty("status").GetString()));
        Assert.Equal(Day(7), termijnen[0].GetProperty("vervaldatum").GetString());
        Assert.Equal(1400m, termijnen.Sum(t => t.GetProperty("bedrag").GetDecimal()));

        // Paid in full: the arrangement ends as paid off (BEE, AFB) with the payment booked on it.
        var payment = new ReceivePayment("bank:v1", DateOnly.FromDateTime(DateTime.UtcNow), 1400m, ByDirectDebit: false) { MessageId = "bank:v1" };
        (await host.Client.PostAsync("/api/cases/V-1/messages", new StringContent(JsonSerializer.Serialize<CaseMessage>(payment, CaseJson.Options), Encoding.UTF8, "application/json"), ct)).Dispose();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonElement ended;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, "The arrangement did not end within 20 s.");
            await Task.Delay(150, ct);
            ended = await erp.GetFromJsonAsync<JsonElement>("/api/vera/betalingsregelingen/V-1-R1", ct);
        }
        while (ended.GetProperty("status").GetProperty("code").GetString() != "BEE");

        Assert.Equal("AFB", ended.GetProperty("eindeReden").GetProperty("code").GetString());
        Assert.Equal(0m, ended.GetProperty("saldo").GetDecimal());
        Assert.Equal(1400m, Assert.Single(ended.GetProperty("boekingen").EnumerateArray()).GetProperty("bedrag").GetDecimal());
        var active = await erp.GetFromJsonAsync<JsonElement>("/api/vera/betalingsregelingen?status=ACT", ct);
        Assert.Empty(active.EnumerateArray());
    }

    [Fact]
    public async Task ExterneIncassos_AfterAnApprovedHandover_DeurwaarderNieuw()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite, "--Engine:IdlePollDelay=00:00:00.100", VisitFirstPolicy.Argument());
        await HandoverApiTests.ProposeHandoverAsync(host, "V-2");
        var tess = await host.LoginAsync("tess");
        (await CommandAsync(tess, "V-2", "handover-approve", new { commandId = "v2-ok" })).Dispose();
        var erp = await host.LoginAsync("erp", landing: "/geen-toegang");

        var list = await erp.GetFromJsonAsync<JsonElement>("/api/vera/externe-incassos", ct);

        var incasso = Assert.Single(list.EnumerateArray());
        Assert.Equal("V-2", incasso.GetProperty("id").GetString());
        Assert.Equal("DEU", incasso.GetProperty("soort").GetProperty("code").GetString());
        Assert.Equal("NIE", incasso.GetProperty("status").GetProperty("code").GetString());
        Assert.Equal(2100m, incasso.GetProperty("bedrag").GetDecimal());
        Assert.Equal(2100m, incasso.GetProperty("saldo").GetDecimal());
        Assert.Equal(Day(0), incasso.GetProperty("overdrachtsdatum").GetString());
        Assert.Equal("V-2", Assert.Single(incasso.GetProperty("overeenkomsten").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal("overdracht", incasso.GetProperty("externeincassoacties")[0].GetProperty("soort").GetString());
        using var missing = await erp.GetAsync("/api/vera/externe-incassos/bestaat-niet", ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    // The debtor's name and address are in the answers: consultants see them case by case, not as a list.
    [InlineData("ans", HttpStatusCode.Forbidden)]
    [InlineData("tess", HttpStatusCode.Forbidden)]
    [InlineData("beheer", HttpStatusCode.OK)]
    public async Task Vera_ByRole(string user, HttpStatusCode expected)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite);
        var client = await host.LoginAsync(user);

        using var arrangements = await client.GetAsync("/api/vera/betalingsregelingen", ct);
        using var handovers = await client.GetAsync("/api/vera/externe-incassos", ct);
        using var anonymous = await host.Anonymous.GetAsync("/api/vera/betalingsregelingen", ct);

        Assert.Equal(expected, arrangements.StatusCode);
        Assert.Equal(expected, handovers.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task ErpUser_CannotWorkCases()
    {
        await using var host = await RunningHost.StartAsync(azurite);
        var erp = await host.LoginAsync("erp", landing: "/geen-toegang");

        using var worklist = await erp.GetAsync("/api/worklist", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, worklist.StatusCode);
    }
}
