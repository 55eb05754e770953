namespace HuurIncasso.Integrations.Mail;

/// <summary>
/// The mail provider certainly did not accept the mail (it answered with an error, or could
/// not be reached at all): sending again cannot make a duplicate.
/// </summary>
public sealed class MailNotSentException(string effectId, string reason, Exception? inner = null)
    : Exception($"Mail for effect {effectId} was not sent: {reason}. It will be retried.", inner)
{
    /// <summary>The effect.</summary>
    public string EffectId { get; } = effectId;
}

/// <summary>
/// An earlier attempt for this effect began sending and never recorded how it ended (a crash
/// or time-out between handing the mail to SendGrid and writing the sent log). Sending again
/// could mail the tenant twice, so a person decides: look the mail up in SendGrid's activity
/// by the custom argument <c>message_key</c>, then mark it sent or not sent.
/// </summary>
public sealed class MailDeliveryUncertainException(string effectId, string messageKey, DateTimeOffset startedAt)
    : Exception($"Mail for effect {effectId} may have been sent at {startedAt:u}: the attempt did not record its outcome. Search SendGrid's activity for custom argument message_key={messageKey}, then mark it sent or not sent. It is not sent again by itself.")
{
    /// <summary>The effect.</summary>
    public string EffectId { get; } = effectId;

    /// <summary>The key in SendGrid's custom_args.</summary>
    public string MessageKey { get; } = messageKey;
}
