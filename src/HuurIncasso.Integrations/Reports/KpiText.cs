using System.Globalization;
using HuurIncasso.Domain.Figures;

namespace HuurIncasso.Integrations.Reports;

/// <summary>The figures as Dutch readers see them on the dashboard and in the report: values, targets, verdicts.</summary>
public static class KpiText
{
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    /// <summary><c>1.000</c>, <c>€ 1.234,56</c>, <c>1,35 %</c>, or <c>–</c> without a value.</summary>
    public static string Value(decimal? value, KpiUnit unit) => value is not { } v ? "–" : unit switch
    {
        KpiUnit.Count => v.ToString("#,##0", Dutch),
        KpiUnit.Euro => "€ " + v.ToString("#,##0.00", Dutch),
        KpiUnit.Percent => v.ToString("0.00", Dutch) + " %",
        _ => v.ToString(Dutch),
    };

    /// <summary><c>hoogstens 1.000</c>, <c>hoogstens € 1.200</c>, <c>minstens 90 % vanaf 2028</c>, or empty without a target.</summary>
    public static string Target(KpiTarget? target, KpiUnit unit) => target is null ? "" :
        (target.Direction == TargetDirection.AtMost ? "hoogstens " : "minstens ") + Round(target.Value, unit)
        + (target.FromYear is { } year ? string.Create(CultureInfo.InvariantCulture, $" vanaf {year}") : "");

    /// <summary>A target as people write it: no decimals that are zero (<c>95 %</c>, <c>€ 1.200</c>, but <c>1,35 %</c>).</summary>
    public static string Round(decimal value, KpiUnit unit) => unit switch
    {
        KpiUnit.Euro => "€ " + value.ToString("#,##0.##", Dutch),
        KpiUnit.Percent => value.ToString("0.##", Dutch) + " %",
        _ => value.ToString("#,##0.##", Dutch),
    };

    /// <summary>The verdict in words, so it never depends on colour alone.</summary>
    public static string Status(KpiStatus status, KpiTarget? target = null) => status switch
    {
        KpiStatus.Met => "gehaald",
        KpiStatus.NotMet => "niet gehaald",
        KpiStatus.NotYetDue => target?.FromYear is { } year
            ? string.Create(CultureInfo.InvariantCulture, $"nog niet (doel geldt vanaf {year})")
            : "nog niet",
        KpiStatus.NoValue => "geen cijfer",
        _ => "",
    };

    /// <summary>A short symbol that goes with the verdict, for a quick look (next to the words, never instead).</summary>
    public static string Symbol(KpiStatus status) => status switch
    {
        KpiStatus.Met => "✓",
        KpiStatus.NotMet => "✗",
        KpiStatus.NotYetDue => "…",
        _ => "",
    };

    /// <summary>CSS class for the verdict: <c>met</c>, <c>not-met</c>, <c>open</c> or <c>none</c>.</summary>
    public static string CssClass(KpiStatus status) => status switch
    {
        KpiStatus.Met => "met",
        KpiStatus.NotMet => "not-met",
        KpiStatus.NotYetDue => "open",
        _ => "none",
    };

    /// <summary>"5 van de 8 doelen gehaald".</summary>
    public static string Summary(MonthFigures month)
    {
        ArgumentNullException.ThrowIfNull(month);
        var targeted = month.Targeted.ToList();
        var met = targeted.Count(f => f.Status == KpiStatus.Met);
        return string.Create(CultureInfo.InvariantCulture, $"{met} van de {targeted.Count} doelen gehaald");
    }
}
