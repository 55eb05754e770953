using System.Globalization;
using System.Text;
using System.Text.Json;
using HuurIncasso.Host.Cli;

namespace HuurIncasso.Host.Simulation;

/// <summary>Writes simulation results: a Dutch table for people, JSON for tools (deterministic: no timings).</summary>
public static class SimulationReport
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The rows of the table: Dutch label and how to read the figure.</summary>
    private static readonly (string Label, Func<SimulationFigures, string> Value)[] Rows =
    [
        ("Zaken geopend", f => Count(f.CasesOpened)),
        ("Zaken gesloten (betaald)", f => Count(f.CasesClosedPaid)),
        ("Herinneringen", f => Count(f.Reminders)),
        ("Telefoongesprekken (gepoogd)", f => Count(f.Calls)),
        ("Huisbezoeken (gepoogd)", f => Count(f.Visits)),
        ("Vroegsignaleringen", f => Count(f.EarlySignals)),
        ("Regelingen afgesproken", f => Count(f.ArrangementsAgreed)),
        ("Termijnen gemist", f => Count(f.InstalmentsMissed)),
        ("Regelingen niet nagekomen", f => Count(f.ArrangementsBroken)),
        ("Pauzes", f => Count(f.PausesStarted)),
        ("Aanmaningen (14 dagen)", f => Count(f.FormalNotices)),
        ("Incassokosten berekend", f => Count(f.CollectionCosts)),
        ("Overdrachten aan bureau", f => Count(f.Handovers)),
        ("  waarvan vertrokken huurders", f => Count(f.HandoversDeparted)),
        ("Overdracht zonder huisbezoek (moet 0)", f => Count(f.HandoversWithoutVisit)),
        ("Stap na betaling (moet 0)", f => Count(f.EscalationsAfterPayment)),
        ("Huurders met achterstand (einde maand)", f => Count(f.TenantsInArrears)),
        ("Achterstand in % van de jaarhuur", f => EuroAmount.FormatPercent(f.ArrearsPercent)),
        ("Gemiddelde achterstand", f => EuroAmount.Format(f.AverageArrears)),
        ("Totale achterstand", f => EuroAmount.Format(f.TotalArrears)),
        ("Volgens de administratie in achterstand", f => Count(f.LedgerTenantsInArrears)),
    ];

    /// <summary>One run as a Dutch table: one column per month and a total column.</summary>
    public static string Text(SimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        text.AppendLine(Heading(result));
        text.AppendLine();
        var columns = result.Months.Append(result.Total).ToList();
        Table(text, "Cijfer", [.. columns.Select(c => c.Month)], [.. columns.Select(c => new Func<Func<SimulationFigures, string>, string>(value => value(c)))]);
        text.AppendLine();
        text.AppendLine("Totaal: aantallen opgeteld over alle maanden; achterstanden aan het einde van de laatste maand.");
        AppendChecks(text, result);
        return text.ToString();
    }

    /// <summary>Two runs on the same portfolio, totals side by side.</summary>
    public static string CompareText(SimulationResult a, SimulationResult b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var text = new StringBuilder();
        text.AppendLine(Invariant($"Vergelijking op dezelfde portefeuille: {a.Contracts} contracten, {a.MonthsSimulated} maanden vanaf {a.Start:dd-MM-yyyy}, seed {a.Seed}."));
        text.AppendLine(Invariant($"A: beleid {a.Policy}"));
        text.AppendLine(Invariant($"B: beleid {b.Policy}"));
        text.AppendLine();
        Table(text, "Cijfer (totaal)", ["A", "B"], [value => value(a.Total), value => value(b.Total)]);
        AppendChecks(text, a);
        AppendChecks(text, b);
        return text.ToString();
    }

    /// <summary>
    /// One run as JSON: the run's settings, the totals as top-level fields (<c>casesOpened</c>,
    /// <c>handoversWithoutVisit</c>, ...) and the months under <c>perMonth</c>.
    /// </summary>
    public static string Json(SimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return JsonSerializer.Serialize(Document(result), JsonOptions);
    }

    /// <summary>Two runs as <c>{ "a": {...}, "b": {...} }</c>.</summary>
    public static string CompareJson(SimulationResult a, SimulationResult b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return JsonSerializer.Serialize(new Dictionary<string, object> { ["a"] = Document(a), ["b"] = Document(b) }, JsonOptions);
    }

    private static Dictionary<string, object> Document(SimulationResult r)
    {
        var document = new Dictionary<string, object>
        {
            ["policy"] = r.Policy,
            ["contracts"] = r.Contracts,
            ["months"] = r.MonthsSimulated,
            ["seed"] = r.Seed,
            ["start"] = r.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["cases"] = r.Cases,
            ["messagesHandled"] = r.MessagesHandled,
        };
        foreach (var property in JsonSerializer.SerializeToElement(r.Total, JsonOptions).EnumerateObject().Where(p => p.Name != "month"))
        {
            document[property.Name] = property.Value;
        }

        document["perMonth"] = r.Months;
        return document;
    }

    private static void Table(StringBuilder text, string corner, IReadOnlyList<string> headers, IReadOnlyList<Func<Func<SimulationFigures, string>, string>> columns)
    {
        var labelWidth = Math.Max(corner.Length, Rows.Max(r => r.Label.Length)) + 2;
        var cells = Rows.Select(row => columns.Select(column => column(row.Value)).ToList()).ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, cells.Max(c => c[i].Length)) + 2).ToList();
        text.Append(corner.PadRight(labelWidth));
        for (var i = 0; i < headers.Count; i++)
        {
            text.Append(headers[i].PadLeft(widths[i]));
        }

        text.AppendLine();
        for (var r = 0; r < Rows.Length; r++)
        {
            text.Append(Rows[r].Label.PadRight(labelWidth));
            for (var i = 0; i < headers.Count; i++)
            {
                text.Append(cells[r][i].PadLeft(widths[i]));
            }

            text.AppendLine();
        }
    }

    private static void AppendChecks(StringBuilder text, SimulationResult r)
    {
        var t = r.Total;
        text.AppendLine(t.HandoversWithoutVisit == 0 && t.EscalationsAfterPayment == 0
            ? Invariant($"Controle {r.Policy}: geen overdracht zonder huisbezoek en geen stap na betaling.")
            : Invariant($"FOUT bij {r.Policy}: {t.HandoversWithoutVisit} overdracht(en) zonder huisbezoek, {t.EscalationsAfterPayment} stap(pen) na betaling."));
    }

    private static string Heading(SimulationResult r) => Invariant(
        $"Simulatie met beleid {r.Policy}: {r.Contracts} contracten, {r.MonthsSimulated} maanden vanaf {r.Start:dd-MM-yyyy}, seed {r.Seed}. {r.Cases} zaken, {r.MessagesHandled} berichten verwerkt.");

    private static string Count(int value) => value.ToString("N0", Dutch);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");
}
