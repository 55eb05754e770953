using System.Collections.Immutable;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Domain.Tests.Cases;
using HuurIncasso.Host.Workspace;
using HuurIncasso.Integrations.Tenants;

namespace HuurIncasso.Host.Tests.Web;

/// <summary>Task titles as the case core writes them, read back as kinds; and the evening visit plan.</summary>
public sealed class TaskTextTests
{
    private static readonly DateOnly On = TaskTitleSamples.On;

    private static string TitleOf(CaseEvent e) => TaskTitleSamples.TitleOf(e);

    public static TheoryData<string, TaskKind> CoreTitles() => new()
    {
        { TitleOf(new StepTaken("bellen-1", StepKind.Call, On, null, [], null, false, false)), TaskKind.Call },
        { TitleOf(new StepTaken("huisbezoek", StepKind.Visit, On, null, [], null, false, false)), TaskKind.Visit },
        { TitleOf(new DirectDebitReversed("p1", On, 700m, "MD06", ReversalTreatment.Contact, 0)), TaskKind.Call },
        { TitleOf(new InstalmentMissed("Z-1-R1", 2, On, 1400m, 2150m)), TaskKind.BrokenArrangement },
        { TitleOf(new PauseRequested(new Actor("ans", Role.Consultant), PauseKind.Deferral, On.AddDays(30), null)), TaskKind.PauseApproval },
        { TitleOf(new StepProposed("overdracht", StepKind.Handover, Role.TeamLead)), TaskKind.HandoverApproval },
        { TitleOf(new WriteOffRequested(new Actor("tess", Role.TeamLead), "wsnp")), TaskKind.WriteOffApproval },
        { TitleOf(new EarlySignalHeld("vroegsignalering", ["contactpoging met advies"])), TaskKind.Other },
        { TitleOf(new BalanceDifferenceFound(On, 2150m, 2000m)), TaskKind.Other },
    };

    [Theory]
    [MemberData(nameof(CoreTitles))]
    public void KindOf_TheCoresOwnTitles(string title, TaskKind expected)
    {
        Assert.Equal(expected, TaskText.KindOf(title));
    }

    [Fact]
    public void Plan_KeepsAComplexTogether_AndSkipsFridaysAndWeekends()
    {
        // Thursday 4 June 2026: the next evenings are Monday 8 June (18:00, 19:30), then Tuesday 9 June.
        var thursday = new DateOnly(2026, 6, 4);
        WorklistItem Task(string id) => new(id, id, "Huisbezoek", Role.Consultant, thursday, false, 0, 1, 700m, null, "step:huisbezoek", "woning", null, TaskKind.Visit);
        var visits = new (WorklistItem, TenantContact?)[]
        {
            (Task("A"), new TenantContact("A", "A", "A", "Dorpsstraat 1", "1234 XY", "Zeist")),
            (Task("B"), new TenantContact("B", "B", "B", "Lindelaan 10", "3532 AB", "Utrecht")),
            (Task("C"), new TenantContact("C", "C", "C", "Lindelaan 12-bis", "3532AB", "Utrecht")),
            (Task("D"), null),
        };

        var plan = VisitPlanner.Plan(visits, thursday, perSlot: 2);

        Assert.Equal([new DateOnly(2026, 6, 8), new DateOnly(2026, 6, 8), new DateOnly(2026, 6, 9)], plan.Select(s => s.Evening));
        Assert.Equal(["18:00", "19:30", "18:00"], plan.Select(s => s.From));
        Assert.Equal("Dorpsstraat, 1234 XY Zeist", Assert.Single(plan[0].Complexes).Complex);
        // Two visits did not fit in what was left of the first slot: they move together to the next.
        var lindelaan = Assert.Single(plan[1].Complexes);
        Assert.Equal("Lindelaan, 3532 AB Utrecht", lindelaan.Complex);
        Assert.Equal(["B", "C"], lindelaan.Visits.Select(v => v.Task.CaseId));
        Assert.Equal("Adres onbekend", Assert.Single(plan[2].Complexes).Complex);
        Assert.Equal(3, plan.Count);
    }
}
