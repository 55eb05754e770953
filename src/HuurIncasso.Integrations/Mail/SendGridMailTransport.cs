using System.Net.Http;
using HuurIncasso.Integrations.Documents;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace HuurIncasso.Integrations.Mail;

/// <summary>
/// Sends through SendGrid's v3 mail/send. Each mail carries custom_args effect_id, case_id,
/// template and message_key (SendGrid puts them on every event and in its activity search)
/// and a header X-HuurIncasso-Message with the message key. SendGrid's own retries stay off:
/// a retry after a time-out is exactly the duplicate we must avoid. Thread-safe.
/// </summary>
public sealed class SendGridMailTransport : IMailTransport, IDisposable
{
    private readonly HttpClient _http;
    private readonly SendGridClient _client;
    private readonly EmailAddress _from;

    /// <summary>Creates the transport; <paramref name="http"/> is owned by it when given, made when not.</summary>
    public SendGridMailTransport(MailOptions options, CorporationOptions corporation, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(corporation);
        if (!options.UsesSendGrid)
        {
            throw new ArgumentException("Mail:SendGridApiKey is empty: use the capture transport instead.", nameof(options));
        }

        _http = http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        _client = new SendGridClient(_http, new SendGridClientOptions
        {
            ApiKey = options.SendGridApiKey,
            Host = options.SendGridHost.ToString().TrimEnd('/'),
        });
        _from = new EmailAddress(options.From, string.IsNullOrWhiteSpace(options.FromName) ? corporation.Name : options.FromName);
    }

    /// <inheritdoc />
    public bool IsIdempotent => false;

    /// <inheritdoc />
    public async Task<MailReceipt> SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var message = MailHelper.CreateSingleEmail(_from, new EmailAddress(mail.ToAddress, mail.ToName), mail.Subject, mail.Text, mail.Html());
        message.AddCustomArg("effect_id", mail.EffectId);
        message.AddCustomArg("case_id", mail.CaseId);
        message.AddCustomArg("template", mail.Template);
        message.AddCustomArg("message_key", mail.MessageKey);
        message.AddHeader("X-HuurIncasso-Message", mail.MessageKey);

        Response response;
        try
        {
            response = await _client.SendEmailAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            // No connection was made, so SendGrid cannot have the mail.
            throw new MailNotSentException(mail.EffectId, "SendGrid could not be reached (" + ex.HttpRequestError + ")", ex);
        }

        if (!response.IsSuccessStatusCode)
        {
            // SendGrid answers 202 when it accepts; any other answer means it did not take the mail.
            throw new MailNotSentException(mail.EffectId, $"SendGrid answered {(int)response.StatusCode} {response.StatusCode}");
        }

        var id = response.Headers is not null && response.Headers.TryGetValues("X-Message-Id", out var values) ? values.FirstOrDefault() ?? "" : "";
        return new MailReceipt("sendgrid", id);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
