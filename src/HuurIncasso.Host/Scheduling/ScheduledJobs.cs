using Cronos;

namespace HuurIncasso.Host.Scheduling;

/// <summary>
/// Periodic work of the host (the monthly ledger run, the daily print batch, …). In standalone
/// mode <see cref="ScheduledJobsWorker"/> calls it at each occurrence of its schedule; behind the
/// Functions host a timer trigger does. Either way through <see cref="ScheduledJobRunner"/>, so
/// one host at a time runs a job.
/// </summary>
public interface IScheduledJob
{
    /// <summary>Does the work once. Must be safe to run again after a crash: jobs are idempotent.</summary>
    /// <param name="occurrence">The schedule's occurrence this run is for (UTC), or the time of a run by hand.</param>
    /// <returns>One line for the log and the caller: what was done.</returns>
    Task<string> RunAsync(DateTimeOffset occurrence, CancellationToken cancellationToken);
}

/// <summary>
/// One scheduled job: its name (also the Functions function name), the job's type, the setting
/// that holds its cron schedule and the schedule when that setting is empty.
/// </summary>
/// <param name="Name">Kebab-case name, unique: <c>monthly-ledger</c>.</param>
/// <param name="JobType">The <see cref="IScheduledJob"/> implementation, resolved from the container.</param>
/// <param name="ScheduleSetting">Configuration key of the cron schedule, e.g. <c>Ledger:Schedule</c>.</param>
/// <param name="DefaultSchedule">Cron (5 or 6 fields) in Europe/Amsterdam when the setting is empty.</param>
/// <param name="Description">What it does, for the README, logs and the Functions table.</param>
/// <param name="CatchUpMissedRun">
/// At start, run the last occurrence when no host finished it (all hosts down at the time, or
/// the runner killed half-way), instead of waiting for the next one a month later.
/// </param>
public sealed record ScheduledJobDefinition(string Name, Type JobType, string ScheduleSetting, string DefaultSchedule, string Description, bool CatchUpMissedRun = false);

/// <summary>The table of every scheduled job registered with <see cref="SchedulingServiceCollectionExtensions.AddScheduledJob{TJob}"/>.</summary>
public sealed class ScheduledJobs(IEnumerable<ScheduledJobDefinition> definitions, IConfiguration configuration)
{
    private readonly ScheduledJobDefinition[] _all = [.. definitions];

    /// <summary>Every registered job, in registration order.</summary>
    public IReadOnlyList<ScheduledJobDefinition> All => _all;

    /// <summary>The job called <paramref name="name"/>, or null.</summary>
    public ScheduledJobDefinition? Find(string name) => _all.FirstOrDefault(j => string.Equals(j.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The cron schedule in force: the setting, or the default. <c>off</c> disables the job's timer.</summary>
    public string ScheduleOf(ScheduledJobDefinition job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var configured = configuration[job.ScheduleSetting];
        return string.IsNullOrWhiteSpace(configured) ? job.DefaultSchedule : configured.Trim();
    }

    /// <summary>False when the schedule setting says <c>off</c>.</summary>
    public bool IsEnabled(ScheduledJobDefinition job) => !string.Equals(ScheduleOf(job), "off", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Cron schedules read in Europe/Amsterdam, so 06:00 stays 06:00 across daylight saving.</summary>
public static class CronSchedule
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    /// <summary>Parses a 5-field (minutes) or 6-field (seconds first) cron expression; null when it is not one.</summary>
    public static CronExpression? TryParse(string? schedule)
    {
        if (string.IsNullOrWhiteSpace(schedule)) return null;
        var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        return CronExpression.TryParse(schedule, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard, out var cron) ? cron : null;
    }

    /// <summary>The next occurrence after <paramref name="after"/>, or null for an invalid schedule.</summary>
    public static DateTimeOffset? NextOccurrence(string schedule, DateTimeOffset after) =>
        TryParse(schedule)?.GetNextOccurrence(after, Amsterdam);

    /// <summary>The last occurrence at or before <paramref name="now"/> within a year, or null.</summary>
    public static DateTimeOffset? PreviousOccurrence(string schedule, DateTimeOffset now)
    {
        if (TryParse(schedule) is not { } cron) return null;
        // Widening windows: a schedule of every minute must not be enumerated over a year.
        foreach (var window in new[] { TimeSpan.FromHours(1), TimeSpan.FromDays(2), TimeSpan.FromDays(32), TimeSpan.FromDays(367) })
        {
            DateTimeOffset? last = null;
            foreach (var occurrence in cron.GetOccurrences(now - window, now, Amsterdam, fromInclusive: true, toInclusive: true))
            {
                last = occurrence;
            }

            if (last is not null) return last;
        }

        return null;
    }

    /// <summary>The same schedule as a 6-field NCRONTAB expression, as the Functions timer trigger wants it.</summary>
    public static string ToNcrontab(string schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length == 6 ? string.Join(' ', fields) : "0 " + string.Join(' ', fields);
    }
}
