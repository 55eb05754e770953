using HuurIncasso.Domain.Statutory;

namespace HuurIncasso.Domain.Tests.Statutory;

public sealed class FormalNoticeRulesTests
{
    [Theory]
    // Posted on a Tuesday: delivered Thursday.
    [InlineData("2025-11-18", 2, "2025-11-20")]
    // Posted on a Thursday: Friday, then the weekend is skipped, Monday.
    [InlineData("2025-11-20", 2, "2025-11-24")]
    // Posted on a Friday: Monday and Tuesday.
    [InlineData("2025-11-21", 2, "2025-11-25")]
    // Maundy Thursday 2025: Good Friday is a working day, Easter Monday is not.
    [InlineData("2025-04-17", 2, "2025-04-22")]
    // Just before Christmas: both Christmas days and the weekend are skipped.
    [InlineData("2025-12-23", 2, "2025-12-29")]
    // Across New Year's Day 2026 (a Thursday).
    [InlineData("2025-12-31", 1, "2026-01-02")]
    // King's Day 2026 on a Monday.
    [InlineData("2026-04-24", 1, "2026-04-28")]
    // Zero days: delivered the day it is sent (e-mail).
    [InlineData("2025-11-22", 0, "2025-11-22")]
    public void AssumedDeliveryDate_SentOn_SkipsWeekendsAndHolidays(string sentOn, int workingDays, string expected)
    {
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), FormalNoticeRules.AssumedDeliveryDate(DateOnly.Parse(sentOn, System.Globalization.CultureInfo.InvariantCulture), workingDays));
    }

    [Fact]
    public void AssumedDeliveryDate_NegativeDays_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FormalNoticeRules.AssumedDeliveryDate(new DateOnly(2025, 11, 18), -1));
    }

    [Fact]
    public void LastDayToPay_DeliveredOn_IsFourteenDaysCountedFromTheDayAfter()
    {
        // Delivered Thursday 20 November: day 1 is the 21st, day 14 is 4 December.
        Assert.Equal(new DateOnly(2025, 12, 4), FormalNoticeRules.LastDayToPay(new DateOnly(2025, 11, 20)));
    }

    [Fact]
    public void EarliestCostDate_DeliveredOn_IsTheDayAfterTheLastDayToPay()
    {
        Assert.Equal(new DateOnly(2025, 12, 5), FormalNoticeRules.EarliestCostDate(new DateOnly(2025, 11, 20)));
    }

    [Fact]
    public void AllowsCostsOn_FourteenDayBoundary_OnlyFromTheFifteenthDay()
    {
        var proof = FormalNoticeProof.Recorded(new DateOnly(2025, 11, 18), "post", new DateOnly(2025, 11, 20));

        Assert.False(proof.AllowsCostsOn(new DateOnly(2025, 12, 4)));
        Assert.True(proof.AllowsCostsOn(new DateOnly(2025, 12, 5)));
    }

    [Fact]
    public void Assumed_PostedBeforeChristmas_CarriesSendingChannelAndDates()
    {
        var proof = FormalNoticeProof.Assumed(new DateOnly(2025, 12, 23), "post", 2);

        Assert.Equal(
            new FormalNoticeProof(new DateOnly(2025, 12, 23), "post", new DateOnly(2025, 12, 29), DeliveryAssumed: true, new DateOnly(2026, 1, 13)),
            proof);
        Assert.Equal(new DateOnly(2026, 1, 12), proof.LastDayToPay);
    }

    [Fact]
    public void Recorded_DeliveryDate_IsNotAssumed()
    {
        var proof = FormalNoticeProof.Recorded(new DateOnly(2025, 11, 18), "aangetekend", new DateOnly(2025, 11, 19));

        Assert.False(proof.DeliveryAssumed);
        Assert.Equal(new DateOnly(2025, 12, 4), proof.EarliestCostDate);
    }

    [Fact]
    public void Recorded_DeliveredBeforeSent_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FormalNoticeProof.Recorded(new DateOnly(2025, 11, 18), "post", new DateOnly(2025, 11, 17)));
    }

    [Fact]
    public void Assumed_EmptyChannel_Throws()
    {
        Assert.Throws<ArgumentException>(() => FormalNoticeProof.Assumed(new DateOnly(2025, 11, 18), " ", 2));
    }
}

public sealed class FormalNoticePostalDeliveryTests
{
    [Theory]
    // Posted on a Thursday: Friday and Saturday are delivery days.
    [InlineData("2025-11-20", "2025-11-22")]
    // Posted on a Friday: Saturday, then Sunday and Monday do not count: Tuesday.
    [InlineData("2025-11-21", "2025-11-25")]
    // Posted on a Saturday: Tuesday and Wednesday.
    [InlineData("2025-11-22", "2025-11-26")]
    // Posted on Maundy Thursday 2025: Good Friday, Saturday, then Easter Sunday and Monday are skipped.
    [InlineData("2025-04-17", "2025-04-19")]
    public void AssumedPostalDeliveryDate_SentOn_SkipsSundaysMondaysAndHolidays(string sentOn, string expected)
    {
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), FormalNoticeRules.AssumedPostalDeliveryDate(DateOnly.Parse(sentOn, System.Globalization.CultureInfo.InvariantCulture), 2));
    }

    [Theory]
    // Thursday: the working-day count (Monday) is later than the postal one (Saturday).
    [InlineData("2025-11-20", "2025-11-24")]
    // Saturday: the postal count (Wednesday) is later than the working-day one (Tuesday).
    [InlineData("2025-11-22", "2025-11-26")]
    // Tuesday: both counts agree on Thursday.
    [InlineData("2025-11-18", "2025-11-20")]
    public void SafeAssumedDeliveryDate_SentOn_TakesTheLaterCount(string sentOn, string expected)
    {
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), FormalNoticeRules.SafeAssumedDeliveryDate(DateOnly.Parse(sentOn, System.Globalization.CultureInfo.InvariantCulture), 2));
    }

    [Fact]
    public void AssumedSafely_PostedOnSaturday_CostsFromFifteenDaysAfterWednesday()
    {
        var proof = FormalNoticeProof.AssumedSafely(new DateOnly(2025, 11, 22), "post", 2);

        Assert.Equal(new DateOnly(2025, 11, 26), proof.DeliveredOn);
        Assert.Equal(new DateOnly(2025, 12, 11), proof.EarliestCostDate);
        Assert.True(proof.DeliveryAssumed);
    }

    [Fact]
    public void AssumedPostalDeliveryDate_NegativeDays_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FormalNoticeRules.AssumedPostalDeliveryDate(new DateOnly(2025, 11, 18), -1));
    }

    [Theory]
    [InlineData("2026-11-20", "2026-12-04", "2026-12-05")] // day 14 is a Friday: nothing moves
    [InlineData("2026-11-21", "2026-12-07", "2026-12-08")] // day 14 is a Saturday: the term runs to Monday
    [InlineData("2026-12-11", "2026-12-28", "2026-12-29")] // day 14 is Christmas, then Boxing Day and a Sunday
    [InlineData("2026-04-21", "2026-05-06", "2026-05-07")] // 5 May ends no term, also outside lustrum years
    [InlineData("2026-03-20", "2026-04-07", "2026-04-08")] // Good Friday, Saturday, Easter Sunday and Monday
    public void LastDayToPay_TermEndingOnANonWorkingDay_RunsOnToTheNextWorkingDay(string delivered, string lastDay, string costsFrom)
    {
        // Algemene termijnenwet art. 1: a statutory term does not end on a Saturday, Sunday or recognised holiday.
        var deliveredOn = DateOnly.Parse(delivered, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(DateOnly.Parse(lastDay, System.Globalization.CultureInfo.InvariantCulture), FormalNoticeRules.LastDayToPay(deliveredOn));
        Assert.Equal(DateOnly.Parse(costsFrom, System.Globalization.CultureInfo.InvariantCulture), FormalNoticeRules.EarliestCostDate(deliveredOn));
    }
}
