using System.Text;
using HuurIncasso.Domain.Figures;
using HuurIncasso.Integrations.Documents;
using HuurIncasso.Integrations.Reports;
using Microsoft.Extensions.Options;

namespace HuurIncasso.Host.Reports;

/// <summary>
/// Writes a month's report to the documents container: <c>rapportages/{yyyy-MM}/</c> with
/// <c>kengetallen.html</c>, <c>kengetallen.csv</c> and a chart per target (<c>{code}.svg</c>);
/// each month of the trend gets its <c>portefeuille.json</c> the first time a report covers it.
/// Fixed names and content without a clock: writing a month again overwrites the same blobs
/// with the same bytes, even when the contract register changed in between.
/// </summary>
public sealed class MonthlyReportWriter(MonthlyFiguresService figures, DocumentStore documents, IOptions<CorporationOptions> corporation)
{
    /// <summary>Writes the report of <paramref name="month"/>; returns the blob names written.</summary>
    public async Task<IReadOnlyList<string>> WriteAsync(ReportMonth month, CancellationToken cancellationToken = default)
    {
        // The first report that covers a month freezes its contract counts; later ones keep them.
        await figures.FreezePortfolioAsync(month.AddMonths(-(MonthlyFiguresService.TrendMonths - 1)), month, cancellationToken).ConfigureAwait(false);
        var trend = await figures.ComputeAsync(month, cancellationToken).ConfigureAwait(false);
        var written = new List<string>();
        async Task WriteAsync(string file, BinaryData content, string contentType)
        {
            var name = ReportNames.File(month, file);
            await documents.WriteAsync(name, content, contentType, cancellationToken).ConfigureAwait(false);
            written.Add(name);
        }

        foreach (var f in trend[^1].Targeted)
        {
            await WriteAsync(ReportNames.ChartFile(f.Definition), BinaryData.FromString(SvgTrendChart.Render(f.Id, trend)), ReportNames.ContentType(".svg")).ConfigureAwait(false);
        }

        await WriteAsync(ReportNames.CsvFile, BinaryData.FromBytes(KpiCsv.Write(trend)), ReportNames.ContentType(ReportNames.CsvFile)).ConfigureAwait(false);
        var html = KpiHtmlReport.Render(corporation.Value.Name, trend);
        await WriteAsync(ReportNames.HtmlFile, BinaryData.FromBytes(Encoding.UTF8.GetBytes(html)), ReportNames.ContentType(ReportNames.HtmlFile)).ConfigureAwait(false);
        return written;
    }
}

/// <summary>
/// Scheduled job <c>monthly-figures</c> (<c>Reports:Schedule</c>, default the 1st at 07:00):
/// the report of the month before the occurrence.
/// </summary>
internal sealed class MonthlyFiguresJob(MonthlyReportWriter writer) : Scheduling.IScheduledJob
{
    public const string Name = "monthly-figures";

    public const string DefaultSchedule = "0 7 1 * *";

    public async Task<string> RunAsync(DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        var month = ReportMonth.Of(Domain.Cases.CaseCore.BusinessDate(occurrence)).AddMonths(-1);
        var written = await writer.WriteAsync(month, cancellationToken).ConfigureAwait(false);
        return $"report {month}: {written.Count} files in {ReportNames.Folder(month)}";
    }
}
