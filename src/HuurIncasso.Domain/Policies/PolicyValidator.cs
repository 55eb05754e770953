namespace HuurIncasso.Domain.Policies;

/// <summary>
/// Checks a read policy for contradictions that no single field shows: the order of a plan's
/// steps, steps with legal effect, handovers without a visit before them.
/// </summary>
internal static class PolicyValidator
{
    public static void Check(CollectionPolicy policy, ErrorSink sink)
    {
        for (var i = 0; i < policy.Ladder.Length; i++)
        {
            var step = policy.Ladder[i];
            if (step.HasLegalEffect && !step.RequiresApproval)
            {
                sink.Add(step.Line, $"ladder[{i}].requiresApproval", $"stap '{step.Id}' heeft juridische gevolgen en vraagt dus goedkeuring door een mens (requiresApproval: true)");
            }
        }

        foreach (var plan in policy.Plans)
        {
            CheckPlan(policy, plan, sink);
        }
    }

    private static void CheckPlan(CollectionPolicy policy, TreatmentPlan plan, ErrorSink sink)
    {
        var where = $"plans[{plan.Id}]";
        StepDefinition? terminal = null;
        StepDefinition? visit = null;
        foreach (var step in plan.Steps)
        {
            if (terminal is not null)
            {
                sink.Add(step.Line, $"{where}.{step.Id}", $"stap '{step.Id}' komt na de eindstap '{terminal.Id}' en wordt dus nooit gezet");
            }

            if (step.Kind == StepKind.Visit)
            {
                visit ??= step;
            }

            if (step.Kind == StepKind.Handover)
            {
                if (step.RequiresVisit && visit is null)
                {
                    sink.Add(step.Line, $"{where}.{step.Id}", $"overdracht '{step.Id}' kan komen voordat er een huisbezoek is geweest: zet een huisbezoek ervoor in dit plan");
                }

                if (!step.RequiresVisit && plan.Id != policy.DepartedPlan)
                {
                    sink.Add(step.Line, $"{where}.{step.Id}", $"overdracht '{step.Id}' zonder huisbezoek mag alleen in het plan voor vertrokken huurders ('{policy.DepartedPlan}')");
                }
            }

            if (step.Terminal)
            {
                terminal ??= step;
            }
        }

        if (plan.Id == policy.AdministrativeTrack.Plan)
        {
            foreach (var step in plan.Steps.Where(s => s.Kind is StepKind.Call or StepKind.Visit || s.Partner == Partner.EarlySignal))
            {
                sink.Add(step.Line, $"{where}.{step.Id}", $"het administratieve plan heeft geen consulenten en geen vroegsignalering; haal '{step.Id}' eruit");
            }
        }
    }
}
