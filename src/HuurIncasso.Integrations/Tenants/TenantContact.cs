namespace HuurIncasso.Integrations.Tenants;

/// <summary>
/// The contract facts of the tenant of a case, as the ERP knows them: who to write to and how
/// to reach them. Kept outside the case's events on purpose: contact data changes, and the
/// case's audit trail should not be full of personal data.
/// </summary>
/// <param name="CaseId">The case (one contract) these facts belong to.</param>
/// <param name="ContractNumber">The rent contract number, also the tenant's payment reference.</param>
/// <param name="Name">Name as used in a salutation and on the envelope, e.g. "J. de Vries".</param>
/// <param name="Email">E-mail address, or null when the tenant has none (then mails cannot go).</param>
public sealed record TenantContact(
    string CaseId,
    string ContractNumber,
    string Name,
    string Street,
    string PostalCode,
    string City,
    string? Email = null,
    string? Phone = null,
    DateOnly? DateOfBirth = null);

/// <summary>Where handlers find the tenant's contact facts of a case. Thread-safe.</summary>
public interface ITenantDirectory
{
    /// <summary>The facts of the tenant of <paramref name="caseId"/>, or null when unknown.</summary>
    Task<TenantContact?> FindAsync(string caseId, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces the facts of one case (the ledger import calls this).</summary>
    Task SetAsync(TenantContact contact, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds or replaces the facts of many cases; a case given twice keeps the last. The default
    /// sets them one by one; a store that can write many at once (Table storage: 100 per
    /// transaction) does so. Not atomic as a whole: after a failure some may be set.
    /// </summary>
    async Task SetManyAsync(IReadOnlyList<TenantContact> contacts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        foreach (var contact in contacts)
        {
            await SetAsync(contact, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>The contact facts of a case are not known, so nothing can be sent to the tenant.</summary>
public sealed class TenantContactMissingException(string caseId)
    : Exception($"No tenant contact data for case {caseId}: the ledger import has not delivered name and address yet. The effect will be retried.")
{
    /// <summary>The case.</summary>
    public string CaseId { get; } = caseId;
}
