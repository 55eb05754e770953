using HuurIncasso.Domain.Figures;
using HuurIncasso.Host.Security;
using HuurIncasso.Integrations.Documents;
using HuurIncasso.Integrations.Reports;

namespace HuurIncasso.Host.Web;

/// <summary>Downloads of the monthly report files, for team leads and admins.</summary>
internal static class ReportsApi
{
    public static void MapReportsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/rapportages/{month}/{file}", DownloadAsync).RequireAuthorization(Roles.Approve).ExcludeFromDescription();

    private static async Task<IResult> DownloadAsync(string month, string file, HttpContext http, DocumentStore documents)
    {
        // Only names the job writes: no path tricks reach other documents.
        if (!ReportMonth.TryParse(month, out var m) || !ReportNames.IsDownloadable(file))
        {
            return TypedResults.NotFound();
        }

        var content = await documents.ReadAsync(ReportNames.File(m, file), http.RequestAborted);
        if (content is null)
        {
            return TypedResults.NotFound();
        }

        http.Response.Headers.XContentTypeOptions = "nosniff";
        // The report is ours and has no scripts; the policy keeps it that way even if one slipped in.
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
        var download = file.EndsWith(".csv", StringComparison.Ordinal) ? $"kengetallen-{m}.csv" : null;
        return TypedResults.File(content.ToArray(), ReportNames.ContentType(file), download);
    }
}
