using System.Globalization;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Integrations.Tenants;

namespace HuurIncasso.Integrations.Exports;

/// <summary>
/// One referral of a tenant to a partner, with the tenant's facts as they were when the
/// referral was made (the list is proof of what was passed on, see LEGAL.md "Early signalling").
/// </summary>
public sealed record ReferralRecord(
    string CaseId,
    string EffectId,
    Partner Partner,
    DateOnly ReferredOn,
    decimal Arrears,
    int MonthsInArrears,
    TenantContact Tenant)
{
    /// <summary>The field names a list may have, and how each is written.</summary>
    public static IReadOnlyDictionary<string, Func<ReferralRecord, string>> Fields { get; } =
        new Dictionary<string, Func<ReferralRecord, string>>(StringComparer.Ordinal)
        {
            ["caseId"] = r => r.CaseId,
            ["partner"] = r => r.Partner.ToString(),
            ["referredOn"] = r => r.ReferredOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["name"] = r => r.Tenant.Name,
            ["street"] = r => r.Tenant.Street,
            ["postalCode"] = r => r.Tenant.PostalCode,
            ["city"] = r => r.Tenant.City,
            ["dateOfBirth"] = r => r.Tenant.DateOfBirth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
            ["phone"] = r => r.Tenant.Phone ?? "",
            ["email"] = r => r.Tenant.Email ?? "",
            ["arrears"] = r => r.Arrears.ToString("0.00", CultureInfo.InvariantCulture),
            ["monthsInArrears"] = r => r.MonthsInArrears.ToString(CultureInfo.InvariantCulture),
            ["contractNumber"] = r => r.Tenant.ContractNumber,
        };
}
