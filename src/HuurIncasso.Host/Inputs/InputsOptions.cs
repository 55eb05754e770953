using System.ComponentModel.DataAnnotations;
using Cronos;
using Microsoft.Extensions.Options;

namespace HuurIncasso.Host.Inputs;

/// <summary>Bank feed settings (<c>Bank</c> section).</summary>
public sealed class BankOptions
{
    /// <summary>One or two Standard Webhooks secrets (current, previous). Without any, the webhook refuses every delivery.</summary>
    public List<string> WebhookSecrets { get; set; } = [];

    /// <summary>The largest body the webhook accepts; larger gets 413. Default 5 MB.</summary>
    [Range(1, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 5 * 1024 * 1024;
}

internal sealed class BankOptionsValidator : IValidateOptions<BankOptions>
{
    public ValidateOptionsResult Validate(string? name, BankOptions options)
    {
        if (options.WebhookSecrets.Count > 2)
        {
            return ValidateOptionsResult.Fail($"Bank:WebhookSecrets: give one or two secrets (current and previous), not {options.WebhookSecrets.Count}.");
        }

        try
        {
            if (options.WebhookSecrets.Count > 0) _ = new Integrations.Banking.WebhookSignature(options.WebhookSecrets);
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"Bank:WebhookSecrets: {ex.Message}");
        }

        return ValidateOptionsResult.Success;
    }
}

internal sealed class LedgerOptionsValidator : IValidateOptions<LedgerOptions>
{
    public ValidateOptionsResult Validate(string? name, LedgerOptions options)
    {
        var problems = new List<string>();
        if (options.OpeningThreshold < 0m) problems.Add("Ledger:OpeningThreshold may not be negative.");
        if (options.Parallelism is < 1 or > 256) problems.Add("Ledger:Parallelism must be between 1 and 256.");
        if (LedgerScheduleWorker.TryParse(options.Schedule) is null) problems.Add($"Ledger:Schedule '{options.Schedule}' is not a cron expression (5 or 6 fields).");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>
/// The monthly ledger import in standalone mode: at each occurrence of <c>Ledger:Schedule</c>
/// (Europe/Amsterdam) it imports the newest file in the imports container's <c>incoming/</c>
/// folder. A blob lease lets one host at a time run it; the others wait and find it done. A run
/// no host finished (all down, or the host killed half-way) is done when a host starts.
/// </summary>
internal sealed partial class LedgerScheduleWorker(
    LedgerImportService importer,
    Azure.Storage.StorageClients clients,
    Storage.StorageReadiness readiness,
    IOptions<LedgerOptions> options,
    TimeProvider time,
    ILogger<LedgerScheduleWorker> logger) : BackgroundService
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    public static CronExpression? TryParse(string schedule)
    {
        var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        return CronExpression.TryParse(schedule, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard, out var cron) ? cron : null;
    }

    /// <summary>The next run after <paramref name="after"/>: the schedule read in Europe/Amsterdam, so 06:00 stays 06:00 across daylight saving.</summary>
    public static DateTimeOffset? NextOccurrence(string schedule, DateTimeOffset after) =>
        TryParse(schedule)?.GetNextOccurrence(after, Amsterdam);

    /// <summary>The last run at or before <paramref name="now"/>, or null when there was none in the past year.</summary>
    public static DateTimeOffset? PreviousOccurrence(string schedule, DateTimeOffset now)
    {
        if (TryParse(schedule) is not { } cron) return null;
        // Widening windows: a schedule of every second must not be enumerated over a year.
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ScheduleEnabled) return;
        await readiness.WhenReadyAsync(stoppingToken).ConfigureAwait(false);
        // A run that no host finished (all down at the time, or killed half-way) is done at start:
        // otherwise a crash on the 5th at 06:00 would skip the month.
        if (PreviousOccurrence(options.Value.Schedule, time.GetUtcNow()) is { } missed)
        {
            await RunOccurrenceAsync(missed, stoppingToken).ConfigureAwait(false);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            if (NextOccurrence(options.Value.Schedule, now) is not { } next) return;
            await Task.Delay(next - now, time, stoppingToken).ConfigureAwait(false);
            await RunOccurrenceAsync(next, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Imports the newest incoming file if this host gets the lease (without marking a scheduled run done).</summary>
    public async Task<LedgerImportResult?> RunOnceAsync(CancellationToken cancellationToken) =>
        (await RunLockedAsync(null, cancellationToken).ConfigureAwait(false)).Result;

    private async Task RunOccurrenceAsync(DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if ((await RunLockedAsync(occurrence, cancellationToken).ConfigureAwait(false)).Acquired) return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A failed run is done again at the next start or occurrence; the import is idempotent, so running it by hand is safe.
                LogFailed(logger, ex);
                return;
            }

            // Another host holds the lease: it runs the import (we then find it done), or it died and its lease runs out.
            await Task.Delay(LeaseTime / 3, time, cancellationToken).ConfigureAwait(false);
        }
    }

    // Short, so a host killed during the run blocks the others only briefly; renewed at a third.
    private static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(15);
    private const string CompletedKey = "completed";

    private async Task<(bool Acquired, LedgerImportResult? Result)> RunLockedAsync(DateTimeOffset? occurrence, CancellationToken cancellationToken)
    {
        var container = clients.Blobs.GetBlobContainerClient(clients.Names.ImportsContainer);
        var lockBlob = container.GetBlobClient(LedgerImportService.BlobPrefix + "schedule.lock");
        try
        {
            await lockBlob.UploadAsync(BinaryData.FromString("lock"), overwrite: false, cancellationToken).ConfigureAwait(false);
        }
        catch (global::Azure.RequestFailedException ex) when (ex.Status is 409)
        {
            // The lock blob exists already.
        }

        var lease = global::Azure.Storage.Blobs.Specialized.SpecializedBlobExtensions.GetBlobLeaseClient(lockBlob);
        try
        {
            await lease.AcquireAsync(LeaseTime, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (global::Azure.RequestFailedException ex) when (ex.Status is 409)
        {
            LogSkipped(logger);
            return (false, null);
        }

        using var renew = new CancellationTokenSource();
        var renewing = RenewAsync(lease, renew.Token);
        try
        {
            // The lock blob remembers the last scheduled run that finished, so a run is done once however many hosts start.
            var properties = await lockBlob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (occurrence is { } due
                && properties.Value.Metadata.TryGetValue(CompletedKey, out var text)
                && long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var completed)
                && completed >= due.ToUnixTimeSeconds())
            {
                return (true, null);
            }

            var result = await importer.ImportNewestIncomingAsync(cancellationToken).ConfigureAwait(false);
            if (occurrence is { } done)
            {
                var metadata = new Dictionary<string, string>(properties.Value.Metadata, StringComparer.Ordinal)
                {
                    [CompletedKey] = done.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
                await lockBlob.SetMetadataAsync(metadata, new global::Azure.Storage.Blobs.Models.BlobRequestConditions { LeaseId = lease.LeaseId }, cancellationToken).ConfigureAwait(false);
            }

            return (true, result);
        }
        finally
        {
            await renew.CancelAsync().ConfigureAwait(false);
            await renewing.ConfigureAwait(false);
            await lease.ReleaseAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task RenewAsync(global::Azure.Storage.Blobs.Specialized.BlobLeaseClient lease, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(LeaseTime / 3, cancellationToken).ConfigureAwait(false);
                await lease.RenewAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    [LoggerMessage(EventId = 510, Level = LogLevel.Information, Message = "Another host runs the monthly ledger import; this one skips it.")]
    private static partial void LogSkipped(ILogger logger);

    [LoggerMessage(EventId = 511, Level = LogLevel.Error, Message = "The monthly ledger import failed.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
