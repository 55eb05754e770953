using HuurIncasso.Host.Cli;

namespace HuurIncasso.Host.Tests;

public sealed class EuroAmountTests
{
    [Theory]
    // One decimal after a comma.
    [InlineData("1,5", "1.5")]
    // One decimal after a point.
    [InlineData("1.5", "1.5")]
    // Millions in Dutch notation.
    [InlineData("1.234.567,89", "1234567.89")]
    // Millions in English notation.
    [InlineData("1,234,567.89", "1234567.89")]
    // Surrounding spaces from copy and paste.
    [InlineData("  2500  ", "2500")]
    public void TryParse_KnownNotation_ReadsTheAmount(string text, string expected)
    {
        Assert.True(EuroAmount.TryParse(text, out var amount));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), amount);
    }

    [Theory]
    // Mixed grouping separators.
    [InlineData("1.234,567.89")]
    // A minus sign: a principal is never negative.
    [InlineData("-5")]
    // Too large for a decimal.
    [InlineData("99999999999999999999999999999999")]
    public void TryParse_Unreadable_Refuses(string text)
    {
        Assert.False(EuroAmount.TryParse(text, out _));
    }

    [Theory]
    // Thousands dot, decimal comma.
    [InlineData("2500", "€ 2.500,00")]
    // Rounds half away from zero.
    [InlineData("0.005", "€ 0,01")]
    [InlineData("6775", "€ 6.775,00")]
    public void Format_Amount_DutchNotation(string amount, string expected)
    {
        Assert.Equal(expected, EuroAmount.Format(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
