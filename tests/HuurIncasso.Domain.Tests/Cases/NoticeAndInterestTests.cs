using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Domain.Statutory;
using static HuurIncasso.Domain.Tests.Cases.CaseDriver;

namespace HuurIncasso.Domain.Tests.Cases;

public sealed class NoticeAndInterestTests
{
    private static readonly DateOnly February = new(2026, 2, 1);

    private static CaseDriver NoticeSent()
    {
        var c = Opened(ShippedPolicies.Default, February);
        c.ChargeRent(new DateOnly(2026, 3, 1));
        c.ChargeRent(new DateOnly(2026, 4, 1));
        c.RunUntil(new DateOnly(2026, 4, 4));
        Assert.Single(c.EventsOf<FormalNoticeSent>());
        return c;
    }

    [Fact]
    public void Notice_RecordedDeliveryLaterThanAssumed_MovesTheCostDate()
    {
        var c = NoticeSent();
        var assumed = c.State.Notice!.Proof;
        var later = assumed.DeliveredOn.AddDays(3);

        c.Send(new RecordNoticeDelivery(later) { MessageId = c.NextId() });

        var recorded = Assert.Single(c.EventsOf<NoticeDeliveryRecorded>());
        Assert.False(recorded.Proof.DeliveryAssumed);
        Assert.Equal(FormalNoticeRules.EarliestCostDate(later), c.State.Notice.EarliestCostDate);
        c.RunUntil(c.State.Notice.EarliestCostDate.AddDays(-1));
        Assert.Empty(c.EventsOf<CollectionCostsCharged>());
        c.RunUntil(c.State.Notice.EarliestCostDate);
        Assert.Single(c.EventsOf<CollectionCostsCharged>());
    }

    [Fact]
    public void Notice_PaidInFullBeforeItRanOut_NoCosts()
    {
        var c = NoticeSent();

        c.Pay(c.State.Arrears);
        c.RunUntil(new DateOnly(2026, 6, 1));

        Assert.Empty(c.EventsOf<CollectionCostsCharged>());
        Assert.Contains("incassokosten", Assert.Single(c.EventsOf<CaseClosed>()).Cancelled);
    }

    [Fact]
    public void Notice_PartPaidBeforeItRanOut_CostsOnWhatIsLeft()
    {
        var c = NoticeSent();

        c.Pay(2000m);
        c.RunUntil(new DateOnly(2026, 5, 1));

        var costs = Assert.Single(c.EventsOf<CollectionCostsCharged>());
        Assert.Equal(400m, costs.Principal);
        Assert.Equal(60m, costs.Costs); // 15 % of 400
    }

    [Fact]
    public void Notice_VatOnInPolicy_AnnouncedAndChargedSeparately()
    {
        var text = File.ReadAllText(HuurIncasso.Testing.RepositoryRoot.Path("policy", "default.yaml"))
            .Replace("  addVat: false", "  addVat: true", StringComparison.Ordinal);
        var policy = PolicyLoader.Parse(text).Policy!;
        var c = Opened(policy, February);
        c.ChargeRent(new DateOnly(2026, 3, 1));
        c.ChargeRent(new DateOnly(2026, 4, 1));

        c.RunUntil(new DateOnly(2026, 5, 1));

        var notice = Assert.Single(c.EventsOf<FormalNoticeSent>());
        Assert.Equal(360m, notice.AnnouncedCosts);
        Assert.Equal(75.60m, notice.AnnouncedVat); // 21 % of 360
        Assert.Equal(75.60m, Assert.Single(c.EventsOf<CollectionCostsCharged>()).Vat);
    }

    [Fact]
    public void StatutoryInterest_PolicyDoesNotCharge_IsZero()
    {
        var c = NoticeSent();

        Assert.Equal(0m, CaseCore.StatutoryInterestOwed(c.State, new DateOnly(2026, 5, 1), c.Policy));
    }

    [Fact]
    public void StatutoryInterest_PolicyCharges_RunsFromTheDayAfterEachDueDate()
    {
        var text = File.ReadAllText(HuurIncasso.Testing.RepositoryRoot.Path("policy", "default.yaml"))
            .Replace("  charge: false", "  charge: true", StringComparison.Ordinal);
        var policy = PolicyLoader.Parse(text).Policy!;
        var c = Opened(policy, February);

        var interest = CaseCore.StatutoryInterestOwed(c.State, new DateOnly(2026, 3, 5), policy);

        // 800 at 6 % over 2 February to 4 March (31 days), actual/365.
        Assert.Equal(StatutoryInterest.Calculate(800m, new DateOnly(2026, 2, 2), new DateOnly(2026, 3, 5), StatutoryInterest.DefaultRates), interest);
        Assert.Equal(4.08m, interest);
    }
}

public sealed class RecurringClaimsCapTests
{
    [Fact]
    public void Costs_SmallClaimWithCapBelowWik_CappedAtThePolicySetting()
    {
        // A cap of 30 per six months on claims under 266.67: the WIK minimum of 40 is capped to 30.
        var text = File.ReadAllText(HuurIncasso.Testing.RepositoryRoot.Path("policy", "default.yaml"))
            .Replace("recurringClaimsCapPerSixMonths: 140.00", "recurringClaimsCapPerSixMonths: 30.00", StringComparison.Ordinal);
        var policy = PolicyLoader.Parse(text).Policy!;
        var c = Opened(policy, new DateOnly(2026, 2, 1), rent: 80m);
        c.ChargeRent(new DateOnly(2026, 3, 1), 80m);
        c.ChargeRent(new DateOnly(2026, 4, 1), 80m);

        c.RunUntil(new DateOnly(2026, 5, 15));

        Assert.Equal(30m, Assert.Single(c.EventsOf<FormalNoticeSent>()).AnnouncedCosts);
        Assert.Equal(30m, Assert.Single(c.EventsOf<CollectionCostsCharged>()).Costs);
    }
}

public sealed class NoticeDeliveryTests
{
    [Fact]
    public void Notice_PostedLetter_UsesTheSafeAssumedDeliveryDate()
    {
        var c = Opened(ShippedPolicies.Default, new DateOnly(2026, 2, 1));
        c.ChargeRent(new DateOnly(2026, 3, 1));
        c.ChargeRent(new DateOnly(2026, 4, 1));

        c.RunUntil(new DateOnly(2026, 4, 10));

        var notice = Assert.Single(c.EventsOf<FormalNoticeSent>());
        Assert.Equal(FormalNoticeRules.SafeAssumedDeliveryDate(notice.Proof.SentOn, 2), notice.Proof.DeliveredOn);
        Assert.Equal(notice.Proof.DeliveredOn.AddDays(14), notice.LastDayToPay);
        Assert.Equal("letter", notice.Proof.Channel);
    }
}
