using System.Collections.Immutable;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using static HuurIncasso.Domain.Tests.Cases.CaseDriver;

namespace HuurIncasso.Domain.Tests.Cases;

/// <summary>Consultant commands and bank/ledger messages other than the plain ladder.</summary>
public sealed class CaseCommandTests
{
    private static readonly DateOnly February = new(2026, 2, 1);
    private static readonly DateOnly March = new(2026, 3, 1);

    private static CaseDriver TwoMonths()
    {
        var c = Opened(ShippedPolicies.Default, February);
        c.ChargeRent(March);
        c.RunUntil(new DateOnly(2026, 3, 2));
        return c;
    }

    [Fact]
    public void AgreeArrangement_WithinLimits_ActivatesWithMonthlySchedule()
    {
        var c = TwoMonths();

        c.Send(new AgreeArrangement(Consultant, 12, new DateOnly(2026, 3, 15)) { MessageId = c.NextId() });

        var activated = Assert.Single(c.EventsOf<ArrangementActivated>());
        Assert.Equal(12, activated.Instalments.Length);
        Assert.Equal(new DateOnly(2027, 2, 15), activated.Instalments[^1].DueDate);
        Assert.Equal(1600m, activated.Instalments.Sum(i => i.Amount));
        Assert.Equal(ArrangementStatus.ACT, c.State.Arrangement!.Status);
        Assert.Equal("termijn 1 controleren", c.State.WaitingFor);
    }

    [Theory]
    // Up to one month of arrears allows at most 6 instalments.
    [InlineData(800, 7, "hoogstens 6")]
    // Above one month: at most 12.
    [InlineData(1600, 13, "hoogstens 12")]
    // Zero instalments is no arrangement.
    [InlineData(1600, 0, "0 termijnen")]
    // Arrears of 250 in 6 instalments gives 41.67, under the EUR 50 minimum.
    [InlineData(250, 6, "minder dan het minimum")]
    public void AgreeArrangement_OutsidePolicy_IsRefusedWithReason(int arrears, int instalments, string reason)
    {
        var c = Opened(ShippedPolicies.Default, February, rent: arrears > 800 ? 800m : arrears);
        if (arrears > 800)
        {
            c.ChargeRent(March);
        }

        c.Send(new AgreeArrangement(Consultant, instalments, c.Today.AddDays(7)) { MessageId = c.NextId() });

        var refused = Assert.Single(c.EventsOf<ArrangementRefused>());
        Assert.Contains(refused.Reasons, r => r.Contains(reason, StringComparison.Ordinal));
        Assert.Null(c.State.Arrangement);
    }

    [Fact]
    public void AgreeArrangement_SecondWithinAYear_IsRefused()
    {
        var c = TwoMonths();
        c.Send(new AgreeArrangement(Consultant, 4, c.Today.AddDays(5)) { MessageId = c.NextId() });
        c.Send(new ReviewMissedInstalment(Consultant, KeepArrangement: false) { MessageId = c.NextId() });
        c.RunUntil(c.Today.AddDays(20));
        c.Send(new ReviewMissedInstalment(Consultant, KeepArrangement: false) { MessageId = c.NextId() });

        c.Send(new AgreeArrangement(Consultant, 4, c.Today.AddDays(5)) { MessageId = c.NextId() });

        Assert.Contains(Assert.Single(c.EventsOf<ArrangementRefused>()).Reasons, r => r.Contains("per jaar", StringComparison.Ordinal));
    }

    [Fact]
    public void Instalment_Missed_AlertsAtOnceAndWaitsForAPerson()
    {
        var c = TwoMonths();
        c.Send(new AgreeArrangement(Consultant, 4, new DateOnly(2026, 3, 10)) { MessageId = c.NextId() });
        c.RunUntil(new DateOnly(2026, 3, 9));
        c.Pay(400m);

        c.RunUntil(new DateOnly(2026, 4, 30));

        Assert.Single(c.EventsOf<InstalmentKept>());
        var missed = Assert.Single(c.EventsOf<InstalmentMissed>());
        Assert.Equal(2, missed.Number);
        Assert.Equal(new DateOnly(2026, 4, 13), CaseCore.BusinessDate(missed.At)); // due 10 April plus 3 grace days
        Assert.Contains(c.Effects, e => e is PersonTask { Urgent: true });
        Assert.Equal(ArrangementStatus.BEV, c.State.Arrangement!.Status);
        Assert.Equal("beoordeling gemiste termijn", c.State.WaitingFor);
        var stepsBefore = c.State.Steps.Count;

        c.RunUntil(new DateOnly(2026, 5, 31));
        Assert.Equal(stepsBefore, c.State.Steps.Count);

        c.Send(new ReviewMissedInstalment(TeamLead, KeepArrangement: false) { MessageId = c.NextId() });
        var ended = Assert.Single(c.EventsOf<ArrangementEnded>());
        Assert.Equal(ArrangementEndReason.VOL, ended.EndReason);
        Assert.Equal(ArrangementStatus.BEE, ended.Status);
        Assert.True(c.State.Steps.Count > stepsBefore);
    }

    [Fact]
    public void CancelArrangement_Running_IsAnnAndEscalationResumes()
    {
        var c = TwoMonths();
        c.Send(new AgreeArrangement(Consultant, 6, c.Today.AddDays(10)) { MessageId = c.NextId() });
        c.RunUntil(new DateOnly(2026, 3, 20));
        Assert.False(c.Took("bellen-2"));

        c.Send(new CancelArrangement(Consultant, "huurder trekt zich terug") { MessageId = c.NextId() });

        var ended = Assert.Single(c.EventsOf<ArrangementEnded>());
        Assert.Equal(ArrangementStatus.ANN, ended.Status);
        Assert.Null(ended.EndReason);
        Assert.True(c.Took("bellen-2"));
    }

    [Fact]
    public void Arrangement_PaidOff_EndsWithAfbAndClosesTheCase()
    {
        var c = TwoMonths();
        c.Send(new AgreeArrangement(Consultant, 2, new DateOnly(2026, 3, 10)) { MessageId = c.NextId() });

        c.Pay(1600m);

        Assert.Equal(ArrangementEndReason.AFB, Assert.Single(c.EventsOf<ArrangementEnded>()).EndReason);
        Assert.Equal(CaseStatus.Closed, c.State.Status);
    }

    [Fact]
    public void Pause_Approved_StopsTheLadderUntilItsEnd()
    {
        var c = Opened(ShippedPolicies.Default, February);
        c.RunUntil(new DateOnly(2026, 2, 7));
        Assert.True(c.Took("herinnering"));
        c.Send(new RequestPause(Consultant, PauseKind.Deferral, new DateOnly(2026, 3, 10), "wacht op toeslag") { MessageId = c.NextId() });
        c.Send(new ApprovePause(OtherConsultant) { MessageId = c.NextId() });

        c.RunUntil(new DateOnly(2026, 3, 10));
        Assert.Single(c.State.Steps);

        c.RunUntil(new DateOnly(2026, 3, 11));
        Assert.Single(c.EventsOf<PauseEnded>());
        Assert.True(c.Took("bellen-1"));
    }

    [Fact]
    public void Pause_DebtCounsellingLongerThan30Days_IsRejected()
    {
        var c = Opened(ShippedPolicies.Default, February);

        c.Send(new RequestPause(Consultant, PauseKind.DebtCounselling, c.Today.AddDays(30)) { MessageId = c.NextId() });

        Assert.Contains("30 dagen", Assert.Single(c.EventsOf<CommandRejected>()).Why, StringComparison.Ordinal);
        Assert.Null(c.State.Pause);
    }

    [Fact]
    public void Pause_Complaint_RoutesTheComplaint()
    {
        var c = Opened(ShippedPolicies.Default, February);
        c.Send(new RequestPause(Consultant, PauseKind.Complaint, c.Today.AddDays(20), "dak lekt") { MessageId = c.NextId() });

        c.Send(new ApprovePause(Consultant) { MessageId = c.NextId() });

        Assert.Contains(c.Effects, e => e is PersonTask t && t.Title.Contains("Klacht", StringComparison.Ordinal));
    }

    [Fact]
    public void WriteOff_ApprovedByRequester_IsRefusedFourEyes()
    {
        var c = Opened(ShippedPolicies.Default, February);
        c.Send(new RequestWriteOff(TeamLead, "wsnp") { MessageId = c.NextId() });

        c.Send(new ApproveWriteOff(TeamLead) { MessageId = c.NextId() });

        Assert.Contains("vier ogen", Assert.Single(c.EventsOf<CommandRejected>()).Why, StringComparison.Ordinal);
        Assert.Equal(CaseStatus.Open, c.State.Status);
    }

    [Theory]
    // A consultant may request but not approve.
    [InlineData("consultant")]
    // A reason the policy does not list is refused at the request.
    [InlineData("unknown-reason")]
    public void WriteOff_NotAllowed_IsRefused(string variant)
    {
        var c = Opened(ShippedPolicies.Default, February);
        c.Send(new RequestWriteOff(Consultant, variant == "unknown-reason" ? "geen-zin" : "wsnp") { MessageId = c.NextId() });

        c.Send(new ApproveWriteOff(OtherConsultant) { MessageId = c.NextId() });

        Assert.NotEmpty(c.EventsOf<CommandRejected>());
        Assert.Empty(c.EventsOf<WrittenOff>());
    }

    [Fact]
    public void WriteOff_TwoPeople_ClosesAsWrittenOffAndEndsArrangementWithSan()
    {
        var c = TwoMonths();
        c.Send(new AgreeArrangement(Consultant, 12, c.Today.AddDays(10)) { MessageId = c.NextId() });
        c.Send(new RequestWriteOff(Consultant, "wsnp") { MessageId = c.NextId() });

        c.Send(new ApproveWriteOff(TeamLead) { MessageId = c.NextId() });

        Assert.Equal(1600m, Assert.Single(c.EventsOf<WrittenOff>()).Amount);
        Assert.Equal(ArrangementEndReason.SAN, Assert.Single(c.EventsOf<ArrangementEnded>()).EndReason);
        Assert.Equal(CaseStatus.WrittenOff, c.State.Status);
        Assert.Equal(0m, c.State.Arrears);
    }

    [Theory]
    // AM04 insufficient funds: collect again after the policy's 5 days.
    [InlineData("AM04", ReversalTreatment.Recollect)]
    // MD06 refund by the debtor: contact.
    [InlineData("MD06", ReversalTreatment.Contact)]
    // MD07 debtor deceased: a consultant checks the estate.
    [InlineData("MD07", ReversalTreatment.Deceased)]
    // AC04 is not in the policy: the default treatment.
    [InlineData("AC04", ReversalTreatment.Contact)]
    public void DirectDebitReversed_ReopensSettledArrearsWithPolicyTreatment(string code, ReversalTreatment treatment)
    {
        var c = Opened(ShippedPolicies.Default, February);
        c.Pay(800m, directDebit: true, paymentId: "dd-1");
        Assert.Equal(CaseStatus.Closed, c.State.Status);

        c.Send(new ReverseDirectDebit("dd-1", c.Today.AddDays(3), 800m, code) { MessageId = c.NextId() });

        Assert.Equal(treatment, Assert.Single(c.EventsOf<DirectDebitReversed>()).Treatment);
        Assert.Single(c.EventsOf<CaseReopened>());
        Assert.Equal(CaseStatus.Open, c.State.Status);
        Assert.Equal(800m, c.State.Arrears);
        Assert.Equal(February, c.State.OldestDueDate); // the original due date comes back, not the reversal date
        if (treatment == ReversalTreatment.Recollect)
        {
            Assert.Contains(c.Effects, e => e is Recollection r && r.On == c.Today.AddDays(8));
        }
    }

    [Fact]
    public void RestateBalance_DiffersFromCase_RecordsDifferenceAndAdoptsLedger()
    {
        var c = Opened(ShippedPolicies.Default, February);

        c.Send(new RestateBalance(c.Today, 950m) { MessageId = c.NextId() });

        var diff = Assert.Single(c.EventsOf<BalanceDifferenceFound>());
        Assert.Equal(150m, diff.Difference);
        Assert.Equal(950m, c.State.Arrears);

        c.Send(new RestateBalance(c.Today, 950m) { MessageId = c.NextId() });
        Assert.Single(c.EventsOf<BalanceDifferenceFound>());
    }

    [Fact]
    public void FireTimer_NotTheCurrentTimer_IsIgnored()
    {
        var c = Opened(ShippedPolicies.Default, February);

        var events = CaseCore.Decide(c.State, new FireTimer("zaak-1/timer/oud") { MessageId = "t" }, c.Now.AddDays(30), c.Policy);

        Assert.Empty(events);
    }

    [Fact]
    public void FireTimer_ByDueInstant_WakesTheCaseOnlyForItsCurrentDue()
    {
        var c = Opened(ShippedPolicies.Default, February);
        var due = c.State.WaitingUntil!.Value;

        Assert.Empty(CaseCore.Decide(c.State, FireTimer.At(due.AddMinutes(-1)), due, c.Policy));
        var events = CaseCore.Decide(c.State, FireTimer.At(due), due, c.Policy);

        Assert.Contains(events, e => e is StepTaken { StepId: "herinnering" });
        Assert.StartsWith("timer:", FireTimer.At(due).MessageId, StringComparison.Ordinal);
    }

    [Fact]
    public void Stage_FollowsTheCase()
    {
        var c = DefaultLadderTests.WalkToHandoverProposal(visit: true);
        Assert.Equal("wacht-op-goedkeuring", c.State.Stage);

        c.Pay(c.State.Arrears);

        Assert.Equal("betaald", c.State.Stage);
        Assert.True(c.State.IsClosed);
    }

    [Fact]
    public void TenantDeparted_SwitchesToDepartedPlanWithoutVisit()
    {
        var c = Opened(ShippedPolicies.Default, February);
        c.RunUntil(new DateOnly(2026, 2, 10));

        c.Send(new RecordTenantDeparture(c.Today) { MessageId = c.NextId() });
        c.RunUntil(new DateOnly(2026, 3, 31));

        Assert.Equal("vertrokken", c.State.Plan);
        Assert.Equal(CaseTrack.Departed, c.State.Track);
        Assert.True(c.Took("eindafrekening"));
        Assert.Equal("overdracht-vertrokken", Assert.Single(c.EventsOf<StepProposed>()).StepId);
        Assert.False(c.Took("huisbezoek"));
    }

    [Fact]
    public void Decide_PolicyOtherThanPinned_Throws()
    {
        var c = Opened(ShippedPolicies.Default, February);

        Assert.Throws<PolicyVersionMismatchException>(() => CaseCore.Decide(c.State, new ChargeRent(March, 800m) { MessageId = "x" }, c.Now, ShippedPolicies.FastHandover));
    }

    [Fact]
    public void MigratePolicy_Explicit_PinsTheNewVersion()
    {
        var c = Opened(ShippedPolicies.Default, February);

        var events = CaseCore.Decide(c.State, new MigratePolicy(TeamLead, ShippedPolicies.FastHandover.Version) { MessageId = "mig" }, c.Now, ShippedPolicies.FastHandover);
        var state = events.Aggregate(c.State, CaseCore.Apply);

        var migrated = Assert.IsType<PolicyMigrated>(events[0]);
        Assert.Equal("2026.1", migrated.From);
        Assert.Equal("2026.1-snel", state.PolicyVersion);
        Assert.Equal("person:t.bakker", migrated.Reason);
    }

    [Fact]
    public void OpenCase_WithoutArrears_IsRefusedAsBadInput()
    {
        var open = new OpenCase("z", "c", "t", 800m, "WON", new DateOnly(2020, 1, 1), false, 0, 0m, February) { MessageId = "o" };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => CaseCore.Decide(CaseState.Empty("z"), open, DateTimeOffset.UnixEpoch, ShippedPolicies.Default));

        Assert.Contains("without arrears", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MigratePolicy_WhileAwaitingApproval_DropsTheOldProposal()
    {
        var c = DefaultLadderTests.WalkToHandoverProposal(visit: true);
        Assert.Equal("overdracht", c.State.ProposedStep);

        var events = CaseCore.Decide(c.State, new MigratePolicy(TeamLead, ShippedPolicies.FastHandover.Version) { MessageId = "mig" }, c.Now, ShippedPolicies.FastHandover);
        var state = events.Aggregate(c.State, CaseCore.Apply);

        // The fast policy's plan has the same handover id, so it is proposed again under the new version.
        Assert.Equal("2026.1-snel", state.PolicyVersion);
        Assert.Contains(events, e => e is StepProposed { StepId: "overdracht" });
    }

    [Fact]
    public void Decide_MessageForUnopenedCase_ThrowsSoTheShellParksIt()
    {
        Assert.Throws<CaseNotOpenedException>(() => CaseCore.Decide(CaseState.Empty("z"), new ChargeRent(March, 800m) { MessageId = "x" }, DateTimeOffset.UnixEpoch, ShippedPolicies.Default));
    }

    [Fact]
    public void Events_CarryCausationAndReason()
    {
        var c = Opened(ShippedPolicies.Default, February);
        c.RunUntil(new DateOnly(2026, 2, 6));

        var reminder = c.EventsOf<StepTaken>().Single(e => e.StepId == "herinnering");

        Assert.Equal("ladder:herinnering", reminder.Reason);
        Assert.StartsWith("m", reminder.CausationId, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(1, c.Events.Count), c.Events.Select(e => e.Sequence));
    }

    [Fact]
    public void EffectsOf_SameEventTwice_SameEffectIds()
    {
        var c = Opened(ShippedPolicies.Default, February);
        c.RunUntil(new DateOnly(2026, 2, 6));
        var reminder = c.EventsOf<StepTaken>().Single(e => e.StepId == "herinnering");

        var first = CaseCore.EffectsOf(reminder, c.State).Select(e => e.EffectId);
        var second = CaseCore.EffectsOf(reminder, c.State).Select(e => e.EffectId);

        Assert.Equal(first, second);
        Assert.Equal(ImmutableArray.Create($"zaak-1/{reminder.Sequence}/0", $"zaak-1/{reminder.Sequence}/1"), first.ToImmutableArray());
    }
}
