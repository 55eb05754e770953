namespace HuurIncasso.Integrations.Ledger;

/// <summary>What kind of property a contract is for; homes go to consultants, the rest to finance.</summary>
public enum LedgerPropertyType
{
    /// <summary>woning: a home.</summary>
    Home,

    /// <summary>Bedrijfsonroerend goed: commercial property.</summary>
    Commercial,

    /// <summary>Maatschappelijk onroerend goed: social-purpose property.</summary>
    SocialPurpose,

    /// <summary>Zorgonroerend goed: care property.</summary>
    Care,
}

/// <summary>How old the balance due is, in the ERP's ageing buckets (days past the due date).</summary>
public sealed record LedgerAgeing(decimal Days0To30, decimal Days31To60, decimal Days61To90, decimal DaysOver90)
{
    /// <summary>The sum of the buckets.</summary>
    public decimal Total => Days0To30 + Days31To60 + Days61To90 + DaysOver90;
}

/// <summary>One contract's line of the ERP's debtor export, as read and checked.</summary>
/// <param name="Line">The line in the file where the record starts (1 is the header).</param>
public sealed record LedgerRow(
    int Line,
    string ContractId,
    IReadOnlyList<string> TenantNames,
    string Address,
    string? PostalCode,
    string? City,
    string? Email,
    string? Phone,
    DateOnly? DateOfBirth,
    DateOnly ContractStart,
    DateOnly? ContractEnd,
    LedgerPropertyType PropertyType,
    decimal MonthlyRent,
    decimal BalanceDue,
    LedgerAgeing? Ageing,
    bool DirectDebit,
    string? MandateId,
    IReadOnlyList<string> Ibans,
    string? PaymentReference);

/// <summary>A record that could not be imported: where, which column, and why.</summary>
/// <param name="Line">The line in the file where the record starts.</param>
/// <param name="Column">The column's header name, or empty when the record as a whole is wrong.</param>
/// <param name="Message">What is wrong, in Dutch, for the person who fixes the export.</param>
/// <param name="RawRecord">The record exactly as it stood in the file, so it can be sent again.</param>
public sealed record LedgerRowError(int Line, string Column, string Message, string RawRecord)
{
    /// <summary>"regel 12, kolom huur: …" — the form used in reports and on the console.</summary>
    public override string ToString() => Column.Length == 0 ? $"regel {Line}: {Message}" : $"regel {Line}, kolom {Column}: {Message}";
}

/// <summary>One record of the file: either a row or the errors that kept it out.</summary>
public sealed record LedgerRecord(LedgerRow? Row, IReadOnlyList<LedgerRowError> Errors)
{
    /// <summary>True when the record can be imported.</summary>
    public bool IsValid => Row is not null;
}
