using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;

namespace HuurIncasso.Domain.Tests.Cases;

/// <summary>The core writes every task title in Dutch: Dutch money, Dutch dates, Dutch words for codes.</summary>
public sealed class PersonTaskTitleTests
{
    private static readonly DateOnly On = TaskTitleSamples.On;

    private static string TitleOf(CaseEvent e) => TaskTitleSamples.TitleOf(e);

    // Culture formatting writes a no-break space after the euro sign; compare with plain spaces.
    private static string Plain(string text) => text.Replace('\u00a0', ' ');

    public static TheoryData<CaseEvent, string> Titles() => new()
    {
        { new StepTaken("bellen-1", StepKind.Call, On, null, [], null, false, false), "Bellen: bellen-1 (achterstand € 2.150,00, 4 maand(en))" },
        { new StepTaken("huisbezoek", StepKind.Visit, On, null, [], null, false, false), "Huisbezoek (liefst 's avonds): huisbezoek (achterstand € 2.150,00, 4 maand(en))" },
        { new DirectDebitReversed("p1", On, 700m, "MD06", ReversalTreatment.Contact, 0), "Incasso gestorneerd (MD06): contact opnemen" },
        // An arrangement id holds a year and month: it is an id, not a date.
        { new InstalmentMissed("300103-2026-05-R1", 2, On, 1400m, 2150m), "Termijn 2 van regeling 300103-2026-05-R1 niet betaald: beoordelen" },
        { new PauseRequested(new Actor("ans", Role.Consultant), PauseKind.Deferral, new DateOnly(2026, 7, 1), null), "Pauze (uitstel) tot 1 juli 2026 beoordelen" },
        { new StepProposed("overdracht", StepKind.Handover, Role.TeamLead), "Goedkeuren: overdracht (achterstand € 2.150,00)" },
        { new WriteOffRequested(new Actor("tess", Role.TeamLead), "wsnp"), "Afboeken beoordelen (wsnp, € 2.150,00)" },
        { new BalanceDifferenceFound(On, 2150m, 2000m), "Saldo in de administratie wijkt € -150,00 af van de zaak" },
        { new MailEventRecorded("m1", "formal-notice", MailEventKind.Bounced, DateTimeOffset.UnixEpoch, "mailbox full"), "Mail 'aanmaning (14 dagen)' kwam niet aan (geweigerd: mailbox full): controleer het e-mailadres" },
    };

    [Theory]
    [MemberData(nameof(Titles))]
    public void EffectsOf_WritesTheTaskTitleInDutch(CaseEvent e, string expected)
    {
        Assert.Equal(expected, Plain(TitleOf(e)));
    }

    [Fact]
    public void EffectsOf_PauseKinds_AreNamedInDutch()
    {
        foreach (var kind in Enum.GetValues<PauseKind>())
        {
            var title = TitleOf(new PauseRequested(new Actor("ans", Role.Consultant), kind, On.AddDays(30), null));

            Assert.DoesNotContain(kind.ToString(), title, StringComparison.Ordinal);
        }
    }
}
