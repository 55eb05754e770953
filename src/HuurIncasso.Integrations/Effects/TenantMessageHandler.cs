using System.Globalization;
using System.Text.Json;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Engine;
using HuurIncasso.Integrations.Documents;
using HuurIncasso.Integrations.Mail;
using HuurIncasso.Integrations.Tenants;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HuurIncasso.Integrations.Effects;

/// <summary>
/// Performs "tenantMessage" effects: renders the template and sends it as a mail or writes
/// it as a PDF letter. Runs at least once per effect; a second run is harmless:
/// <list type="bullet">
/// <item>Mail: the sent log is read first; intent is written before the hand-over and the
/// outcome after. A row left in Sending is never sent again through SendGrid by itself
/// (<see cref="MailDeliveryUncertainException"/>); the capture container may simply be
/// written again.</item>
/// <item>Letter: the PDF and its print-batch entry have names derived from the effect, so a
/// retry overwrites them.</item>
/// </list>
/// Thread-safe.
/// </summary>
public sealed class TenantMessageHandler(
    TemplateRenderer renderer,
    ITenantDirectory tenants,
    IMailTransport transport,
    SentMailLog sentLog,
    DocumentStore documents,
    IOptions<CorporationOptions> corporation,
    IOptions<DocumentsOptions> documentsOptions,
    TimeProvider time,
    ILogger<TenantMessageHandler>? logger = null) : IEffectHandler
{
    /// <summary>The effect kind: the JSON discriminator of <see cref="TenantMessage"/>.</summary>
    public const string EffectKind = "tenantMessage";
    private const string FormalNotice = "formal-notice";
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly LetterPdf _pdf = new(corporation.Value, documentsOptions.Value);

    /// <inheritdoc />
    public string Kind => EffectKind;

    /// <inheritdoc />
    public Task HandleAsync(Effect effect, CancellationToken cancellationToken = default)
    {
        var message = EffectPayload.Read<TenantMessage>(effect);
        return message.Channel switch
        {
            Channel.Mail => MailAsync(effect, message, cancellationToken),
            Channel.Letter => LetterAsync(effect, message, cancellationToken),
            _ => throw new NotSupportedException($"Effect {effect.Id}: channel {message.Channel} has no provider in this installation; only mail and letter are set up."),
        };
    }

    private async Task MailAsync(Effect effect, TenantMessage message, CancellationToken cancellationToken)
    {
        // A retry looks at the sent log first. A first attempt does not: its insert of the intent
        // fails when a row exists (an earlier run that died before its attempt was recorded), and
        // only then is the row read. Either way the row decides, as below.
        var existing = effect.Attempts > 0 ? await sentLog.FindAsync(effect.CaseId, effect.Id, cancellationToken).ConfigureAwait(false) : null;
        if (existing is not null && Settled(effect, existing))
        {
            return;
        }

        var tenant = await TenantAsync(effect, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(tenant.Email))
        {
            var entry = existing ?? await sentLog.BeginAsync(effect.CaseId, effect.Id, message.Template, cancellationToken).ConfigureAwait(false);
            if (entry is not null)
            {
                await sentLog.CompleteAsync(entry, SentMailStatus.Skipped, null, cancellationToken).ConfigureAwait(false);
            }

            Log.MailSkippedNoAddress(_logger, message.Template, effect.Id);
            return;
        }

        // Render before recording intent: a template error must not leave a row in Sending.
        var rendered = await renderer.RenderAsync(message.Template, Model(effect, message, tenant), cancellationToken).ConfigureAwait(false);
        var mail = new OutgoingMail(effect.Id, effect.CaseId, message.Template, tenant.Email, tenant.Name, rendered.Subject, rendered.Body);

        var intent = existing is not null
            ? await sentLog.RestartAsync(existing, cancellationToken).ConfigureAwait(false)
            : await sentLog.BeginAsync(effect.CaseId, effect.Id, message.Template, cancellationToken).ConfigureAwait(false);
        if (intent is null)
        {
            existing = await sentLog.FindAsync(effect.CaseId, effect.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new MailDeliveryUncertainException(effect.Id, mail.MessageKey, time.GetUtcNow());
            if (Settled(effect, existing))
            {
                return;
            }

            intent = await sentLog.RestartAsync(existing, cancellationToken).ConfigureAwait(false);
        }

        MailReceipt receipt;
        try
        {
            receipt = await transport.SendAsync(mail, cancellationToken).ConfigureAwait(false);
        }
        catch (MailNotSentException)
        {
            await sentLog.ForgetAsync(intent, cancellationToken).ConfigureAwait(false);
            throw;
        }

        // A crash before this line leaves the row in Sending: the next attempt will not resend.
        await sentLog.CompleteAsync(intent, SentMailStatus.Sent, receipt, cancellationToken).ConfigureAwait(false);
        Log.MailSent(_logger, message.Template, effect.Id, receipt.Via);
    }

    /// <summary>True when the sent log says this mail needs nothing more; throws when it cannot tell whether it went out.</summary>
    private bool Settled(Effect effect, SentMailEntry existing)
    {
        if (existing.Status is SentMailStatus.Sent or SentMailStatus.Skipped)
        {
            Log.MailAlreadySent(_logger, effect.Id);
            return true;
        }

        if (existing.Status is SentMailStatus.Sending && !transport.IsIdempotent)
        {
            Log.MailUncertain(_logger, effect.Id);
            throw new MailDeliveryUncertainException(effect.Id, existing.MessageKey, existing.StartedAt);
        }

        return false;
    }

    private async Task LetterAsync(Effect effect, TenantMessage message, CancellationToken cancellationToken)
    {
        var letterDate = LetterDate(effect, message);
        if (message.Template == FormalNotice)
        {
            FormalNoticeGuard.Check(effect.CaseId, message.Data, CaseCore.BusinessDate(time.GetUtcNow()));
        }

        var tenant = await TenantAsync(effect, cancellationToken).ConfigureAwait(false);
        var rendered = await renderer.RenderAsync(message.Template, Model(effect, message, tenant, letterDate), cancellationToken).ConfigureAwait(false);
        var pdf = _pdf.Write(rendered, tenant, letterDate, effect.Id);

        var letter = DocumentNames.Letter(effect);
        await documents.WriteAsync(letter, new BinaryData(pdf), "application/pdf", cancellationToken).ConfigureAwait(false);
        var item = new PrintItem(letter, effect.CaseId, effect.Id, message.Template, tenant.Name, tenant.PostalCode);
        await documents.WriteAsync(DocumentNames.PrintItem(letterDate, effect), BinaryData.FromObjectAsJson(item, PrintItem.Json), "application/json", cancellationToken).ConfigureAwait(false);
        Log.LetterWritten(_logger, message.Template, effect.Id, letter);
    }

    private async Task<TenantContact> TenantAsync(Effect effect, CancellationToken cancellationToken) =>
        await tenants.FindAsync(effect.CaseId, cancellationToken).ConfigureAwait(false)
        ?? throw new TenantContactMissingException(effect.CaseId);

    private MessageModel Model(Effect effect, TenantMessage message, TenantContact tenant, DateOnly? letterDate = null) =>
        new(corporation.Value, tenant, message.Channel, letterDate ?? LetterDate(effect, message), message.Arrears, message.Data);

    /// <summary>
    /// The date on the letter: the posting day the case recorded (the 14-day notice's
    /// deadline is computed from it), otherwise the day the effect was committed. Never "today":
    /// a retry must produce the same letter.
    /// </summary>
    internal static DateOnly LetterDate(Effect effect, TenantMessage message) =>
        message.Data.TryGetValue("verzonden", out var sent) && DateOnly.TryParseExact(sent, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : CaseCore.BusinessDate(effect.CreatedAt);
}

/// <summary>One letter in a day's print batch.</summary>
public sealed record PrintItem(string Letter, string CaseId, string EffectId, string Template, string Name, string PostalCode)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
