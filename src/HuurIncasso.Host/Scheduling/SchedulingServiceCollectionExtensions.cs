using HuurIncasso.Host.Scheduling;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers scheduled jobs and, in standalone mode, the worker that runs them on time.</summary>
public static class SchedulingServiceCollectionExtensions
{
    /// <summary>
    /// Adds the job table and runner; with <paramref name="runWorkers"/> false (behind the
    /// Functions host, whose timer triggers call the runner) no timers run in this process.
    /// </summary>
    public static IServiceCollection AddHuurIncassoScheduling(this IServiceCollection services, bool runWorkers = true)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ScheduledJobs>();
        services.TryAddSingleton<ScheduledJobRunner>();
        // TryAddEnumerable: several areas register jobs and call this; one worker and one check are enough.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ScheduledJobsCheck>, ScheduledJobsValidator>());
        services.AddOptions<ScheduledJobsCheck>().ValidateOnStart();
        if (runWorkers)
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ScheduledJobsWorker>());
        }

        return services;
    }

    /// <summary>Registers <typeparamref name="TJob"/> as the scheduled job <paramref name="name"/>.</summary>
    public static IServiceCollection AddScheduledJob<TJob>(
        this IServiceCollection services, string name, string scheduleSetting, string defaultSchedule, string description, bool catchUpMissedRun = false)
        where TJob : class, IScheduledJob
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (CronSchedule.TryParse(defaultSchedule) is null)
        {
            throw new ArgumentException($"Default schedule '{defaultSchedule}' of job {name} is not a cron expression.", nameof(defaultSchedule));
        }

        services.TryAddSingleton<TJob>();
        services.AddSingleton(new ScheduledJobDefinition(name, typeof(TJob), scheduleSetting, defaultSchedule, description, catchUpMissedRun));
        return services;
    }
}

/// <summary>Only a carrier so every schedule setting is checked once at start.</summary>
internal sealed class ScheduledJobsCheck;

internal sealed class ScheduledJobsValidator(ScheduledJobs jobs) : IValidateOptions<ScheduledJobsCheck>
{
    public ValidateOptionsResult Validate(string? name, ScheduledJobsCheck options)
    {
        var problems = new List<string>();
        foreach (var group in jobs.All.GroupBy(j => j.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            problems.Add($"Scheduled job name '{group.Key}' is registered {group.Count()} times.");
        }

        foreach (var job in jobs.All.Where(jobs.IsEnabled))
        {
            var schedule = jobs.ScheduleOf(job);
            if (CronSchedule.TryParse(schedule) is null)
            {
                problems.Add($"{job.ScheduleSetting}: '{schedule}' is not a cron expression (5 or 6 fields, or 'off').");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
