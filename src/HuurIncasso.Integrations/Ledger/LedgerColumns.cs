namespace HuurIncasso.Integrations.Ledger;

/// <summary>
/// The columns of the ERP's debtor export. Header names are matched ignoring case, spaces,
/// underscores and hyphens, so <c>Monthly Rent</c>-style variations of one name all match;
/// the English alias serves exports configured in English.
/// </summary>
public static class LedgerColumns
{
    public static readonly LedgerColumn ContractId = new("contractnummer", "contract_id", Required: true, "het nummer van het huurcontract");
    public static readonly LedgerColumn TenantNames = new("huurder", "tenant", Required: true, "naam van de huurder(s), meerdere gescheiden door |");
    public static readonly LedgerColumn Address = new("adres", "address", Required: true, "straat en huisnummer");
    public static readonly LedgerColumn PostalCode = new("postcode", "postal_code", Required: false, "postcode, bijvoorbeeld 1234 AB");
    public static readonly LedgerColumn City = new("woonplaats", "city", Required: false, "woonplaats");
    public static readonly LedgerColumn Email = new("email", "e_mail", Required: false, "e-mailadres");
    public static readonly LedgerColumn Phone = new("telefoon", "phone", Required: false, "telefoonnummer");
    public static readonly LedgerColumn DateOfBirth = new("geboortedatum", "date_of_birth", Required: false, "nodig voor de vroegsignalering");
    public static readonly LedgerColumn ContractStart = new("ingangsdatum", "contract_start", Required: true, "begin van het contract");
    public static readonly LedgerColumn ContractEnd = new("einddatum", "contract_end", Required: false, "einde van het contract als de huurder vertrokken is");
    public static readonly LedgerColumn PropertyType = new("objecttype", "property_type", Required: true, "woning, BOG, MOG of ZOG");
    public static readonly LedgerColumn MonthlyRent = new("huur", "monthly_rent", Required: true, "de huur per maand");
    public static readonly LedgerColumn BalanceDue = new("saldo", "balance_due", Required: true, "wat de huurder nu moet betalen (negatief: tegoed)");
    public static readonly LedgerColumn Due0To30 = new("openstaand_0_30", "due_0_30", Required: false, "deel van het saldo tot 30 dagen over de vervaldatum");
    public static readonly LedgerColumn Due31To60 = new("openstaand_31_60", "due_31_60", Required: false, "deel van het saldo 31-60 dagen over de vervaldatum");
    public static readonly LedgerColumn Due61To90 = new("openstaand_61_90", "due_61_90", Required: false, "deel van het saldo 61-90 dagen over de vervaldatum");
    public static readonly LedgerColumn DueOver90 = new("openstaand_90_plus", "due_over_90", Required: false, "deel van het saldo meer dan 90 dagen over de vervaldatum");
    public static readonly LedgerColumn DirectDebit = new("automatische_incasso", "direct_debit", Required: true, "ja of nee");
    public static readonly LedgerColumn MandateId = new("machtigingskenmerk", "mandate_id", Required: false, "kenmerk van de SEPA-machtiging; verplicht bij automatische incasso");
    public static readonly LedgerColumn Ibans = new("iban", "ibans", Required: false, "rekeningnummer(s) van de huurder, meerdere gescheiden door |");
    public static readonly LedgerColumn PaymentReference = new("betalingskenmerk", "payment_reference", Required: false, "betalingskenmerk of RF-referentie van het contract");

    /// <summary>The column a rejection file adds; ignored when that file is imported again.</summary>
    public const string ErrorColumn = "fout";

    /// <summary>Every column, in the order of the documented example.</summary>
    public static readonly IReadOnlyList<LedgerColumn> All =
    [
        ContractId, TenantNames, Address, PostalCode, City, Email, Phone, DateOfBirth, ContractStart, ContractEnd,
        PropertyType, MonthlyRent, BalanceDue, Due0To30, Due31To60, Due61To90, DueOver90, DirectDebit, MandateId, Ibans, PaymentReference,
    ];

    internal static string Normalize(string header) =>
        new(header.Where(c => c is not (' ' or '_' or '-' or '.')).Select(char.ToLowerInvariant).ToArray());
}

/// <summary>One column of the ledger export.</summary>
public sealed record LedgerColumn(string Name, string Alias, bool Required, string Description);
