using HuurIncasso.Domain.Policies;

namespace HuurIncasso.Domain.Cases;

/// <summary>The facts a segment rule looks at, taken from a case on a given day.</summary>
public sealed record SegmentFacts(
    bool NewTenant,
    bool DirectDebit,
    int LateMonthsInLast12,
    bool OpenArrangement,
    IReadOnlyCollection<string> ReversalReasonsInLast12,
    bool Departing,
    bool Departed,
    Ability? Ability,
    Willingness? Willingness,
    int BrokenArrangements,
    bool InArrears)
{
    public static SegmentFacts Of(CaseState s, DateOnly today, CollectionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(policy);
        var yearAgo = today.AddYears(-1);
        return new SegmentFacts(
            s.ContractStart > today.AddMonths(-policy.NewTenantMonths),
            s.DirectDebit,
            s.LateMonthsInLast12,
            s.Arrangement?.BlocksEscalation == true,
            s.Reversals.IsEmpty ? [] : [.. s.Reversals.Where(r => r.On > yearAgo).Select(r => r.StepId).Distinct()],
            s.Departing,
            s.DepartedOn is not null,
            s.Ability,
            s.Willingness,
            s.BrokenArrangements,
            s.Arrears > 0m);
    }
}

/// <summary>Classifies a tenant by the policy's segment rules: the first rule that holds wins.</summary>
public static class Segmenter
{
    public static SegmentRule Classify(CaseState state, DateOnly today, CollectionPolicy policy) =>
        Classify(SegmentFacts.Of(state, today, policy), policy);

    /// <exception cref="InvalidOperationException">No rule holds; the validator forbids such a policy (the last rule must hold for everyone).</exception>
    public static SegmentRule Classify(SegmentFacts facts, CollectionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(policy);
        // Once per decision: a plain loop, no closure.
        foreach (var rule in policy.Segments)
        {
            if (Holds(rule.When, facts))
            {
                return rule;
            }
        }

        throw new InvalidOperationException($"Policy {policy.Version} classifies no tenant with these facts; its last segment rule must hold for everyone.");
    }

    public static bool Holds(SegmentCondition when, SegmentFacts facts)
    {
        ArgumentNullException.ThrowIfNull(when);
        ArgumentNullException.ThrowIfNull(facts);
        return (when.NewTenant is null || when.NewTenant == facts.NewTenant)
            && (when.DirectDebit is null || when.DirectDebit == facts.DirectDebit)
            && (when.LateMonthsAtLeast is null || facts.LateMonthsInLast12 >= when.LateMonthsAtLeast)
            && (when.LateMonthsAtMost is null || facts.LateMonthsInLast12 <= when.LateMonthsAtMost)
            && (when.OpenArrangement is null || when.OpenArrangement == facts.OpenArrangement)
            && (when.ReversalReasons.IsDefaultOrEmpty || when.ReversalReasons.Any(facts.ReversalReasonsInLast12.Contains))
            && (when.Departing is null || when.Departing == facts.Departing)
            && (when.Departed is null || when.Departed == facts.Departed)
            && (when.Ability is null || when.Ability == facts.Ability)
            && (when.Willingness is null || when.Willingness == facts.Willingness)
            && (when.BrokenArrangementsAtLeast is null || facts.BrokenArrangements >= when.BrokenArrangementsAtLeast)
            && (when.InArrears is null || when.InArrears == facts.InArrears);
    }
}
