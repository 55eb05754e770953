namespace HuurIncasso.Domain.Simulation;

/// <summary>How rent is paid.</summary>
public enum SimulatedPaymentMethod
{
    /// <summary>SEPA direct debit (automatische incasso) on the first working day of the month.</summary>
    DirectDebit,

    /// <summary>The tenant transfers the money.</summary>
    BankTransfer,
}

/// <summary>The kind of property let.</summary>
public enum SimulatedPropertyType
{
    /// <summary>A home; collected by consultants.</summary>
    Home,

    /// <summary>BOG: commercial property; collected by finance.</summary>
    Commercial,

    /// <summary>MOG: social-purpose property; collected by finance.</summary>
    SocialPurpose,

    /// <summary>ZOG: care property; collected by finance.</summary>
    Care,
}

/// <summary>The hidden truth about how a tenant pays (the segments of seed 000 and seed 002's colours).</summary>
public enum PayerBehaviour
{
    /// <summary>Pays in full on time (green).</summary>
    Tidy,

    /// <summary>Usually on time, sometimes days late, now and then a month late (orange).</summary>
    Sloppy,

    /// <summary>Pays every month, but two to six weeks late (blue).</summary>
    ChronicLate,

    /// <summary>Tidy until an income shock; then pays part for a few months and catches up.</summary>
    IncomeShock,

    /// <summary>Structural problems: pays only part, every month; arrears grow (red).</summary>
    CannotPay,

    /// <summary>Stops paying on principle for a few months, then pays it all at once.</summary>
    Refuser,
}

/// <summary>A postal address.</summary>
public sealed record SimulatedAddress(string Street, string HouseNumber, string PostalCode, string City)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Street} {HouseNumber}, {PostalCode} {City}";
}

/// <summary>What the corporation's ERP knows about a contract.</summary>
/// <param name="ContractNumber">Unique within the portfolio.</param>
/// <param name="TenantName">The tenant's full name.</param>
/// <param name="Address">The let property's address.</param>
/// <param name="PropertyType">Home, or BOG / MOG / ZOG.</param>
/// <param name="MonthlyRent">The rent when the simulation (or, for a new tenant, the contract) starts.</param>
/// <param name="PaymentMethod">Direct debit or transfer.</param>
/// <param name="Iban">The tenant's account (a valid Dutch IBAN).</param>
/// <param name="StartDate">The first day of the contract, always a 1st.</param>
public sealed record SimulatedContract(
    string ContractNumber,
    string TenantName,
    SimulatedAddress Address,
    SimulatedPropertyType PropertyType,
    decimal MonthlyRent,
    SimulatedPaymentMethod PaymentMethod,
    string Iban,
    DateOnly StartDate);

/// <summary>The hidden payer model behind a contract; not something the corporation knows.</summary>
/// <param name="Behaviour">The kind of payer.</param>
/// <param name="UsualPaymentDay">Day of the month a transfer normally arrives (1-5).</param>
/// <param name="TroubleFrom">First month of the income shock or refusal; null for other behaviours.</param>
/// <param name="TroubleMonths">How many months the shock or refusal lasts.</param>
/// <param name="SharePaidInTrouble">Share of the rent still paid during an income shock (0-0.5).</param>
/// <param name="CatchUpPerMonth">Extra paid each month after a shock until the shortfall is gone.</param>
/// <param name="DepartsOn">The last day of the contract when the tenant leaves within 20 years; else null.</param>
public sealed record SimulatedPayerProfile(
    PayerBehaviour Behaviour,
    int UsualPaymentDay,
    DateOnly? TroubleFrom,
    int TroubleMonths,
    decimal SharePaidInTrouble,
    decimal CatchUpPerMonth,
    DateOnly? DepartsOn);

/// <summary>One contract of the portfolio with its hidden payer model.</summary>
/// <param name="Index">Position in the portfolio, from 0.</param>
/// <param name="Contract">What the corporation knows.</param>
/// <param name="Payer">How the tenant really pays.</param>
public sealed record SimulatedTenancy(int Index, SimulatedContract Contract, SimulatedPayerProfile Payer);
