using System.Globalization;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Engine;
using HuurIncasso.Host.Scheduling;

namespace HuurIncasso.Host.Cases;

/// <summary>
/// Scheduled job <c>nightly-segmentation</c> (<c>Segmentation:Schedule</c>, default 02:00): sends
/// every running case a <see cref="Resegment"/> for today, so a segment that depends on the date
/// (new tenant, reversals in the last twelve months) is right in the morning's worklist even for
/// a case that heard nothing that day. The message id is one per case per day: a second run the
/// same night (a crash, a run by hand) changes nothing.
/// </summary>
internal sealed class NightlySegmentationJob(CaseClient<CaseState, CaseMessage, CaseEvent> cases) : IScheduledJob
{
    public const string Name = "nightly-segmentation";

    public const string ScheduleSetting = "Segmentation:Schedule";

    /// <summary>02:00 every night: after the day's commands, before the 06:00 timers and the morning's work.</summary>
    public const string DefaultSchedule = "0 2 * * *";

    public async Task<string> RunAsync(DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        var asOf = CaseCore.BusinessDate(occurrence);
        var running = await cases.ListAsync(new CaseQuery(HuurIncasso.Engine.CaseStatus.Running, Max: int.MaxValue), cancellationToken).ConfigureAwait(false);
        var message = Resegment.For(asOf);
        await Parallel.ForEachAsync(
            running,
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (record, ct) => await cases.SendAsync(record.CaseId, message.MessageId, message, cancellationToken: ct).ConfigureAwait(false)).ConfigureAwait(false);
        return string.Create(CultureInfo.InvariantCulture, $"{running.Count} running cases asked to re-segment as of {asOf:yyyy-MM-dd}");
    }
}
