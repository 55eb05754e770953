using HuurIncasso.Domain.Statutory;

namespace HuurIncasso.Domain.Tests.Statutory;

public sealed class WikCollectionCostsTests
{
    [Theory]
    // A small claim: the staffel gives 15.00, the EUR 40 minimum applies.
    [InlineData("100", "40.00", true, false)]
    // Exactly 39.999 by the staffel: still the minimum (flag on), and never 39.99.
    [InlineData("266.66", "40.00", true, false)]
    // The decree's break-even: 15 % of 266.67 is 40.0005, so the minimum no longer binds.
    [InlineData("266.67", "40.00", false, false)]
    // A typical rent arrears of two months.
    [InlineData("1234.56", "185.18", false, false)]
    // Top of the first bracket: 15 % of 2,500.
    [InlineData("2500", "375.00", false, false)]
    // One cent into the second bracket: 375 + 0.001, rounded down.
    [InlineData("2500.01", "375.00", false, false)]
    // Half a cent in the second bracket: 375.005 rounds away from zero.
    [InlineData("2500.05", "375.01", false, false)]
    // Into the second bracket: 375 + 10 % of 500.
    [InlineData("3000", "425.00", false, false)]
    // Top of the second bracket: 375 + 250.
    [InlineData("5000", "625.00", false, false)]
    // Top of the third bracket: 375 + 250 + 250.
    [InlineData("10000", "875.00", false, false)]
    // Top of the fourth bracket: 875 + 1 % of 190,000.
    [InlineData("200000", "2775.00", false, false)]
    // Where 0.5 % of the rest reaches the maximum exactly: not yet capped.
    [InlineData("1000000", "6775.00", false, false)]
    // One cent above: the staffel gives 6,775.00005, capped (flag on).
    [InlineData("1000000.01", "6775.00", false, true)]
    // Far above: the EUR 6,775 maximum.
    [InlineData("2000000", "6775.00", false, true)]
    public void Calculate_Principal_FollowsTheStaffel(string principal, string expected, bool minimumApplied, bool maximumApplied)
    {
        var result = WikCollectionCosts.Calculate(decimal.Parse(principal, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), result.CollectionCosts);
        Assert.Equal(minimumApplied, result.MinimumApplied);
        Assert.Equal(maximumApplied, result.MaximumApplied);
    }

    [Fact]
    public void Calculate_ZeroPrincipal_NoCostsAndNoMinimum()
    {
        var result = WikCollectionCosts.Calculate(0m);

        Assert.Equal(0m, result.CollectionCosts);
        Assert.False(result.MinimumApplied);
        Assert.Empty(result.Brackets);
    }

    [Fact]
    public void Calculate_NegativePrincipal_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WikCollectionCosts.Calculate(-0.01m));
    }

    [Fact]
    public void Calculate_PrincipalInFourthBracket_ListsEachBracketWithItsBaseAndAmount()
    {
        var result = WikCollectionCosts.Calculate(12_000m);

        Assert.Equal(
            [
                new WikBracketAmount(0m, 2_500m, 15m, 2_500m, 375m),
                new WikBracketAmount(2_500m, 5_000m, 10m, 2_500m, 250m),
                new WikBracketAmount(5_000m, 10_000m, 5m, 5_000m, 250m),
                new WikBracketAmount(10_000m, 200_000m, 1m, 2_000m, 20m),
            ],
            result.Brackets);
        Assert.Equal(895m, result.CollectionCosts);
        Assert.Equal(result.Principal, result.Brackets.Sum(b => b.BaseInBracket));
    }

    [Fact]
    public void Calculate_PrincipalInTopBracket_TopBracketIsOpen()
    {
        var result = WikCollectionCosts.Calculate(300_000m);

        var top = result.Brackets[^1];
        Assert.Null(top.To);
        Assert.Equal(0.5m, top.RatePercent);
        Assert.Equal(100_000m, top.BaseInBracket);
        Assert.Equal(3_275m, result.CollectionCosts);
    }

    [Theory]
    // 21 % on a round amount.
    [InlineData("2500", "21", "78.75")]
    // 21 % on the minimum.
    [InlineData("100", "21", "8.40")]
    // 21 % of 185.18 is 38.8878: rounded to cents.
    [InlineData("1234.56", "21", "38.89")]
    // Zero rate (the default: a corporation may deduct no VAT on exempt rent, so none is added).
    [InlineData("2500", "0", "0")]
    public void VatOn_Rate_IsRoundedToCents(string principal, string rate, string expected)
    {
        var result = WikCollectionCosts.Calculate(decimal.Parse(principal, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), result.VatOn(decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void VatOn_NegativeRate_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WikCollectionCosts.Calculate(2_500m).VatOn(-1m));
    }
}

public sealed class WikCollectionCostsInvariantTests
{
    // Every cent up to just past the second bracket, then coarser steps up to past the maximum:
    // the staffel's invariants must hold everywhere, not only at the pinned examples.
    private static IEnumerable<decimal> Principals()
    {
        for (var cents = 1; cents <= 600_000; cents += 7)
        {
            yield return cents / 100m;
        }

        for (var euros = 6_000m; euros <= 1_200_000m; euros += 997.13m)
        {
            yield return euros;
        }
    }

    [Fact]
    public void Calculate_AnyPrincipal_CostsNeverFallAsThePrincipalRises()
    {
        var previous = 0m;
        foreach (var principal in Principals())
        {
            var costs = WikCollectionCosts.Calculate(principal).CollectionCosts;
            Assert.True(costs >= previous, $"{principal}: {costs} < {previous}");
            previous = costs;
        }
    }

    [Fact]
    public void Calculate_AnyPrincipal_CostsBetweenMinimumAndMaximumAndInCents()
    {
        foreach (var principal in Principals())
        {
            var result = WikCollectionCosts.Calculate(principal);
            Assert.InRange(result.CollectionCosts, 40m, 6_775m);
            Assert.Equal(result.CollectionCosts, Math.Round(result.CollectionCosts, 2));
            Assert.Equal(principal, result.Brackets.Sum(b => b.BaseInBracket));
        }
    }

    [Fact]
    public void Calculate_AboveTheMinimum_NeverMoreThanFifteenPercent()
    {
        foreach (var principal in Principals().Where(p => p >= 266.67m))
        {
            var costs = WikCollectionCosts.Calculate(principal).CollectionCosts;
            Assert.True(costs <= Math.Round(principal * 0.15m, 2, MidpointRounding.AwayFromZero), $"{principal}: {costs}");
        }
    }

    [Fact]
    public void Calculate_SamePrincipalTwice_EqualValues()
    {
        Assert.Equal(WikCollectionCosts.Calculate(12_345.67m), WikCollectionCosts.Calculate(12_345.67m));
        Assert.NotEqual(WikCollectionCosts.Calculate(12_345.67m), WikCollectionCosts.Calculate(12_345.68m));
    }
}
