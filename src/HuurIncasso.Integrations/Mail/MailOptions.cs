using Microsoft.Extensions.Options;

namespace HuurIncasso.Integrations.Mail;

/// <summary>
/// How mails leave: through SendGrid when <see cref="SendGridApiKey"/> is set, otherwise into
/// the mail capture container (development, demos, a test environment), never silently lost.
/// </summary>
public sealed class MailOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Mail";

    /// <summary>SendGrid's API host.</summary>
    public const string DefaultSendGridHost = "https://api.sendgrid.com";

    /// <summary>The SendGrid API key (a secret: from Key Vault or user secrets). Empty: capture instead of send.</summary>
    public string? SendGridApiKey { get; set; }

    /// <summary>SendGrid's base address; tests point it at a local listener.</summary>
    public Uri SendGridHost { get; set; } = new(DefaultSendGridHost);

    /// <summary>The sender address, a verified sender in SendGrid. Required when a key is set.</summary>
    public string From { get; set; } = "";

    /// <summary>The sender name shown to tenants; empty: the corporation's name.</summary>
    public string FromName { get; set; } = "";

    /// <summary>
    /// The public key of SendGrid's Signed Event Webhook (Mail Settings; base64 DER or PEM).
    /// Empty: <c>POST /api/mail/events</c> answers 503, so no unsigned report is ever believed.
    /// </summary>
    public string? EventWebhookPublicKey { get; set; }

    /// <summary>True when mails go through SendGrid.</summary>
    public bool UsesSendGrid => !string.IsNullOrWhiteSpace(SendGridApiKey);
}

/// <summary>A key without a sender (or a sender that is no address) fails at start, with the setting's name.</summary>
public sealed class MailOptionsValidator : IValidateOptions<MailOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.EventWebhookPublicKey))
        {
            try
            {
                _ = new SendGridEventSignature(options.EventWebhookPublicKey);
            }
            catch (FormatException ex)
            {
                return ValidateOptionsResult.Fail($"Mail:EventWebhookPublicKey {ex.Message}");
            }
        }

        if (!options.UsesSendGrid)
        {
            return ValidateOptionsResult.Success;
        }

        if (string.IsNullOrWhiteSpace(options.From) || !System.Net.Mail.MailAddress.TryCreate(options.From, out _))
        {
            return ValidateOptionsResult.Fail($"Mail:From must be the e-mail address mails are sent from when Mail:SendGridApiKey is set (now '{options.From}').");
        }

        return options.SendGridHost.IsAbsoluteUri
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Mail:SendGridHost must be an absolute URL (now '{options.SendGridHost}').");
    }
}
