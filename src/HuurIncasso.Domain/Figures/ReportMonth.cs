using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace HuurIncasso.Domain.Figures;

/// <summary>A calendar month, the unit of the monthly figures. Written <c>yyyy-MM</c>.</summary>
public readonly record struct ReportMonth : IComparable<ReportMonth>
{
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    /// <summary>The month; throws when <paramref name="month"/> is not 1-12 or the year is outside 1-9999.</summary>
    public ReportMonth(int year, int month)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9999);
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        Year = year;
        Month = month;
    }

    public int Year { get; }

    public int Month { get; }

    /// <summary>The first day of the month.</summary>
    public DateOnly FirstDay => new(Year, Month, 1);

    /// <summary>The last day of the month: the day the stocks (arrears, tenants) are measured.</summary>
    public DateOnly LastDay => new(Year, Month, DateTime.DaysInMonth(Year, Month));

    /// <summary>The month <paramref name="date"/> falls in.</summary>
    public static ReportMonth Of(DateOnly date) => new(date.Year, date.Month);

    /// <summary>This month moved by <paramref name="months"/> (negative: back).</summary>
    public ReportMonth AddMonths(int months) => Of(FirstDay.AddMonths(months));

    /// <summary>Months from <paramref name="other"/> to this month (positive when this one is later).</summary>
    public int MonthsSince(ReportMonth other) => ((Year - other.Year) * 12) + Month - other.Month;

    /// <summary>Parses <c>yyyy-MM</c>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out ReportMonth month)
    {
        month = default;
        if (text is not { Length: 7 } || text[4] != '-'
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || year < 1 || m is < 1 or > 12)
        {
            return false;
        }

        month = new ReportMonth(year, m);
        return true;
    }

    /// <summary>Every month from <paramref name="first"/> to <paramref name="last"/>, both included.</summary>
    public static IEnumerable<ReportMonth> Range(ReportMonth first, ReportMonth last)
    {
        for (var m = first; m.CompareTo(last) <= 0; m = m.AddMonths(1))
        {
            yield return m;
        }
    }

    /// <summary>"oktober 2026".</summary>
    public string DutchName => FirstDay.ToString("MMMM yyyy", Dutch);

    /// <summary>"okt 2026", for chart axes.</summary>
    public string DutchShortName => FirstDay.ToString("MMM yyyy", Dutch).Replace(".", "", StringComparison.Ordinal);

    public int CompareTo(ReportMonth other) => MonthsSince(other) switch { < 0 => -1, 0 => 0, _ => 1 };

    public static bool operator <(ReportMonth left, ReportMonth right) => left.CompareTo(right) < 0;

    public static bool operator >(ReportMonth left, ReportMonth right) => left.CompareTo(right) > 0;

    public static bool operator <=(ReportMonth left, ReportMonth right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ReportMonth left, ReportMonth right) => left.CompareTo(right) >= 0;

    /// <summary><c>yyyy-MM</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");
}
