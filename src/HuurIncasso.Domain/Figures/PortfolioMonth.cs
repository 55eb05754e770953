namespace HuurIncasso.Domain.Figures;

/// <summary>What a figure needs of one contract to say whether it is current and what it yields.</summary>
/// <param name="End">The last day of the tenancy, or null while it runs.</param>
public sealed record ContractFacts(DateOnly Start, DateOnly? End, decimal MonthlyRent, bool DirectDebit);

/// <summary>
/// The denominators of a month, from the contract register: how many contracts ran at the
/// month's end, their yearly rent, and how many of them pay by direct debit.
/// </summary>
public sealed record PortfolioMonth(ReportMonth Month, int CurrentContracts, decimal YearlyRent, int DirectDebitContracts)
{
    /// <summary>
    /// The contracts current at the end of <paramref name="month"/>: started on or before its last
    /// day and not ended by then (a contract ending on the last day counts as ended).
    /// </summary>
    public static PortfolioMonth AtEndOf(ReportMonth month, IEnumerable<ContractFacts> contracts)
    {
        ArgumentNullException.ThrowIfNull(contracts);
        var day = month.LastDay;
        var count = 0;
        var rent = 0m;
        var directDebit = 0;
        foreach (var c in contracts)
        {
            if (c.Start > day || (c.End is { } end && end <= day))
            {
                continue;
            }

            count++;
            rent += c.MonthlyRent * 12m;
            directDebit += c.DirectDebit ? 1 : 0;
        }

        return new PortfolioMonth(month, count, rent, directDebit);
    }
}
