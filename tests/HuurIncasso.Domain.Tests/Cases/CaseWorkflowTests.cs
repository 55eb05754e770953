using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;

namespace HuurIncasso.Domain.Tests.Cases;

public sealed class CaseWorkflowTests
{
    private static readonly CollectionPolicy Next = ShippedPolicies.FastHandover with { ValidFrom = new DateOnly(2026, 6, 1) };
    private static readonly CaseWorkflow Workflow = new(new PolicyCatalog([ShippedPolicies.Default, Next]));

    private static OpenCase Open(DateOnly due) => new("zaak-1", "contract-1", "huurder-1", 800m, "WON", new DateOnly(2015, 1, 1), false, 0, 800m, due) { MessageId = "open" };

    [Fact]
    public void Decide_NewCase_PinsThePolicyInForceAndKeepsItAfterANewOneStarts()
    {
        var opened = new DateTimeOffset(2026, 5, 5, 8, 0, 0, TimeSpan.Zero);
        var state = Workflow.Decide(CaseWorkflow.Initial("zaak-1"), Open(new DateOnly(2026, 5, 1)), opened).Aggregate(CaseWorkflow.Initial("zaak-1"), CaseWorkflow.Apply);
        Assert.Equal("2026.1", state.PolicyVersion);

        var later = new DateTimeOffset(2026, 7, 1, 8, 0, 0, TimeSpan.Zero);
        var events = Workflow.Decide(state, new ChargeRent(new DateOnly(2026, 6, 1), 800m) { MessageId = "r" }, later);
        state = events.Aggregate(state, CaseWorkflow.Apply);

        Assert.Equal("2026.1", state.PolicyVersion);
        var fresh = Workflow.Decide(CaseWorkflow.Initial("zaak-2"), Open(new DateOnly(2026, 6, 1)), later);
        Assert.Equal(Next.Version, Assert.IsType<CaseOpened>(fresh[0]).PolicyVersion);
    }

    [Fact]
    public void TimerFired_OfWaitingUntil_WakesTheCase()
    {
        var state = Workflow.Decide(CaseWorkflow.Initial("zaak-1"), Open(new DateOnly(2026, 2, 1)), new DateTimeOffset(2026, 2, 2, 8, 0, 0, TimeSpan.Zero))
            .Aggregate(CaseWorkflow.Initial("zaak-1"), CaseWorkflow.Apply);
        var due = CaseWorkflow.WaitingUntil(state)!.Value;

        var events = Workflow.Decide(state, CaseWorkflow.TimerFired(due), due);

        Assert.Contains(events, e => e is StepTaken { StepId: "herinnering" });
        Assert.False(CaseWorkflow.Describe(state).Closed);
        Assert.True(CaseWorkflow.Opens(Open(new DateOnly(2026, 2, 1))));
        Assert.False(CaseWorkflow.Opens(CaseWorkflow.TimerFired(due)));
    }
}
