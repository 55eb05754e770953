using HuurIncasso.Domain.Figures;

namespace HuurIncasso.Integrations.Reports;

/// <summary>
/// Blob names of the monthly report in the documents container: one folder per month, fixed
/// file names, so a second run for the same month overwrites instead of adding files.
/// </summary>
public static class ReportNames
{
    /// <summary>The folder of all reports.</summary>
    public const string Root = "rapportages/";

    /// <summary><c>kengetallen.html</c>: the report to read.</summary>
    public const string HtmlFile = "kengetallen.html";

    /// <summary><c>kengetallen.csv</c>: the figures for Excel and Power BI.</summary>
    public const string CsvFile = "kengetallen.csv";

    /// <summary><c>portefeuille.json</c>: the month's contract counts, kept so a later report uses the same denominators.</summary>
    public const string PortfolioFile = "portefeuille.json";

    /// <summary><c>rapportages/{yyyy-MM}/</c>.</summary>
    public static string Folder(ReportMonth month) => $"{Root}{month}/";

    /// <summary><c>rapportages/{yyyy-MM}/{file}</c>.</summary>
    public static string File(ReportMonth month, string file) => Folder(month) + file;

    /// <summary><c>{code}.svg</c>: the trend chart of one figure.</summary>
    public static string ChartFile(KpiDefinition kpi) => (kpi ?? throw new ArgumentNullException(nameof(kpi))).Code + ".svg";

    /// <summary>The files a person may download: the HTML, the CSV and the charts (not the portfolio snapshot).</summary>
    public static bool IsDownloadable(string file) =>
        file is HtmlFile or CsvFile || Kpis.All.Any(k => k.Code + ".svg" == file);

    /// <summary>The content type of a downloadable file.</summary>
    public static string ContentType(string file) => Path.GetExtension(file) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".csv" => "text/csv; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
