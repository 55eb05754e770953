using System.Text.RegularExpressions;

namespace HuurIncasso.Integrations.Banking;

/// <summary>
/// The slash tags some banks (ABN AMRO) pack into <c>AddtlNtryInf</c>, such as
/// <c>/TRTP/SEPA OVERBOEKING/IBAN/NL..../NAME/J JANSEN/REMI/huur/EREF/NOTPROVIDED</c>.
/// </summary>
internal static partial class AdditionalEntryInfo
{
    /// <summary>The tags by name, values trimmed; empty when the text is not tagged.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string? text)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text))
        {
            return tags;
        }

        var trimmed = text.Trim();
        var matches = TagPattern().Matches(trimmed);
        if (matches.Count == 0 || matches[0].Index != 0)
        {
            return tags;
        }

        for (var i = 0; i < matches.Count; i++)
        {
            var start = matches[i].Index + matches[i].Length;
            var end = i + 1 < matches.Count ? matches[i + 1].Index : trimmed.Length;
            var value = trimmed[start..end].Trim().TrimEnd('/').Trim();
            tags.TryAdd(matches[i].Groups["tag"].Value, value);
        }

        return tags;
    }

    /// <summary>
    /// The remittance text and a structured reference inside a REMI value:
    /// <c>USTD//text/</c> is unstructured, <c>STRD/CUR/1234567/</c> a betalingskenmerk.
    /// </summary>
    public static (string? Text, string? Betalingskenmerk) SplitRemittance(string? remi)
    {
        if (string.IsNullOrWhiteSpace(remi))
        {
            return (null, null);
        }

        if (remi.StartsWith("USTD/", StringComparison.Ordinal))
        {
            var text = remi["USTD/".Length..].Trim('/').Trim();
            return (text.Length == 0 ? null : text, null);
        }

        if (remi.StartsWith("STRD/CUR/", StringComparison.Ordinal))
        {
            return (null, remi["STRD/CUR/".Length..].Trim('/').Trim());
        }

        return (remi, null);
    }

    [GeneratedRegex("/(?<tag>TRTP|CSID|NAME|MARF|REMI|IBAN|BIC|EREF|ORDP|BENM|RTRN|ISDT|SVCL|PREF|CNTP|ULTC|ULTD|PURP|ADDR)/", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();
}
