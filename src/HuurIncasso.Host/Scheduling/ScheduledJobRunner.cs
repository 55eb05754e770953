using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using HuurIncasso.Azure.Storage;

namespace HuurIncasso.Host.Scheduling;

/// <summary>What one call of <see cref="ScheduledJobRunner.RunExclusiveAsync"/> did.</summary>
/// <param name="Job">The job's name.</param>
/// <param name="Ran">False when another host held the job's lease, so this one skipped it.</param>
/// <param name="Summary">The job's own line, or why it was skipped.</param>
public sealed record ScheduledJobRun(string Job, bool Ran, string Summary)
{
    /// <summary>True when the occurrence asked for had been finished before (by any host).</summary>
    public bool AlreadyDone { get; init; }
}

/// <summary>
/// Runs a scheduled job under a blob lease (<c>locks/{name}</c>), so across all hosts only one
/// runs it at a time; the others skip that occurrence. The lease is renewed while the job runs
/// and is lost by a crashed host within its 60 seconds, so the next occurrence runs again.
/// </summary>
public sealed partial class ScheduledJobRunner(
    ScheduledJobs jobs, IServiceProvider services, StorageClients clients, TimeProvider time, ILogger<ScheduledJobRunner> logger)
{
    // Short, so a host killed during a run blocks the others only briefly; renewed at a third.
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(5);
    private const string CompletedKey = "completed";

    /// <summary>How long a waiting runner sleeps before it tries a held lease again.</summary>
    public static TimeSpan RetryDelay => RenewEvery;

    /// <summary>Runs <paramref name="name"/> once if no other host is running it.</summary>
    /// <exception cref="ArgumentException">No job has that name.</exception>
    public async Task<ScheduledJobRun> RunExclusiveAsync(string name, DateTimeOffset? occurrence = null, CancellationToken cancellationToken = default)
    {
        var job = jobs.Find(name) ?? throw new ArgumentException(
            $"There is no scheduled job '{name}'. Known: {string.Join(", ", jobs.All.Select(j => j.Name))}.", nameof(name));
        var container = clients.Blobs.GetBlobContainerClient(clients.Names.LocksContainer);
        var lockBlob = container.GetBlobClient(job.Name);
        try
        {
            await lockBlob.UploadAsync(BinaryData.FromString(job.Name), overwrite: false, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Exists already (or is leased right now): the lease below decides.
        }

        var lease = lockBlob.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(LeaseDuration, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409)
        {
            LogSkipped(logger, job.Name);
            return new ScheduledJobRun(job.Name, false, "Een andere host voert deze taak al uit.");
        }

        using var renew = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var renewing = RenewAsync(lease, renew.Token);
        try
        {
            // For a catching-up job the lock blob remembers the last scheduled occurrence that finished,
            // so an occurrence runs once however many hosts start; a run by hand (no occurrence) always runs.
            var properties = job.CatchUpMissedRun ? await lockBlob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false) : null;
            if (occurrence is { } due && properties is not null && properties.Value.Metadata.TryGetValue(CompletedKey, out var text)
                && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var completed)
                && completed >= due)
            {
                return new ScheduledJobRun(job.Name, false, "Deze keer is al uitgevoerd.") { AlreadyDone = true };
            }

            var instance = (IScheduledJob)services.GetRequiredService(job.JobType);
            var summary = await instance.RunAsync(occurrence ?? time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (occurrence is { } done && job.CatchUpMissedRun)
            {
                await lockBlob.SetMetadataAsync(
                    new Dictionary<string, string> { [CompletedKey] = done.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture) },
                    new BlobRequestConditions { LeaseId = lease.LeaseId }, cancellationToken).ConfigureAwait(false);
            }

            LogRan(logger, job.Name, summary);
            return new ScheduledJobRun(job.Name, true, summary);
        }
        finally
        {
            await renew.CancelAsync().ConfigureAwait(false);
            await renewing.ConfigureAwait(false);
            try
            {
                await lease.ReleaseAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
            }
            catch (RequestFailedException)
            {
                // Lost already (storage was away longer than the lease); it expires on its own.
            }
        }
    }

    private static async Task RenewAsync(BlobLeaseClient lease, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(RenewEvery, cancellationToken).ConfigureAwait(false);
                await lease.RenewAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
        catch (RequestFailedException)
        {
            // Renewal failed; the job goes on, and a second runner after expiry is safe because jobs are idempotent.
        }
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Information, Message = "Another host runs scheduled job {Job}; this one skips it.")]
    private static partial void LogSkipped(ILogger logger, string job);

    [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "Scheduled job {Job}: {Summary}")]
    private static partial void LogRan(ILogger logger, string job, string summary);
}
