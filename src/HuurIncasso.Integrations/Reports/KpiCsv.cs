using System.Globalization;
using CsvHelper;
using HuurIncasso.Domain.Figures;

namespace HuurIncasso.Integrations.Reports;

/// <summary>One figure of one month: a row of <c>kengetallen.csv</c> (long format: one row per month and figure).</summary>
[CsvRecord]
[CsvOptions(Separator = ';', Culture = "nl-NL", NewLine = "\r\n")]
public sealed partial class KpiCsvRow
{
    /// <summary><c>2026-10</c>.</summary>
    [CsvColumn("maand")]
    public string Month { get; set; } = "";

    /// <summary>The last day of the month, when the stocks were measured.</summary>
    [CsvColumn("peildatum")]
    [CsvFormat("yyyy-MM-dd")]
    public DateOnly MeasuredOn { get; set; }

    [CsvColumn("code")]
    public string Code { get; set; } = "";

    [CsvColumn("kengetal")]
    public string Name { get; set; } = "";

    /// <summary>Empty when the month has no value (nothing to divide by).</summary>
    [CsvColumn("waarde")]
    public decimal? Value { get; set; }

    /// <summary><c>aantal</c>, <c>euro</c> or <c>procent</c>.</summary>
    [CsvColumn("eenheid")]
    public string Unit { get; set; } = "";

    /// <summary><c>hoogstens</c>, <c>minstens</c>, or empty for a figure without a target.</summary>
    [CsvColumn("norm")]
    public string Direction { get; set; } = "";

    [CsvColumn("doel")]
    public decimal? Target { get; set; }

    /// <summary>The year from which the target applies, when it has one.</summary>
    [CsvColumn("doel_vanaf")]
    public int? TargetFromYear { get; set; }

    /// <summary><c>ja</c>, <c>nee</c>, <c>nog niet</c>, or empty (no target or no value).</summary>
    [CsvColumn("gehaald")]
    public string Met { get; set; } = "";
}

/// <summary>
/// <c>kengetallen.csv</c>, written so that Dutch Excel opens it by double-click and Power BI
/// loads it as is: UTF-8 with a byte-order mark (Excel reads the encoding from it), <c>;</c> as
/// separator and a decimal comma (what Excel with Dutch regional settings expects; Power BI
/// reads the same with its Dutch locale), no thousands separators, dates as <c>yyyy-MM-dd</c>.
/// One row per month and figure (long format), the form Power BI charts and filters best.
/// </summary>
public static class KpiCsv
{
    private static readonly CsvWriterOptions WriterOptions = CsvWriterOptions.For<KpiCsvRow>() with
    {
        WriteByteOrderMark = true,
        // Names are ours, but a spreadsheet must never run a field as a formula.
        Injection = CsvInjection.Escape,
    };

    /// <summary>The rows of <paramref name="months"/>, month by month in report order.</summary>
    public static IEnumerable<KpiCsvRow> Rows(IEnumerable<MonthFigures> months)
    {
        ArgumentNullException.ThrowIfNull(months);
        foreach (var month in months)
        {
            foreach (var f in month.Figures)
            {
                var kpi = f.Definition;
                yield return new KpiCsvRow
                {
                    Month = month.Month.ToString(),
                    MeasuredOn = month.Month.LastDay,
                    Code = kpi.Code,
                    Name = kpi.Name,
                    Value = f.Value,
                    Unit = kpi.Unit switch { KpiUnit.Euro => "euro", KpiUnit.Percent => "procent", _ => "aantal" },
                    Direction = f.Target?.Direction switch { TargetDirection.AtMost => "hoogstens", TargetDirection.AtLeast => "minstens", _ => "" },
                    Target = f.Target?.Value,
                    TargetFromYear = f.Target?.FromYear,
                    Met = f.Status switch { KpiStatus.Met => "ja", KpiStatus.NotMet => "nee", KpiStatus.NotYetDue => "nog niet", _ => "" },
                };
            }
        }
    }

    /// <summary>The file's bytes: BOM, header, rows.</summary>
    public static byte[] Write(IEnumerable<MonthFigures> months)
    {
        using var buffer = new MemoryStream();
        using (var csv = CsvWriter.Create(buffer, WriterOptions, leaveOpen: true))
        {
            csv.WriteRecords(Rows(months));
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a file written by <see cref="Write"/> (for checks and tests).</summary>
    /// <exception cref="CsvFormatException">The text is not such a file; the message names the record and field.</exception>
    public static IReadOnlyList<KpiCsvRow> Read(Stream stream)
    {
        using var csv = CsvReader.Create(stream, CsvReaderOptions.For<KpiCsvRow>(), leaveOpen: true);
        return [.. csv.GetRecords<KpiCsvRow>()];
    }
}
