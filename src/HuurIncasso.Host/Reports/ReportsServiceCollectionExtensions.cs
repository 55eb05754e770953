using HuurIncasso.Host.Reports;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the monthly figures: the read side, the report writer and its scheduled job.</summary>
public static class ReportsServiceCollectionExtensions
{
    /// <summary>Setting <c>Reports:Schedule</c> (cron, Europe/Amsterdam; default the 1st at 07:00; <c>off</c> disables it).</summary>
    public static IServiceCollection AddHuurIncassoReports(this IServiceCollection services)
    {
        services.AddSingleton<MonthlyFiguresService>();
        services.AddSingleton<MonthlyReportWriter>();
        services.AddScheduledJob<MonthlyFiguresJob>(
            MonthlyFiguresJob.Name, "Reports:Schedule", MonthlyFiguresJob.DefaultSchedule,
            "Writes last month's figures against the policy's targets to rapportages/{yyyy-MM}/ (HTML, CSV, SVG charts).");
        return services;
    }
}
