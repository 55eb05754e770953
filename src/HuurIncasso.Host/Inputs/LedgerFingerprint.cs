using System.Security.Cryptography;
using System.Text.Json;
using HuurIncasso.Integrations.Ledger;
using HuurIncasso.Integrations.Tenants;

namespace HuurIncasso.Host.Inputs;

/// <summary>
/// Short fingerprints of what the ledger import writes, kept in the contract register so the
/// next import writes only what changed: most of 50,000 contracts are the same every month.
/// Thread-safe.
/// </summary>
public static class LedgerFingerprint
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The row's facts; the line is left out, so a row that only moved in the file is unchanged.</summary>
    public static string Of(LedgerRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return Hash(JsonSerializer.SerializeToUtf8Bytes(row with { Line = 0 }, Json));
    }

    /// <summary>The contact as the tenant directory holds it, case included.</summary>
    public static string Of(TenantContact contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        return Hash(JsonSerializer.SerializeToUtf8Bytes(contact, Json));
    }

    // 128 bits of SHA-256: a collision would skip one write, so chance must be nil, not merely small.
    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 16));
}
