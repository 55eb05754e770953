using System.Globalization;
using HuurIncasso.Integrations.Text;

namespace HuurIncasso.Host.Cli;

/// <summary>
/// Reads and writes euro amounts on the command line the same way on every machine, whatever
/// its culture: people type both "2.500,00" and "2500.00".
/// </summary>
internal static class EuroAmount
{
    /// <summary>
    /// Parses a positive amount as <see cref="DutchFormat.TryParseAmount"/> reads it (the one
    /// rule for amounts in files and on the command line); a negative amount is refused.
    /// </summary>
    public static bool TryParse(string? text, out decimal amount) =>
        DutchFormat.TryParseAmount(text, out amount) && amount >= 0m && !text!.TrimStart().StartsWith('-');

    /// <summary>Dutch notation with the euro sign: <c>€ 2.500,00</c>.</summary>
    public static string Format(decimal amount) => DutchFormat.Euro(Cents(amount));

    /// <summary>A percentage in Dutch notation: <c>15 %</c>, <c>0,5 %</c>.</summary>
    public static string FormatPercent(decimal percent) =>
        percent.ToString("0.##", CultureInfo.InvariantCulture).Replace('.', ',') + " %";

    /// <summary>Rounded to cents with at least two decimals kept, so JSON shows <c>2500.00</c>.</summary>
    public static decimal Cents(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero) + 0.00m;
}
