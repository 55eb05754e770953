using System.Globalization;
using System.Net;
using System.Text;
using HuurIncasso.Domain.Figures;

namespace HuurIncasso.Integrations.Reports;

/// <summary>
/// <c>kengetallen.html</c>: the monthly report as one standalone file (styles and charts inline,
/// no scripts, nothing fetched), in plain Dutch, to open in a browser, mail or print.
/// </summary>
/// <remarks>Pure and without a clock: the same figures give the same bytes, so a rerun for a month writes the same file.</remarks>
public static class KpiHtmlReport
{
    /// <summary>The report for the last month of <paramref name="trend"/> (oldest first), with the month before it and a chart per target.</summary>
    public static string Render(string corporation, IReadOnlyList<MonthFigures> trend)
    {
        ArgumentNullException.ThrowIfNull(corporation);
        ArgumentNullException.ThrowIfNull(trend);
        if (trend.Count == 0)
        {
            throw new ArgumentException("A report needs at least one month.", nameof(trend));
        }

        var month = trend[^1];
        var previous = trend.Count > 1 ? trend[^2] : null;
        var html = new StringBuilder(64 * 1024);
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="nl">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Kengetallen huurincasso {{E(month.Month.DutchName)}} – {{E(corporation)}}</title>
            <style>
            body { margin: 0 auto; max-width: 980px; padding: 24px; font: 16px/1.5 system-ui, "Segoe UI", Arial, sans-serif; color: #1b1b1b; background: #fff; }
            h1 { font-size: 1.7rem; margin: 0 0 4px; } h2 { font-size: 1.3rem; margin: 32px 0 8px; }
            .lead { color: #4a4a4a; margin: 0 0 16px; }
            .summary { font-size: 1.15rem; font-weight: 600; padding: 12px 16px; background: #eef3f8; border-left: 6px solid #0b4f8a; }
            table { border-collapse: collapse; width: 100%; } caption { text-align: left; font-weight: 600; padding: 4px 0; }
            th, td { text-align: left; padding: 8px; border-bottom: 1px solid #c8c8c8; vertical-align: top; } th { background: #e9edf2; }
            td.target { white-space: nowrap; } tbody th { background: #fff; }
            td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
            .met { color: #1e5c2b; font-weight: 600; } .not-met { color: #9b1c1c; font-weight: 600; } .open { color: #7a4b00; font-weight: 600; } .none { color: #4a4a4a; }
            .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
            figure { margin: 0; border: 1px solid #c8c8c8; border-radius: 6px; padding: 8px; break-inside: avoid; }
            figure svg { width: 100%; height: auto; display: block; }
            dt { font-weight: 600; margin-top: 8px; } dd { margin: 0; }
            footer { margin-top: 32px; color: #4a4a4a; font-size: 0.9rem; }
            @media print { body { padding: 0; } .charts { grid-template-columns: 1fr 1fr; } }
            </style>
            </head>
            <body>
            <h1>Kengetallen huurincasso – {{E(month.Month.DutchName)}}</h1>
            <p class="lead">{{E(corporation)}}. Zo staat de huurincasso ervoor op {{E(DutchDate(month.Month.LastDay))}}, vergeleken met de doelen uit ons incassobeleid.</p>
            <p class="summary">{{E(KpiText.Summary(month))}}.</p>

            """);

        html.Append("<h2>Doelen</h2>\n<table>\n<caption>Kengetallen met een doel</caption>\n<thead><tr><th scope=\"col\">Kengetal</th>");
        html.Append(CultureInfo.InvariantCulture, $"<th scope=\"col\" class=\"num\">{E(month.Month.DutchName)}</th>");
        if (previous is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th scope=\"col\" class=\"num\">{E(previous.Month.DutchName)}</th>");
        }

        html.Append("<th scope=\"col\">Doel</th><th scope=\"col\">Gehaald?</th></tr></thead>\n<tbody>\n");
        foreach (var f in month.Targeted)
        {
            var kpi = f.Definition;
            html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{E(kpi.Name)}</th><td class=\"num\">{E(KpiText.Value(f.Value, kpi.Unit))}</td>");
            if (previous is not null)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{E(KpiText.Value(previous[f.Id].Value, kpi.Unit))}</td>");
            }

            html.Append(CultureInfo.InvariantCulture, $"<td class=\"target\">{E(KpiText.Target(f.Target, kpi.Unit))}</td><td class=\"{KpiText.CssClass(f.Status)}\">{E((KpiText.Symbol(f.Status) + " " + KpiText.Status(f.Status, f.Target)).Trim())}</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");

        html.Append("<h2>Achtergrond</h2>\n<table>\n<caption>Cijfers zonder doel, om de doelen te begrijpen</caption>\n<thead><tr><th scope=\"col\">Cijfer</th>");
        html.Append(CultureInfo.InvariantCulture, $"<th scope=\"col\" class=\"num\">{E(month.Month.DutchName)}</th>");
        if (previous is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th scope=\"col\" class=\"num\">{E(previous.Month.DutchName)}</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var f in month.Figures.Where(f => f.Target is null))
        {
            var kpi = f.Definition;
            html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{E(kpi.Name)}</th><td class=\"num\">{E(KpiText.Value(f.Value, kpi.Unit))}</td>");
            if (previous is not null)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{E(KpiText.Value(previous[f.Id].Value, kpi.Unit))}</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n");

        html.Append(CultureInfo.InvariantCulture, $"<h2>Verloop per maand</h2>\n<p>Van {E(trend[0].Month.DutchName)} tot en met {E(month.Month.DutchName)}. De stippellijn is het doel.</p>\n<div class=\"charts\">\n");
        foreach (var f in month.Targeted)
        {
            html.Append("<figure>\n").Append(SvgTrendChart.Render(f.Id, trend, "rapport-")).Append("</figure>\n");
        }

        html.Append("</div>\n<h2>Zo tellen we</h2>\n<dl>\n");
        foreach (var kpi in Kpis.All)
        {
            html.Append(CultureInfo.InvariantCulture, $"<dt>{E(kpi.Name)}</dt><dd>{E(kpi.Explanation)}</dd>\n");
        }

        html.Append("""
            </dl>
            <footer>Gemaakt door HuurIncasso uit de gegevens van de incassozaken en de contracten. Dezelfde cijfers staan in kengetallen.csv, voor Excel en Power BI.</footer>
            </body>
            </html>

            """);
        return html.ToString();
    }

    private static string DutchDate(DateOnly day) => day.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("nl-NL"));

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
