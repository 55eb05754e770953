using System.Globalization;
using System.Text.RegularExpressions;

namespace HuurIncasso.Integrations.Text;

/// <summary>
/// Reads amounts, dates and yes/no values as Dutch exports and people write them, without
/// depending on the machine's culture: <c>1.234,56</c>, <c>1234,56</c> and <c>1234.56</c> are
/// all EUR 1,234.56; <c>05-11-2026</c> and <c>2026-11-05</c> are both 5 November 2026.
/// </summary>
public static partial class DutchFormat
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "dd-MM-yyyy", "d-M-yyyy", "dd/MM/yyyy", "d/M/yyyy", "yyyyMMdd"];

    /// <summary>
    /// Parses an amount such as <c>2500</c>, <c>2500.00</c>, <c>2500,50</c>, <c>2.500,00</c>,
    /// <c>1,424.90</c>, <c>-45,10</c> or <c>€ 2.500</c>. Money has at most two decimals, so a
    /// separator followed by exactly three digits can only group thousands (<c>1.250</c> and
    /// <c>1,250</c> are both 1250); a separator followed by one or two digits at the end is the
    /// decimal one. Anything else (three decimals, mixed grouping, letters) is refused, so an
    /// amount is never silently read a thousand times too small or too large.
    /// </summary>
    public static bool TryParseAmount(string? text, out decimal amount)
    {
        amount = 0m;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim().Replace("€", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).Replace("\u00A0", "", StringComparison.Ordinal);
        var negative = s.StartsWith('-');
        if (negative) s = s[1..];

        string normalized;
        if (PlainAmount().Match(s) is { Success: true } plain)
        {
            normalized = plain.Groups["int"].Value + (plain.Groups["dec"].Success ? "." + plain.Groups["dec"].Value : "");
        }
        else if (GroupedAmount().Match(s) is { Success: true } grouped)
        {
            var groupSeparator = grouped.Groups["g"].Value;
            if (grouped.Groups["d"].Success && grouped.Groups["d"].Value == groupSeparator) return false;
            normalized = grouped.Groups["int"].Value.Replace(groupSeparator, "", StringComparison.Ordinal)
                + (grouped.Groups["dec"].Success ? "." + grouped.Groups["dec"].Value : "");
        }
        else
        {
            return false;
        }

        if (!decimal.TryParse(normalized, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount)) return false;
        if (negative) amount = -amount;
        return true;
    }

    /// <summary>Parses a date in ISO (<c>2026-11-05</c>) or Dutch (<c>05-11-2026</c>) order.</summary>
    public static bool TryParseDate(string? text, out DateOnly date)
    {
        date = default;
        return !string.IsNullOrWhiteSpace(text)
            && DateOnly.TryParseExact(text.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    /// <summary>Parses ja/nee, j/n, yes/no, true/false, 1/0 (any case).</summary>
    public static bool TryParseYesNo(string? text, out bool value)
    {
        value = false;
        switch (text?.Trim().ToUpperInvariant())
        {
            case "JA" or "J" or "YES" or "Y" or "TRUE" or "WAAR" or "1":
                value = true;
                return true;
            case "NEE" or "N" or "NO" or "FALSE" or "ONWAAR" or "0":
                return true;
            default:
                return false;
        }
    }

    /// <summary>An amount as Dutch readers expect it: <c>€ 1.234,56</c>.</summary>
    public static string Euro(decimal amount) => "€ " + amount.ToString("#,##0.00", Dutch);

    /// <summary>The Dutch culture, for output only (parsing above does not depend on it).</summary>
    public static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    [GeneratedRegex(@"^(?<int>\d+)(?:[.,](?<dec>\d{1,2}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainAmount();

    // The first group may not start with 0: "0.005" is three decimals, not five euros.
    [GeneratedRegex(@"^(?<int>[1-9]\d{0,2}(?<g>[.,])\d{3}(?:\k<g>\d{3})*)(?:(?<d>[.,])(?<dec>\d{1,2}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex GroupedAmount();
}
