using System.Text.Json;
using static HuurIncasso.Host.Tests.CommandLineRunner;

namespace HuurIncasso.Host.Tests;

public sealed class WikCommandTests
{
    [Theory]
    // Plain digits.
    [InlineData("2500")]
    // Decimal point, as a spreadsheet exports it.
    [InlineData("2500.00")]
    // Dutch notation with a thousands dot and decimal comma.
    [InlineData("2.500,00")]
    // English notation with a thousands comma.
    [InlineData("2,500.00")]
    // Thousands dot without decimals: three digits after a separator can only group thousands.
    [InlineData("2.500")]
    // With the euro sign pasted from a letter.
    [InlineData("€ 2.500,00")]
    public async Task Wik_AmountInAnyNotation_Prints375(string amount)
    {
        var (exit, output, error) = await RunAsync("wik", amount);

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains("hoofdsom van € 2.500,00", output, StringComparison.Ordinal);
        Assert.Contains("€ 375,00", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wik_DecimalComma_ReadsCents()
    {
        // 375 + 10 % of 0.50.
        var (exit, output, _) = await RunAsync("wik", "2500,50");

        Assert.Equal(0, exit);
        Assert.Contains("€ 375,05", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wik_Plain_ShowsEachBracketAndTheTotal()
    {
        var (exit, output, _) = await RunAsync("wik", "12000");

        Assert.Equal(0, exit);
        var lines = output.Split('\n').Select(line => line.TrimEnd()).ToArray();
        Assert.Contains(lines, line => line.StartsWith("€ 0,00 tot € 2.500,00", StringComparison.Ordinal) && line.Contains("15 %", StringComparison.Ordinal) && line.EndsWith("€ 375,00", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("€ 10.000,00 tot € 200.000,00", StringComparison.Ordinal) && line.Contains("€ 2.000,00", StringComparison.Ordinal) && line.EndsWith("€ 20,00", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("Incassokosten", StringComparison.Ordinal) && line.EndsWith("€ 895,00", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Wik_SmallAmount_SaysTheMinimumApplies()
    {
        var (_, output, _) = await RunAsync("wik", "100");

        Assert.Contains("minimum van € 40,00", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wik_HugeAmount_SaysTheMaximumApplies()
    {
        var (_, output, _) = await RunAsync("wik", "2000000");

        Assert.Contains("maximum van € 6.775,00", output, StringComparison.Ordinal);
        Assert.Contains("boven € 200.000,00", output, StringComparison.Ordinal);
        Assert.Contains("0,5 %", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wik_Json_PrintsNumbersWithTwoDecimals()
    {
        var (exit, output, _) = await RunAsync("wik", "2500", "--json");

        Assert.Equal(0, exit);
        Assert.Contains("\"principal\": 2500.00", output, StringComparison.Ordinal);
        Assert.Contains("\"collectionCosts\": 375.00", output, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        Assert.Equal(JsonValueKind.Number, root.GetProperty("principal").ValueKind);
        Assert.Equal(375.00m, root.GetProperty("collectionCosts").GetDecimal());
        var bracket = Assert.Single(root.GetProperty("brackets").EnumerateArray());
        Assert.Equal(15m, bracket.GetProperty("ratePercent").GetDecimal());
        Assert.Equal(2500m, bracket.GetProperty("to").GetDecimal());
    }

    [Fact]
    public async Task Wik_JsonAboveTopBracket_HasOpenUpperBound()
    {
        var (_, output, _) = await RunAsync("wik", "300000", "--json");

        using var document = JsonDocument.Parse(output);
        var top = document.RootElement.GetProperty("brackets").EnumerateArray().Last();
        Assert.Equal(JsonValueKind.Null, top.GetProperty("to").ValueKind);
        Assert.Equal(3275m, document.RootElement.GetProperty("collectionCosts").GetDecimal());
    }

    [Fact]
    public async Task Wik_Zero_SaysNoCosts()
    {
        var (exit, output, _) = await RunAsync("wik", "0");

        Assert.Equal(0, exit);
        Assert.Contains("geen incassokosten", output, StringComparison.Ordinal);
    }

    [Theory]
    // Letters.
    [InlineData("tweeduizend")]
    // Three decimals are not money.
    [InlineData("2500.005")]
    // The same separator for thousands and decimals.
    [InlineData("2.500.00")]
    // Groups that are not of three.
    [InlineData("25.00.00")]
    // Nothing.
    [InlineData("")]
    // A minus sign: a principal is never negative.
    [InlineData("-5")]
    public async Task Wik_BadAmount_DutchErrorAndExit2(string amount)
    {
        var (exit, output, error) = await RunAsync("wik", amount);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains($"Ongeldig bedrag '{amount}'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wik_NoAmount_UsageErrorExit2()
    {
        var (exit, _, error) = await RunAsync("wik");

        Assert.Equal(2, exit);
        Assert.Contains("Usage:", error, StringComparison.Ordinal);
    }
}
