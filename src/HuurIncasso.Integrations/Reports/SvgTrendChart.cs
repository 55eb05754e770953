using System.Globalization;
using System.Security;
using System.Text;
using HuurIncasso.Domain.Figures;

namespace HuurIncasso.Integrations.Reports;

/// <summary>
/// A line chart of one figure over the months, with the policy's target as a dashed line, as
/// plain SVG: it scales in any browser, prints sharply, opens in Office, and needs no native
/// graphics library. Accessible: <c>role="img"</c>, a <c>title</c>, and a <c>desc</c> that
/// reads every month's value, so a screen reader gets what the eye gets.
/// </summary>
/// <remarks>Pure: the same figures give the same bytes (coordinates in invariant culture).</remarks>
public static class SvgTrendChart
{
    public const int Width = 640;
    public const int Height = 280;

    private const double PlotLeft = 78;
    private const double PlotRight = Width - 24;
    private const double PlotTop = 64;
    private const double PlotBottom = Height - 46;
    private const string Ink = "#1b1b1b";
    private const string Muted = "#4a4a4a";
    private const string Grid = "#dde1e6";
    private const string Line = "#0b4f8a";
    private const string TargetColour = "#9b1c1c";
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    /// <summary>
    /// The chart of <paramref name="id"/> over <paramref name="months"/> (oldest first). The target
    /// line is the target of the last month. <paramref name="idPrefix"/> keeps element ids unique
    /// when several charts share one page.
    /// </summary>
    public static string Render(KpiId id, IReadOnlyList<MonthFigures> months, string idPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(months);
        if (months.Count == 0)
        {
            throw new ArgumentException("A chart needs at least one month.", nameof(months));
        }

        var kpi = Kpis.Of(id);
        var points = months.Select(m => (m.Month, m[id].Value)).ToList();
        var target = months[^1][id].Target;
        var elementId = idPrefix + kpi.Code;
        var scale = Scale.For(points.Select(p => p.Value).Append(target?.Value), kpi.Unit);

        var svg = new StringBuilder(4096);
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-labelledby=\"{elementId}-title {elementId}-desc\" font-family=\"system-ui, 'Segoe UI', Arial, sans-serif\">\n"));
        svg.Append(Inv($"<title id=\"{elementId}-title\">{Esc(Title(kpi, points))}</title>\n"));
        svg.Append(Inv($"<desc id=\"{elementId}-desc\">{Esc(Description(kpi, points, target))}</desc>\n"));
        svg.Append(Inv($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>\n"));
        svg.Append(Inv($"<text x=\"16\" y=\"26\" font-size=\"16\" font-weight=\"600\" fill=\"{Ink}\">{Esc(kpi.Name)}</text>\n"));
        var subtitle = target is null ? "Per maand" : "Per maand · doel: " + KpiText.Target(target, kpi.Unit);
        svg.Append(Inv($"<text x=\"16\" y=\"46\" font-size=\"13\" fill=\"{Muted}\">{Esc(subtitle)}</text>\n"));

        // Horizontal grid with the values on the left.
        svg.Append("<g aria-hidden=\"true\">\n");
        for (var tick = 0m; tick <= scale.Top; tick += scale.Step)
        {
            var y = Y(tick, scale);
            svg.Append(Inv($"<line x1=\"{PlotLeft:F1}\" y1=\"{y:F1}\" x2=\"{PlotRight:F1}\" y2=\"{y:F1}\" stroke=\"{Grid}\" stroke-width=\"1\"/>\n"));
            svg.Append(Inv($"<text x=\"{PlotLeft - 8:F1}\" y=\"{y + 4:F1}\" font-size=\"12\" text-anchor=\"end\" fill=\"{Muted}\">{Esc(AxisValue(tick, kpi.Unit, scale.Step))}</text>\n"));
        }

        // Months along the bottom; the year under January and under the first month.
        for (var i = 0; i < points.Count; i++)
        {
            var x = X(i, points.Count);
            var month = points[i].Month;
            svg.Append(Inv($"<text x=\"{x:F1}\" y=\"{PlotBottom + 18:F1}\" font-size=\"12\" text-anchor=\"middle\" fill=\"{Muted}\">{Esc(MonthAbbreviation(month))}</text>\n"));
            if (i == 0 || month.Month == 1)
            {
                svg.Append(Inv($"<text x=\"{x:F1}\" y=\"{PlotBottom + 34:F1}\" font-size=\"12\" text-anchor=\"middle\" fill=\"{Muted}\">{month.Year}</text>\n"));
            }
        }

        if (target is not null)
        {
            var y = Y(target.Value, scale);
            svg.Append(Inv($"<line x1=\"{PlotLeft:F1}\" y1=\"{y:F1}\" x2=\"{PlotRight:F1}\" y2=\"{y:F1}\" stroke=\"{TargetColour}\" stroke-width=\"2\" stroke-dasharray=\"8 5\"/>\n"));
            // At the left end: the latest value is labelled at the right.
            svg.Append(Inv($"<text x=\"{PlotLeft + 6:F1}\" y=\"{y - 6:F1}\" font-size=\"12\" font-weight=\"600\" fill=\"{TargetColour}\">doel {Esc(KpiText.Round(target.Value, kpi.Unit))}</text>\n"));
        }

        // The line, broken where a month has no value.
        foreach (var segment in Segments(points))
        {
            var coordinates = string.Join(' ', segment.Select(i => Inv($"{X(i, points.Count):F1},{Y(points[i].Value!.Value, scale):F1}")));
            svg.Append(Inv($"<polyline points=\"{coordinates}\" fill=\"none\" stroke=\"{Line}\" stroke-width=\"2.5\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n"));
        }

        for (var i = 0; i < points.Count; i++)
        {
            if (points[i].Value is { } v)
            {
                svg.Append(Inv($"<circle cx=\"{X(i, points.Count):F1}\" cy=\"{Y(v, scale):F1}\" r=\"4\" fill=\"#ffffff\" stroke=\"{Line}\" stroke-width=\"2.5\"/>\n"));
            }
        }

        var last = points.FindLastIndex(p => p.Value is not null);
        if (last >= 0)
        {
            var v = points[last].Value!.Value;
            var x = X(last, points.Count);
            var anchor = last == points.Count - 1 ? "end" : "middle";
            svg.Append(Inv($"<text x=\"{x:F1}\" y=\"{Y(v, scale) - 12:F1}\" font-size=\"13\" font-weight=\"700\" text-anchor=\"{anchor}\" fill=\"{Line}\">{Esc(KpiText.Value(v, kpi.Unit))}</text>\n"));
        }
        else
        {
            svg.Append(Inv($"<text x=\"{(PlotLeft + PlotRight) / 2:F1}\" y=\"{(PlotTop + PlotBottom) / 2:F1}\" font-size=\"14\" text-anchor=\"middle\" fill=\"{Muted}\">Nog geen cijfers</text>\n"));
        }

        svg.Append("</g>\n</svg>\n");
        return svg.ToString();
    }

    private static string Title(KpiDefinition kpi, List<(ReportMonth Month, decimal? Value)> points) =>
        $"{kpi.Name}, {points[0].Month.DutchName} tot en met {points[^1].Month.DutchName}";

    private static string Description(KpiDefinition kpi, List<(ReportMonth Month, decimal? Value)> points, KpiTarget? target)
    {
        var text = new StringBuilder();
        text.Append(kpi.Explanation);
        if (target is not null)
        {
            text.Append(" Doel: ").Append(KpiText.Target(target, kpi.Unit)).Append('.');
        }

        text.Append(" Per maand: ");
        text.AppendJoin("; ", points.Select(p => $"{p.Month.DutchName} {KpiText.Value(p.Value, kpi.Unit)}"));
        text.Append('.');
        return text.ToString();
    }

    private static IEnumerable<List<int>> Segments(List<(ReportMonth Month, decimal? Value)> points)
    {
        var segment = new List<int>();
        for (var i = 0; i < points.Count; i++)
        {
            if (points[i].Value is null)
            {
                if (segment.Count > 1)
                {
                    yield return segment;
                }

                segment = [];
                continue;
            }

            segment.Add(i);
        }

        if (segment.Count > 1)
        {
            yield return segment;
        }
    }

    private static double X(int index, int count) =>
        count == 1 ? (PlotLeft + PlotRight) / 2 : PlotLeft + 16 + (index * (PlotRight - PlotLeft - 32) / (count - 1));

    private static double Y(decimal value, Scale scale) =>
        PlotBottom - ((double)(Math.Max(value, 0m) / scale.Top) * (PlotBottom - PlotTop));

    private static string MonthAbbreviation(ReportMonth month) =>
        month.FirstDay.ToString("MMM", Dutch).TrimEnd('.');

    private static string AxisValue(decimal value, KpiUnit unit, decimal step) => unit switch
    {
        KpiUnit.Euro => "€ " + value.ToString(step < 1m ? "#,##0.##" : "#,##0", Dutch),
        KpiUnit.Percent => value.ToString("0.##", Dutch) + " %",
        _ => value.ToString("#,##0.##", Dutch),
    };

    private static string Esc(string text) => SecurityElement.Escape(text);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>A y axis from 0 to <see cref="Top"/> in round steps (1, 2, 2.5 or 5 times a power of ten), about four of them.</summary>
    private readonly record struct Scale(decimal Step, decimal Top)
    {
        public static Scale For(IEnumerable<decimal?> values, KpiUnit unit)
        {
            var max = values.Select(v => v ?? 0m).DefaultIfEmpty(0m).Max();
            if (max <= 0m)
            {
                max = unit == KpiUnit.Percent ? 1m : 4m;
            }

            var raw = (double)max / 4;
            var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
            var normal = raw / magnitude;
            var step = (decimal)((normal <= 1 ? 1 : normal <= 2 ? 2 : normal <= 2.5 ? 2.5 : normal <= 5 ? 5 : 10) * magnitude);
            if (unit == KpiUnit.Count && step < 1m)
            {
                step = 1m;
            }

            var top = Math.Ceiling(max / step) * step;
            // Headroom so the highest point and its label stay inside the plot.
            if (top < max * 1.08m)
            {
                top += step;
            }

            return new Scale(step, top);
        }
    }
}
