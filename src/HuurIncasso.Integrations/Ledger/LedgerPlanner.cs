using System.Globalization;
using HuurIncasso.Domain.Cases;

namespace HuurIncasso.Integrations.Ledger;

/// <summary>A message for one case, with the case it goes to.</summary>
public sealed record PlannedMessage(string CaseId, CaseMessage Message);

/// <summary>What one ledger row leads to: the messages, and the case the contract is tied to afterwards.</summary>
/// <param name="Messages">In the order they should reach the case.</param>
/// <param name="CurrentCaseId">The running case of the contract after this row (a new one when opened), or null.</param>
public sealed record LedgerPlan(IReadOnlyList<PlannedMessage> Messages, string? CurrentCaseId);

/// <summary>
/// Decides per contract what a ledger row means for its arrears case. The ERP is the book of
/// record: a running case gets the ERP's balance, a contract in arrears without a running
/// case gets a new case. Pure and thread-safe.
/// </summary>
public static class LedgerPlanner
{
    /// <summary>Plans the messages for <paramref name="row"/>.</summary>
    /// <param name="row">A valid ledger row.</param>
    /// <param name="fileHash">The SHA-256 (hex) of the file: message ids derive from it, so a re-import duplicates nothing.</param>
    /// <param name="runningCaseId">The contract's running case, or null.</param>
    /// <param name="asOf">The business date of the import: the restatement date and the month in a new case id.</param>
    /// <param name="openingThreshold">A contract without a running case gets one only when its balance is above this amount.</param>
    public static LedgerPlan Plan(LedgerRow row, string fileHash, string? runningCaseId, DateOnly asOf, decimal openingThreshold)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileHash);
        ArgumentOutOfRangeException.ThrowIfNegative(openingThreshold);

        var departing = row.ContractEnd is not null;
        var lateMonths = LateMonths(row);
        var messages = new List<PlannedMessage>();
        if (runningCaseId is not null)
        {
            // One message for the case's month, so one commit: the restatement (which also closes the
            // case when the balance is zero or less: the core does that), the facts, the departure.
            // The parts keep the ids they had as separate messages, so the events name the same causes.
            messages.Add(new(runningCaseId, new RecordLedgerMonth(
                new RestateBalance(asOf, row.BalanceDue) { MessageId = IdOf(fileHash, row.ContractId, "restate") },
                new UpdateTenantFacts(row.DirectDebit, lateMonths, departing) { MessageId = IdOf(fileHash, row.ContractId, "facts") },
                row.ContractEnd is { } end ? new RecordTenantDeparture(end) { MessageId = IdOf(fileHash, row.ContractId, "departure") } : null)
            { MessageId = IdOf(fileHash, row.ContractId, "month") }));

            return new LedgerPlan(messages, runningCaseId);
        }

        if (row.BalanceDue <= openingThreshold || row.BalanceDue <= 0m)
        {
            return new LedgerPlan([], null);
        }

        var caseId = CaseIdFor(row.ContractId, asOf);
        messages.Add(new(caseId, new OpenCase(
            caseId,
            row.ContractId,
            TenantId: row.ContractId,
            row.MonthlyRent,
            PropertyTypeCode(row.PropertyType),
            row.ContractStart,
            row.DirectDebit,
            lateMonths,
            row.BalanceDue,
            OldestUnpaidDueDate(row, asOf))
        { MessageId = IdOf(fileHash, row.ContractId, "open") }));
        if (row.ContractEnd is { } departure)
        {
            messages.Add(new(caseId, new RecordTenantDeparture(departure) { MessageId = IdOf(fileHash, row.ContractId, "departure") }));
        }

        return new LedgerPlan(messages, caseId);
    }

    /// <summary>The id of a case opened for <paramref name="contractId"/> in the month of <paramref name="asOf"/>, e.g. <c>100235-2026-11</c>.</summary>
    public static string CaseIdFor(string contractId, DateOnly asOf) =>
        string.Create(CultureInfo.InvariantCulture, $"{contractId}-{asOf:yyyy-MM}");

    /// <summary>The ERP's property type code as the policy knows it: WON, BOG, MOG, ZOG.</summary>
    public static string PropertyTypeCode(LedgerPropertyType type) => type switch
    {
        LedgerPropertyType.Home => "WON",
        LedgerPropertyType.Commercial => "BOG",
        LedgerPropertyType.SocialPurpose => "MOG",
        LedgerPropertyType.Care => "ZOG",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown property type."),
    };

    /// <summary>
    /// Months of arrears in the last year, estimated from the balance in whole monthly rents
    /// (rounded up, at most 12): the ledger has no payment history per month.
    /// </summary>
    public static int LateMonths(LedgerRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.BalanceDue <= 0m || row.MonthlyRent <= 0m)
        {
            return 0;
        }

        return (int)Math.Min(12m, Math.Ceiling(row.BalanceDue / row.MonthlyRent));
    }

    /// <summary>
    /// The oldest unpaid due date, from the oldest ageing bucket that holds money: rent falls due
    /// on the first of the month, so the bucket's lower bound is counted back from the import
    /// date. Without ageing: as many months back as the balance covers.
    /// </summary>
    public static DateOnly OldestUnpaidDueDate(LedgerRow row, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(row);
        var firstOfMonth = new DateOnly(asOf.Year, asOf.Month, 1);
        if (row.Ageing is { } ageing)
        {
            if (ageing.DaysOver90 > 0m) return asOf.AddDays(-91);
            if (ageing.Days61To90 > 0m) return asOf.AddDays(-61);
            if (ageing.Days31To60 > 0m) return asOf.AddDays(-31);
            return firstOfMonth;
        }

        return firstOfMonth.AddMonths(1 - Math.Max(1, LateMonths(row)));
    }

    private static string IdOf(string fileHash, string contractId, string kind) =>
        $"ledger:{fileHash[..Math.Min(16, fileHash.Length)]}:{contractId}:{kind}";
}
