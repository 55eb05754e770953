using System.Globalization;

namespace HuurIncasso.Engine;

/// <summary>
/// Turns due timers into inbox messages. The idempotency key is the due instant, so a
/// timer swept twice (crash between send and remove) fires once; a timer the case no
/// longer waits for is ignored by the engine. No queue visibility limit applies: a timer
/// may be months away.
/// </summary>
public sealed class TimerSweeper(ITimerIndex index, IInbox inbox, TimeProvider time)
{
    /// <summary>The idempotency key of the timer due at <paramref name="due"/>.</summary>
    public static string TimerKey(DateTimeOffset due) => "timer-" + due.UtcTicks.ToString(CultureInfo.InvariantCulture);

    /// <summary>Sends every due timer to the inbox; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var count = 0;
        using var cause = EngineTelemetry.Cause("timers.sweep");
        while (true)
        {
            var due = await index.ListDueAsync(time.GetUtcNow(), 500, cancellationToken).ConfigureAwait(false);
            foreach (var timer in due)
            {
                await inbox.SendAsync(new InboxMessage(timer.CaseId, TimerKey(timer.Due), "", timer.Due), cancellationToken: cancellationToken).ConfigureAwait(false);
                await index.RemoveAsync(timer, cancellationToken).ConfigureAwait(false);
            }

            count += due.Count;
            EngineTelemetry.TimersFired.Add(due.Count);
            if (due.Count < 500)
            {
                return count;
            }
        }
    }
}
