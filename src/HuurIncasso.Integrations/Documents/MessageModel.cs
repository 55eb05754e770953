using System.Collections.Immutable;
using System.Globalization;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Integrations.Tenants;

namespace HuurIncasso.Integrations.Documents;

/// <summary>
/// What a template sees: <c>corporation</c>, <c>tenant</c>, <c>caseId</c>, <c>channel</c>
/// ("mail", "letter"), <c>letterDate</c> (yyyy-MM-dd), <c>arrears</c> (a number), <c>data</c>
/// (the case's values, as the core wrote them: amounts "123.45", dates "yyyy-MM-dd") and
/// <c>schedule</c> (instalments from <c>data.schema</c>, empty when absent).
/// </summary>
public sealed record MessageModel(
    CorporationOptions Corporation,
    TenantContact Tenant,
    Channel Channel,
    DateOnly LetterDate,
    decimal Arrears,
    ImmutableDictionary<string, string> Data)
{
    /// <summary>The model as Liquid values (dictionaries, lists, strings, numbers).</summary>
    public IReadOnlyDictionary<string, object?> ToLiquid() => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["corporation"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name"] = Corporation.Name,
            ["street"] = Corporation.Street,
            ["postalCode"] = Corporation.PostalCode,
            ["city"] = Corporation.City,
            ["iban"] = Corporation.Iban,
            ["phone"] = Corporation.Phone,
            ["email"] = Corporation.Email,
            ["website"] = Corporation.Website,
        },
        ["tenant"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name"] = Tenant.Name,
            ["street"] = Tenant.Street,
            ["postalCode"] = Tenant.PostalCode,
            ["city"] = Tenant.City,
            ["email"] = Tenant.Email ?? "",
            ["contractNumber"] = Tenant.ContractNumber,
        },
        ["caseId"] = Tenant.CaseId,
        ["channel"] = Channel == Channel.Letter ? "letter" : Channel == Channel.Mail ? "mail" : "sms",
        ["letterDate"] = LetterDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["arrears"] = Arrears,
        ["data"] = Data.ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal),
        ["schedule"] = Schedule(Data),
    };

    /// <summary>
    /// Reads <c>data.schema</c>: "yyyy-MM-dd=amount" pairs separated by ';', in order.
    /// </summary>
    /// <exception cref="FormatException">A pair is not a date and an amount.</exception>
    public static IReadOnlyList<Dictionary<string, object?>> Schedule(ImmutableDictionary<string, string> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!data.TryGetValue("schema", out var schema) || string.IsNullOrWhiteSpace(schema))
        {
            return [];
        }

        var result = new List<Dictionary<string, object?>>();
        foreach (var pair in schema.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=');
            if (parts.Length != 2
                || !DateOnly.TryParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                || !decimal.TryParse(parts[1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                throw new FormatException($"data.schema: '{pair}' is not 'yyyy-MM-dd=amount'.");
            }

            result.Add(new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["number"] = result.Count + 1,
                ["dueDate"] = parts[0],
                ["amount"] = amount,
            });
        }

        return result;
    }
}
