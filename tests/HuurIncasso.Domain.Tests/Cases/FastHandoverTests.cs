using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using static HuurIncasso.Domain.Tests.Cases.CaseDriver;

namespace HuurIncasso.Domain.Tests.Cases;

/// <summary>Seed 003's policy: handover to the bailiff at the end of month 2, still only after a visit and approval.</summary>
public sealed class FastHandoverTests
{
    private static readonly DateOnly February = new(2026, 2, 1);
    private static readonly DateOnly March = new(2026, 3, 1);

    [Fact]
    public void TwoMonths_NoPayment_HandoverProposedAtEndOfMonth2()
    {
        var c = Opened(ShippedPolicies.FastHandover, February);
        c.RunUntil(new DateOnly(2026, 2, 8));
        Assert.Equal(new DateOnly(2026, 2, 4), c.TakenOn("herinnering"));
        Assert.Equal(new DateOnly(2026, 2, 8), c.TakenOn("bellen-1"));
        c.Send(new RecordCallOutcome(Consultant, Reached: false, AdviceGiven: false, PointedToDebtCounselling: false) { MessageId = c.NextId() });

        c.RunUntil(March);
        Assert.Equal(new DateOnly(2026, 2, 15), c.TakenOn("vroegsignalering"));
        Assert.Single(c.EventsOf<EarlySignalSent>()); // reminder offered and pointed; an unanswered call is an attempt
        c.ChargeRent(March);

        c.RunUntil(new DateOnly(2026, 3, 6));
        Assert.Equal(new DateOnly(2026, 3, 6), c.TakenOn("huisbezoek"));
        c.Send(new RecordVisitOutcome(Consultant, Met: true, AdviceGiven: true, PointedToDebtCounselling: true) { MessageId = c.NextId() });

        c.RunUntil(new DateOnly(2026, 3, 31));
        Assert.Equal(new DateOnly(2026, 3, 11), c.TakenOn("aanmaning"));
        var proposal = Assert.Single(c.EventsOf<StepProposed>());
        Assert.Equal("overdracht", proposal.StepId);
        Assert.Equal(new DateOnly(2026, 3, 29), CaseCore.BusinessDate(proposal.At)); // day 56 after the first due date
        Assert.Single(c.EventsOf<CollectionCostsCharged>());

        c.Send(new ApproveStep(TeamLead, "overdracht") { MessageId = c.NextId() });

        Assert.Equal(HandoverTarget.Bailiff, Assert.Single(c.EventsOf<HandedOver>()).Target);
        Assert.Equal(CaseStatus.HandedOver, c.State.Status);
    }

    [Fact]
    public void LegalTrack_AfterHandover_IsTrackedAndRefusedBefore()
    {
        var c = Opened(ShippedPolicies.FastHandover, February);
        c.Send(new RecordLegalStep(Consultant, LegalStep.Summons, c.Today) { MessageId = c.NextId() });
        Assert.Single(c.EventsOf<CommandRejected>());
        c.ChargeRent(March);
        c.RunUntil(new DateOnly(2026, 3, 7));
        c.Send(new RecordVisitOutcome(Consultant, Met: false, AdviceGiven: false, PointedToDebtCounselling: false) { MessageId = c.NextId() });
        c.RunUntil(new DateOnly(2026, 3, 31));
        c.Send(new ApproveStep(TeamLead, "overdracht") { MessageId = c.NextId() });

        c.Send(new RecordLegalStep(Consultant, LegalStep.Summons, new DateOnly(2026, 4, 20)) { MessageId = c.NextId() });
        c.Send(new RecordLegalStep(Consultant, LegalStep.Judgment, new DateOnly(2026, 5, 20)) { MessageId = c.NextId() });

        Assert.Equal([LegalStep.Summons, LegalStep.Judgment], c.State.LegalSteps.Select(l => l.Step));
        Assert.Equal(CaseStatus.HandedOver, c.State.Status);
    }

    [Fact]
    public void HandedOverCase_PaidInFull_ClosesAndTellsTheBailiff()
    {
        var c = Opened(ShippedPolicies.FastHandover, February);
        c.ChargeRent(March);
        c.RunUntil(new DateOnly(2026, 3, 7));
        c.Send(new RecordVisitOutcome(Consultant, Met: false, AdviceGiven: false, PointedToDebtCounselling: false) { MessageId = c.NextId() });
        c.RunUntil(new DateOnly(2026, 3, 31));
        c.Send(new ApproveStep(TeamLead, "overdracht") { MessageId = c.NextId() });

        c.Pay(c.State.Arrears);

        Assert.Equal(CaseStatus.Closed, c.State.Status);
        Assert.Contains(c.Effects, e => e is AgencyUpdate { What: "betaald" });
    }
}
