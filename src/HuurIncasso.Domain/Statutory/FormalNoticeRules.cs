namespace HuurIncasso.Domain.Statutory;

/// <summary>
/// The dates of the 14-day notice (art. 6:96 lid 6 BW; HR 25-11-2016,
/// ECLI:NL:HR:2016:2704): the fourteen days start the day after receipt, and costs may be
/// charged only after they have passed in vain.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class FormalNoticeRules
{
    /// <summary>The days the debtor has to pay, counted from the day after receipt.</summary>
    public const int PaymentDays = 14;

    /// <summary>
    /// The assumed delivery date: <paramref name="deliveryWorkingDays"/> working days after
    /// <paramref name="sentOn"/>, skipping Saturdays, Sundays and <see cref="DutchPublicHolidays"/>.
    /// Zero means delivered the day it was sent (e.g. e-mail). How many days to assume is a
    /// policy setting: "second working day after posting" is a common assumption, not law.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The number of working days is negative.</exception>
    public static DateOnly AssumedDeliveryDate(DateOnly sentOn, int deliveryWorkingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(deliveryWorkingDays);
        var day = sentOn;
        for (var counted = 0; counted < deliveryWorkingDays;)
        {
            day = day.AddDays(1);
            if (!DutchPublicHolidays.IsNonWorkingDay(day))
            {
                counted++;
            }
        }

        return day;
    }

    /// <summary>
    /// The assumed delivery date counted in postal delivery days: letters are not delivered on
    /// Sundays, Mondays or public holidays, but are on Saturdays. Secondary sources on HR
    /// 25-11-2016 (ECLI:NL:HR:2016:2704) count this way ("second day after sending; Sundays,
    /// Mondays and holidays do not count"); not checked against the judgment's text, so
    /// <see cref="SafeAssumedDeliveryDate"/> takes the later of both counts.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The number of days is negative.</exception>
    public static DateOnly AssumedPostalDeliveryDate(DateOnly sentOn, int deliveryDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(deliveryDays);
        var day = sentOn;
        for (var counted = 0; counted < deliveryDays;)
        {
            day = day.AddDays(1);
            if (DutchPublicHolidays.IsPostalDeliveryDay(day))
            {
                counted++;
            }
        }

        return day;
    }

    /// <summary>
    /// The later of <see cref="AssumedDeliveryDate"/> and <see cref="AssumedPostalDeliveryDate"/>.
    /// Without holidays they differ only for letters posted on a Saturday or Sunday (postal count later) or a
    /// Thursday (working-day count later); charging costs a day late costs nothing, a day
    /// early loses them.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The number of days is negative.</exception>
    public static DateOnly SafeAssumedDeliveryDate(DateOnly sentOn, int deliveryDays)
    {
        var working = AssumedDeliveryDate(sentOn, deliveryDays);
        var postal = AssumedPostalDeliveryDate(sentOn, deliveryDays);
        return working > postal ? working : postal;
    }

    /// <summary>
    /// The last day of the fourteen days: the day after receipt is day one, so the delivery
    /// date plus 14 calendar days; when that day is a Saturday, Sunday or recognised holiday
    /// the term runs on to the next day that is none (Algemene termijnenwet art. 1, which
    /// applies to terms set by law such as this one).
    /// </summary>
    public static DateOnly LastDayToPay(DateOnly deliveredOn)
    {
        var day = deliveredOn.AddDays(PaymentDays);
        while (TermCannotEndOn(day))
        {
            day = day.AddDays(1);
        }

        return day;
    }

    /// <summary>
    /// The first day on which collection costs may be charged: the day after
    /// <see cref="LastDayToPay"/>. Costs are never charged earlier.
    /// </summary>
    public static DateOnly EarliestCostDate(DateOnly deliveredOn) => LastDayToPay(deliveredOn).AddDays(1);

    // Algemene termijnenwet art. 3 names 5 May every year (not only in lustrum years, unlike
    // the working-day count above). Good Friday is added on top: whether it counts is not
    // settled here, and ending the term a day later only ever delays costs, never loses them.
    private static bool TermCannotEndOn(DateOnly day) =>
        day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday
        || DutchPublicHolidays.IsHoliday(day)
        || (day.Month == 5 && day.Day == 5)
        || day == DutchPublicHolidays.EasterSunday(day.Year).AddDays(-2);
}
