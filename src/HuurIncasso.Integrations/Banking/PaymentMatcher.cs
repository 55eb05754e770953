using System.Globalization;
using System.Text.RegularExpressions;
using HuurIncasso.Domain.Payments;

namespace HuurIncasso.Integrations.Banking;

/// <summary>What identifies the payments of one contract.</summary>
public sealed record ContractPaymentKeys
{
    /// <summary>The contract these keys belong to.</summary>
    public required string ContractId { get; init; }

    /// <summary>Betalingskenmerken and RF references issued for the contract.</summary>
    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>SEPA direct-debit mandate ids of the contract.</summary>
    public IReadOnlyList<string> MandateIds { get; init; } = [];

    /// <summary>End-to-end ids of direct debits collected for the contract.</summary>
    public IReadOnlyList<string> EndToEndIds { get; init; } = [];

    /// <summary>IBANs confirmed to pay for the contract (learned from earlier matches).</summary>
    public IReadOnlyList<string> KnownIbans { get; init; } = [];

    /// <summary>Names of the tenants of the contract, as the ledger holds them.</summary>
    public IReadOnlyList<string> TenantNames { get; init; } = [];

    /// <summary>The amount a normal payment has (the monthly rent), when known.</summary>
    public decimal? ExpectedAmount { get; init; }
}

/// <summary>How a payment was tied to a contract, strongest first.</summary>
public enum MatchMethod
{
    /// <summary>A betalingskenmerk or RF reference, structured or typed in the description.</summary>
    StructuredReference,

    /// <summary>The direct-debit mandate id or the end-to-end id.</summary>
    MandateOrEndToEnd,

    /// <summary>The payer's IBAN is known for the contract.</summary>
    KnownIban,

    /// <summary>The payer's name resembles a tenant's and the amount is the expected one.</summary>
    NameAndAmount,
}

/// <summary>Whether a contract was found.</summary>
public enum MatchOutcome
{
    /// <summary>One contract.</summary>
    Matched,

    /// <summary>No contract: a person decides.</summary>
    Unmatched,

    /// <summary>Several contracts fit equally: a person decides.</summary>
    Ambiguous,
}

/// <summary>A contract that may be meant, with why.</summary>
/// <param name="ContractId">The contract.</param>
/// <param name="Explanation">Why it is a candidate, in Dutch.</param>
/// <param name="NameScore">How well the name fits (0-1), when names were compared.</param>
public sealed record MatchCandidate(string ContractId, string Explanation, double? NameScore = null);

/// <summary>The outcome of matching one payment.</summary>
/// <param name="Outcome">Matched, unmatched or ambiguous.</param>
/// <param name="ContractId">The contract when matched.</param>
/// <param name="Method">How, when matched.</param>
/// <param name="Explanation">How the match was made or why none was, in Dutch, for the case audit trail and the worklist.</param>
/// <param name="Candidates">For ambiguous results the contracts that fit; for unmatched ones suggestions, possibly none.</param>
public sealed record PaymentMatch(MatchOutcome Outcome, string? ContractId, MatchMethod? Method, string Explanation, IReadOnlyList<MatchCandidate> Candidates)
{
    internal static PaymentMatch Matched(string contractId, MatchMethod method, string explanation) =>
        new(MatchOutcome.Matched, contractId, method, explanation, []);

    internal static PaymentMatch Ambiguous(string explanation, IReadOnlyList<MatchCandidate> candidates) =>
        new(MatchOutcome.Ambiguous, null, null, explanation, candidates);

    internal static PaymentMatch Unmatched(string explanation, IReadOnlyList<MatchCandidate>? suggestions = null) =>
        new(MatchOutcome.Unmatched, null, null, explanation, suggestions ?? []);
}

/// <summary>Settings of the matcher.</summary>
public sealed record PaymentMatcherOptions
{
    /// <summary>The least name score (0-1) for a name to count; below it a name is not a candidate.</summary>
    public double NameThreshold { get; init; } = 0.8;
}

/// <summary>
/// The payment keys of all contracts, indexed for matching. Build it once per run from the
/// contracts; immutable and thread-safe afterwards.
/// </summary>
public sealed class PaymentKeyIndex
{
    private readonly Dictionary<string, List<ContractPaymentKeys>> _byReference = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ContractPaymentKeys>> _byMandate = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<ContractPaymentKeys>> _byEndToEnd = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<ContractPaymentKeys>> _byIban = new(StringComparer.Ordinal);
    private readonly List<(ContractPaymentKeys Contract, TenantNameKey[] Names)> _names = [];

    /// <summary>Indexes <paramref name="contracts"/>.</summary>
    /// <exception cref="ArgumentException">Two entries have the same contract id.</exception>
    public PaymentKeyIndex(IEnumerable<ContractPaymentKeys> contracts)
    {
        ArgumentNullException.ThrowIfNull(contracts);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var contract in contracts)
        {
            ArgumentNullException.ThrowIfNull(contract, nameof(contracts));
            if (!seen.Add(contract.ContractId))
            {
                throw new ArgumentException($"Contract {contract.ContractId} is given twice.", nameof(contracts));
            }

            foreach (var reference in contract.References)
            {
                Add(_byReference, Compact(reference), contract);
            }

            foreach (var mandate in contract.MandateIds)
            {
                Add(_byMandate, mandate.Trim(), contract);
            }

            foreach (var endToEnd in contract.EndToEndIds)
            {
                Add(_byEndToEnd, endToEnd.Trim(), contract);
            }

            foreach (var iban in contract.KnownIbans)
            {
                Add(_byIban, Compact(iban), contract);
            }

            _names.Add((contract, [.. contract.TenantNames.Select(TenantNameKey.Of)]));
        }

        Count = seen.Count;
    }

    /// <summary>Number of contracts indexed.</summary>
    public int Count { get; }

    internal IReadOnlyList<ContractPaymentKeys> ByReference(string reference) => Find(_byReference, Compact(reference));

    internal IReadOnlyList<ContractPaymentKeys> ByMandate(string mandate) => Find(_byMandate, mandate.Trim());

    internal IReadOnlyList<ContractPaymentKeys> ByEndToEnd(string endToEnd) => Find(_byEndToEnd, endToEnd.Trim());

    internal IReadOnlyList<ContractPaymentKeys> ByIban(string iban) => Find(_byIban, Compact(iban));

    internal IReadOnlyList<(ContractPaymentKeys Contract, TenantNameKey[] Names)> Names => _names;

    private static List<ContractPaymentKeys> Find(Dictionary<string, List<ContractPaymentKeys>> map, string key) =>
        key.Length > 0 && map.TryGetValue(key, out var found) ? found : [];

    private static void Add(Dictionary<string, List<ContractPaymentKeys>> map, string key, ContractPaymentKeys contract)
    {
        if (key.Length == 0)
        {
            return;
        }

        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        if (!list.Contains(contract))
        {
            list.Add(contract);
        }
    }

    private static string Compact(string value) => string.Concat(value.Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();
}

/// <summary>
/// Ties a bank transaction to a contract. Exact keys first: a structured reference (also a
/// valid one typed in the description), then the mandate or end-to-end id, then an IBAN known
/// for exactly one contract; the payer's name only as a tie-breaker, and only together with
/// the expected amount. What does not match one contract is left for a person, with the
/// candidates. Pure and thread-safe.
/// </summary>
public static partial class PaymentMatcher
{
    /// <summary>Matches <paramref name="transaction"/> against <paramref name="index"/>.</summary>
    public static PaymentMatch Match(BankTransaction transaction, PaymentKeyIndex index, PaymentMatcherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(index);
        options ??= new PaymentMatcherOptions();

        return ByStructuredReference(transaction, index)
            ?? ByMandateOrEndToEnd(transaction, index)
            ?? ByIban(transaction, index, options)
            ?? ByNameAndAmount(transaction, index.Names, options, "geen betalingskenmerk, machtiging of bekend IBAN gevonden");
    }

    private static PaymentMatch? ByStructuredReference(BankTransaction transaction, PaymentKeyIndex index)
    {
        if (transaction.Reference is { } structured
            && transaction.ReferenceType is ReferenceType.Betalingskenmerk or ReferenceType.CreditorReference
            && !transaction.HasFlag(BankDataFlagCode.InvalidReference)
            && index.ByReference(structured) is { Count: > 0 } structuredHits)
        {
            return Decide(structuredHits, MatchMethod.StructuredReference, $"betalingskenmerk {structured}");
        }

        // Tenants type the reference by hand; only references whose check digits hold count.
        var typed = TypedReferences(transaction.Remittance)
            .Concat(transaction.ReferenceType == ReferenceType.Other && transaction.Reference is { } other ? TypedReferences(other) : [])
            .Distinct(StringComparer.Ordinal)
            .Select(reference => (Reference: reference, Hits: index.ByReference(reference)))
            .Where(found => found.Hits.Count > 0)
            .ToList();
        if (typed.Count == 0)
        {
            return null;
        }

        var contracts = typed.SelectMany(found => found.Hits).Distinct().ToList();
        var references = string.Join(", ", typed.Select(found => found.Reference));
        return Decide(contracts, MatchMethod.StructuredReference, $"kenmerk {references} in de omschrijving");
    }

    private static PaymentMatch? ByMandateOrEndToEnd(BankTransaction transaction, PaymentKeyIndex index)
    {
        var mandateHits = transaction.MandateId is { } mandate ? index.ByMandate(mandate) : [];
        var endToEndHits = transaction.EndToEndId is { } endToEnd ? index.ByEndToEnd(endToEnd) : [];
        var contracts = mandateHits.Concat(endToEndHits).Distinct().ToList();
        if (contracts.Count == 0)
        {
            return null;
        }

        var what = (mandateHits.Count > 0, endToEndHits.Count > 0) switch
        {
            (true, true) => $"machtiging {transaction.MandateId} en end-to-end-id {transaction.EndToEndId}",
            (true, false) => $"machtiging {transaction.MandateId}",
            _ => $"end-to-end-id {transaction.EndToEndId}",
        };
        return Decide(contracts, MatchMethod.MandateOrEndToEnd, what);
    }

    private static PaymentMatch? ByIban(BankTransaction transaction, PaymentKeyIndex index, PaymentMatcherOptions options)
    {
        if (transaction.DebtorIban is not { } iban || transaction.HasFlag(BankDataFlagCode.InvalidDebtorIban))
        {
            return null;
        }

        var contracts = index.ByIban(iban);
        if (contracts.Count == 0)
        {
            return null;
        }

        if (contracts.Count == 1)
        {
            return PaymentMatch.Matched(contracts[0].ContractId, MatchMethod.KnownIban, $"IBAN {iban} is bekend bij contract {contracts[0].ContractId}");
        }

        // One account paying for several contracts (a parking space and a home, say): the
        // name and amount may still tell which one, else a person decides.
        var names = index.Names.Where(entry => contracts.Contains(entry.Contract)).ToList();
        var narrowed = ByNameAndAmount(transaction, names, options, $"IBAN {iban} is bekend bij {contracts.Count} contracten");
        if (narrowed.Outcome == MatchOutcome.Matched)
        {
            return narrowed with { Method = MatchMethod.KnownIban };
        }

        return PaymentMatch.Ambiguous(
            $"IBAN {iban} is bekend bij {contracts.Count} contracten; naam en bedrag wijzen er geen uit",
            [.. contracts.Select(c => new MatchCandidate(c.ContractId, $"IBAN {iban} is bekend bij dit contract"))]);
    }

    private static PaymentMatch ByNameAndAmount(
        BankTransaction transaction,
        IReadOnlyList<(ContractPaymentKeys Contract, TenantNameKey[] Names)> contracts,
        PaymentMatcherOptions options,
        string before)
    {
        var payer = TenantNameKey.Of(transaction.DebtorName);
        if (payer.Words.Count == 0)
        {
            return PaymentMatch.Unmatched($"{before}, en geen naam van de betaler om te vergelijken");
        }

        var scored = contracts
            .Select(entry => (entry.Contract, Score: entry.Names.Length == 0 ? 0 : entry.Names.Max(payer.Score)))
            .Where(entry => entry.Score >= options.NameThreshold)
            .OrderByDescending(entry => entry.Score)
            .ThenBy(entry => entry.Contract.ContractId, StringComparer.Ordinal)
            .ToList();
        if (scored.Count == 0)
        {
            return PaymentMatch.Unmatched($"{before}, en de naam '{transaction.DebtorName}' lijkt op geen enkele huurder");
        }

        var amount = transaction.Amount.ToString("0.00", CultureInfo.InvariantCulture);
        var withAmount = scored.Where(entry => entry.Contract.ExpectedAmount == transaction.Amount).ToList();
        if (withAmount.Count == 0)
        {
            return PaymentMatch.Unmatched(
                $"{before}; de naam '{transaction.DebtorName}' lijkt op een huurder, maar het bedrag {amount} is niet het verwachte bedrag",
                [.. scored.Select(entry => Candidate(entry.Contract, entry.Score, "naam lijkt, bedrag wijkt af"))]);
        }

        var best = withAmount[0];
        if (withAmount.Count > 1 && withAmount[1].Score >= best.Score)
        {
            return PaymentMatch.Ambiguous(
                $"{before}; de naam '{transaction.DebtorName}' en het bedrag {amount} passen bij {withAmount.Count} contracten",
                [.. withAmount.Select(entry => Candidate(entry.Contract, entry.Score, "naam en bedrag passen"))]);
        }

        return PaymentMatch.Matched(best.Contract.ContractId, MatchMethod.NameAndAmount,
            string.Create(CultureInfo.InvariantCulture,
                $"{before}; de naam '{transaction.DebtorName}' past bij een huurder (score {best.Score:0.00}) en het bedrag {amount} is het verwachte bedrag"));
    }

    private static MatchCandidate Candidate(ContractPaymentKeys contract, double score, string why) =>
        new(contract.ContractId, string.Create(CultureInfo.InvariantCulture, $"{why} (naamscore {score:0.00})"), score);

    private static PaymentMatch Decide(IReadOnlyList<ContractPaymentKeys> contracts, MatchMethod method, string what)
    {
        if (contracts.Count == 1)
        {
            return PaymentMatch.Matched(contracts[0].ContractId, method, $"{what} hoort bij contract {contracts[0].ContractId}");
        }

        return PaymentMatch.Ambiguous(
            $"{what} hoort bij {contracts.Count} contracten",
            [.. contracts.Select(c => new MatchCandidate(c.ContractId, $"{what} hoort bij dit contract"))]);
    }

    /// <summary>Valid betalingskenmerken and RF references in free text, digits grouped by spaces or dots allowed.</summary>
    internal static IEnumerable<string> TypedReferences(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            yield break;
        }

        foreach (Match match in DigitRun().Matches(text))
        {
            // "huur nov 2026 5000 0567 8901 2345": try every stretch of adjacent groups.
            var groups = match.Value.Split([' ', '.']);
            for (var first = 0; first < groups.Length; first++)
            {
                var digits = string.Empty;
                for (var last = first; last < groups.Length && digits.Length + groups[last].Length <= 16; last++)
                {
                    digits += groups[last];
                    if (digits.Length >= 7 && Betalingskenmerk.IsValid(digits))
                    {
                        yield return digits;
                    }
                }
            }
        }

        foreach (Match match in RfRun().Matches(text))
        {
            var compact = string.Concat(match.Value.Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();
            // The run may have swallowed a following word; try the longest valid prefix.
            for (var length = compact.Length; length >= 5; length--)
            {
                if (CreditorReference.IsValid(compact[..length]))
                {
                    yield return compact[..length];
                    break;
                }
            }
        }
    }

    // Groups of digits separated by single spaces or dots ("5000 0567 8901 2345").
    [GeneratedRegex(@"\d+(?:[ .]\d+)*", RegexOptions.CultureInvariant)]
    private static partial Regex DigitRun();

    [GeneratedRegex(@"\b[Rr][Ff]\s?\d{2}(?:\s?[A-Za-z0-9]){1,21}", RegexOptions.CultureInvariant)]
    private static partial Regex RfRun();
}
