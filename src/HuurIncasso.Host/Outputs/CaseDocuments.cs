using System.Text.Json;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Engine;
using HuurIncasso.Integrations.Documents;
using HuurIncasso.Integrations.Mail;

namespace HuurIncasso.Host.Outputs;

/// <summary>A letter of the case: the PDF's blob name once it is written.</summary>
public sealed record CaseLetter(string EffectId, string Template, DateTimeOffset At, string? Document);

/// <summary>A mail of the case: whether it left (sent log), what SendGrid reported, and whether a captured copy can be read.</summary>
public sealed record CaseMail(string EffectId, string Template, DateTimeOffset At, string MessageKey, string Sent, string? Delivery, bool Captured);

/// <summary>Everything the case sent or handed over, for the case page and <c>GET /api/cases/{id}/documents</c>.</summary>
public sealed record CaseDocumentsView(IReadOnlyList<CaseLetter> Letters, IReadOnlyList<CaseMail> Mails, IReadOnlyList<string> Dossier);

/// <summary>
/// Reads a case's letters, mails and handover dossier from the outbox, the sent log, the case's
/// mail statuses and the documents and capture containers. Thread-safe.
/// </summary>
public sealed class CaseDocumentsQuery(CaseClient<CaseState, CaseMessage, CaseEvent> cases, DocumentStore documents, SentMailLog sentLog, StorageClients clients, TimeProvider time)
{
    private readonly CaptureMailTransport _capture = new(clients, time);

    /// <summary>The case's letters and mails in the order they were made, and the dossier files.</summary>
    public async Task<CaseDocumentsView> GetAsync(string caseId, CancellationToken cancellationToken = default)
    {
        var instance = await cases.GetAsync(caseId, includeTimeline: true, cancellationToken).ConfigureAwait(false);
        if (instance is null)
        {
            return new CaseDocumentsView([], [], []);
        }

        var state = string.IsNullOrEmpty(instance.Case.State) ? null : JsonSerializer.Deserialize<CaseState>(instance.Case.State, CaseJson.Options);
        var written = (await documents.ListAsync($"letters/{caseId}/", cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var sent = (await sentLog.ListAsync(caseId, cancellationToken).ConfigureAwait(false)).ToDictionary(e => e.EffectId, StringComparer.Ordinal);
        var captured = (await _capture.ListAsync(caseId, cancellationToken).ConfigureAwait(false)).Select(m => m.EffectId).ToHashSet(StringComparer.Ordinal);
        var letters = new List<CaseLetter>();
        var mails = new List<CaseMail>();
        foreach (var effect in instance.Effects.Where(e => e.Kind == "tenantMessage").OrderBy(e => e.Sequence).ThenBy(e => e.Index))
        {
            if (JsonSerializer.Deserialize<CaseEffect>(effect.Payload, CaseJson.Options) is not TenantMessage message)
            {
                continue;
            }

            if (message.Channel == Domain.Policies.Channel.Letter)
            {
                var name = DocumentNames.Letter(effect);
                letters.Add(new CaseLetter(effect.Id, message.Template, effect.CreatedAt, written.Contains(name) ? name : null));
            }
            else if (message.Channel == Domain.Policies.Channel.Mail)
            {
                var delivery = state?.Mails.FirstOrDefault(m => m.EffectId == effect.Id)?.Kind;
                mails.Add(new CaseMail(effect.Id, message.Template, effect.CreatedAt, OutgoingMail.MessageKeyOf(effect.Id),
                    SentText(sent.GetValueOrDefault(effect.Id)), delivery is { } d ? Dutch.MailEvent(d) : null, captured.Contains(effect.Id)));
            }
        }

        var dossier = await documents.ListAsync($"handover/{caseId}/", cancellationToken).ConfigureAwait(false);
        return new CaseDocumentsView(letters, mails, dossier);
    }

    /// <summary>A letter or dossier file of this case, or null (also for any name outside the case's own folders).</summary>
    public async Task<(BinaryData Content, string ContentType)?> DocumentAsync(string caseId, string name, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains("..", StringComparison.Ordinal)
            || !(name.StartsWith($"letters/{caseId}/", StringComparison.Ordinal) || name.StartsWith($"handover/{caseId}/", StringComparison.Ordinal)))
        {
            return null;
        }

        var content = await documents.ReadAsync(name, cancellationToken).ConfigureAwait(false);
        var type = Path.GetExtension(name) switch
        {
            ".pdf" => "application/pdf",
            ".json" => "application/json",
            ".csv" => "text/csv; charset=utf-8",
            _ => "application/octet-stream",
        };
        return content is null ? null : (content, type);
    }

    /// <summary>A mail kept in the capture container (no SendGrid key), or null.</summary>
    public Task<CapturedMail?> CapturedMailAsync(string caseId, string messageKey, CancellationToken cancellationToken = default) =>
        _capture.FindAsync(caseId, messageKey, cancellationToken);

    private static string SentText(SentMailEntry? entry) => entry?.Status switch
    {
        SentMailStatus.Sent when entry.Via == "capture" => "bewaard (niet verstuurd: geen SendGrid-sleutel)",
        SentMailStatus.Sent => "verstuurd",
        SentMailStatus.Skipped => "niet verstuurd: geen e-mailadres",
        SentMailStatus.Sending => "onzeker: controleer in SendGrid",
        _ => "wacht op verzending",
    };
}
