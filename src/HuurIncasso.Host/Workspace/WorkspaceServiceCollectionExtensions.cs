using HuurIncasso.Engine;
using HuurIncasso.Host.Workspace;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the consultants' workspace: worklist effect handlers, queries and commands.</summary>
public static class WorkspaceServiceCollectionExtensions
{
    public static IServiceCollection AddHuurIncassoWorkspace(this IServiceCollection services)
    {
        services.AddSingleton<WorkspaceStore>();
        services.AddSingleton<IEffectHandler, PersonTaskHandler>();
        services.AddSingleton<IEffectHandler, CancelOpenTasksHandler>();
        services.AddSingleton<WorklistQuery>();
        services.AddSingleton<CaseOverviewQuery>();
        services.AddSingleton<CaseCommands>();
        services.AddSingleton<ApprovalsQuery>();
        services.AddSingleton<WorklistSectionsQuery>();
        services.AddSingleton<VeraReadModel>();
        return services;
    }
}
