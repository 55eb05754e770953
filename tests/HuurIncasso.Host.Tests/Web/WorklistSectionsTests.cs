using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HuurIncasso.Host.Tests.Inputs;
using HuurIncasso.Testing;
using static HuurIncasso.Host.Tests.Inputs.InputsFixtures;
using static HuurIncasso.Host.Tests.Web.AuthTests;

namespace HuurIncasso.Host.Tests.Web;

/// <summary>The worklist in sections through real HTTP: visits by evening slot and building complex, unknown payments, filters.</summary>
public sealed class WorklistSectionsTests(AzuriteFixture azurite)
{
    // Two homes in one complex (same street and postcode, written differently) with one month of
    // arrears, and one elsewhere with three months: the latter is the most pressing visit.
    private const string Ledger =
        "contractnummer;huurder;adres;postcode;woonplaats;email;telefoon;geboortedatum;ingangsdatum;einddatum;objecttype;huur;saldo;openstaand_0_30;openstaand_31_60;openstaand_61_90;openstaand_90_plus;automatische_incasso;machtigingskenmerk;iban;betalingskenmerk\n" +
        "400101;A. Jansen;Lindelaan 10;3532 AB;Utrecht;;;;01-05-2019;;woning;700,00;700,00;0,00;700,00;0,00;0,00;nee;;;\n" +
        "400102;B. Bakker;Lindelaan 12 A;3532ab;Utrecht;;;;01-05-2019;;woning;700,00;700,00;0,00;700,00;0,00;0,00;nee;;;\n" +
        "400103;C. Smit;Dorpsstraat 1;1234 XY;Zeist;;;;01-05-2019;;woning;700,00;2100,00;0,00;700,00;700,00;700,00;nee;;;\n";

    [Fact]
    public async Task Sections_VisitsGroupedByEveningAndComplex_UnknownPaymentsCounted_VisitLeavesWhenRecorded()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartHostAsync(azurite, VisitFirstPolicy.Argument(), "--Workspace:VisitsPerSlot=2");
        (await host.SendAsync(LedgerUpload(Ledger), ct)).Dispose();
        (await host.SendAsync(Signed(Camt053(3, CreditWithoutReference("UNK-S", 123.45m, "Q. Onbekend", "NL18RABO0123459876")), "application/xml"), ct)).Dispose();
        var ans = await host.LoginAsync("ans");

        var sections = await PollAsync(ans, "/api/worklist/sections", s => Visits(s).Count == 3, ct);

        var slots = sections.GetProperty("visits").EnumerateArray().ToList();
        // Most pressing first: Dorpsstraat alone in the first slot; the two Lindelaan visits do not
        // fit in what is left of it, so they go together into the next slot.
        Assert.Equal(2, slots.Count);
        var first = Assert.Single(slots[0].GetProperty("complexes").EnumerateArray());
        Assert.Equal("Dorpsstraat, 1234 XY Zeist", first.GetProperty("complex").GetString());
        var lindelaan = Assert.Single(slots[1].GetProperty("complexes").EnumerateArray());
        Assert.Equal("Lindelaan, 3532 AB Utrecht", lindelaan.GetProperty("complex").GetString());
        Assert.Equal(2, lindelaan.GetProperty("visits").GetArrayLength());
        Assert.Equal("18:00", slots[0].GetProperty("from").GetString());
        Assert.Equal("19:30", slots[1].GetProperty("from").GetString());
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        foreach (var slot in slots)
        {
            var evening = DateOnly.ParseExact(slot.GetProperty("evening").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            Assert.True(evening >= today, $"{evening} lies in the past");
            Assert.DoesNotContain(evening.DayOfWeek, new[] { DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday });
        }

        var unknown = sections.GetProperty("unknownPayments");
        Assert.Equal(1, unknown.GetProperty("count").GetInt32());
        Assert.Equal(123.45m, unknown.GetProperty("total").GetDecimal());
        Assert.Empty(sections.GetProperty("calls").EnumerateArray());
        // The task titles are Dutch: money as € 700,00, never 700.00.
        var title = Visits(sections)[0].GetProperty("task").GetProperty("title").GetString()!;
        Assert.Contains("€", title, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\d\.\d\d\b", title);

        // A visit recorded: that task leaves the plan, the rest stays.
        var caseId = CaseIdOf("400101");
        using var visit = await CommandAsync(ans, caseId, "visit-outcome", new { commandId = "s-visit", met = true, promiseToPayOn = today.AddDays(5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.OK, visit.StatusCode);
        var after = await ans.GetFromJsonAsync<JsonElement>("/api/worklist/sections", ct);
        Assert.Equal(2, Visits(after).Count);
        Assert.DoesNotContain(Visits(after), v => v.GetProperty("task").GetProperty("caseId").GetString() == caseId);
        var overview = await ans.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}/overview", ct);
        Assert.Contains(overview.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("what").GetString()!.Contains("Belooft te betalen op", StringComparison.Ordinal));
    }

    [Theory]
    // A filter that matches no case empties the task sections; unknown payments have no case and stay.
    [InlineData("?propertyType=BOG", 0, 1)]
    // Team leads do not assign payments; their worklist leaves them out.
    [InlineData("?role=TeamLead", 0, 0)]
    // "step" is the first part of every "step:…" stage.
    [InlineData("?stage=step", 3, 1)]
    [InlineData("?sort=months-in-arrears&stage=step:huisbezoek", 3, 1)]
    public async Task Sections_Filters(string query, int visits, int unknownPayments)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartHostAsync(azurite, VisitFirstPolicy.Argument());
        (await host.SendAsync(LedgerUpload(Ledger), ct)).Dispose();
        (await host.SendAsync(Signed(Camt053(4, CreditWithoutReference("UNK-F", 10m, "Q. Onbekend", "NL18RABO0123459876")), "application/xml"), ct)).Dispose();
        var ans = await host.LoginAsync("ans");
        await PollAsync(ans, "/api/worklist/sections", s => Visits(s).Count == 3, ct);

        var sections = await ans.GetFromJsonAsync<JsonElement>("/api/worklist/sections" + query, ct);

        Assert.Equal(visits, Visits(sections).Count);
        Assert.Equal(unknownPayments, sections.GetProperty("unknownPayments").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Sections_WrongSort_Returns400Problem()
    {
        await using var host = await RunningHost.StartAsync(azurite);
        var ans = await host.LoginAsync("ans");

        using var response = await ans.GetAsync("/api/worklist/sections?sort=alfabet", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static List<JsonElement> Visits(JsonElement sections) =>
        [.. sections.GetProperty("visits").EnumerateArray().SelectMany(s => s.GetProperty("complexes").EnumerateArray()).SelectMany(c => c.GetProperty("visits").EnumerateArray())];

    private static async Task<JsonElement> PollAsync(HttpClient client, string url, Func<JsonElement, bool> until, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await client.GetFromJsonAsync<JsonElement>(url, ct);
            if (until(last)) return last;
            await Task.Delay(200, ct);
        }

        Assert.Fail($"{url} did not reach the expected state in 30 s; last: {last}");
        return last;
    }
}
