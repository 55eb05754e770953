namespace HuurIncasso.Integrations.Mail;

/// <summary>Hands a mail to the outside world. Thread-safe.</summary>
public interface IMailTransport
{
    /// <summary>
    /// True when sending the same mail twice has the effect of sending it once (the capture
    /// container overwrites one blob). Then an unfinished earlier attempt may simply be repeated.
    /// </summary>
    bool IsIdempotent { get; }

    /// <summary>Sends the mail.</summary>
    /// <exception cref="MailNotSentException">Certainly not accepted: safe to try again.</exception>
    /// <remarks>Any other exception leaves it unknown whether the mail went out.</remarks>
    Task<MailReceipt> SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default);
}
