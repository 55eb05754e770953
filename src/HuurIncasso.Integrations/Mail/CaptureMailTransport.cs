using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using HuurIncasso.Azure.Storage;

namespace HuurIncasso.Integrations.Mail;

/// <summary>
/// Keeps mails in the mail capture container instead of sending them, as
/// <c>{caseId}/{messageKey}.json</c>: the same mail always lands on the same blob, so a repeat
/// changes nothing. A UI can list the container to show what would have been sent. Thread-safe.
/// </summary>
public sealed class CaptureMailTransport(StorageClients clients, TimeProvider time) : IMailTransport
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly BlobContainerClient _container = clients.Blobs.GetBlobContainerClient(clients.Names.MailCaptureContainer);
    private int _created;

    /// <inheritdoc />
    public bool IsIdempotent => true;

    /// <summary>The blob name of a captured mail.</summary>
    public static string BlobName(string caseId, string messageKey) => $"{caseId}/{messageKey}.json";

    /// <summary>The captured mails, of one case or (no case id) of all cases, in name order; for a UI that shows what would have been sent.</summary>
    public async Task<IReadOnlyList<CapturedMail>> ListAsync(string? caseId = null, CancellationToken cancellationToken = default)
    {
        var mails = new List<CapturedMail>();
        try
        {
            await foreach (var item in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, caseId is null ? null : caseId + "/", cancellationToken).ConfigureAwait(false))
            {
                var content = await _container.GetBlobClient(item.Name).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
                if (content.Value.Content.ToObjectFromJson<CapturedMail>(Json) is { } mail)
                {
                    mails.Add(mail);
                }
            }
        }
        catch (global::Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            return [];
        }

        return mails;
    }

    /// <summary>One captured mail, or null when there is none with that key.</summary>
    public async Task<CapturedMail?> FindAsync(string caseId, string messageKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caseId);
        ArgumentException.ThrowIfNullOrWhiteSpace(messageKey);
        try
        {
            var content = await _container.GetBlobClient(BlobName(caseId, messageKey)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToObjectFromJson<CapturedMail>(Json);
        }
        catch (global::Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<MailReceipt> SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mail);
        if (Interlocked.Exchange(ref _created, 1) == 0)
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var captured = new CapturedMail(mail.EffectId, mail.CaseId, mail.Template, mail.MessageKey, mail.ToAddress, mail.ToName, mail.Subject, mail.Text, time.GetUtcNow());
        var name = BlobName(mail.CaseId, mail.MessageKey);
        await _container.GetBlobClient(name).UploadAsync(
            BinaryData.FromObjectAsJson(captured, Json),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json; charset=utf-8" } },
            cancellationToken).ConfigureAwait(false);
        return new MailReceipt("capture", name);
    }
}

/// <summary>A mail as kept in the capture container.</summary>
public sealed record CapturedMail(string EffectId, string CaseId, string Template, string MessageKey, string To, string ToName, string Subject, string Text, DateTimeOffset CapturedAt);
