using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Engine;
using HuurIncasso.Integrations.Banking;

namespace HuurIncasso.Host.Inputs;

/// <summary>What happened to the bank entries of one delivery.</summary>
/// <param name="New">Entries seen for the first time.</param>
/// <param name="AlreadyKnown">Entries handled before: nothing changed for them.</param>
/// <param name="Applied">Payments and reversals sent to a running case.</param>
/// <param name="KeptOnContract">Matched payments kept on the contract because it had no running case.</param>
/// <param name="Unknown">Entries left for a person (no or several contracts).</param>
/// <param name="Ignored">Outgoing entries that are not a reversal (not rent).</param>
public sealed record BankFeedResult(int New, int AlreadyKnown, int Applied, int KeptOnContract, int Unknown, int Ignored);

/// <summary>A bank payment or reversal tied to a contract, with how it was matched.</summary>
/// <param name="CaseId">The case it was sent to; null when it was kept on the contract.</param>
/// <param name="Method">StructuredReference, MandateOrEndToEnd, KnownIban, NameAndAmount, or Manual for a person's assignment.</param>
/// <param name="Explanation">Why this contract, in Dutch.</param>
public sealed record PaymentRecord(string Id, string ContractId, string? CaseId, DateOnly BookedOn, decimal Amount, bool Reversal, string? ReasonCode, string Method, string Explanation);

/// <summary>A payment no contract could be found for.</summary>
public sealed record UnknownPayment(
    string Id,
    string EntryKey,
    DateOnly BookedOn,
    decimal Amount,
    bool Reversal,
    string? ReasonCode,
    string? DebtorName,
    string? DebtorIban,
    string? Reference,
    string? Remittance,
    bool DirectDebit,
    string Explanation,
    IReadOnlyList<MatchCandidate> Candidates,
    string Status,
    string? AssignedTo,
    string? AssignedBy);

/// <summary>
/// Applies bank entries: once per entry key, matched by <see cref="PaymentMatcher"/>; payments
/// go to the contract's case, reversals reopen it, what matches nothing waits for a person.
/// Every applied payment is recorded with how it was matched. Thread-safe.
/// </summary>
public sealed class BankFeedService(
    StorageClients clients,
    ContractRegister register,
    PaymentKeyIndexCache paymentIndex,
    CaseClient<CaseState, CaseMessage, CaseEvent> cases)
{
    private const string UnknownPartition = "unknown";

    // Contracts handled side by side within one delivery. Each waits on storage round trips; more than this mostly queues at the store.
    private const int ContractsAtOnce = 16;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TableClient _seen = clients.Tables.GetTableClient(clients.Names.BankEntriesTable);
    private readonly TableClient _payments = clients.Tables.GetTableClient(clients.Names.PaymentsTable);
    private readonly TableClient _unknown = clients.Tables.GetTableClient(clients.Names.UnknownPaymentsTable);

    /// <summary>
    /// Handles every transaction of <paramref name="file"/>; entries seen before are counted, not applied again.
    /// Entries of different contracts are handled side by side, those of one contract one after another in booking order.
    /// </summary>
    public async Task<BankFeedResult> ApplyAsync(BankStatementFile file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        var index = await paymentIndex.GetAsync(cancellationToken).ConfigureAwait(false);
        // Matching is pure and in memory: decide every entry's contract first, so that only storage work is left to wait on.
        var entries = file.Transactions.Select((t, position) => Plan(t, position, index)).ToList();
        var outcomes = new (bool Fresh, Outcome Outcome)[entries.Count];
        // One contract's entries in booking order: each one's decision (case or contract) sees the case as the one before left it.
        // An entry that matched no contract is a line of its own (the same entry twice still shares one, so it is decided once).
        var lines = entries
            .GroupBy(e => e.Match is { Outcome: MatchOutcome.Matched, ContractId: { } contract } ? "c:" + contract : "e:" + e.Id, StringComparer.Ordinal)
            .Select(g => g.OrderBy(e => e.Transaction.BookingDate).ThenBy(e => e.Position).ToList())
            .ToList();
        if (lines.Count == 1)
        {
            // The usual pushed event: one payment, nothing to run side by side.
            await HandleLineAsync(lines[0], cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await Parallel.ForEachAsync(lines, new ParallelOptions { MaxDegreeOfParallelism = ContractsAtOnce, CancellationToken = cancellationToken }, async (line, ct) =>
                await HandleLineAsync(line, ct).ConfigureAwait(false)).ConfigureAwait(false);
        }

        async Task HandleLineAsync(List<Planned> line, CancellationToken ct)
        {
            foreach (var entry in line)
            {
                outcomes[entry.Position] = await HandleAsync(entry, ct).ConfigureAwait(false);
            }
        }

        var fresh = outcomes.Where(o => o.Fresh).ToList();
        return new BankFeedResult(
            fresh.Count,
            outcomes.Length - fresh.Count,
            fresh.Count(o => o.Outcome == Outcome.Applied),
            fresh.Count(o => o.Outcome == Outcome.Kept),
            fresh.Count(o => o.Outcome == Outcome.Unknown),
            fresh.Count(o => o.Outcome == Outcome.Ignored));
    }

    /// <summary>The payments tied to <paramref name="contractId"/>, oldest first.</summary>
    public async Task<IReadOnlyList<PaymentRecord>> ListPaymentsAsync(string contractId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contractId);
        var key = Key(contractId);
        var list = new List<PaymentRecord>();
        await foreach (var e in _payments.QueryAsync<TableEntity>(x => x.PartitionKey == key, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(new PaymentRecord(
                e.RowKey,
                e.GetString("ContractId")!,
                e.GetString("CaseId"),
                DateOnly.ParseExact(e.GetString("BookedOn")!, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                decimal.Parse(e.GetString("AmountText")!, System.Globalization.CultureInfo.InvariantCulture),
                e.GetBoolean("Reversal") ?? false,
                e.GetString("ReasonCode"),
                e.GetString("Method") ?? "",
                e.GetString("Explanation") ?? ""));
        }

        return [.. list.OrderBy(p => p.BookedOn)];
    }

    /// <summary>The payments waiting for a person, oldest first.</summary>
    public async Task<IReadOnlyList<UnknownPayment>> ListUnknownAsync(CancellationToken cancellationToken = default)
    {
        var list = new List<UnknownPayment>();
        await foreach (var entity in _unknown.QueryAsync<TableEntity>(e => e.PartitionKey == UnknownPartition, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var payment = JsonSerializer.Deserialize<UnknownPayment>(entity.GetString("Data")!, Json)!;
            if (payment.Status == "open") list.Add(payment);
        }

        return [.. list.OrderBy(p => p.BookedOn)];
    }

    /// <summary>
    /// A person says which contract an unknown payment belongs to: it is applied like any
    /// payment, and its IBAN is learned for the contract.
    /// </summary>
    /// <returns>Null when the payment is unknown; otherwise the assigned payment.</returns>
    /// <exception cref="InvalidOperationException">The contract is not in the register, or the payment was assigned before to another contract.</exception>
    public async Task<UnknownPayment?> AssignAsync(string id, string contractId, string by, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(contractId);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        var entity = await _unknown.GetEntityIfExistsAsync<TableEntity>(UnknownPartition, id, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!entity.HasValue) return null;
        var payment = JsonSerializer.Deserialize<UnknownPayment>(entity.Value!.GetString("Data")!, Json)!;
        if (payment.Status == "assigned")
        {
            return payment.AssignedTo == contractId
                ? payment
                : throw new InvalidOperationException($"Deze betaling is al toegewezen aan contract {payment.AssignedTo}.");
        }

        var contract = await register.GetAsync(contractId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Contract {contractId} staat niet in het contractregister.");
        var match = new Match(contractId, "Manual", $"toegewezen door {by}");
        await ApplyToContractAsync(contract.ContractId, contract.CurrentCaseId, payment.Id, payment.BookedOn, payment.Amount, payment.Reversal, payment.ReasonCode, payment.DirectDebit, match, cancellationToken).ConfigureAwait(false);
        if (payment.DebtorIban is { Length: > 0 } iban)
        {
            await register.LearnIbanAsync(contractId, iban, cancellationToken).ConfigureAwait(false);
            paymentIndex.Invalidate();
        }

        var assigned = payment with { Status = "assigned", AssignedTo = contractId, AssignedBy = by };
        await _unknown.UpsertEntityAsync(new TableEntity(UnknownPartition, id) { ["Data"] = JsonSerializer.Serialize(assigned, Json) }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        return assigned;
    }

    private enum Outcome
    {
        Applied,
        Kept,
        Unknown,
        Ignored,
    }

    private sealed record Match(string ContractId, string Method, string Explanation);

    /// <summary>An entry of a delivery with its table id and its match; no match for an outgoing entry that is not a reversal.</summary>
    private sealed record Planned(BankTransaction Transaction, int Position, string Id, PaymentMatch? Match);

    private static Planned Plan(BankTransaction t, int position, PaymentKeyIndex index) =>
        new(t, position, IdOf(t.EntryKey), t.Direction == BankDirection.Debit && !t.Reversal ? null : PaymentMatcher.Match(t, index));

    private async Task<(bool Fresh, Outcome Outcome)> HandleAsync(Planned entry, CancellationToken cancellationToken)
    {
        var id = entry.Id;
        var seen = await _seen.GetEntityIfExistsAsync<TableEntity>(id[..2], id, select: ["PartitionKey"], cancellationToken: cancellationToken).ConfigureAwait(false);
        if (seen.HasValue)
        {
            return (false, Outcome.Ignored);
        }

        // Applied before marked as seen: a crash in between applies again, which the stable message ids make harmless.
        var outcome = await ApplyOneAsync(entry, cancellationToken).ConfigureAwait(false);
        await _seen.UpsertEntityAsync(new TableEntity(id[..2], id) { ["EntryKey"] = entry.Transaction.EntryKey, ["Outcome"] = outcome.ToString() }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        return (true, outcome);
    }

    private async Task<Outcome> ApplyOneAsync(Planned entry, CancellationToken cancellationToken)
    {
        var (t, _, id, result) = entry;
        if (result is null)
        {
            return Outcome.Ignored;
        }

        var reversal = t.Reversal;
        var directDebit = t.MandateId is not null;
        if (result.Outcome != MatchOutcome.Matched || result.ContractId is null)
        {
            var unknown = new UnknownPayment(id, t.EntryKey, t.BookingDate, t.Amount, reversal, t.ReasonCode, t.DebtorName, t.DebtorIban, t.Reference, t.Remittance,
                directDebit, result.Explanation, result.Candidates, "open", null, null);
            await _unknown.UpsertEntityAsync(new TableEntity(UnknownPartition, id) { ["Data"] = JsonSerializer.Serialize(unknown, Json) }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return Outcome.Unknown;
        }

        // Only the current case is needed here, not the ledger facts: the light read.
        var currentCaseId = await register.GetCurrentCaseIdAsync(result.ContractId, cancellationToken).ConfigureAwait(false);
        return await ApplyToContractAsync(result.ContractId, currentCaseId, id, t.BookingDate, t.Amount, reversal, t.ReasonCode, directDebit,
            new Match(result.ContractId, result.Method?.ToString() ?? "", result.Explanation), cancellationToken).ConfigureAwait(false);
    }

    private async Task<Outcome> ApplyToContractAsync(
        string contractId, string? currentCaseId, string id, DateOnly bookedOn, decimal amount, bool reversal, string? reasonCode, bool directDebit, Match match, CancellationToken cancellationToken)
    {
        string? caseId = null;
        if (currentCaseId is { } current)
        {
            // The case's own row only: its parked messages do not change where the payment goes.
            var record = await cases.GetRecordAsync(current, cancellationToken).ConfigureAwait(false);
            // Not there yet: the import's opening is still in the inbox, and the inbox parks the payment until it opens
            // (however many payments are parked already).
            // A reversal undoes a payment the case may already have closed on: it goes to that case, which reopens.
            if (record is null
                || record.Sequence == 0
                || record.Status == HuurIncasso.Engine.CaseStatus.Running
                || (reversal && record.Status == HuurIncasso.Engine.CaseStatus.Completed))
            {
                caseId = current;
            }
        }

        // The payment's row is written first and says where it goes. An attempt that stopped after it (a crash or time-out
        // before the entry was marked as seen) is finished as it was decided: meanwhile the payment may have closed the
        // case, and deciding again would keep it on the contract as well, counting it twice.
        try
        {
            await _payments.AddEntityAsync(
                new TableEntity(Key(contractId), id)
                {
                    ["ContractId"] = contractId,
                    ["CaseId"] = caseId,
                    ["BookedOn"] = bookedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    ["Amount"] = (double)amount,
                    ["AmountText"] = amount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["Reversal"] = reversal,
                    ["ReasonCode"] = reasonCode,
                    ["Method"] = match.Method,
                    ["Explanation"] = match.Explanation,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var earlier = await _payments.GetEntityAsync<TableEntity>(Key(contractId), id, select: ["CaseId", "Method", "Explanation"], cancellationToken: cancellationToken).ConfigureAwait(false);
            caseId = earlier.Value.GetString("CaseId");
            match = new Match(contractId, earlier.Value.GetString("Method") ?? match.Method, earlier.Value.GetString("Explanation") ?? match.Explanation);
        }

        var messageId = "bank:" + id;
        if (caseId is not null)
        {
            CaseMessage message = reversal
                ? new ReverseDirectDebit(id, bookedOn, amount, reasonCode ?? "NARR") { MessageId = messageId }
                : new ReceivePayment(id, bookedOn, amount, directDebit) { MessageId = messageId };
            await cases.SendAsync(caseId, messageId, message, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await register.AddUnappliedPaymentAsync(contractId,
                new UnappliedPayment(id, bookedOn, reversal ? -amount : amount, match.Method, match.Explanation), cancellationToken).ConfigureAwait(false);
        }

        return caseId is null ? Outcome.Kept : Outcome.Applied;
    }

    // Entry keys hold IBANs, bank references and '|': a hash makes a safe, fixed-length table key.
    private static string IdOf(string entryKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(entryKey)))[..32];

    private static string Key(string contractId) => Uri.EscapeDataString(contractId).Replace("%", "~", StringComparison.Ordinal);
}
