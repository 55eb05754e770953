using HuurIncasso.Domain.Cases;
using HuurIncasso.Engine;
using HuurIncasso.Integrations.Mail;

namespace HuurIncasso.Host.Outputs;

/// <summary>What happened to the events of one webhook delivery.</summary>
/// <param name="Received">Events in the body.</param>
/// <param name="Recorded">Events sent to their case (each applied once, however often SendGrid posts it).</param>
/// <param name="Ignored">Events of mails that are not ours, or of a kind the case does not keep (processed, click, ...).</param>
public sealed record MailEventsResult(int Received, int Recorded, int Ignored);

/// <summary>
/// Puts SendGrid's events on their cases: each as a <see cref="RecordMailEvent"/> through the
/// case's inbox, with <c>sendgrid:{sg_event_id}</c> as its idempotency key, so a retried or
/// replayed post changes nothing. Thread-safe.
/// </summary>
public sealed class MailEventsService(CaseClient<CaseState, CaseMessage, CaseEvent> cases)
{
    /// <summary>Sends every event of ours that the case keeps to its case.</summary>
    public async Task<MailEventsResult> ApplyAsync(IReadOnlyList<SendGridEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var recorded = 0;
        foreach (var e in events)
        {
            if (!e.IsOurs || e.Kind is not { } kind)
            {
                continue;
            }

            var key = "sendgrid:" + e.EventId;
            var message = new RecordMailEvent(e.EffectId!, e.Template ?? "", kind, e.Timestamp, e.Reason) { MessageId = key };
            await cases.SendAsync(e.CaseId!, key, message, cancellationToken: cancellationToken).ConfigureAwait(false);
            recorded++;
        }

        return new MailEventsResult(events.Count, recorded, events.Count - recorded);
    }
}
