using HuurIncasso.Domain.Statutory;

namespace HuurIncasso.Domain.Tests.Statutory;

public sealed class StatutoryInterestTests
{
    private static readonly StatutoryInterestRate[] FlatSix = [new(new DateOnly(2020, 1, 1), 6m)];

    [Fact]
    public void Calculate_WithinOneRate_IsSimpleInterestPerDay()
    {
        // 364 days at 6 %: 1000 * 0.06 * 364 / 365 = 59.8356...
        Assert.Equal(59.84m, StatutoryInterest.Calculate(1_000m, new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31), StatutoryInterest.DefaultRates));
    }

    [Fact]
    public void Calculate_AcrossARateChange_SplitsTheDays()
    {
        // 31 days at 7 % (5.9452...) + 30 days at 6 % (4.9315...) = 10.8767...
        Assert.Equal(10.88m, StatutoryInterest.Calculate(1_000m, new DateOnly(2024, 12, 1), new DateOnly(2025, 1, 31), StatutoryInterest.DefaultRates));
    }

    [Fact]
    public void Calculate_TwoFullYears_AddsTheFirstYearsInterestToThePrincipal()
    {
        // Year 1: 60.00; year 2 on 1060: 63.60. Without art. 6:119 lid 2 it would be 120.00.
        Assert.Equal(123.60m, StatutoryInterest.Calculate(1_000m, new DateOnly(2025, 1, 1), new DateOnly(2027, 1, 1), FlatSix));
    }

    [Fact]
    public void Calculate_YearWithRateChangeThenPart_CompoundsOnTheAnniversaryNotOnNewYear()
    {
        // Year 1 (from 2024-07-01): 184 days at 7 % + 181 days at 6 % = 65.0411; then 92 days
        // at 6 % on 1065.0411 = 16.1069; total 81.1480.
        Assert.Equal(81.15m, StatutoryInterest.Calculate(1_000m, new DateOnly(2024, 7, 1), new DateOnly(2025, 10, 1), StatutoryInterest.DefaultRates));
    }

    [Fact]
    public void Calculate_LeapYear_CountsActualDaysOver365()
    {
        // 366 days at 7 %: 70 * 366 / 365 = 70.1917...
        Assert.Equal(70.19m, StatutoryInterest.Calculate(1_000m, new DateOnly(2024, 1, 1), new DateOnly(2025, 1, 1), StatutoryInterest.DefaultRates));
    }

    [Fact]
    public void Calculate_SameDay_NoInterest()
    {
        Assert.Equal(0m, StatutoryInterest.Calculate(1_000m, new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 1), StatutoryInterest.DefaultRates));
    }

    [Fact]
    public void Calculate_UnsortedTable_SameAsSorted()
    {
        StatutoryInterestRate[] reversed = [.. StatutoryInterest.DefaultRates.Reverse()];

        Assert.Equal(10.88m, StatutoryInterest.Calculate(1_000m, new DateOnly(2024, 12, 1), new DateOnly(2025, 1, 31), reversed));
    }

    [Fact]
    public void Calculate_UntilBeforeFrom_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StatutoryInterest.Calculate(1_000m, new DateOnly(2025, 3, 2), new DateOnly(2025, 3, 1), StatutoryInterest.DefaultRates));
    }

    [Fact]
    public void Calculate_NoRateInForceOnFrom_ThrowsNamingTheDate()
    {
        var error = Assert.Throws<ArgumentException>(() => StatutoryInterest.Calculate(1_000m, new DateOnly(2023, 12, 31), new DateOnly(2024, 3, 1), StatutoryInterest.DefaultRates));

        Assert.Contains("2023-12-31", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Calculate_TwoRatesOnOneDate_Throws()
    {
        StatutoryInterestRate[] doubled = [new(new DateOnly(2025, 1, 1), 6m), new(new DateOnly(2025, 1, 1), 7m)];

        Assert.Throws<ArgumentException>(() => StatutoryInterest.Calculate(1_000m, new DateOnly(2025, 2, 1), new DateOnly(2025, 3, 1), doubled));
    }

    [Fact]
    public void Calculate_NegativePrincipal_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StatutoryInterest.Calculate(-1m, new DateOnly(2025, 2, 1), new DateOnly(2025, 3, 1), StatutoryInterest.DefaultRates));
    }
}
