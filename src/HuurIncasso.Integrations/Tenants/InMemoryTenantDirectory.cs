using System.Collections.Concurrent;

namespace HuurIncasso.Integrations.Tenants;

/// <summary>Tenant contact facts in memory, for tests and the simulation. Thread-safe.</summary>
public sealed class InMemoryTenantDirectory : ITenantDirectory
{
    private readonly ConcurrentDictionary<string, TenantContact> _contacts = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<TenantContact?> FindAsync(string caseId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_contacts.TryGetValue(caseId, out var contact) ? contact : null);

    /// <inheritdoc />
    public Task SetAsync(TenantContact contact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contact);
        _contacts[contact.CaseId] = contact;
        return Task.CompletedTask;
    }
}
