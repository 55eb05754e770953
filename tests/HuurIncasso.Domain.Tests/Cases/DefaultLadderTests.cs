using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using static HuurIncasso.Domain.Tests.Cases.CaseDriver;

namespace HuurIncasso.Domain.Tests.Cases;

/// <summary>Walks the default policy (seed 004's monthly ladder) month by month for a tenant who does not pay.</summary>
public sealed class DefaultLadderTests
{
    private static readonly DateOnly February = new(2026, 2, 1);
    private static readonly DateOnly March = new(2026, 3, 1);
    private static readonly DateOnly April = new(2026, 4, 1);

    [Fact]
    public void Month1_ReminderCallAndEarlySignal_OnTheirDays()
    {
        var c = Opened(ShippedPolicies.Default, February);
        Assert.Equal("keurige-betaler", c.State.Segment);

        c.RunUntil(new DateOnly(2026, 2, 28));

        // Reminder 5 days after the due date; the tidy payer's plan calls on day 15; the signal waits 7 days after the call.
        Assert.Equal(new DateOnly(2026, 2, 6), c.TakenOn("herinnering"));
        Assert.Equal(new DateOnly(2026, 2, 16), c.TakenOn("bellen-1"));
        Assert.Equal(new DateOnly(2026, 2, 23), c.TakenOn("vroegsignalering"));
        Assert.False(c.Took("bellen-2"));
        Assert.Equal(2, c.Effects.OfType<TenantMessage>().Count(m => m.Template == "herinnering"));
        Assert.Single(c.Effects.OfType<PersonTask>(), t => t.Title.StartsWith("Bellen", StringComparison.Ordinal));
    }

    [Fact]
    public void Month1_SignalWithoutContactAttempt_IsHeldUntilTheCallIsRecorded()
    {
        var c = Opened(ShippedPolicies.Default, February);
        c.RunUntil(new DateOnly(2026, 2, 25));

        var held = Assert.Single(c.EventsOf<EarlySignalHeld>());
        Assert.Contains("contactpoging met advies", held.MissingConditions);
        Assert.Empty(c.EventsOf<EarlySignalSent>());
        Assert.DoesNotContain(c.Effects, e => e is PartnerReferral { Partner: Partner.EarlySignal });

        c.Send(new RecordCallOutcome(Consultant, Reached: true, AdviceGiven: true, PointedToDebtCounselling: true) { MessageId = c.NextId() });

        var sent = Assert.Single(c.EventsOf<EarlySignalSent>());
        Assert.Equal(800m, sent.Arrears);
        Assert.Single(c.Effects.OfType<PartnerReferral>(), r => r.Partner == Partner.EarlySignal);
    }

    [Fact]
    public void EarlySignal_TenantObjected_NeverSent()
    {
        var c = Opened(ShippedPolicies.Default, February);
        c.RunUntil(new DateOnly(2026, 2, 10));
        c.Send(new RecordEarlySignalObjection(Consultant) { MessageId = c.NextId() });
        c.Send(new RecordCallOutcome(Consultant, true, true, true) { MessageId = c.NextId() });

        c.RunUntil(new DateOnly(2026, 3, 5));

        Assert.Empty(c.EventsOf<EarlySignalSent>());
        Assert.Contains("huurder maakte bezwaar", Assert.Single(c.EventsOf<EarlySignalHeld>()).MissingConditions);
    }

    [Fact]
    public void FourMonths_NoPayment_WalksTheLadderToAnApprovedHandover()
    {
        var c = Opened(ShippedPolicies.Default, February);
        c.RunUntil(new DateOnly(2026, 2, 17));
        c.Send(new RecordCallOutcome(Consultant, Reached: true, AdviceGiven: true, PointedToDebtCounselling: true) { MessageId = c.NextId() });
        c.RunUntil(March);
        c.ChargeRent(March);
        Assert.Equal(2, c.State.MonthsInArrears);

        c.RunUntil(new DateOnly(2026, 3, 31));
        Assert.Equal(new DateOnly(2026, 3, 8), c.TakenOn("bellen-2"));
        Assert.Equal(new DateOnly(2026, 3, 13), c.TakenOn("huisbezoek"));
        Assert.Equal(new DateOnly(2026, 3, 13), c.TakenOn("kredietbank"));
        Assert.Equal(new DateOnly(2026, 3, 13), c.TakenOn("ggd"));
        Assert.Equal(new DateOnly(2026, 3, 15), c.TakenOn("regeling-aanbieden"));
        Assert.False(c.Took("schuldhulp"));
        c.Send(new RecordVisitOutcome(Consultant, Met: false, AdviceGiven: false, PointedToDebtCounselling: false) { MessageId = c.NextId() });

        c.ChargeRent(April);
        c.RunUntil(new DateOnly(2026, 4, 30));
        Assert.Equal(new DateOnly(2026, 4, 2), c.TakenOn("schuldhulp"));
        Assert.Equal(new DateOnly(2026, 4, 4), c.TakenOn("aanmaning"));
        var notice = Assert.Single(c.EventsOf<FormalNoticeSent>());
        Assert.Equal(2400m, notice.Principal);
        Assert.Equal(360m, notice.AnnouncedCosts); // 15 % of 2,400 per the WIK staffel
        Assert.True(notice.Proof.EarliestCostDate > notice.Proof.DeliveredOn.AddDays(14));
        Assert.True(notice.Proof.DeliveryAssumed);
        var costs = Assert.Single(c.EventsOf<CollectionCostsCharged>());
        Assert.Equal(notice.Proof.EarliestCostDate, costs.On);

        // The handover is proposed, never taken by the rule itself.
        var proposed = Assert.Single(c.EventsOf<StepProposed>());
        Assert.Equal("overdracht", proposed.StepId);
        Assert.Equal(CaseStatus.Open, c.State.Status);
        Assert.Null(c.State.WaitingUntil);
        Assert.Equal("goedkeuring stap overdracht", c.State.WaitingFor);

        c.Send(new ApproveStep(TeamLead, "overdracht") { MessageId = c.NextId() });

        var handover = Assert.Single(c.EventsOf<HandedOver>());
        Assert.Equal(HandoverTarget.Agency, handover.Target);
        Assert.Equal(CaseStatus.HandedOver, c.State.Status);
        Assert.Single(c.Effects.OfType<HandoverDossier>());
    }

    [Fact]
    public void Handover_ApprovedByConsultant_IsRejected()
    {
        var c = WalkToHandoverProposal(visit: true);

        c.Send(new ApproveStep(Consultant, "overdracht") { MessageId = c.NextId() });

        Assert.Contains("TeamLead", Assert.Single(c.EventsOf<CommandRejected>()).Why, StringComparison.Ordinal);
        Assert.Equal(CaseStatus.Open, c.State.Status);
    }

    [Fact]
    public void Handover_WithoutVisitOutcome_IsNotEvenProposed()
    {
        var c = WalkToHandoverProposal(visit: false);

        Assert.Empty(c.EventsOf<StepProposed>());
        Assert.Equal("uitkomst huisbezoek", c.State.WaitingFor);

        c.Send(new RecordVisitOutcome(Consultant, Met: true, AdviceGiven: true, PointedToDebtCounselling: true) { MessageId = c.NextId() });

        Assert.Single(c.EventsOf<StepProposed>());
    }

    [Fact]
    public void Handover_Rejected_IsProposedAgainAfterTheWait()
    {
        var c = WalkToHandoverProposal(visit: true);

        c.Send(new RejectStep(TeamLead, "overdracht", "huurder heeft hulp gezocht") { MessageId = c.NextId() });
        var rejected = Assert.Single(c.EventsOf<StepRejected>());
        c.RunUntil(rejected.ProposeAgainOn.AddDays(-1));
        Assert.Single(c.EventsOf<StepProposed>());

        c.RunUntil(rejected.ProposeAgainOn);
        Assert.Equal(2, c.EventsOf<StepProposed>().Count());
    }

    [Fact]
    public void Payment_InFullWhileHandoverAwaitsApproval_ClosesAndCancelsEverything()
    {
        var c = WalkToHandoverProposal(visit: true);

        c.Pay(c.State.Arrears);

        var closed = Assert.Single(c.EventsOf<CaseClosed>());
        Assert.Equal(CaseOutcome.Paid, closed.Outcome);
        Assert.Contains("goedkeuring:overdracht", closed.Cancelled);
        Assert.Equal(CaseStatus.Closed, c.State.Status);
        Assert.Null(c.State.WaitingUntil);
        Assert.Contains(c.Effects, e => e is TenantMessage { Template: "closing-confirmation" });
        Assert.Contains(c.Effects, e => e is CancelOpenTasks);

        c.Send(new ApproveStep(TeamLead, "overdracht") { MessageId = c.NextId() });
        Assert.Empty(c.EventsOf<HandedOver>());
    }

    [Fact]
    public void Payment_PartOfArrears_KeepsCaseOpenAtLowerMonth()
    {
        var c = Opened(ShippedPolicies.Default, February);
        c.ChargeRent(March);
        Assert.Equal(2, c.State.MonthsInArrears);

        c.Pay(900m);

        Assert.Equal(700m, c.State.Arrears);
        Assert.Equal(1, c.State.MonthsInArrears);
        Assert.Equal(March, c.State.OldestDueDate);
        Assert.Equal(CaseStatus.Open, c.State.Status);
    }

    [Fact]
    public void NewTenant_CallsSoonerThanTidyPayer()
    {
        var c = Opened(ShippedPolicies.Default, February, contractStart: new DateOnly(2025, 12, 1));
        Assert.Equal("nieuw", c.State.Segment);

        c.RunUntil(new DateOnly(2026, 2, 10));

        Assert.Equal(new DateOnly(2026, 2, 7), c.TakenOn("bellen-1"));
    }

    [Fact]
    public void CommercialProperty_TakesTheAdministrativeTrack()
    {
        var c = Opened(ShippedPolicies.Default, February, propertyType: "bog");

        c.RunUntil(new DateOnly(2026, 3, 31));

        Assert.Equal(CaseTrack.Administrative, c.State.Track);
        Assert.Equal("administratief", c.State.Plan);
        Assert.False(c.Took("bellen-1"));
        Assert.False(c.Took("vroegsignalering"));
        Assert.Contains(c.Effects, e => e is PersonTask { Role: Role.Finance });
    }

    internal static CaseDriver WalkToHandoverProposal(bool visit)
    {
        var c = Opened(ShippedPolicies.Default, February);
        c.ChargeRent(March);
        c.RunUntil(new DateOnly(2026, 3, 20));
        if (visit)
        {
            c.Send(new RecordVisitOutcome(Consultant, Met: false, AdviceGiven: false, PointedToDebtCounselling: false) { MessageId = c.NextId() });
        }

        c.ChargeRent(April);
        c.RunUntil(new DateOnly(2026, 4, 30));
        return c;
    }
}
