using Azure;
using Azure.Data.Tables;
using HuurIncasso.Azure.Storage;

namespace HuurIncasso.Integrations.Mail;

/// <summary>Where the mail of one effect is.</summary>
public enum SentMailStatus
{
    /// <summary>Intent recorded, the mail is being handed to the provider (or a crash left it here).</summary>
    Sending,

    /// <summary>The provider accepted the mail.</summary>
    Sent,

    /// <summary>Nothing to send: the tenant has no e-mail address.</summary>
    Skipped,
}

/// <summary>One row of the sent log.</summary>
public sealed record SentMailEntry(
    string CaseId,
    string EffectId,
    string MessageKey,
    SentMailStatus Status,
    string Template,
    DateTimeOffset StartedAt,
    DateTimeOffset? CompletedAt,
    string Via,
    string ProviderMessageId,
    ETag ETag);

/// <summary>
/// The sent log: one row per mail effect (partition = case id, row key = the message key
/// derived from the effect id). A handler writes the row with status Sending BEFORE it hands
/// the mail over, and Sent after; the insert fails when a row exists, so two workers never
/// both send. A row left in Sending means "may have gone out": see
/// <see cref="MailDeliveryUncertainException"/>. Thread-safe.
/// </summary>
public sealed class SentMailLog(StorageClients clients, TimeProvider time)
{
    private readonly TableClient _table = clients.Tables.GetTableClient(clients.Names.SentMailTable);
    private int _created;

    /// <summary>The row of an effect, or null.</summary>
    public async Task<SentMailEntry?> FindAsync(string caseId, string effectId, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(caseId, OutgoingMail.MessageKeyOf(effectId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue && response.Value is { } row ? FromRow(row) : null;
    }

    /// <summary>Records the intent to send; null when another attempt recorded it first.</summary>
    public async Task<SentMailEntry?> BeginAsync(string caseId, string effectId, string template, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var row = new TableEntity(caseId, OutgoingMail.MessageKeyOf(effectId))
        {
            ["EffectId"] = effectId,
            ["Status"] = nameof(SentMailStatus.Sending),
            ["Template"] = template,
            ["StartedAt"] = time.GetUtcNow(),
        };
        try
        {
            var response = await _table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
            row.ETag = response.Headers.ETag ?? ETag.All;
            return FromRow(row);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return null;
        }
    }

    /// <summary>Takes over a Sending row (only for transports where a repeat is harmless).</summary>
    public async Task<SentMailEntry> RestartAsync(SentMailEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var row = ToRow(entry with { StartedAt = time.GetUtcNow() });
        var response = await _table.UpdateEntityAsync(row, entry.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        return entry with { StartedAt = (DateTimeOffset)row["StartedAt"], ETag = response.Headers.ETag ?? ETag.All };
    }

    /// <summary>Records how the attempt ended.</summary>
    /// <exception cref="RequestFailedException">412: someone else changed the row meanwhile.</exception>
    public async Task<SentMailEntry> CompleteAsync(SentMailEntry entry, SentMailStatus status, MailReceipt? receipt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var done = entry with
        {
            Status = status,
            CompletedAt = time.GetUtcNow(),
            Via = receipt?.Via ?? "",
            ProviderMessageId = receipt?.ProviderMessageId ?? "",
        };
        var response = await _table.UpdateEntityAsync(ToRow(done), entry.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        return done with { ETag = response.Headers.ETag ?? ETag.All };
    }

    /// <summary>Removes the intent after the provider certainly did not take the mail, so a retry sends it.</summary>
    public async Task ForgetAsync(SentMailEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        try
        {
            await _table.DeleteEntityAsync(entry.CaseId, entry.MessageKey, entry.ETag, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already gone: the outcome we wanted.
        }
    }

    /// <summary>
    /// A person's verdict on an uncertain mail (after looking it up in SendGrid): sent, or not
    /// sent (the row goes, and the next attempt sends it).
    /// </summary>
    /// <returns>False when there is no row in Sending for the effect.</returns>
    public async Task<bool> ResolveAsync(string caseId, string effectId, bool wasSent, CancellationToken cancellationToken = default)
    {
        var entry = await FindAsync(caseId, effectId, cancellationToken).ConfigureAwait(false);
        if (entry is not { Status: SentMailStatus.Sending })
        {
            return false;
        }

        if (wasSent)
        {
            await CompleteAsync(entry, SentMailStatus.Sent, new MailReceipt("confirmed-by-person", ""), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await ForgetAsync(entry, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>All rows of a case, for the case view.</summary>
    public async Task<IReadOnlyList<SentMailEntry>> ListAsync(string caseId, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<SentMailEntry>();
        await foreach (var row in _table.QueryAsync<TableEntity>(r => r.PartitionKey == caseId, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(FromRow(row));
        }

        return result;
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        // Provisioning at start normally made it; this costs one call per process, not per mail.
        if (Interlocked.Exchange(ref _created, 1) == 0)
        {
            await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static SentMailEntry FromRow(TableEntity row) => new(
        row.PartitionKey,
        row.GetString("EffectId") ?? "",
        row.RowKey,
        Enum.Parse<SentMailStatus>(row.GetString("Status") ?? nameof(SentMailStatus.Sending)),
        row.GetString("Template") ?? "",
        row.GetDateTimeOffset("StartedAt") ?? DateTimeOffset.MinValue,
        row.GetDateTimeOffset("CompletedAt"),
        row.GetString("Via") ?? "",
        row.GetString("ProviderMessageId") ?? "",
        row.ETag);

    private static TableEntity ToRow(SentMailEntry entry) => new(entry.CaseId, entry.MessageKey)
    {
        ["EffectId"] = entry.EffectId,
        ["Status"] = entry.Status.ToString(),
        ["Template"] = entry.Template,
        ["StartedAt"] = entry.StartedAt,
        ["CompletedAt"] = entry.CompletedAt,
        ["Via"] = entry.Via,
        ["ProviderMessageId"] = entry.ProviderMessageId,
    };
}
