using System.Collections.Immutable;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Host.Cases;
using HuurIncasso.Host.Simulation;
using HuurIncasso.Testing;

namespace HuurIncasso.Host.Tests.Simulation;

public sealed class PortfolioSimulationTests
{
    private static readonly DateOnly Start = new(2026, 1, 1);

    private static CollectionPolicy Load(string file) => PolicyCatalog.LoadFiles([RepositoryRoot.Path(file.Split('/'))]).Versions[0];

    [Fact]
    public async Task RunAsync_SameSeedAndPolicy_IdenticalJson()
    {
        var policy = Load("policy/default.yaml");
        var settings = new SimulationSettings(300, 4, 7, Start);

        var first = SimulationReport.Json(await PortfolioSimulation.RunAsync(policy, settings, TestContext.Current.CancellationToken));
        var second = SimulationReport.Json(await PortfolioSimulation.RunAsync(policy, settings, TestContext.Current.CancellationToken));

        Assert.Equal(first, second);
        Assert.Contains("\"casesOpened\"", first, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("policy/default.yaml", 3)]
    [InlineData("policy/examples/fast-handover.yaml", 5)]
    public async Task RunAsync_CasesOnSeveralThreads_SameJsonAsOneThread(string policyFile, int seed)
    {
        // Four workers even on two cores, so cases of one moment really interleave.
        var policy = Load(policyFile);
        var settings = new SimulationSettings(1500, 8, seed, Start, Workers: 1);

        var sequential = SimulationReport.Json(await PortfolioSimulation.RunAsync(policy, settings, TestContext.Current.CancellationToken));
        var parallel = SimulationReport.Json(await PortfolioSimulation.RunAsync(policy, settings with { Workers = 4 }, TestContext.Current.CancellationToken));

        Assert.Equal(sequential, parallel);

        // The run must reach the whole ladder and the people's answers, or it compares little.
        using var figures = System.Text.Json.JsonDocument.Parse(sequential);
        Assert.True(figures.RootElement.GetProperty("handovers").GetInt32() > 0);
        Assert.True(figures.RootElement.GetProperty("visits").GetInt32() > 0);
        Assert.True(figures.RootElement.GetProperty("arrangementsAgreed").GetInt32() > 0);
    }

    [Fact]
    public async Task RunAsync_OtherSeed_OtherPortfolio()
    {
        var policy = Load("policy/default.yaml");

        var a = await PortfolioSimulation.RunAsync(policy, new SimulationSettings(300, 3, 1, Start), TestContext.Current.CancellationToken);
        var b = await PortfolioSimulation.RunAsync(policy, new SimulationSettings(300, 3, 2, Start), TestContext.Current.CancellationToken);

        Assert.NotEqual(SimulationReport.Json(a), SimulationReport.Json(b));
    }

    [Theory]
    // The default ladder: handover in month 3 after a visit.
    [InlineData("policy/default.yaml", 1)]
    [InlineData("policy/default.yaml", 2)]
    [InlineData("policy/default.yaml", 3)]
    // Seed 003's fast handover at the end of month 2: the visit must still come first.
    [InlineData("policy/examples/fast-handover.yaml", 1)]
    [InlineData("policy/examples/fast-handover.yaml", 2)]
    [InlineData("policy/examples/fast-handover.yaml", 3)]
    public async Task RunAsync_AnySeedAndPolicy_NoHandoverWithoutVisitAndNoStepAfterPayment(string policyFile, int seed)
    {
        var result = await PortfolioSimulation.RunAsync(Load(policyFile), new SimulationSettings(500, 8, seed, Start), TestContext.Current.CancellationToken);

        // The run must have reached the end of the ladder, or the checks below prove nothing.
        Assert.True(result.Total.Handovers > 0, $"no handovers with seed {seed}");
        Assert.True(result.Total.CasesClosedPaid > 0);
        Assert.True(result.Total.Visits > 0);
        Assert.Equal(0, result.Total.HandoversWithoutVisit);
        Assert.Equal(0, result.Total.EscalationsAfterPayment);
        Assert.All(result.Months, m => Assert.Equal(0, m.HandoversWithoutVisit + m.EscalationsAfterPayment));
    }

    [Fact]
    public async Task RunAsync_SmallPortfolio_FiguresAddUpAndMatchTheLedger()
    {
        var result = await PortfolioSimulation.RunAsync(Load("policy/default.yaml"), new SimulationSettings(400, 6, 11, Start), TestContext.Current.CancellationToken);

        Assert.Equal(6, result.Months.Count);
        Assert.Equal(result.Months.Sum(m => m.CasesOpened), result.Total.CasesOpened);
        Assert.Equal(result.Months.Sum(m => m.Handovers), result.Total.Handovers);
        Assert.Equal(result.Months[^1].TenantsInArrears, result.Total.TenantsInArrears);
        Assert.True(result.Total.CasesOpened >= result.Total.CasesClosedPaid);
        Assert.True(result.Total.ArrangementsAgreed >= result.Total.ArrangementsBroken);

        // Cases lag the ledger by a few days at most, so at a month's end they nearly agree.
        Assert.All(result.Months, m => Assert.InRange(m.TenantsInArrears, m.LedgerTenantsInArrears * 0.8, m.LedgerTenantsInArrears));
        Assert.All(result.Months, m => Assert.Equal(m.TenantsInArrears == 0 ? 0m : Math.Round(m.TotalArrears / m.TenantsInArrears, 2, MidpointRounding.AwayFromZero), m.AverageArrears));
    }

    [Fact]
    public void StartFor_PolicyFromTheMiddleOfAMonth_StartsOnTheNextFirst()
    {
        var policy = Load("policy/default.yaml") with { ValidFrom = new DateOnly(2026, 3, 15) };

        Assert.Equal(new DateOnly(2026, 4, 1), PortfolioSimulation.StartFor(policy, Load("policy/default.yaml")));
    }
}

/// <summary>The independent checks must be able to fail: fed a bad history, they count it.</summary>
public sealed class FigureCalculatorTests
{
    private static readonly DateTimeOffset January = CaseCore.TimerInstant(new DateOnly(2026, 1, 10));
    private static readonly Actor TeamLead = new("tl", Role.TeamLead);

    private static CaseOpened Opened(decimal balance) =>
        new("C", "C", "T", 700m, "WON", new DateOnly(2020, 1, 1), false, 0, "2026.1", CaseTrack.Regular, balance, new DateOnly(2026, 1, 1)) { At = January };

    private static StepTaken Step(string id, StepKind kind) => new(id, kind, new DateOnly(2026, 1, 10), null, [], null, false, false) { At = January };

    private static SimulationFigures Run(params CaseEvent[] events)
    {
        var calculator = new FigureCalculator(new DateOnly(2026, 1, 1), 2);
        calculator.AddCase(events);
        return calculator.Result([10_000m, 10_000m], [1, 1]).Total;
    }

    [Fact]
    public void AddCase_HandoverWithoutVisit_Counted()
    {
        var figures = Run(Opened(1400m), new HandedOver("overdracht", HandoverTarget.Agency, TeamLead, 1400m, 0m, new DateOnly(2026, 1, 10)) { At = January });

        Assert.Equal(1, figures.Handovers);
        Assert.Equal(1, figures.HandoversWithoutVisit);
    }

    [Fact]
    public void AddCase_VisitOnlyInAnEarlierEpisode_HandoverStillCountedWithoutVisit()
    {
        var figures = Run(
            Opened(1400m),
            new VisitOutcomeRecorded(TeamLead, false, false, false, null, null, null) { At = January },
            new PaymentApplied("p", new DateOnly(2026, 1, 10), 1400m, false) { At = January },
            new CaseReopened(700m) { At = January },
            new RentCharged(new DateOnly(2026, 1, 10), 700m) { At = January },
            new HandedOver("overdracht", HandoverTarget.Agency, TeamLead, 700m, 0m, new DateOnly(2026, 1, 10)) { At = January });

        Assert.Equal(1, figures.HandoversWithoutVisit);
    }

    [Fact]
    public void AddCase_HandoverAfterVisitOrOfDepartedTenant_NotCounted()
    {
        var visited = Run(
            Opened(1400m),
            new VisitOutcomeRecorded(TeamLead, false, false, false, null, null, null) { At = January },
            new HandedOver("overdracht", HandoverTarget.Agency, TeamLead, 1400m, 0m, new DateOnly(2026, 1, 10)) { At = January });
        var departed = Run(
            Opened(1400m),
            new TenantDeparted(new DateOnly(2026, 1, 9)) { At = January },
            new HandedOver("overdracht-vertrokken", HandoverTarget.Agency, TeamLead, 1400m, 0m, new DateOnly(2026, 1, 10)) { At = January });

        Assert.Equal(0, visited.HandoversWithoutVisit);
        Assert.Equal(0, departed.HandoversWithoutVisit);
        Assert.Equal(1, departed.HandoversDeparted);
    }

    [Theory]
    // A reminder after the tenant paid everything.
    [InlineData(StepKind.Reminder)]
    // A visit for arrears that are gone.
    [InlineData(StepKind.Visit)]
    public void AddCase_StepAfterFullPayment_CountedAsEscalationAfterPayment(StepKind kind)
    {
        var figures = Run(Opened(700m), new PaymentApplied("p", new DateOnly(2026, 1, 10), 700m, false) { At = January }, Step("x", kind));

        Assert.Equal(1, figures.EscalationsAfterPayment);
    }

    [Fact]
    public void AddCase_CostsAfterTheLedgerRestatedToZero_CountedAsEscalationAfterPayment()
    {
        var figures = Run(
            Opened(700m),
            new BalanceDifferenceFound(new DateOnly(2026, 1, 10), 700m, 0m) { At = January },
            new CollectionCostsCharged(700m, 105m, 0m, new DateOnly(2026, 1, 10)) { At = January });

        Assert.Equal(1, figures.EscalationsAfterPayment);
    }

    [Fact]
    public void AddCase_StepWhileArrearsRemain_NotCounted()
    {
        var figures = Run(Opened(700m), new PaymentApplied("p", new DateOnly(2026, 1, 10), 300m, false) { At = January }, Step("herinnering", StepKind.Reminder));

        Assert.Equal(0, figures.EscalationsAfterPayment);
        Assert.Equal(1, figures.Reminders);
        Assert.Equal(1, figures.TenantsInArrears);
        Assert.Equal(400m, figures.TotalArrears);
        Assert.Equal(4m, figures.ArrearsPercent);
    }

    [Fact]
    public void Add_CasesFedInterleavedEventByEvent_SameFiguresAsCaseByCase()
    {
        var february = CaseCore.TimerInstant(new DateOnly(2026, 2, 10));
        CaseEvent[] first = [Opened(1400m), new PaymentApplied("p1", new DateOnly(2026, 2, 10), 1400m, false) { At = february }, Step("herinnering", StepKind.Reminder) with { At = february }];
        CaseEvent[] second = [Opened(700m), new HandedOver("overdracht", HandoverTarget.Agency, TeamLead, 700m, 0m, new DateOnly(2026, 2, 10)) { At = february }];
        var byCase = new FigureCalculator(new DateOnly(2026, 1, 1), 3);
        byCase.AddCase(first);
        byCase.AddCase(second);
        var byEvent = new FigureCalculator(new DateOnly(2026, 1, 1), 3);
        for (var i = 0; i < 3; i++)
        {
            if (i < second.Length)
            {
                byEvent.Add("B", second[i]);
            }

            byEvent.Add("A", first[i]);
        }

        var expected = byCase.Result([10_000m, 10_000m, 10_000m], [1, 1, 1]);
        var actual = byEvent.Result([10_000m, 10_000m, 10_000m], [1, 1, 1]);

        Assert.Equal(expected.Total, actual.Total);
        Assert.Equal(expected.Months, actual.Months);
        Assert.Equal([2, 1, 1], actual.Months.Select(m => m.TenantsInArrears));
        Assert.Equal(1, actual.Total.EscalationsAfterPayment);
        Assert.Equal(1, actual.Total.HandoversWithoutVisit);
    }

    [Fact]
    public void AddCase_ArrearsCarriedToLaterMonths_CountedInEachMonthsStock()
    {
        var calculator = new FigureCalculator(new DateOnly(2026, 1, 1), 3);
        calculator.AddCase([Opened(700m)]);

        var (_, months) = calculator.Result([1m, 1m, 1m], [0, 0, 0]);

        Assert.Equal([1, 1, 1], months.Select(m => m.TenantsInArrears));
        Assert.Equal([700m, 700m, 700m], months.Select(m => m.TotalArrears));
        Assert.Equal(ImmutableArray.Create("2026-01", "2026-02", "2026-03"), months.Select(m => m.Month).ToImmutableArray());
    }
}
