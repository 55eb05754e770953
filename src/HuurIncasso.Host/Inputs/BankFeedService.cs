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
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TableClient _seen = clients.Tables.GetTableClient(clients.Names.BankEntriesTable);
    private readonly TableClient _payments = clients.Tables.GetTableClient(clients.Names.PaymentsTable);
    private readonly TableClient _unknown = clients.Tables.GetTableClient(clients.Names.UnknownPaymentsTable);

    /// <summary>Handles every transaction of <paramref name="file"/>; entries seen before are counted, not applied again.</summary>
    public async Task<BankFeedResult> ApplyAsync(BankStatementFile file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        var index = await paymentIndex.GetAsync(cancellationToken).ConfigureAwait(false);
        int fresh = 0, known = 0, applied = 0, kept = 0, unknown = 0, ignored = 0;
        foreach (var transaction in file.Transactions)
        {
            var id = IdOf(transaction.EntryKey);
            var seen = await _seen.GetEntityIfExistsAsync<TableEntity>(id[..2], id, select: ["PartitionKey"], cancellationToken: cancellationToken).ConfigureAwait(false);
            if (seen.HasValue)
            {
                known++;
                continue;
            }

            fresh++;
            // Applied before marked as seen: a crash in between applies again, which the stable message ids make harmless.
            var outcome = await ApplyOneAsync(transaction, id, index, cancellationToken).ConfigureAwait(false);
            switch (outcome)
            {
                case Outcome.Applied: applied++; break;
                case Outcome.Kept: kept++; break;
                case Outcome.Unknown: unknown++; break;
                default: ignored++; break;
            }

            await _seen.UpsertEntityAsync(new TableEntity(id[..2], id) { ["EntryKey"] = transaction.EntryKey, ["Outcome"] = outcome.ToString() }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }

        return new BankFeedResult(fresh, known, applied, kept, unknown, ignored);
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
        await ApplyToContractAsync(contract, payment.Id, payment.BookedOn, payment.Amount, payment.Reversal, payment.ReasonCode, payment.DirectDebit, match, cancellationToken).ConfigureAwait(false);
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

    private async Task<Outcome> ApplyOneAsync(BankTransaction t, string id, PaymentKeyIndex index, CancellationToken cancellationToken)
    {
        var reversal = t.Reversal;
        if (t.Direction == BankDirection.Debit && !reversal)
        {
            return Outcome.Ignored;
        }

        var directDebit = t.MandateId is not null;
        var result = PaymentMatcher.Match(t, index);
        if (result.Outcome != MatchOutcome.Matched || result.ContractId is null)
        {
            var unknown = new UnknownPayment(id, t.EntryKey, t.BookingDate, t.Amount, reversal, t.ReasonCode, t.DebtorName, t.DebtorIban, t.Reference, t.Remittance,
                directDebit, result.Explanation, result.Candidates, "open", null, null);
            await _unknown.UpsertEntityAsync(new TableEntity(UnknownPartition, id) { ["Data"] = JsonSerializer.Serialize(unknown, Json) }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return Outcome.Unknown;
        }

        var contract = await register.GetAsync(result.ContractId, cancellationToken).ConfigureAwait(false)
            ?? new ContractEntry(result.ContractId, null, null, [], []);
        return await ApplyToContractAsync(contract, id, t.BookingDate, t.Amount, reversal, t.ReasonCode, directDebit,
            new Match(result.ContractId, result.Method?.ToString() ?? "", result.Explanation), cancellationToken).ConfigureAwait(false);
    }

    private async Task<Outcome> ApplyToContractAsync(
        ContractEntry contract, string id, DateOnly bookedOn, decimal amount, bool reversal, string? reasonCode, bool directDebit, Match match, CancellationToken cancellationToken)
    {
        string? caseId = null;
        if (contract.CurrentCaseId is { } current)
        {
            var instance = await cases.GetAsync(current, includeTimeline: false, cancellationToken).ConfigureAwait(false);
            // Not there yet: the import's opening is still in the inbox, and the inbox parks the payment until it opens.
            // Once a payment is parked the engine shows such a case as suspended with sequence 0: still not opened.
            // A reversal undoes a payment the case may already have closed on: it goes to that case, which reopens.
            if (instance is null
                || instance.Case.Sequence == 0
                || instance.Case.Status == HuurIncasso.Engine.CaseStatus.Running
                || (reversal && instance.Case.Status == HuurIncasso.Engine.CaseStatus.Completed))
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
                new TableEntity(Key(contract.ContractId), id)
                {
                    ["ContractId"] = contract.ContractId,
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
            var earlier = await _payments.GetEntityAsync<TableEntity>(Key(contract.ContractId), id, select: ["CaseId", "Method", "Explanation"], cancellationToken: cancellationToken).ConfigureAwait(false);
            caseId = earlier.Value.GetString("CaseId");
            match = new Match(contract.ContractId, earlier.Value.GetString("Method") ?? match.Method, earlier.Value.GetString("Explanation") ?? match.Explanation);
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
            await register.AddUnappliedPaymentAsync(contract.ContractId,
                new UnappliedPayment(id, bookedOn, reversal ? -amount : amount, match.Method, match.Explanation), cancellationToken).ConfigureAwait(false);
        }

        return caseId is null ? Outcome.Kept : Outcome.Applied;
    }

    // Entry keys hold IBANs, bank references and '|': a hash makes a safe, fixed-length table key.
    private static string IdOf(string entryKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(entryKey)))[..32];

    private static string Key(string contractId) => Uri.EscapeDataString(contractId).Replace("%", "~", StringComparison.Ordinal);
}
