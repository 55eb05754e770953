namespace HuurIncasso.Domain.Statutory;

/// <summary>
/// The Dutch public holidays on which post is not delivered and offices are closed, used to
/// count working days for the assumed delivery of a notice.
/// </summary>
/// <remarks>
/// Good Friday is not on the official list and is not a holiday here. Bevrijdingsdag (5 May)
/// is a national holiday, but whether it is a day off is set per collective agreement, and
/// most give it only in lustrum years (2025, 2030, ...); PostNL delivers on it in other
/// years. Counting it only every five years therefore matches when post really stops.
/// Stateless and thread-safe.
/// </remarks>
public static class DutchPublicHolidays
{
    /// <summary>True when <paramref name="date"/> is a Dutch public holiday.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The date is before 1583 (no Gregorian Easter).</exception>
    public static bool IsHoliday(DateOnly date) => Name(date) is not null;

    /// <summary>True for Saturdays, Sundays and public holidays.</summary>
    public static bool IsNonWorkingDay(DateOnly date) =>
        date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || IsHoliday(date);

    /// <summary>
    /// True on days PostNL delivers letters: Tuesday to Saturday, except public holidays
    /// (no Monday delivery of letters since 2014).
    /// </summary>
    public static bool IsPostalDeliveryDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Sunday or DayOfWeek.Monday) && !IsHoliday(date);

    /// <summary>The Dutch name of the holiday on <paramref name="date"/>, or null when it is none.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The date is before 1583 (no Gregorian Easter).</exception>
    public static string? Name(DateOnly date)
    {
        var year = date.Year;
        var easter = EasterSunday(year);
        return date switch
        {
            { Month: 1, Day: 1 } => "Nieuwjaarsdag",
            { Month: 12, Day: 25 } => "Eerste Kerstdag",
            { Month: 12, Day: 26 } => "Tweede Kerstdag",
            { Month: 5, Day: 5 } when year % 5 == 0 => "Bevrijdingsdag",
            _ when date == KingsDay(year) => year >= 2014 ? "Koningsdag" : "Koninginnedag",
            _ when date == easter => "Eerste Paasdag",
            _ when date == easter.AddDays(1) => "Tweede Paasdag",
            _ when date == easter.AddDays(39) => "Hemelvaartsdag",
            _ when date == easter.AddDays(49) => "Eerste Pinksterdag",
            _ when date == easter.AddDays(50) => "Tweede Pinksterdag",
            _ => null,
        };
    }

    /// <summary>All holidays of <paramref name="year"/>, in date order.</summary>
    public static IReadOnlyList<DateOnly> InYear(int year)
    {
        var days = new List<DateOnly>();
        for (var day = new DateOnly(year, 1, 1); day.Year == year; day = day.AddDays(1))
        {
            if (IsHoliday(day))
            {
                days.Add(day);
            }
        }

        return days;
    }

    /// <summary>
    /// Easter Sunday in the Gregorian calendar, by the anonymous Gregorian computus
    /// (Meeus/Jones/Butcher), valid for every Gregorian year.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The year is before 1583, the first full Gregorian year.</exception>
    public static DateOnly EasterSunday(int year)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1583);
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new DateOnly(year, month, day);
    }

    /// <summary>
    /// The King's birthday as celebrated: 27 April, or 26 April when the 27th is a Sunday
    /// (since 2014). From 1980 to 2013 the Queen's Day: 30 April, or 29 April when that is a
    /// Sunday. Earlier years follow the same rule, which is not historically exact.
    /// </summary>
    public static DateOnly KingsDay(int year)
    {
        var day = year >= 2014 ? new DateOnly(year, 4, 27) : new DateOnly(year, 4, 30);
        return day.DayOfWeek == DayOfWeek.Sunday ? day.AddDays(-1) : day;
    }
}
