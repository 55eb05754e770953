using System.Globalization;
using Azure;
using Azure.Data.Tables;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Engine;

namespace HuurIncasso.Integrations.Tenants;

/// <summary>
/// Tenant contact facts in the tenants table: one row per case (partition key = case id,
/// row key "contact"), so a handler reads it with one point query. Thread-safe.
/// </summary>
public sealed class TableTenantDirectory(StorageClients clients) : ITenantDirectory
{
    private const string RowKey = "contact";
    private readonly TableClient _table = clients.Tables.GetTableClient(clients.Names.TenantsTable);

    /// <inheritdoc />
    public async Task<TenantContact?> FindAsync(string caseId, CancellationToken cancellationToken = default)
    {
        Check.CaseId(caseId);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(caseId, RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
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
    public async Task SetAsync(TenantContact contact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contact);
        Check.CaseId(contact.CaseId);
        var row = new TableEntity(contact.CaseId, RowKey)
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
        try
        {
            await _table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            await _table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
    }
}
