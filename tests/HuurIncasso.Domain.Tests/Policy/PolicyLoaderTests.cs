using HuurIncasso.Domain.Policies;
using HuurIncasso.Testing;

namespace HuurIncasso.Domain.Tests.Policy;

public sealed class PolicyLoaderTests
{
    private static readonly string DefaultText = File.ReadAllText(RepositoryRoot.Path("policy", "default.yaml"));

    private static int LineOf(string text, string find) => text[..text.IndexOf(find, StringComparison.Ordinal)].Count(c => c == '\n') + 1;

    [Theory]
    // The default (seed 004's monthly ladder).
    [InlineData("policy/default.yaml", "2026.1")]
    // Seed 003's handover at the end of month 2.
    [InlineData("policy/examples/fast-handover.yaml", "2026.1-snel")]
    public void Load_ShippedPolicies_AreValid(string path, string version)
    {
        var result = PolicyLoader.Load(RepositoryRoot.Path(path.Split('/')));

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        Assert.Equal(version, result.Policy!.Version);
    }

    [Fact]
    public void Load_Default_ReadsTheSettingsOfDomainMd()
    {
        var policy = PolicyLoader.Parse(DefaultText).Policy!;

        Assert.Equal(new DateOnly(2026, 1, 1), policy.ValidFrom);
        Assert.Equal(6, policy.Arrangements.MaxInstalmentsUpToOneMonth);
        Assert.Equal(12, policy.Arrangements.MaxInstalments);
        Assert.Equal(50m, policy.Arrangements.MinimumInstalment);
        Assert.Equal(1, policy.Arrangements.MaxPerYear);
        Assert.Equal(30, policy.PauseFor(PauseKind.DebtCounselling)!.MaxDays);
        Assert.Equal(14, policy.Notice.NoticeDays);
        Assert.False(policy.Costs.AddVat);
        Assert.False(policy.Interest.Charge);
        Assert.Equal(6m, policy.Interest.RateOn(new DateOnly(2025, 6, 1)));
        Assert.Equal(1000, policy.Kpis.MaxTenantsInArrears);
        Assert.Equal(1.35m, policy.Kpis.MaxArrearsPercentOfYearlyRent);
        Assert.Equal(3, policy.Kpis.MaxEvictionsPerYear);
        Assert.Equal(90m, policy.Kpis.DirectDebitSharePercent);
        Assert.Equal(2028, policy.Kpis.DirectDebitShareByYear);
        Assert.Equal(24, policy.Kpis.MaxLegalProceduresPerYear);
        Assert.Equal(95m, policy.Kpis.MinEarlySignalCoveragePercent);
        Assert.Equal(["BOG", "MOG", "ZOG"], policy.AdministrativeTrack.PropertyTypes);
        Assert.All(policy.Ladder.Where(s => s.Kind == StepKind.Handover), s => Assert.True(s.RequiresApproval));
        Assert.Equal(ReversalTreatment.Recollect, policy.ReversalRuleFor("AM04")!.Treatment);
        Assert.Equal(6, policy.Plan("nieuwe-huurder").Find("bellen-1")!.DaysPastDue);
        Assert.Equal(0, policy.Plan("nieuwe-huurder").Find("bellen-1")!.WaitDays);
        Assert.Equal(10, policy.Plan("standaard").Find("bellen-1")!.DaysPastDue);
    }

    [Theory]
    // A duration must be a number with d or w; Dutch words are not read.
    [InlineData("    wait: 3d\n", "    wait: 10 dagen\n", "ladder[1].wait", "'10 dagen' is geen duur")]
    // A typo in a field name is reported, not silently ignored.
    [InlineData("    daysPastDue: 5\n", "    daysPastdue: 5\n", "ladder[0].daysPastdue", "onbekend veld")]
    // A step kind the core does not know.
    [InlineData("    kind: visit\n", "    kind: bezoek\n", "ladder[4].kind", "'bezoek' is onbekend")]
    // Two steps with one id.
    [InlineData("  - id: bellen-2\n", "  - id: bellen-1\n", "ladder", "staat twee keer")]
    // A handover is a step with legal effect: it needs a person's approval.
    [InlineData("    requiresApproval: true\n    requiresVisit: true\n", "    requiresApproval: false\n    requiresVisit: true\n", "ladder[10].requiresApproval", "juridische gevolgen")]
    // Only the departed tenants' plan may hand over without a visit.
    [InlineData("    requiresVisit: true\n", "    requiresVisit: false\n", "plans[standaard].overdracht", "zonder huisbezoek")]
    // A plan that skips the visit could hand over before any visit.
    [InlineData("  - id: standaard\n", "  - id: standaard\n    skip: [huisbezoek]\n", "plans[standaard].overdracht", "voordat er een huisbezoek")]
    // Nothing can follow a terminal step.
    [InlineData("steps: [eindafrekening, overdracht-vertrokken]", "steps: [overdracht-vertrokken, eindafrekening]", "plans[vertrokken].eindafrekening", "na de eindstap")]
    // A plan naming a step the ladder does not have.
    [InlineData("steps: [eindafrekening, overdracht-vertrokken]", "steps: [eindafrekening, overdracht-vertrokken, bellen-9]", "plans[3].steps", "onbekende stap 'bellen-9'")]
    // An adjustment of a step the ladder does not have.
    [InlineData("      - step: bellen-1\n        daysPastDue: 6", "      - step: bel-1\n        daysPastDue: 6", "plans[1].adjust[0].step", "onbekende stap 'bel-1'")]
    // The administrative track has no consultants.
    [InlineData("steps: [herinnering, taak-financien, aanmaning]", "steps: [herinnering, bellen-1, taak-financien, aanmaning]", "plans[administratief].bellen-1", "geen consulenten")]
    // A segment pointing at a plan that does not exist.
    [InlineData("    plan: nieuwe-huurder\n", "    plan: nieuwe-huuder\n", "segments[1].plan", "onbekend plan 'nieuwe-huuder'")]
    // The last segment rule must hold for everyone.
    [InlineData("    when: {}\n    plan: keurige-betaler", "    when: { directDebit: true }\n    plan: keurige-betaler", "segments[5]", "voor iedereen gelden")]
    // More than the 12-instalment bound.
    [InlineData("  maxInstalments: 12\n", "  maxInstalments: 18\n", "arrangements.maxInstalments", "grens van 12")]
    // More than 6 instalments for at most one month of arrears.
    [InlineData("  maxInstalmentsUpToOneMonth: 6\n", "  maxInstalmentsUpToOneMonth: 8\n", "arrangements.maxInstalmentsUpToOneMonth", "grens van 6")]
    // A minimum instalment must be a number with a point.
    [InlineData("  minimumInstalment: 50.00\n", "  minimumInstalment: vijftig\n", "arrangements.minimumInstalment", "geen getal")]
    // The Wgs pause for debt counselling is at most 30 days.
    [InlineData("    maxDays: 30\n", "    maxDays: 31\n", "pauses[2].maxDays", "hoogstens 30 dagen")]
    // The notice gives at least 14 days by law.
    [InlineData("  days: 14\n", "  days: 10\n", "notice.days", "minstens 14 dagen")]
    // Interest rates must be in date order.
    [InlineData("    - { from: 2025-01-01, percent: 6 }", "    - { from: 2023-01-01, percent: 6 }", "interest.rates[1].from", "oplopen")]
    // A SEPA reason code has four characters.
    [InlineData("  - codes: [MD06]", "  - codes: [MD6]", "reversals[1].codes", "'MD6' is geen SEPA-redencode")]
    // No SMS provider is set up: a policy asking for SMS fails the check, not every message at run time.
    [InlineData("    channels: [mail, letter]\n", "    channels: [mail, sms]\n", "ladder[0].channels", "sms kan nog niet")]
    // A date that is not yyyy-mm-dd.
    [InlineData("validFrom: 2026-01-01", "validFrom: 1-1-2026", "validFrom", "geen datum")]
    // A share above 100 % can never be reached.
    [InlineData("  minEarlySignalCoveragePercent: 95\n", "  minEarlySignalCoveragePercent: 120\n", "kpis.minEarlySignalCoveragePercent", "meer dan 100 %")]
    // A direct-debit share above 100 % neither.
    [InlineData("  directDebitSharePercent: 90 ", "  directDebitSharePercent: 190 ", "kpis.directDebitSharePercent", "meer dan 100 %")]
    // A negative number of procedures is a typo.
    [InlineData("  maxLegalProceduresPerYear: 24 ", "  maxLegalProceduresPerYear: -1 ", "kpis.maxLegalProceduresPerYear", "kleiner dan 0")]
    public void Parse_BrokenSnippet_ReportsLineAndPath(string find, string replace, string path, string message)
    {
        Assert.Contains(find, DefaultText, StringComparison.Ordinal);
        var text = ReplaceFirst(DefaultText, find, replace);

        var result = PolicyLoader.Parse(text);

        Assert.False(result.IsValid);
        Assert.Null(result.Policy);
        var error = Assert.Single(result.Errors, e => e.Path == path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.InRange(error.Line, 1, text.Count(c => c == '\n') + 1);
        if (!path.StartsWith("plans[", StringComparison.Ordinal) && path != "segments[5]" && path != "ladder" && !path.EndsWith("requiresApproval", StringComparison.Ordinal))
        {
            // Field errors point at the changed line itself.
            Assert.Equal(LineOf(text, replace.TrimStart().Split('\n')[0]), error.Line);
        }
    }

    [Fact]
    public void Parse_KpiTargetMissing_ReportsItAtTheKpisBlock()
    {
        var text = ReplaceFirst(DefaultText, "  minEarlySignalCoveragePercent: 95\n", "");

        var result = PolicyLoader.Parse(text);

        var error = Assert.Single(result.Errors);
        Assert.Equal("kpis.minEarlySignalCoveragePercent", error.Path);
        Assert.Equal("ontbreekt", error.Message);
        Assert.Equal(LineOf(text, "  maxTenantsInArrears"), error.Line);
    }

    [Fact]
    public void Parse_DurationError_ReadsLikeTheSpecification()
    {
        var text = ReplaceFirst(DefaultText, "    wait: 3d\n", "    wait: 10 dagen\n");

        var error = Assert.Single(PolicyLoader.Parse(text).Errors);

        Assert.Equal($"regel {LineOf(text, "wait: 10 dagen")}, ladder[1].wait: '10 dagen' is geen duur (schrijf bijvoorbeeld 5d of 2w)", error.ToString());
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsAllInLineOrder()
    {
        var text = ReplaceFirst(DefaultText, "    wait: 3d\n", "    wait: 3 dagen\n");
        text = ReplaceFirst(text, "  maxInstalments: 12\n", "  maxInstalments: 24\n");
        text = ReplaceFirst(text, "  days: 14\n", "  days: 7\n");

        var errors = PolicyLoader.Parse(text).Errors;

        Assert.Equal(3, errors.Count);
        Assert.Equal(errors.OrderBy(e => e.Line).ToList(), errors);
    }

    [Theory]
    // Not YAML at all.
    [InlineData("ladder: [\n  - x", "geen geldige YAML")]
    // YAML, but a list instead of a policy.
    [InlineData("- a\n- b\n", "verwacht een lijst van velden")]
    // An empty file.
    [InlineData("", "precies één beleid")]
    public void Parse_NotAPolicy_ReportsWhyWithoutThrowing(string text, string message)
    {
        var result = PolicyLoader.Parse(text);

        Assert.Contains(result.Errors, e => e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_MissingVersion_IsAnError()
    {
        var result = PolicyLoader.Parse(ReplaceFirst(DefaultText, "version: \"2026.1\"\n", ""));

        Assert.Contains(result.Errors, e => e.Path == "version" && e.Message == "ontbreekt");
    }

    [Fact]
    public void Load_MissingFile_IsAnErrorNotAnException()
    {
        var result = PolicyLoader.Load("/nonexistent/beleid.yaml");

        Assert.False(result.IsValid);
        Assert.Contains("kan niet worden gelezen", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    internal static string ReplaceFirst(string text, string find, string replace)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{find}' not in the policy text");
        return string.Concat(text.AsSpan(0, at), replace, text.AsSpan(at + find.Length));
    }
}

public sealed class PolicyPlanTests
{
    private static readonly string DefaultText = File.ReadAllText(RepositoryRoot.Path("policy", "default.yaml"));

    [Fact]
    public void Plan_AddSkipAndAdjust_BuildTheStepsInLadderOrder()
    {
        var text = PolicyLoaderTests.ReplaceFirst(DefaultText, "  - id: standaard\n", "  - id: standaard\n  - id: proef\n    skip: [ggd, bellen-2]\n    add:\n      - { step: taak-financien, after: bellen-1 }\n    adjust:\n      - step: huisbezoek\n        wait: 1w\n");

        var result = PolicyLoader.Parse(text, "proef.yaml");

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.FormattedErrors));
        var plan = result.Policy!.Plan("proef");
        Assert.Equal(
            ["herinnering", "bellen-1", "taak-financien", "vroegsignalering", "huisbezoek", "kredietbank", "regeling-aanbieden", "schuldhulp", "aanmaning", "overdracht"],
            plan.Steps.Select(s => s.Id));
        Assert.Equal(7, plan.Find("huisbezoek")!.WaitDays);
        Assert.Equal(3, result.Policy.Plan("standaard").Find("huisbezoek")!.WaitDays);
    }

    [Fact]
    public void Plan_AddedAfterTerminalStep_IsAnError()
    {
        var text = PolicyLoaderTests.ReplaceFirst(DefaultText, "  - id: standaard\n", "  - id: standaard\n    add:\n      - step: taak-financien\n");

        var result = PolicyLoader.Parse(text);

        Assert.Contains(result.Errors, e => e.Path == "plans[standaard].taak-financien" && e.Message.Contains("na de eindstap", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_StepsAndSkipTogether_IsAnError()
    {
        var text = PolicyLoaderTests.ReplaceFirst(DefaultText, "    steps: [eindafrekening, overdracht-vertrokken]\n", "    steps: [eindafrekening, overdracht-vertrokken]\n    skip: [eindafrekening]\n");

        var result = PolicyLoader.Parse(text, "x.yaml");

        Assert.Contains(result.FormattedErrors, e => e.StartsWith("x.yaml:", StringComparison.Ordinal) && e.Contains("óf 'skip'", StringComparison.Ordinal));
    }
}
