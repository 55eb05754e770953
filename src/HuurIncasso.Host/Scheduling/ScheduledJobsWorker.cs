using HuurIncasso.Host.Storage;

namespace HuurIncasso.Host.Scheduling;

/// <summary>
/// Standalone mode: one loop per enabled job that sleeps until its next occurrence and runs it
/// through <see cref="ScheduledJobRunner"/>. Behind the Functions host its timer triggers do this.
/// </summary>
internal sealed partial class ScheduledJobsWorker(
    ScheduledJobs jobs, ScheduledJobRunner runner, StorageReadiness readiness, TimeProvider time, ILogger<ScheduledJobsWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.WhenReadyAsync(stoppingToken).ConfigureAwait(false);
        await Task.WhenAll(jobs.All.Where(jobs.IsEnabled).Select(job => LoopAsync(job, stoppingToken))).ConfigureAwait(false);
    }

    private async Task LoopAsync(ScheduledJobDefinition job, CancellationToken stoppingToken)
    {
        var schedule = jobs.ScheduleOf(job);
        if (job.CatchUpMissedRun && CronSchedule.PreviousOccurrence(schedule, time.GetUtcNow()) is { } missed)
        {
            await RunOccurrenceAsync(job, missed, stoppingToken).ConfigureAwait(false);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            if (CronSchedule.NextOccurrence(schedule, now) is not { } next) return;
            try
            {
                await Task.Delay(next - now, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            await RunOccurrenceAsync(job, next, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task RunOccurrenceAsync(ScheduledJobDefinition job, DateTimeOffset occurrence, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var run = await runner.RunExclusiveAsync(job.Name, occurrence, stoppingToken).ConfigureAwait(false);
                // Skipped because another host holds the lease: for a catching-up job wait and look again,
                // since that host may die half-way; it finishes it (we then find it done) or its lease runs out.
                if (run.Ran || !job.CatchUpMissedRun || run.AlreadyDone) return;
                await Task.Delay(ScheduledJobRunner.RetryDelay, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A failed run waits for the next occurrence (or the next start); jobs are idempotent, so running one by hand is safe.
                LogFailed(logger, job.Name, ex);
                return;
            }
        }
    }

    [LoggerMessage(EventId = 902, Level = LogLevel.Error, Message = "Scheduled job {Job} failed.")]
    private static partial void LogFailed(ILogger logger, string job, Exception exception);
}
