namespace HuurIncasso.Domain.Statutory;

/// <summary>A statutory interest rate (art. 6:119 BW) in force from <paramref name="From"/> until the next entry.</summary>
/// <param name="From">The first day the rate applies.</param>
/// <param name="RatePercent">The yearly rate in percent, e.g. 6 for 6 %.</param>
public sealed record StatutoryInterestRate(DateOnly From, decimal RatePercent);

/// <summary>
/// Statutory interest for consumers (art. 6:119 BW): simple interest per day, with the
/// interest of each full year added to the principal (lid 2).
/// </summary>
/// <remarks>
/// Day count: actual days over a 365-day year, as common Dutch interest calculators do; the
/// law prescribes none. Stateless and thread-safe.
/// </remarks>
public static class StatutoryInterest
{
    /// <summary>
    /// The rates known for certain: 7 % from 1 January 2024, 6 % from 1 January 2025. The
    /// rate is reset each 1 January and 1 July (ECB rate + 2.25 %, rounded); rates after
    /// 2025 are UNCONFIRMED in our sources, so the table is a setting and this list is only
    /// its default. Extend it in settings rather than here.
    /// </summary>
    public static IReadOnlyList<StatutoryInterestRate> DefaultRates { get; } =
    [
        new(new DateOnly(2024, 1, 1), 7m),
        new(new DateOnly(2025, 1, 1), 6m),
    ];

    /// <summary>
    /// The interest on <paramref name="principal"/> over the days from <paramref name="from"/>
    /// (included) to <paramref name="until"/> (excluded), rounded to cents at the end. The
    /// caller picks <paramref name="from"/>: for rent with a fixed due date, the first day
    /// of default. The result is the interest only, without the principal.
    /// </summary>
    /// <param name="principal">The amount in default.</param>
    /// <param name="from">First day of interest.</param>
    /// <param name="until">First day without interest (e.g. the day of payment).</param>
    /// <param name="rates">The dated rate table; order does not matter.</param>
    /// <exception cref="ArgumentOutOfRangeException">The principal is negative or <paramref name="until"/> is before <paramref name="from"/>.</exception>
    /// <exception cref="ArgumentException">The table is empty, has two rates for one date, or has no rate in force on <paramref name="from"/>.</exception>
    public static decimal Calculate(decimal principal, DateOnly from, DateOnly until, IReadOnlyList<StatutoryInterestRate> rates)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(principal);
        ArgumentOutOfRangeException.ThrowIfLessThan(until, from);
        var table = ValidatedTable(rates, from);

        var capital = principal;
        var total = 0m;
        var periodStart = from;
        for (var year = 1; periodStart < until; year++)
        {
            // Lid 2: after each full year the interest of that year is added to the principal.
            var periodEnd = Min(from.AddYears(year), until);
            var accrued = 0m;
            for (var day = periodStart; day < periodEnd;)
            {
                var index = IndexInForce(table, day);
                var next = index + 1 < table.Count ? table[index + 1].From : DateOnly.MaxValue;
                var end = Min(next, periodEnd);
                var days = end.DayNumber - day.DayNumber;
                accrued += capital * table[index].RatePercent * days / 36_500m;
                day = end;
            }

            total += accrued;
            capital += accrued;
            periodStart = periodEnd;
        }

        return EuroRounding.RoundToCents(total);
    }

    private static List<StatutoryInterestRate> ValidatedTable(IReadOnlyList<StatutoryInterestRate> rates, DateOnly from)
    {
        ArgumentNullException.ThrowIfNull(rates);
        if (rates.Count == 0)
        {
            throw new ArgumentException("The statutory interest table is empty.", nameof(rates));
        }

        var table = rates.OrderBy(rate => rate.From).ToList();
        for (var i = 1; i < table.Count; i++)
        {
            if (table[i].From == table[i - 1].From)
            {
                throw new ArgumentException($"The statutory interest table has two rates from {table[i].From:yyyy-MM-dd}.", nameof(rates));
            }
        }

        foreach (var rate in table)
        {
            if (rate.RatePercent < 0m)
            {
                throw new ArgumentException($"The statutory interest rate from {rate.From:yyyy-MM-dd} is negative ({rate.RatePercent}).", nameof(rates));
            }
        }

        if (table[0].From > from)
        {
            throw new ArgumentException($"The statutory interest table has no rate in force on {from:yyyy-MM-dd}; its first rate starts {table[0].From:yyyy-MM-dd}.", nameof(rates));
        }

        return table;
    }

    private static int IndexInForce(List<StatutoryInterestRate> table, DateOnly day)
    {
        var index = 0;
        while (index + 1 < table.Count && table[index + 1].From <= day)
        {
            index++;
        }

        return index;
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
}
