using System.Globalization;

namespace HuurIncasso.Integrations.Text;

/// <summary>
/// Reads amounts, dates and yes/no values as Dutch exports and people write them, without
/// depending on the machine's culture: <c>1.234,56</c>, <c>1234,56</c> and <c>1234.56</c> are
/// all EUR 1,234.56; <c>05-11-2026</c> and <c>2026-11-05</c> are both 5 November 2026.
/// </summary>
public static class DutchFormat
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "dd-MM-yyyy", "d-M-yyyy", "dd/MM/yyyy", "d/M/yyyy", "yyyyMMdd"];

    /// <summary>
    /// Parses an amount. With both '.' and ',' the last one is the decimal separator. With
    /// only ',' it is the decimal comma. With only '.', a dot followed by exactly three digits
    /// is read as a Dutch thousands separator (<c>1.250</c> = 1250) and otherwise as a decimal
    /// point (<c>12.5</c>, <c>1250.00</c>). A leading '-' or '€' is allowed.
    /// </summary>
    public static bool TryParseAmount(string? text, out decimal amount)
    {
        amount = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim().Replace("€", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).Replace("\u00A0", "", StringComparison.Ordinal);
        if (s.Length == 0) return false;

        var lastComma = s.LastIndexOf(',');
        var lastDot = s.LastIndexOf('.');
        string normalized;
        if (lastComma >= 0 && lastDot >= 0)
        {
            normalized = lastComma > lastDot
                ? s.Replace(".", "", StringComparison.Ordinal).Replace(',', '.')
                : s.Replace(",", "", StringComparison.Ordinal);
        }
        else if (lastComma >= 0)
        {
            if (s.IndexOf(',') != lastComma) return false; // "1,234,56" is not an amount
            normalized = s.Replace(',', '.');
        }
        else if (lastDot >= 0)
        {
            var digitsAfter = s.Length - lastDot - 1;
            var dots = s.Count(c => c == '.');
            normalized = digitsAfter == 3 || dots > 1 ? s.Replace(".", "", StringComparison.Ordinal) : s;
            if (dots > 1 && !AllGroupsOfThree(s)) return false;
        }
        else
        {
            normalized = s;
        }

        return decimal.TryParse(normalized, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount);
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

    private static bool AllGroupsOfThree(string s)
    {
        var parts = s.TrimStart('-').Split('.');
        return parts[0].Length is >= 1 and <= 3 && parts.Skip(1).All(p => p.Length == 3);
    }
}
