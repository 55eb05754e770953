namespace HuurIncasso.Integrations.Banking;

/// <summary>Money in or out of the corporation's own account.</summary>
public enum BankDirection
{
    /// <summary>Money received (CRDT).</summary>
    Credit,

    /// <summary>Money paid out or taken back (DBIT).</summary>
    Debit,
}

/// <summary>What kind of structured reference a transaction carries.</summary>
public enum ReferenceType
{
    /// <summary>No structured reference.</summary>
    None,

    /// <summary>A Dutch betalingskenmerk (Currence, SCOR with issuer CUR).</summary>
    Betalingskenmerk,

    /// <summary>An ISO 11649 RF creditor reference.</summary>
    CreditorReference,

    /// <summary>A structured reference of another scheme.</summary>
    Other,
}

/// <summary>Where a transaction came from.</summary>
public enum BankSource
{
    /// <summary>ISO 20022 camt.053 bank-to-customer statement.</summary>
    Camt053,

    /// <summary>ISO 20022 camt.054 debit/credit notification.</summary>
    Camt054,

    /// <summary>ISO 20022 camt.052 account report (intraday).</summary>
    Camt052,

    /// <summary>A JSON webhook event.</summary>
    JsonEvent,
}

/// <summary>A problem in the bank's data that did not stop reading it.</summary>
public enum BankDataFlagCode
{
    /// <summary>The counterparty IBAN fails its check.</summary>
    InvalidDebtorIban,

    /// <summary>The statement's own IBAN fails its check.</summary>
    InvalidOwnIban,

    /// <summary>A structured reference (betalingskenmerk or RF) fails its check.</summary>
    InvalidReference,

    /// <summary>The entry has no bank reference (AcctSvcrRef); the entry key falls back to the statement and entry position.</summary>
    MissingBankReference,

    /// <summary>No booking date; the value date was used.</summary>
    MissingBookingDate,

    /// <summary>A batch with more than one transaction but without transaction details: only its total is known.</summary>
    BatchWithoutDetails,

    /// <summary>The transaction amounts of a batch do not add up to the entry amount.</summary>
    BatchTotalMismatch,

    /// <summary>The amount is not in euros.</summary>
    NotEuro,

    /// <summary>A reversal without a reason code.</summary>
    ReversalWithoutReason,

    /// <summary>The file was not valid UTF-8 and was read as Latin-1.</summary>
    EncodingFallback,

    /// <summary>The entry is pending or information only (status not BOOK): it may never be booked.</summary>
    NotBooked,
}

/// <summary>A data problem on a transaction, with the detail a person needs to look it up.</summary>
public readonly record struct BankDataFlag(BankDataFlagCode Code, string Detail)
{
    /// <summary>What the flag means, in Dutch, for a consultant.</summary>
    public string DutchLabel => Code switch
    {
        BankDataFlagCode.InvalidDebtorIban => "IBAN van de betaler klopt niet",
        BankDataFlagCode.InvalidOwnIban => "eigen IBAN in het afschrift klopt niet",
        BankDataFlagCode.InvalidReference => "betalingskenmerk klopt niet",
        BankDataFlagCode.MissingBankReference => "bank gaf geen referentie",
        BankDataFlagCode.MissingBookingDate => "geen boekdatum, valutadatum gebruikt",
        BankDataFlagCode.BatchWithoutDetails => "batch zonder details, alleen het totaal",
        BankDataFlagCode.BatchTotalMismatch => "bedragen van de batch tellen niet op tot het totaal",
        BankDataFlagCode.NotEuro => "bedrag is niet in euro",
        BankDataFlagCode.ReversalWithoutReason => "storno zonder redencode",
        BankDataFlagCode.EncodingFallback => "tekens van het bestand zijn als Latin-1 gelezen",
        BankDataFlagCode.NotBooked => "nog niet geboekt (status niet BOOK)",
        _ => Code.ToString(),
    };

    /// <inheritdoc/>
    public override string ToString() => $"{Code}: {Detail}";
}

/// <summary>
/// One payment on the corporation's account, as read from a bank statement, notification or
/// webhook event. A batch entry (a direct-debit collection or a batch of returns) becomes one
/// transaction per underlying payment.
/// </summary>
/// <remarks>
/// The party fields (<see cref="DebtorName"/>, <see cref="DebtorIban"/>) hold the other party of
/// the original payment: the payer of a credit, also when that credit is reversed (a direct-debit
/// return names the tenant), and the payee of an outgoing debit.
/// </remarks>
public sealed record BankTransaction
{
    /// <summary>The amount in <see cref="Currency"/>, always positive; <see cref="Direction"/> gives the sign.</summary>
    public required decimal Amount { get; init; }

    /// <summary>ISO 4217 currency, normally EUR.</summary>
    public string Currency { get; init; } = "EUR";

    /// <summary>Credit (money in) or debit (money out).</summary>
    public required BankDirection Direction { get; init; }

    /// <summary>True for a reversal (RvslInd): a return or refund of an earlier payment.</summary>
    public bool Reversal { get; init; }

    /// <summary>The booking date at the bank.</summary>
    public required DateOnly BookingDate { get; init; }

    /// <summary>The value date, when given.</summary>
    public DateOnly? ValueDate { get; init; }

    /// <summary>The bank's reference of the entry (AcctSvcrRef), or for a JSON event its id.</summary>
    public string? BankReference { get; init; }

    /// <summary>Position of this transaction within its entry (0 for an entry that is not a batch).</summary>
    public int TransactionIndex { get; init; }

    /// <summary>The corporation's own account, when the source names it.</summary>
    public string? OwnIban { get; init; }

    /// <summary>The payer's end-to-end id; null when absent or NOTPROVIDED.</summary>
    public string? EndToEndId { get; init; }

    /// <summary>The SEPA direct-debit mandate id.</summary>
    public string? MandateId { get; init; }

    /// <summary>The structured creditor reference, spaces removed.</summary>
    public string? Reference { get; init; }

    /// <summary>The kind of <see cref="Reference"/>.</summary>
    public ReferenceType ReferenceType { get; init; }

    /// <summary>Unstructured remittance information, repeated lines joined with a space.</summary>
    public string? Remittance { get; init; }

    /// <summary>The other party's name (see the remarks on the type).</summary>
    public string? DebtorName { get; init; }

    /// <summary>The other party's IBAN, spaces removed and upper case, as given (also when invalid; see <see cref="Flags"/>).</summary>
    public string? DebtorIban { get; init; }

    /// <summary>The return reason code of a reversal (AM04, MD06, ...).</summary>
    public string? ReasonCode { get; init; }

    /// <summary>Free text that came with the return reason.</summary>
    public string? ReasonText { get; init; }

    /// <summary>Bank transaction code, e.g. <c>PMNT/RCDT/ESCT</c> or a proprietary code.</summary>
    public string? BankTransactionCode { get; init; }

    /// <summary>Where this transaction was read from.</summary>
    public BankSource Source { get; init; }

    /// <summary>Problems in the data that did not stop reading it.</summary>
    public IReadOnlyList<BankDataFlag> Flags { get; init; } = [];

    /// <summary>
    /// The idempotency key of this transaction: own IBAN, bank reference and transaction index
    /// for statement data, the event id for a JSON event. The same payment read from camt.053
    /// and camt.054 of the same account gets the same key when the bank uses the same AcctSvcrRef.
    /// </summary>
    public required string EntryKey { get; init; }

    /// <summary>The amount with its sign from the corporation's point of view: positive is money in.</summary>
    public decimal SignedAmount => Direction == BankDirection.Credit ? Amount : -Amount;

    /// <summary>True when the data has a problem of <paramref name="code"/>.</summary>
    public bool HasFlag(BankDataFlagCode code) => Flags.Any(flag => flag.Code == code);

    /// <summary>The entry key for statement data.</summary>
    public static string StatementEntryKey(string? ownIban, string bankReference, int transactionIndex) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{ownIban ?? "-"}|{bankReference}|{transactionIndex}");

    /// <summary>The entry key for a JSON webhook event.</summary>
    public static string EventEntryKey(string eventId) => $"event|{eventId}";
}
