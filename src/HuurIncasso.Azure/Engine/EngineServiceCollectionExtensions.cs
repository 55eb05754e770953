using HuurIncasso.Azure.Engine;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Engine;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the case engine on Azure storage in a host.</summary>
public static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// Registers the engine for <typeparamref name="TWorkflow"/>: options (section "Engine",
    /// validated at start), the Azure store, inbox and timer index, the engine core, the
    /// <see cref="CaseClient{TState, TMessage, TEvent}"/>, and (when <paramref name="runWorkers"/>)
    /// the inbox and sweep workers. Needs <c>AddHuurIncassoStorage()</c>; effect handlers are
    /// registered by the caller as <see cref="IEffectHandler"/> singletons.
    /// </summary>
    public static IServiceCollection AddHuurIncassoEngine<TState, TMessage, TEvent, TWorkflow>(this IServiceCollection services, bool runWorkers = true)
        where TWorkflow : class, ICaseWorkflow<TState, TMessage, TEvent>
    {
        services.AddOptions<EngineOptions>()
            .BindConfiguration(EngineOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TWorkflow>();
        services.TryAddSingleton<ICaseWorkflow<TState, TMessage, TEvent>>(sp => sp.GetRequiredService<TWorkflow>());
        services.TryAddSingleton(_ => new CaseSerializer<TState, TMessage, TEvent>());
        services.AddSingleton(sp => new AzureCaseEngine<TState, TMessage, TEvent>(
            sp.GetRequiredService<StorageClients>(),
            sp.GetRequiredService<ICaseWorkflow<TState, TMessage, TEvent>>(),
            sp.GetServices<IEffectHandler>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<EngineOptions>>().Value,
            sp.GetRequiredService<CaseSerializer<TState, TMessage, TEvent>>(),
            sp.GetService<ILoggerFactory>()));
        services.AddSingleton(sp => sp.GetRequiredService<AzureCaseEngine<TState, TMessage, TEvent>>().Client);
        services.AddSingleton(sp => sp.GetRequiredService<AzureCaseEngine<TState, TMessage, TEvent>>().Engine);
        services.AddSingleton<ICaseStore>(sp => sp.GetRequiredService<AzureCaseEngine<TState, TMessage, TEvent>>().Store);
        services.AddSingleton<IInbox>(sp => sp.GetRequiredService<AzureCaseEngine<TState, TMessage, TEvent>>().Inbox);
        if (runWorkers)
        {
            services.AddHostedService(sp => new InboxWorker(sp.GetRequiredService<AzureCaseEngine<TState, TMessage, TEvent>>().Processor));
            services.AddHostedService(sp =>
            {
                var engine = sp.GetRequiredService<AzureCaseEngine<TState, TMessage, TEvent>>();
                return new SweepWorker(engine.TimerSweeper, engine.Dispatcher, sp.GetRequiredService<TimeProvider>(), engine.Options, sp.GetService<ILogger<SweepWorker>>());
            });
        }

        return services;
    }
}
