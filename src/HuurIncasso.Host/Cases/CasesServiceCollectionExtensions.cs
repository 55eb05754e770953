using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Host.Cases;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the arrears cases: the policy catalog, the workflow and the engine on Azure storage.</summary>
public static class CasesServiceCollectionExtensions
{
    /// <summary>
    /// Policy versions come from <c>Policy:Folder</c> (default: the <c>policy</c> folder next to
    /// the executable). With <paramref name="runWorkers"/> false (behind the Functions host) the
    /// inbox and sweep loops are left to the host's triggers.
    /// </summary>
    public static IServiceCollection AddHuurIncassoCases(this IServiceCollection services, IConfiguration configuration, bool runWorkers = true)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var folder = configuration["Policy:Folder"];
        services.AddSingleton(_ => PolicyCatalog.Load(string.IsNullOrWhiteSpace(folder) ? PolicyCatalog.DefaultFolder : folder));
        // Before the engine: it only adds a serializer when none is registered, and the core's JSON form is the one to use.
        services.AddSingleton(_ => ArrearsCaseWorkflow.CreateSerializer());
        services.AddHuurIncassoEngine<CaseState, CaseMessage, CaseEvent, ArrearsCaseWorkflow>(runWorkers: false);
        services.AddHuurIncassoScheduling(runWorkers);
        services.AddScheduledJob<NightlySegmentationJob>(
            NightlySegmentationJob.Name, NightlySegmentationJob.ScheduleSetting, NightlySegmentationJob.DefaultSchedule,
            "Asks every running case to classify its tenant again as of today.");
        if (runWorkers)
        {
            services.AddHostedService<CaseInboxWorker>();
            services.AddHostedService<CaseSweepWorker>();
        }
        return services;
    }
}
