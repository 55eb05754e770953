using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Integrations.Banking;
using HuurIncasso.Integrations.Ledger;

namespace HuurIncasso.Host.Inputs;

/// <summary>A payment that reached a contract while it had no running case, kept so the next ledger import and a person see it.</summary>
public sealed record UnappliedPayment(string PaymentId, DateOnly BookedOn, decimal Amount, string Method, string Explanation);

/// <summary>One contract as the register knows it: the ledger's facts and what HuurIncasso learned.</summary>
/// <param name="ContractId">The ERP's contract number.</param>
/// <param name="Ledger">The facts of the last ledger import that held the contract; null when it was only learned from the bank.</param>
/// <param name="CurrentCaseId">The case last opened for the contract (running or closed), or null.</param>
/// <param name="LearnedIbans">IBANs a person confirmed for the contract.</param>
/// <param name="UnappliedPayments">Payments that came while no case was running.</param>
public sealed record ContractEntry(
    string ContractId,
    LedgerRow? Ledger,
    string? CurrentCaseId,
    IReadOnlyList<string> LearnedIbans,
    IReadOnlyList<UnappliedPayment> UnappliedPayments)
{
    /// <summary>What the payment matcher needs of the contract.</summary>
    public ContractPaymentKeys ToPaymentKeys() => new()
    {
        ContractId = ContractId,
        References = Ledger?.PaymentReference is { Length: > 0 } reference ? [reference] : [],
        MandateIds = Ledger?.MandateId is { Length: > 0 } mandate ? [mandate] : [],
        KnownIbans = [.. (Ledger?.Ibans ?? []).Concat(LearnedIbans).Distinct(StringComparer.Ordinal)],
        TenantNames = Ledger?.TenantNames ?? [],
        ExpectedAmount = Ledger?.MonthlyRent,
    };
}

/// <summary>What the register holds about a contract for the next ledger import.</summary>
/// <param name="CurrentCaseId">The case last opened for the contract, or null.</param>
/// <param name="LedgerHash">Fingerprint of the ledger facts last written (<see cref="LedgerFingerprint.Of(LedgerRow)"/>); null before fingerprints were kept.</param>
/// <param name="ContactHash">Fingerprint of the contact last written to the tenant directory for <paramref name="CurrentCaseId"/>, or null.</param>
public sealed record ContractImportState(string? CurrentCaseId, string? LedgerHash, string? ContactHash);

/// <summary>One contract's write by the ledger import.</summary>
/// <param name="CurrentCaseId">Set when not null; null leaves the current case as it is.</param>
/// <param name="ContactHash">Set when not null: the contact just written to the tenant directory.</param>
public sealed record ContractLedgerWrite(LedgerRow Row, string? CurrentCaseId, string LedgerHash, string? ContactHash);

/// <summary>
/// The contract register in Table storage, one row per contract (partition <c>contract</c>, row
/// key the contract id, so imports write 100 contracts per transaction). The ledger's facts,
/// the current case, learned IBANs and unapplied payments are separate columns, merged, so an
/// import never overwrites what the bank feed learned. Thread-safe.
/// </summary>
public sealed class ContractRegister(StorageClients clients)
{
    private const string Partition = "contract";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TableClient _table = clients.Tables.GetTableClient(clients.Names.ContractsTable);

    /// <summary>The contract, or null when the register does not know it.</summary>
    public async Task<ContractEntry?> GetAsync(string contractId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contractId);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, Key(contractId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    /// <summary>The case last opened for the contract; null when it has none or the register does not know it. Reads that column only.</summary>
    public async Task<string?> GetCurrentCaseIdAsync(string contractId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contractId);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, Key(contractId), select: ["CurrentCaseId"], cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value!.GetString("CurrentCaseId") : null;
    }

    /// <summary>Every contract: one query, paged by the SDK.</summary>
    public async Task<IReadOnlyList<ContractEntry>> ListAsync(CancellationToken cancellationToken = default)
    {
        var entries = new List<ContractEntry>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            entries.Add(FromEntity(entity));
        }

        return entries;
    }

    /// <summary>
    /// What the ledger import needs of every contract to decide what to write: the current case
    /// and the fingerprints of what it wrote last. One query that selects only those columns.
    /// </summary>
    public async Task<Dictionary<string, ContractImportState>> ReadImportStateAsync(CancellationToken cancellationToken = default)
    {
        var states = new Dictionary<string, ContractImportState>(StringComparer.Ordinal);
        var query = _table.QueryAsync<TableEntity>(
            e => e.PartitionKey == Partition,
            select: ["ContractId", "CurrentCaseId", "LedgerHash", "ContactHash"],
            cancellationToken: cancellationToken);
        await foreach (var entity in query.ConfigureAwait(false))
        {
            var contractId = entity.GetString("ContractId") ?? entity.RowKey;
            states[contractId] = new ContractImportState(entity.GetString("CurrentCaseId"), entity.GetString("LedgerHash"), entity.GetString("ContactHash"));
        }

        return states;
    }

    /// <summary>
    /// Writes the ledger facts and current case of contracts that did not come through an import
    /// (a consultant's correction, demo and test data): their fingerprints are worked out here.
    /// </summary>
    public Task UpsertLedgerAsync(IReadOnlyList<(LedgerRow Row, string? CurrentCaseId)> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return UpsertLedgerAsync([.. rows.Select(r => new ContractLedgerWrite(r.Row, r.CurrentCaseId, LedgerFingerprint.Of(r.Row), null))], cancellationToken);
    }

    /// <summary>
    /// Writes the ledger facts (and the current case and fingerprints when given) of many
    /// contracts, 100 per entity-group transaction, four transactions at a time. A contract
    /// given twice keeps the last. Not atomic as a whole: after a failure some may be written.
    /// </summary>
    public async Task UpsertLedgerAsync(IReadOnlyList<ContractLedgerWrite> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        // A contract twice in one file: the last line wins, and a batch may not hold one row twice.
        var distinct = rows.GroupBy(r => r.Row.ContractId, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        // Batches touch different rows, so they may run side by side.
        await Parallel.ForEachAsync(distinct.Chunk(100), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (chunk, ct) =>
        {
            var actions = chunk.Select(r =>
            {
                var entity = new TableEntity(Partition, Key(r.Row.ContractId))
                {
                    ["ContractId"] = r.Row.ContractId,
                    ["Ledger"] = JsonSerializer.Serialize(r.Row, Json),
                    ["LedgerHash"] = r.LedgerHash,
                };
                if (r.CurrentCaseId is not null)
                {
                    entity["CurrentCaseId"] = r.CurrentCaseId;
                }

                if (r.ContactHash is not null)
                {
                    entity["ContactHash"] = r.ContactHash;
                }

                return new TableTransactionAction(TableTransactionActionType.UpsertMerge, entity);
            });
            await _table.SubmitTransactionAsync(actions, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>Adds an IBAN a person confirmed for the contract.</summary>
    public Task LearnIbanAsync(string contractId, string iban, CancellationToken cancellationToken = default) =>
        ChangeAsync(contractId, e => e.LearnedIbans.Contains(iban, StringComparer.Ordinal) ? e : e with { LearnedIbans = [.. e.LearnedIbans, iban] }, cancellationToken);

    /// <summary>Keeps a payment that came while the contract had no running case (once per payment id).</summary>
    public Task AddUnappliedPaymentAsync(string contractId, UnappliedPayment payment, CancellationToken cancellationToken = default) =>
        ChangeAsync(contractId, e => e.UnappliedPayments.Any(p => p.PaymentId == payment.PaymentId) ? e : e with { UnappliedPayments = [.. e.UnappliedPayments, payment] }, cancellationToken);

    private async Task ChangeAsync(string contractId, Func<ContractEntry, ContractEntry> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, Key(contractId), cancellationToken: cancellationToken).ConfigureAwait(false);
            var before = response.HasValue ? FromEntity(response.Value!) : new ContractEntry(contractId, null, null, [], []);
            var after = change(before);
            if (ReferenceEquals(before, after))
            {
                return;
            }

            var entity = new TableEntity(Partition, Key(contractId))
            {
                ["ContractId"] = contractId,
                ["LearnedIbans"] = JsonSerializer.Serialize(after.LearnedIbans, Json),
                ["UnappliedPayments"] = JsonSerializer.Serialize(after.UnappliedPayments, Json),
            };
            try
            {
                if (response.HasValue)
                {
                    await _table.UpdateEntityAsync(entity, response.Value!.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (RequestFailedException ex) when ((ex.Status is 409 or 412) && attempt < 5)
            {
                // Someone else wrote the contract first: read it again and apply the change to that.
            }
        }
    }

    // Table keys may not hold / \ # ? or control characters; contract numbers normally do not, but a file may.
    private static string Key(string contractId) => Uri.EscapeDataString(contractId).Replace("%", "~", StringComparison.Ordinal);

    private static ContractEntry FromEntity(TableEntity entity) => new(
        entity.GetString("ContractId") ?? entity.RowKey,
        entity.GetString("Ledger") is { Length: > 0 } ledger ? JsonSerializer.Deserialize<LedgerRow>(ledger, Json) : null,
        entity.GetString("CurrentCaseId"),
        entity.GetString("LearnedIbans") is { Length: > 0 } ibans ? JsonSerializer.Deserialize<List<string>>(ibans, Json) ?? [] : [],
        entity.GetString("UnappliedPayments") is { Length: > 0 } payments ? JsonSerializer.Deserialize<List<UnappliedPayment>>(payments, Json) ?? [] : []);
}

/// <summary>
/// The <see cref="PaymentKeyIndex"/> built from the register, cached until an import or an
/// assignment changes the register. Thread-safe.
/// </summary>
public sealed class PaymentKeyIndexCache(ContractRegister register)
{
    private Task<PaymentKeyIndex>? _index;

    /// <summary>The index, built on first use after a change; callers at the same time share one build.</summary>
    public async Task<PaymentKeyIndex> GetAsync(CancellationToken cancellationToken = default)
    {
        var task = Volatile.Read(ref _index);
        if (task is null)
        {
            var fresh = BuildAsync();
            task = Interlocked.CompareExchange(ref _index, fresh, null) ?? fresh;
        }

        try
        {
            return await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (task.IsFaulted)
        {
            // A failed build is not cached: the next call tries again.
            _ = Interlocked.CompareExchange(ref _index, null, task);
            throw;
        }
    }

    /// <summary>Forgets the index: the next match reads the register again.</summary>
    public void Invalidate() => Volatile.Write(ref _index, null);

    private async Task<PaymentKeyIndex> BuildAsync()
    {
        var contracts = await register.ListAsync(CancellationToken.None).ConfigureAwait(false);
        return new PaymentKeyIndex(contracts.Select(c => c.ToPaymentKeys()));
    }
}
