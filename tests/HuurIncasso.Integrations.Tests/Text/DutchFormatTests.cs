using HuurIncasso.Integrations.Text;

namespace HuurIncasso.Integrations.Tests.Text;

public sealed class DutchFormatTests
{
    [Theory]
    [InlineData("712,45", 712.45)]       // Dutch decimal comma
    [InlineData("1.424,90", 1424.90)]    // Dutch thousands dot and decimal comma
    [InlineData("1,424.90", 1424.90)]    // English export
    [InlineData("1424.90", 1424.90)]     // plain decimal point
    [InlineData("1.250", 1250)]          // a dot followed by three digits is a Dutch thousands separator
    [InlineData("1.250.000", 1250000)]   // several thousands groups
    [InlineData("-45,10", -45.10)]       // credit balance
    [InlineData("€ 2.500,00", 2500)]     // with the euro sign, as people type it
    [InlineData("12.5", 12.5)]           // one decimal
    [InlineData("1,250", 1250)]          // money has two decimals at most, so three digits group thousands
    [InlineData("-1.250,5", -1250.5)]    // credit balance with grouping
    public void TryParseAmount_AcceptedForms_ReadTheAmount(string text, decimal expected)
    {
        Assert.True(DutchFormat.TryParseAmount(text, out var amount));
        Assert.Equal(expected, amount);
    }

    [Theory]
    [InlineData("")]
    [InlineData("zeven")]
    [InlineData("1,234,56")]   // two decimal commas
    [InlineData("1.23.4")]     // broken thousands groups
    [InlineData("12,5,")]
    [InlineData("0.005")]      // three decimals, not five euros
    [InlineData("1,2345")]     // neither two decimals nor a group of three
    [InlineData("1.234,567")]  // three decimals after grouping
    public void TryParseAmount_NotAnAmount_ReturnsFalse(string text)
    {
        Assert.False(DutchFormat.TryParseAmount(text, out _));
    }

    [Theory]
    [InlineData("05-11-2026")]
    [InlineData("5-11-2026")]
    [InlineData("2026-11-05")]
    [InlineData("05/11/2026")]
    public void TryParseDate_DutchAndIsoOrder_ReadFifthOfNovember(string text)
    {
        Assert.True(DutchFormat.TryParseDate(text, out var date));
        Assert.Equal(new DateOnly(2026, 11, 5), date);
    }

    [Fact]
    public void TryParseDate_ImpossibleDate_ReturnsFalse()
    {
        Assert.False(DutchFormat.TryParseDate("31-02-2026", out _));
    }

    [Fact]
    public void Euro_FormatsTheDutchWay()
    {
        Assert.Equal("€ 1.234,56", DutchFormat.Euro(1234.56m));
    }
}
