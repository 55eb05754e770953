using System.Globalization;
using System.Text.RegularExpressions;

namespace HuurIncasso.Host.Cli;

/// <summary>
/// Reads and writes euro amounts on the command line the same way on every machine, whatever
/// its culture: people type both "2.500,00" and "2500.00".
/// </summary>
internal static partial class EuroAmount
{
    /// <summary>
    /// Parses an amount such as <c>2500</c>, <c>2500.00</c>, <c>2500,50</c>, <c>2.500,00</c> or
    /// <c>€ 2.500</c>. Money has at most two decimals, so a separator followed by exactly three
    /// digits can only group thousands; a separator followed by one or two digits at the end is
    /// the decimal one. Anything else (three decimals, mixed grouping, letters) is refused.
    /// </summary>
    public static bool TryParse(string? text, out decimal amount)
    {
        amount = 0m;
        if (text is null)
        {
            return false;
        }

        var trimmed = text.Trim();
        if (trimmed.StartsWith('€'))
        {
            trimmed = trimmed[1..].TrimStart();
        }

        string normalized;
        if (Plain().Match(trimmed) is { Success: true } plain)
        {
            normalized = plain.Groups["int"].Value + (plain.Groups["dec"].Success ? "." + plain.Groups["dec"].Value : "");
        }
        else if (Grouped().Match(trimmed) is { Success: true } grouped)
        {
            var groupSeparator = grouped.Groups["g"].Value;
            if (grouped.Groups["d"].Success && grouped.Groups["d"].Value == groupSeparator)
            {
                return false;
            }

            normalized = grouped.Groups["int"].Value.Replace(groupSeparator, "", StringComparison.Ordinal)
                + (grouped.Groups["dec"].Success ? "." + grouped.Groups["dec"].Value : "");
        }
        else
        {
            return false;
        }

        return decimal.TryParse(normalized, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount);
    }

    /// <summary>Dutch notation with the euro sign: <c>€ 2.500,00</c>.</summary>
    public static string Format(decimal amount)
    {
        var invariant = Cents(amount).ToString("#,##0.00", CultureInfo.InvariantCulture);
        var dutch = invariant.Replace(',', ' ').Replace('.', ',').Replace(' ', '.');
        return "€ " + dutch;
    }

    /// <summary>A percentage in Dutch notation: <c>15 %</c>, <c>0,5 %</c>.</summary>
    public static string FormatPercent(decimal percent) =>
        percent.ToString("0.##", CultureInfo.InvariantCulture).Replace('.', ',') + " %";

    /// <summary>Rounded to cents with at least two decimals kept, so JSON shows <c>2500.00</c>.</summary>
    public static decimal Cents(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero) + 0.00m;

    [GeneratedRegex(@"^(?<int>\d+)(?:[.,](?<dec>\d{1,2}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Plain();

    [GeneratedRegex(@"^(?<int>\d{1,3}(?<g>[.,])\d{3}(?:\k<g>\d{3})*)(?:(?<d>[.,])(?<dec>\d{1,2}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Grouped();
}
