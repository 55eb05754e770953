using System.Collections.Immutable;
using HuurIncasso.Domain.Policies;

namespace HuurIncasso.Domain.Figures;

/// <summary>The figures of the monthly report, in the order they are shown.</summary>
public enum KpiId
{
    /// <summary>Current tenants whose case shows arrears at the month's end.</summary>
    TenantsInArrears,

    /// <summary>Arrears of current tenants as a percentage of the yearly rent of all current contracts.</summary>
    ArrearsPercentOfYearlyRent,

    /// <summary>Average arrears of the current tenants in arrears.</summary>
    AverageArrearsCurrent,

    /// <summary>Average arrears of the departed tenants in arrears.</summary>
    AverageArrearsDeparted,

    /// <summary>Evictions in the twelve months up to and including the month.</summary>
    Evictions,

    /// <summary>Legal procedures (summonses) in the twelve months up to and including the month.</summary>
    LegalProcedures,

    /// <summary>Of the current tenants in arrears whose early signal is due, the share already signalled.</summary>
    EarlySignalCoverage,

    /// <summary>Share of current contracts paying by direct debit.</summary>
    DirectDebitShare,

    /// <summary>Arrears of current tenants in euros (context, no target).</summary>
    ArrearsCurrent,

    /// <summary>Departed tenants with arrears (context, no target).</summary>
    DepartedTenantsInArrears,

    /// <summary>Arrears of departed tenants in euros (context, no target).</summary>
    ArrearsDeparted,

    /// <summary>Early signals sent in the month (context, no target).</summary>
    EarlySignalsSent,

    /// <summary>Current contracts at the month's end (context, no target).</summary>
    CurrentContracts,
}

/// <summary>How a figure is counted and written.</summary>
public enum KpiUnit
{
    Count,
    Euro,
    Percent,
}

/// <summary>Whether the figure must stay under or reach its target.</summary>
public enum TargetDirection
{
    AtMost,
    AtLeast,
}

/// <summary>A policy target: at most or at least <see cref="Value"/>; with <see cref="FromYear"/> it applies from that year on.</summary>
public sealed record KpiTarget(TargetDirection Direction, decimal Value, int? FromYear = null);

/// <summary>How a month's figure compares with its target.</summary>
public enum KpiStatus
{
    Met,
    NotMet,

    /// <summary>Not reached yet, but the target only applies from a later year (direct debit: 90 % by 2028).</summary>
    NotYetDue,

    /// <summary>No value this month (nothing to divide by, or no contract data).</summary>
    NoValue,

    /// <summary>A figure for context without a target.</summary>
    NoTarget,
}

/// <summary>What a figure is: its code in the CSV, its Dutch name and explanation, its unit.</summary>
/// <param name="Code">Stable column value for spreadsheets and Power BI (snake case, Dutch).</param>
/// <param name="Name">Short Dutch name for tables and chart titles.</param>
/// <param name="Explanation">One Dutch sentence (B1) on how it is counted.</param>
public sealed record KpiDefinition(KpiId Id, string Code, string Name, string Explanation, KpiUnit Unit)
{
    /// <summary>The policy's target for this figure, or null for a figure shown for context.</summary>
    public KpiTarget? TargetIn(KpiTargets targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return Id switch
        {
            KpiId.TenantsInArrears => new(TargetDirection.AtMost, targets.MaxTenantsInArrears),
            KpiId.ArrearsPercentOfYearlyRent => new(TargetDirection.AtMost, targets.MaxArrearsPercentOfYearlyRent),
            KpiId.AverageArrearsCurrent => new(TargetDirection.AtMost, targets.MaxAverageArrearsCurrent),
            KpiId.AverageArrearsDeparted => new(TargetDirection.AtMost, targets.MaxAverageArrearsDeparted),
            KpiId.Evictions => new(TargetDirection.AtMost, targets.MaxEvictionsPerYear),
            KpiId.LegalProcedures => new(TargetDirection.AtMost, targets.MaxLegalProceduresPerYear),
            KpiId.EarlySignalCoverage => new(TargetDirection.AtLeast, targets.MinEarlySignalCoveragePercent),
            KpiId.DirectDebitShare => new(TargetDirection.AtLeast, targets.DirectDebitSharePercent, targets.DirectDebitShareByYear),
            _ => null,
        };
    }
}

/// <summary>The figures of the monthly report: one list, so the CSV, the HTML report and the dashboard agree.</summary>
public static class Kpis
{
    /// <summary>Every figure, in report order: first those with a target, then the context.</summary>
    public static ImmutableArray<KpiDefinition> All { get; } =
    [
        new(KpiId.TenantsInArrears, "huurders_met_achterstand", "Zittende huurders met achterstand",
            "Huurders die nog in hun woning wonen en op de laatste dag van de maand huur moeten betalen.", KpiUnit.Count),
        new(KpiId.ArrearsPercentOfYearlyRent, "achterstand_pct_jaarhuur", "Achterstand in % van de jaarhuur",
            "De achterstand van zittende huurders, gedeeld door de huur van een jaar van alle lopende contracten.", KpiUnit.Percent),
        new(KpiId.AverageArrearsCurrent, "gem_achterstand_zittend", "Gemiddelde achterstand zittende huurders",
            "De achterstand van zittende huurders gedeeld door het aantal zittende huurders met achterstand.", KpiUnit.Euro),
        new(KpiId.AverageArrearsDeparted, "gem_achterstand_vertrokken", "Gemiddelde achterstand vertrokken huurders",
            "De achterstand van vertrokken huurders gedeeld door het aantal vertrokken huurders met achterstand.", KpiUnit.Euro),
        new(KpiId.Evictions, "ontruimingen_12_mnd", "Ontruimingen in 12 maanden",
            "Ontruimingen in deze maand en de 11 maanden ervoor.", KpiUnit.Count),
        new(KpiId.LegalProcedures, "dagvaardingen_12_mnd", "Juridische procedures in 12 maanden",
            "Dagvaardingen in deze maand en de 11 maanden ervoor.", KpiUnit.Count),
        new(KpiId.EarlySignalCoverage, "vroegsignalering_gemeld_pct", "Vroegsignalering gemeld",
            "Van de zittende huurders met achterstand bij wie de melding aan de gemeente aan de beurt is: het deel dat al gemeld is.", KpiUnit.Percent),
        new(KpiId.DirectDebitShare, "automatische_incasso_pct", "Huurders met automatische incasso",
            "Het deel van de lopende contracten dat de huur met automatische incasso betaalt.", KpiUnit.Percent),
        new(KpiId.ArrearsCurrent, "achterstand_zittend", "Achterstand zittende huurders",
            "Het bedrag dat zittende huurders op de laatste dag van de maand samen moeten betalen.", KpiUnit.Euro),
        new(KpiId.DepartedTenantsInArrears, "vertrokken_met_achterstand", "Vertrokken huurders met achterstand",
            "Huurders die vertrokken zijn en nog huur moeten betalen.", KpiUnit.Count),
        new(KpiId.ArrearsDeparted, "achterstand_vertrokken", "Achterstand vertrokken huurders",
            "Het bedrag dat vertrokken huurders op de laatste dag van de maand samen moeten betalen.", KpiUnit.Euro),
        new(KpiId.EarlySignalsSent, "vroegsignaleringen", "Meldingen vroegsignalering",
            "Meldingen aan de gemeente die in deze maand zijn verstuurd.", KpiUnit.Count),
        new(KpiId.CurrentContracts, "lopende_contracten", "Lopende contracten",
            "Contracten die op de laatste dag van de maand lopen.", KpiUnit.Count),
    ];

    /// <summary>The definition of <paramref name="id"/>.</summary>
    public static KpiDefinition Of(KpiId id) => All.First(k => k.Id == id);

    /// <summary>The definition with CSV code <paramref name="code"/>, or null.</summary>
    public static KpiDefinition? ByCode(string code) => All.FirstOrDefault(k => string.Equals(k.Code, code, StringComparison.Ordinal));

    /// <summary>Compares a value with its target. Values are compared as shown (rounded), so the page and the verdict agree.</summary>
    public static KpiStatus Judge(decimal? value, KpiTarget? target, ReportMonth month)
    {
        if (target is null)
        {
            return KpiStatus.NoTarget;
        }

        if (value is not { } v)
        {
            return KpiStatus.NoValue;
        }

        var met = target.Direction == TargetDirection.AtMost ? v <= target.Value : v >= target.Value;
        if (met)
        {
            return KpiStatus.Met;
        }

        return target.FromYear is { } from && month.Year < from ? KpiStatus.NotYetDue : KpiStatus.NotMet;
    }
}

/// <summary>One figure of one month with its target and verdict.</summary>
public sealed record KpiFigure(KpiId Id, decimal? Value, KpiTarget? Target, KpiStatus Status)
{
    public KpiDefinition Definition => Kpis.Of(Id);
}

/// <summary>The figures of one month, in <see cref="Kpis.All"/> order.</summary>
public sealed record MonthFigures(ReportMonth Month, ImmutableArray<KpiFigure> Figures)
{
    /// <summary>The figure <paramref name="id"/>.</summary>
    public KpiFigure this[KpiId id] => Figures.First(f => f.Id == id);

    /// <summary>The figures with a target.</summary>
    public IEnumerable<KpiFigure> Targeted => Figures.Where(f => f.Target is not null);
}
