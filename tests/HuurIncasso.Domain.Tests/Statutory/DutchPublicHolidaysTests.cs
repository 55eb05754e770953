using HuurIncasso.Domain.Statutory;

namespace HuurIncasso.Domain.Tests.Statutory;

public sealed class DutchPublicHolidaysTests
{
    [Theory]
    // Recent and coming years the software runs in.
    [InlineData(2024, 3, 31)]
    [InlineData(2025, 4, 20)]
    [InlineData(2026, 4, 5)]
    [InlineData(2027, 3, 28)]
    [InlineData(2019, 4, 21)]
    // An early Easter.
    [InlineData(2008, 3, 23)]
    // The latest possible date, 25 April.
    [InlineData(2038, 4, 25)]
    // The earliest possible date, 22 March.
    [InlineData(2285, 3, 22)]
    public void EasterSunday_Year_MatchesTheComputus(int year, int month, int day)
    {
        Assert.Equal(new DateOnly(year, month, day), DutchPublicHolidays.EasterSunday(year));
    }

    [Theory]
    // 27 April 2025 is a Sunday: celebrated on Saturday the 26th.
    [InlineData(2025, 26)]
    // The first King's Day fell on a Sunday too.
    [InlineData(2014, 26)]
    // A Monday: on the 27th itself.
    [InlineData(2026, 27)]
    public void KingsDay_Year_MovesBeforeASunday(int year, int day)
    {
        Assert.Equal(new DateOnly(year, 4, day), DutchPublicHolidays.KingsDay(year));
        Assert.True(DutchPublicHolidays.IsHoliday(new DateOnly(year, 4, day)));
    }

    [Fact]
    public void IsHoliday_SundayTheTwentySeventhOfApril2025_IsNotKingsDay()
    {
        Assert.Equal("Eerste Paasdag", DutchPublicHolidays.Name(new DateOnly(2025, 4, 20)));
        Assert.Null(DutchPublicHolidays.Name(new DateOnly(2025, 4, 27)));
    }

    [Fact]
    public void KingsDay_Before2014_IsQueensDay()
    {
        Assert.Equal(new DateOnly(2013, 4, 30), DutchPublicHolidays.KingsDay(2013));
        Assert.Equal("Koninginnedag", DutchPublicHolidays.Name(new DateOnly(2013, 4, 30)));
    }

    [Fact]
    public void InYear_2025_HasTheTenOfficialDays()
    {
        DateOnly[] expected =
        [
            new(2025, 1, 1), new(2025, 4, 20), new(2025, 4, 21), new(2025, 4, 26), new(2025, 5, 5),
            new(2025, 5, 29), new(2025, 6, 8), new(2025, 6, 9), new(2025, 12, 25), new(2025, 12, 26),
        ];

        Assert.Equal(expected, DutchPublicHolidays.InYear(2025));
    }

    [Theory]
    // Lustrum year: Bevrijdingsdag is a day off.
    [InlineData(2025, true)]
    [InlineData(2030, true)]
    // Other years: post is delivered, it is no day off under most agreements.
    [InlineData(2026, false)]
    [InlineData(2029, false)]
    public void IsHoliday_FifthOfMay_OnlyInLustrumYears(int year, bool expected)
    {
        Assert.Equal(expected, DutchPublicHolidays.IsHoliday(new DateOnly(year, 5, 5)));
    }

    [Fact]
    public void IsHoliday_GoodFriday_IsNot()
    {
        Assert.False(DutchPublicHolidays.IsHoliday(new DateOnly(2025, 4, 18)));
    }

    [Fact]
    public void EasterSunday_BeforeGregorianCalendar_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DutchPublicHolidays.EasterSunday(1500));
    }
}
