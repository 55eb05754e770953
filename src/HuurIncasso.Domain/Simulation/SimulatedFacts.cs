namespace HuurIncasso.Domain.Simulation;

/// <summary>
/// Something that happened to a contract on a day, as the ledger or the bank would report
/// it. Ordered by date; <see cref="Id"/> is stable for a seed, usable as an idempotency key.
/// </summary>
/// <param name="Id">Stable identifier, unique within a portfolio.</param>
/// <param name="Date">The business date it happened.</param>
/// <param name="ContractNumber">The contract it concerns.</param>
public abstract record SimulatedFact(string Id, DateOnly Date, string ContractNumber);

/// <summary>A contract that starts during the simulation (a new tenant); its first rent follows the same day.</summary>
public sealed record SimulatedContractStarted(string Id, DateOnly Date, string ContractNumber, decimal MonthlyRent)
    : SimulatedFact(Id, Date, ContractNumber);

/// <summary>The month's rent charged in the ledger, on the 1st, due in advance.</summary>
/// <param name="Id">Stable identifier, unique within a portfolio.</param>
/// <param name="Date">The business date it happened.</param>
/// <param name="ContractNumber">The contract it concerns.</param>
/// <param name="Amount">The rent for the month (after any yearly increase on 1 July).</param>
public sealed record SimulatedRentCharged(string Id, DateOnly Date, string ContractNumber, decimal Amount)
    : SimulatedFact(Id, Date, ContractNumber);

/// <summary>Money received from the tenant.</summary>
/// <param name="Id">Stable identifier, unique within a portfolio.</param>
/// <param name="Date">The business date it happened.</param>
/// <param name="ContractNumber">The contract it concerns.</param>
/// <param name="Amount">The amount received, always positive.</param>
/// <param name="Method">Direct-debit collection or a transfer by the tenant.</param>
/// <param name="DebtorIban">The account it came from.</param>
/// <param name="EndToEndId">For a direct debit, the id a reversal will quote; null for a transfer.</param>
/// <param name="Description">The remittance text as the tenant or the collection wrote it.</param>
public sealed record SimulatedPayment(
    string Id,
    DateOnly Date,
    string ContractNumber,
    decimal Amount,
    SimulatedPaymentMethod Method,
    string DebtorIban,
    string? EndToEndId,
    string Description)
    : SimulatedFact(Id, Date, ContractNumber);

/// <summary>A direct-debit return (SEPA R-transaction): the collected amount goes back.</summary>
/// <param name="Id">Stable identifier, unique within a portfolio.</param>
/// <param name="Date">The business date it happened.</param>
/// <param name="ContractNumber">The contract it concerns.</param>
/// <param name="Amount">The amount reversed: the whole collection.</param>
/// <param name="ReasonCode">AM04 (insufficient funds) or MD06 (refund at the debtor's request).</param>
/// <param name="EndToEndId">The original collection's end-to-end id.</param>
/// <param name="CollectedOn">The date of the original collection.</param>
public sealed record SimulatedReversal(string Id, DateOnly Date, string ContractNumber, decimal Amount, string ReasonCode, string EndToEndId, DateOnly CollectedOn)
    : SimulatedFact(Id, Date, ContractNumber);

/// <summary>The tenant leaves; the contract ends on <see cref="SimulatedFact.Date"/> (the last day of a month).</summary>
public sealed record SimulatedDeparture(string Id, DateOnly Date, string ContractNumber)
    : SimulatedFact(Id, Date, ContractNumber);
