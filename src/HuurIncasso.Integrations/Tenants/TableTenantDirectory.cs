using System.Globalization;
using Azure;
using Azure.Data.Tables;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Engine;

namespace HuurIncasso.Integrations.Tenants;

/// <summary>
/// Tenant contact facts in the tenants table: one row per case in one partition (partition key
/// <c>contact</c>, row key the case id), so a handler reads it with one point query and the
/// monthly ledger import writes 100 cases per transaction. Rows of the first layout (partition
/// key the case id, row key <c>contact</c>) are still found. Thread-safe.
/// </summary>
public sealed class TableTenantDirectory(StorageClients clients) : ITenantDirectory
{
    private const string Partition = "contact";
    private const string LegacyRowKey = "contact";
    private const int BatchSize = 100;
    private const int ParallelBatches = 4;
    private readonly TableClient _table = clients.Tables.GetTableClient(clients.Names.TenantsTable);

    /// <inheritdoc />
    public async Task<TenantContact?> FindAsync(string caseId, CancellationToken cancellationToken = default)
    {
        Check.CaseId(caseId);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, caseId, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue)
        {
            // Written before the contacts shared one partition; the next import that touches the case rewrites it.
            response = await _table.GetEntityIfExistsAsync<TableEntity>(caseId, LegacyRowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        if (!response.HasValue || response.Value is not { } row)
        {
            return null;
        }

        return new TenantContact(
            caseId,
            row.GetString("ContractNumber") ?? "",
            row.GetString("Name") ?? "",
            row.GetString("Street") ?? "",
            row.GetString("PostalCode") ?? "",
            row.GetString("City") ?? "",
            row.GetString("Email"),
            row.GetString("Phone"),
            row.GetString("DateOfBirth") is { Length: > 0 } born ? DateOnly.ParseExact(born, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null);
    }

    /// <inheritdoc />
    public Task SetAsync(TenantContact contact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contact);
        return WithTableAsync(() => _table.UpsertEntityAsync(ToEntity(contact), TableUpdateMode.Replace, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>One entity-group transaction per 100 cases, four at a time; each transaction is all or nothing.</remarks>
    public async Task SetManyAsync(IReadOnlyList<TenantContact> contacts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        // A transaction may not hold one row twice: the last facts of a case win.
        var rows = contacts.GroupBy(c => c.CaseId, StringComparer.Ordinal).Select(g => ToEntity(g.Last())).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        await WithTableAsync(
            () => Parallel.ForEachAsync(
                rows.Chunk(BatchSize),
                new ParallelOptions { MaxDegreeOfParallelism = ParallelBatches, CancellationToken = cancellationToken },
                async (chunk, ct) => await _table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), ct).ConfigureAwait(false)),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task WithTableAsync(Func<Task> write, CancellationToken cancellationToken)
    {
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // The table is made by the provisioner; a directory used before that makes it itself. Writes are upserts, so repeating them is harmless.
            await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            await write().ConfigureAwait(false);
        }
    }

    private static TableEntity ToEntity(TenantContact contact) => new(Partition, Check.CaseId(contact.CaseId))
    {
        ["ContractNumber"] = contact.ContractNumber,
        ["Name"] = contact.Name,
        ["Street"] = contact.Street,
        ["PostalCode"] = contact.PostalCode,
        ["City"] = contact.City,
        ["Email"] = contact.Email,
        ["Phone"] = contact.Phone,
        ["DateOfBirth"] = contact.DateOfBirth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };
}
