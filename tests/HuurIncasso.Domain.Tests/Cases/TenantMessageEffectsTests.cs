using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using static HuurIncasso.Domain.Tests.Cases.CaseDriver;

namespace HuurIncasso.Domain.Tests.Cases;

/// <summary>The letters the core asks for outside the ladder: arrangement, pause, handover; and what mail reports do.</summary>
public sealed class TenantMessageEffectsTests
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

    private static List<TenantMessage> Letters(CaseDriver c, string template) =>
        [.. c.Effects.OfType<TenantMessage>().Where(m => m.Template == template)];

    [Fact]
    public void ArrangementActivated_ConfirmationCarriesEveryInstalmentWithDateAndAmount()
    {
        var c = TwoMonths();
        // Dates that follow holiday pay: the last instalment is the largest.
        var dates = System.Collections.Immutable.ImmutableArray.Create(new DateOnly(2026, 3, 20), new DateOnly(2026, 4, 20), new DateOnly(2026, 5, 25));

        c.Send(new AgreeArrangement(Consultant, 3, dates[0], dates) { MessageId = c.NextId() });

        var letter = Assert.Single(Letters(c, "arrangement-confirmation"));
        Assert.Equal(Channel.Letter, letter.Channel);
        Assert.Equal("3", letter.Data["termijnen"]);
        // 1600 / 3 = 533.33 twice, the rest (533.34) last, so the schedule adds up to the arrears.
        Assert.Equal("2026-03-20=533.33;2026-04-20=533.33;2026-05-25=533.34", letter.Data["schema"]);
    }

    [Fact]
    public void ReviewMissedInstalment_EndArrangement_SendsTheBrokenNoticeOnce()
    {
        var c = TwoMonths();
        c.Send(new AgreeArrangement(Consultant, 4, new DateOnly(2026, 3, 10)) { MessageId = c.NextId() });
        c.RunUntil(new DateOnly(2026, 3, 20));
        Assert.Single(c.EventsOf<InstalmentMissed>());
        // The missed instalment alone is a task for a person, not yet a letter.
        Assert.Empty(Letters(c, "arrangement-broken"));

        c.Send(new ReviewMissedInstalment(TeamLead, KeepArrangement: false) { MessageId = c.NextId() });

        var letter = Assert.Single(Letters(c, "arrangement-broken"));
        Assert.Equal("niet-nagekomen", letter.Data["reden"]);
        Assert.Equal(1600m, letter.Arrears);
    }

    [Fact]
    public void ReviewMissedInstalment_KeepArrangement_SendsNoBrokenNotice()
    {
        var c = TwoMonths();
        c.Send(new AgreeArrangement(Consultant, 4, new DateOnly(2026, 3, 10)) { MessageId = c.NextId() });
        c.RunUntil(new DateOnly(2026, 3, 20));

        c.Send(new ReviewMissedInstalment(TeamLead, KeepArrangement: true) { MessageId = c.NextId() });

        Assert.Empty(Letters(c, "arrangement-broken"));
    }

    [Fact]
    public void CancelArrangement_SendsTheBrokenNoticeAsCancelled()
    {
        var c = TwoMonths();
        c.Send(new AgreeArrangement(Consultant, 6, c.Today.AddDays(10)) { MessageId = c.NextId() });

        c.Send(new CancelArrangement(Consultant, "huurder trekt zich terug") { MessageId = c.NextId() });

        Assert.Equal("geannuleerd", Assert.Single(Letters(c, "arrangement-broken")).Data["reden"]);
    }

    [Fact]
    public void Arrangement_PaidOff_SendsTheClosingConfirmationNotTheBrokenNotice()
    {
        var c = TwoMonths();
        c.Send(new AgreeArrangement(Consultant, 2, new DateOnly(2026, 3, 10)) { MessageId = c.NextId() });

        c.Pay(1600m);

        Assert.Empty(Letters(c, "arrangement-broken"));
        Assert.Single(Letters(c, "closing-confirmation"));
    }

    [Fact]
    public void ApprovePause_ConfirmsTheEndDateToTheTenant_RequestAloneDoesNot()
    {
        var c = Opened(ShippedPolicies.Default, February);
        c.Send(new RequestPause(Consultant, PauseKind.Deferral, new DateOnly(2026, 3, 10), "wacht op toeslag") { MessageId = c.NextId() });
        Assert.Empty(Letters(c, "pause-confirmation"));

        c.Send(new ApprovePause(OtherConsultant) { MessageId = c.NextId() });

        var letter = Assert.Single(Letters(c, "pause-confirmation"));
        Assert.Equal("2026-03-10", letter.Data["tot"]);
        Assert.Equal(Channel.Letter, letter.Channel);
    }

    [Fact]
    public void ApprovePause_Complaint_ConfirmsAndStillRoutesTheComplaint()
    {
        var c = Opened(ShippedPolicies.Default, February);
        c.Send(new RequestPause(Consultant, PauseKind.Complaint, c.Today.AddDays(20), "dak lekt") { MessageId = c.NextId() });

        c.Send(new ApprovePause(Consultant) { MessageId = c.NextId() });

        Assert.Single(Letters(c, "pause-confirmation"));
        Assert.Contains(c.Effects, e => e is PersonTask t && t.Title.Contains("Klacht", StringComparison.Ordinal));
    }

    [Fact]
    public void ApproveHandover_AnnouncesToTheTenantBeforeTheDossier()
    {
        var c = DefaultLadderTests.WalkToHandoverProposal(visit: true);
        Assert.Empty(Letters(c, "handover-announcement"));

        var events = c.Send(new ApproveStep(TeamLead, "overdracht") { MessageId = c.NextId() });

        var handedOver = Assert.Single(events.OfType<HandedOver>());
        var effects = CaseCore.EffectsOf(handedOver, c.State);
        var announcement = Assert.IsType<TenantMessage>(effects[0]);
        Assert.Equal("handover-announcement", announcement.Template);
        Assert.Equal("incassobureau", announcement.Data["naar"]);
        Assert.Equal(handedOver.Arrears, announcement.Arrears);
        Assert.IsType<HandoverDossier>(effects[1]);
        Assert.Single(Letters(c, "handover-announcement"));
    }

    [Fact]
    public void ApproveHandover_FastPolicy_AnnouncesTheBailiff()
    {
        var c = Opened(ShippedPolicies.FastHandover, February);
        c.ChargeRent(March);
        c.RunUntil(new DateOnly(2026, 3, 7));
        c.Send(new RecordVisitOutcome(Consultant, Met: false, AdviceGiven: false, PointedToDebtCounselling: false) { MessageId = c.NextId() });
        c.RunUntil(new DateOnly(2026, 3, 31));
        Assert.Equal("overdracht", c.State.ProposedStep);

        c.Send(new ApproveStep(TeamLead, "overdracht") { MessageId = c.NextId() });

        Assert.Equal("deurwaarder", Assert.Single(Letters(c, "handover-announcement")).Data["naar"]);
    }

    [Fact]
    public void RecordMailEvent_Delivered_IsKeptAsTheMailsStatus()
    {
        var c = Opened(ShippedPolicies.Default, February);
        var at = c.Now;

        c.Send(new RecordMailEvent("zaak-1:0000000005:0", "herinnering", MailEventKind.Delivered, at) { MessageId = "sg:1" });

        var recorded = Assert.Single(c.EventsOf<MailEventRecorded>());
        Assert.Equal("mail:delivered", recorded.Reason);
        Assert.Equal(new MailStatus("zaak-1:0000000005:0", "herinnering", MailEventKind.Delivered, at), Assert.Single(c.State.Mails));
        Assert.Empty(CaseCore.EffectsOf(recorded, c.State).OfType<PersonTask>());
    }

    [Fact]
    public void RecordMailEvent_SameStatusAgainOrOlderReport_AddsNothing()
    {
        var c = Opened(ShippedPolicies.Default, February);
        var at = c.Now;
        c.Send(new RecordMailEvent("e1", "herinnering", MailEventKind.Deferred, at) { MessageId = "sg:1" });
        c.Send(new RecordMailEvent("e1", "herinnering", MailEventKind.Delivered, at.AddMinutes(5)) { MessageId = "sg:2" });

        // A second "delivered" and a late-arriving "deferred" from before the delivery.
        Assert.Empty(c.Send(new RecordMailEvent("e1", "herinnering", MailEventKind.Delivered, at.AddMinutes(6)) { MessageId = "sg:3" }).OfType<MailEventRecorded>());
        Assert.Empty(c.Send(new RecordMailEvent("e1", "herinnering", MailEventKind.Deferred, at.AddMinutes(1)) { MessageId = "sg:4" }).OfType<MailEventRecorded>());

        Assert.Equal(2, c.EventsOf<MailEventRecorded>().Count());
        Assert.Equal(MailEventKind.Delivered, Assert.Single(c.State.Mails).Kind);
    }

    [Theory]
    // A reminder mail that bounced: a consultant checks the address.
    [InlineData("herinnering", MailEventKind.Bounced, false)]
    // SendGrid dropped the mail (address bounced before): same task.
    [InlineData("herinnering", MailEventKind.Dropped, false)]
    // The 14-day notice: urgent, the tenant must be reached while the term runs.
    [InlineData("formal-notice", MailEventKind.Bounced, true)]
    public void RecordMailEvent_BounceOrDrop_GivesAConsultantTask(string template, MailEventKind kind, bool urgent)
    {
        var c = Opened(ShippedPolicies.Default, February);

        c.Send(new RecordMailEvent("e1", template, kind, c.Now, "550 5.1.1 mailbox unknown") { MessageId = "sg:1" });

        var task = Assert.Single(c.Effects.OfType<PersonTask>(), t => t.Title.StartsWith("Mail ", StringComparison.Ordinal));
        Assert.Equal(Role.Consultant, task.Role);
        Assert.Equal(urgent, task.Urgent);
        Assert.Contains(Dutch.Template(template), task.Title, StringComparison.Ordinal);
        Assert.Contains("550 5.1.1", task.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordMailEvent_BounceOfNoticeMail_DoesNotMoveTheCostDate()
    {
        var c = DefaultLadderTests.WalkToHandoverProposal(visit: true);
        var notice = Assert.Single(c.EventsOf<FormalNoticeSent>());
        var costs = Assert.Single(c.EventsOf<CollectionCostsCharged>());

        c.Send(new RecordMailEvent("e-notice", "formal-notice", MailEventKind.Bounced, c.Now) { MessageId = "sg:1" });

        // The notice went by post (the core always sends it as a letter): its proof stands.
        Assert.Equal(Channel.Letter, Assert.Single(Letters(c, "formal-notice")).Channel);
        Assert.Equal(notice.Proof, c.State.Notice!.Proof);
        Assert.Single(c.EventsOf<CollectionCostsCharged>());
        Assert.Equal(costs.On, notice.Proof.EarliestCostDate);
    }

    [Fact]
    public void RecordMailEvent_OnAClosedCase_IsStillRecorded()
    {
        var c = Opened(ShippedPolicies.Default, February);
        c.Pay(800m);
        Assert.Equal(CaseStatus.Closed, c.State.Status);

        c.Send(new RecordMailEvent("e-close", "closing-confirmation", MailEventKind.Delivered, c.Now) { MessageId = "sg:1" });

        Assert.Single(c.EventsOf<MailEventRecorded>());
        Assert.Equal(CaseStatus.Closed, c.State.Status);
    }
}
