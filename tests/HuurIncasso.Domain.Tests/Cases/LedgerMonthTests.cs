using System.Text.Json;
using HuurIncasso.Domain.Cases;
using static HuurIncasso.Domain.Tests.Cases.CaseDriver;

namespace HuurIncasso.Domain.Tests.Cases;

/// <summary>
/// <see cref="RecordLedgerMonth"/> carries a running case's month from the ledger in one
/// message: it must decide exactly what its parts decide when sent one after the other.
/// </summary>
public sealed class LedgerMonthTests
{
    private static readonly DateOnly February = new(2026, 2, 1);

    /// <summary>Cases in different places on the ladder, times balances and facts the ledger may report: more arrears, paid up, credit, unchanged, leaving.</summary>
    public static TheoryData<string, string> Reports()
    {
        var data = new TheoryData<string, string>();
        foreach (var situation in new[] { "just-opened", "after-first-letters", "after-14-day-notice" })
        {
            foreach (var report in new[] { "more-arrears", "paid-up", "credit", "unchanged", "leaving", "leaving-paid-up", "facts-only" })
            {
                data.Add(situation, report);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Reports))]
    public void RecordLedgerMonth_SameEventsEffectsAndStateAsItsPartsOneByOne(string situation, string report)
    {
        var separate = Case(situation);
        var combined = Case(situation);
        var month = Month(separate, report);
        var eventsBefore = separate.Events.Count;
        var effectsBefore = separate.Effects.Count;

        foreach (var part in month.Parts)
        {
            separate.Send(part);
        }

        var decided = combined.Send(month);

        Assert.Equal(Json(separate.Events.Skip(eventsBefore)), Json(decided));
        Assert.Equal(Json(separate.Effects.Skip(effectsBefore)), Json(combined.Effects.Skip(effectsBefore)));
        Assert.Equal(JsonSerializer.Serialize(separate.State, CaseJson.Options), JsonSerializer.Serialize(combined.State, CaseJson.Options));
        // Each event names the part that caused it, as when the parts came as separate messages.
        Assert.All(decided, e => Assert.Contains(e.CausationId, month.Parts.Select(p => p.MessageId)));
        if (report != "unchanged")
        {
            Assert.NotEmpty(decided);
        }
    }

    [Fact]
    public void RecordLedgerMonth_PaidUp_ClosesTheCaseAndRecordsTheFacts()
    {
        var c = Case("after-first-letters");

        c.Send(Month(c, "paid-up"));

        Assert.Equal(CaseStatus.Closed, c.State.Status);
        Assert.Single(c.EventsOf<BalanceDifferenceFound>());
        Assert.Single(c.EventsOf<TenantFactsUpdated>());
    }

    [Fact]
    public void RecordLedgerMonth_Leaving_RecordsTheDepartureOnce()
    {
        var c = Case("after-first-letters");

        c.Send(Month(c, "leaving"));
        c.Send(Month(c, "leaving"));

        var departed = Assert.Single(c.EventsOf<TenantDeparted>());
        Assert.Equal(new DateOnly(2026, 2, 28), departed.On);
    }

    [Fact]
    public void RecordLedgerMonth_CaseNotOpened_IsRefusedLikeItsParts()
    {
        var empty = CaseState.Empty("zaak-1");
        var c = Case("just-opened");

        Assert.Throws<CaseNotOpenedException>(() => CaseCore.Decide(empty, Month(c, "more-arrears"), c.Now, c.Policy));
    }

    private static CaseDriver Case(string situation)
    {
        var c = Opened(ShippedPolicies.Default, February);
        switch (situation)
        {
            case "after-first-letters":
                c.RunUntil(February.AddDays(20));
                break;
            case "after-14-day-notice":
                c.RunUntil(February.AddDays(45));
                break;
        }

        return c;
    }

    private static RecordLedgerMonth Month(CaseDriver c, string report)
    {
        var arrears = c.State.Arrears;
        var (balance, directDebit, lateMonths, leaving) = report switch
        {
            "more-arrears" => (arrears + 800m, false, 2, false),
            "paid-up" => (0m, true, 0, false),
            "credit" => (-25m, false, 0, false),
            "unchanged" => (arrears, c.State.DirectDebit, c.State.LateMonthsInLast12, c.State.Departing),
            "leaving" => (arrears + 800m, false, 2, true),
            "leaving-paid-up" => (0m, false, 0, true),
            "facts-only" => (arrears, true, 5, false),
            _ => throw new ArgumentOutOfRangeException(nameof(report), report, null),
        };
        var id = c.NextId();
        return new RecordLedgerMonth(
            new RestateBalance(c.Today, balance) { MessageId = id + ":restate" },
            new UpdateTenantFacts(directDebit, lateMonths, leaving) { MessageId = id + ":facts" },
            leaving ? new RecordTenantDeparture(new DateOnly(2026, 2, 28)) { MessageId = id + ":departure" } : null)
        { MessageId = id + ":month" };
    }

    private static string Json<T>(IEnumerable<T> items) => JsonSerializer.Serialize(items.ToList(), CaseJson.Options);
}
