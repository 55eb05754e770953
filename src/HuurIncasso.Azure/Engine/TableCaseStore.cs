using System.Collections.Concurrent;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Engine;

namespace HuurIncasso.Azure.Engine;

/// <summary>
/// The case store on Azure Table storage: one partition per case in the cases table, with
/// the state row ("state"), events ("evt-{seq:D10}", never rewritten), outbox effects
/// ("out-{seq:D10}-{i:D3}"), idempotency markers ("msg-{key}") and parked messages
/// ("park-{key}"). One handled message is one entity-group transaction with If-Match on
/// the state row. State rows are cached per process: a stale cache only costs a 412 and a
/// reload, so the common path is one transaction. Thread-safe.
/// </summary>
public sealed class TableCaseStore : ICaseStore
{
    private const int CacheLimit = 20_000;
    private readonly TableClient _table;
    private readonly BlobPayloads _payloads;
    private readonly ConcurrentDictionary<string, CaseRecord> _cache = new(StringComparer.Ordinal);
    private readonly TableClient _engineTable;
    private Lazy<Task> _parkedFlags;

    /// <summary>Uses the cases table and payloads container of <paramref name="clients"/>.</summary>
    public TableCaseStore(StorageClients clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _table = clients.Tables.GetTableClient(clients.Names.CasesTable);
        _engineTable = clients.Tables.GetTableClient(clients.Names.EngineTable);
        _parkedFlags = new(BackfillParkedFlagsAsync);
        _payloads = new BlobPayloads(clients.Blobs.GetBlobContainerClient(clients.Names.PayloadsContainer));
    }

    /// <inheritdoc />
    public async Task<CaseRecord?> LoadAsync(string caseId, bool fresh, CancellationToken cancellationToken = default)
    {
        if (!fresh && _cache.TryGetValue(caseId, out var cached))
        {
            return cached;
        }

        var response = await _table.GetEntityIfExistsAsync<TableEntity>(caseId, RowKeys.State, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue)
        {
            _cache.TryRemove(caseId, out _);
            return null;
        }

        var record = await ToRecordAsync(response.Value!, cancellationToken).ConfigureAwait(false);
        Remember(record);
        return record;
    }

    /// <inheritdoc />
    public bool HasCached(string caseId) => _cache.ContainsKey(caseId);

    /// <inheritdoc />
    /// <exception cref="CaseCommitTooLargeException">More than 100 rows in one commit.</exception>
    public async Task<CommitResult> CommitAsync(CaseCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var caseId = commit.Case.CaseId;
        var actions = new List<TableTransactionAction>(commit.Events.Count + commit.Effects.Count + 2);
        var markerIndex = -1;
        if (commit.IdempotencyKey is not null)
        {
            // First, so that a duplicate is reported as such even when the state is stale too.
            markerIndex = actions.Count;
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(caseId, RowKeys.Marker(commit.IdempotencyKey))
            {
                ["Key"] = commit.IdempotencyKey.Length <= 1000 ? commit.IdempotencyKey : commit.IdempotencyKey[..1000],
                ["Sequence"] = commit.Case.Sequence,
                ["HandledAt"] = commit.Case.UpdatedAt,
            }));
        }

        var stateIndex = actions.Count;
        var state = await ToEntityAsync(commit.Case, cancellationToken).ConfigureAwait(false);
        actions.Add(commit.ExpectedETag is null
            ? new TableTransactionAction(TableTransactionActionType.Add, state)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, state, new ETag(commit.ExpectedETag)));
        // Creating the case: add the parked flag too. Every parking writes it, so if a message was
        // parked before, this add fails and the commit goes again without it (the engine then looks
        // for parked messages); if not, the engine knows without a query that nothing waits.
        var flagIndex = -1;
        if (commit.ExpectedETag is null)
        {
            await EnsureParkedFlagsAsync().ConfigureAwait(false);
            flagIndex = actions.Count;
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(caseId, RowKeys.ParkedFlag)));
        }

        foreach (var e in commit.Events)
        {
            var row = RowKeys.Event(e.Sequence);
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(caseId, row)
            {
                ["Type"] = e.Type,
                ["RecordedAt"] = e.RecordedAt.ToString("O", CultureInfo.InvariantCulture),
                ["CausedBy"] = e.CausedBy,
                ["FromEngine"] = e.FromEngine,
            }.WithPayload("Data", await InlineOrBlobAsync(caseId, row, e.Data, cancellationToken).ConfigureAwait(false))));
        }

        foreach (var effect in commit.Effects)
        {
            var row = RowKeys.Outbox(effect.Sequence, effect.Index);
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(caseId, row)
            {
                ["EffectId"] = effect.Id,
                ["Kind"] = effect.Kind,
                ["Status"] = nameof(EffectStatus.Pending),
                ["Attempts"] = 0,
                ["CreatedAt"] = effect.CreatedAt,
            }.WithPayload("Payload", await InlineOrBlobAsync(caseId, row, effect.Payload, cancellationToken).ConfigureAwait(false))));
        }

        if (actions.Count > TableBatch.MaxActions)
        {
            throw new CaseCommitTooLargeException(caseId, $"{actions.Count} rows, at most {TableBatch.MaxActions} fit one transaction");
        }

        await MoveLargestToBlobWhileTooLargeAsync(caseId, actions, cancellationToken).ConfigureAwait(false);
        TableBatch.EnsureValid(actions);
        while (true)
        {
            try
            {
                var response = await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                var etag = response.Value[stateIndex].Headers.ETag?.ToString()
                    ?? throw new InvalidOperationException("The table service returned no ETag for the state row.");
                Remember(commit.Case with { ETag = etag });
                return new CommitResult(CommitStatus.Committed, etag, NoneParked: flagIndex >= 0);
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412 or 404)
            {
                _cache.TryRemove(caseId, out _);
                if (markerIndex >= 0 && ex.Status == 409 && (ex.FailedTransactionActionIndex == markerIndex
                    || (ex.FailedTransactionActionIndex is null && await MarkerExistsAsync(caseId, commit.IdempotencyKey!, cancellationToken).ConfigureAwait(false))))
                {
                    return new CommitResult(CommitStatus.Duplicate, null);
                }

                if (flagIndex >= 0 && ex.Status == 409 && (ex.FailedTransactionActionIndex is null || ex.FailedTransactionActionIndex == flagIndex))
                {
                    // A message was parked before (or the service did not say which row failed):
                    // commit without the flag; whether the case exists now decides that commit.
                    actions.RemoveAt(flagIndex);
                    flagIndex = -1;
                    continue;
                }

                return new CommitResult(CommitStatus.Conflict, null);
            }
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredEvent>> ReadEventsAsync(string caseId, CancellationToken cancellationToken = default)
    {
        var events = new List<StoredEvent>();
        await foreach (var row in QueryRangeAsync(caseId, RowKeys.EventPrefix, cancellationToken).ConfigureAwait(false))
        {
            events.Add(await ToStoredEventAsync(row, cancellationToken).ConfigureAwait(false));
        }

        return events;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Effect>> ReadEffectsAsync(string caseId, CancellationToken cancellationToken = default)
    {
        var effects = new List<Effect>();
        await foreach (var row in QueryRangeAsync(caseId, RowKeys.OutboxPrefix, cancellationToken).ConfigureAwait(false))
        {
            effects.Add(await ToEffectAsync(row, cancellationToken).ConfigureAwait(false));
        }

        return effects;
    }

    /// <inheritdoc />
    public async Task CompleteEffectsAsync(string caseId, IReadOnlyList<EffectOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        foreach (var chunk in outcomes.Chunk(TableBatch.MaxActions))
        {
            var actions = chunk.Select(o => new TableTransactionAction(TableTransactionActionType.UpdateMerge, new TableEntity(caseId, RowKeys.Outbox(o.Effect.Sequence, o.Effect.Index))
            {
                ["Status"] = o.Status.ToString(),
                ["Attempts"] = o.Attempts,
                ["LastError"] = o.Error is { Length: > 4000 } ? o.Error[..4000] : o.Error,
            }, ETag.All)).ToList();
            TableBatch.EnsureValid(actions);
            try
            {
                await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 404)
            {
                // The case was purged meanwhile: nothing left to mark.
            }
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Effect>> ListPendingEffectsAsync(DateTimeOffset createdBefore, int max, CancellationToken cancellationToken = default)
    {
        // A scan over all partitions; the sweeper runs seldom and only this query needs it.
        var filter = TableClient.CreateQueryFilter($"RowKey ge {RowKeys.OutboxPrefix} and RowKey lt {RowKeys.End(RowKeys.OutboxPrefix)} and Status eq {nameof(EffectStatus.Pending)} and CreatedAt le {createdBefore}");
        var effects = new List<Effect>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            effects.Add(await ToEffectAsync(row, cancellationToken).ConfigureAwait(false));
            if (effects.Count >= max)
            {
                break;
            }
        }

        return effects;
    }

    /// <inheritdoc />
    public async Task ParkAsync(InboxMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var row = RowKeys.Parked(message.IdempotencyKey);
        var entity = new TableEntity(message.CaseId, row)
            .WithPayload("Message", await InlineOrBlobAsync(message.CaseId, row, InboxMessageCodec.Encode(message), cancellationToken).ConfigureAwait(false));
        await EnsureParkedFlagsAsync().ConfigureAwait(false);
        // With the flag in the same transaction: the commit that creates the case then knows to look.
        await _table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(message.CaseId, RowKeys.ParkedFlag)),
            ],
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<InboxMessage>> ListParkedAsync(string caseId, CancellationToken cancellationToken = default)
    {
        var parked = new List<InboxMessage>();
        await foreach (var row in QueryRangeAsync(caseId, RowKeys.ParkedPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (InboxMessageCodec.TryDecode(await ReadPayloadAsync(row, "Message", cancellationToken).ConfigureAwait(false), out var message, out _))
            {
                parked.Add(message!);
            }
        }

        return parked;
    }

    /// <inheritdoc />
    public async Task RemoveParkedAsync(string caseId, IReadOnlyList<string> idempotencyKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKeys);
        foreach (var key in idempotencyKeys)
        {
            try
            {
                await _table.DeleteEntityAsync(caseId, RowKeys.Parked(key), ETag.All, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Released by another process already.
            }
        }
    }

    /// <inheritdoc />
    public async Task<bool> PurgeAsync(string caseId, CancellationToken cancellationToken = default)
    {
        var rows = new List<TableEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {caseId}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        foreach (var chunk in rows.Chunk(TableBatch.MaxActions))
        {
            var actions = chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(caseId, r.RowKey), ETag.All)).ToList();
            TableBatch.EnsureValid(actions);
            await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        }

        await _payloads.DeleteCaseAsync(caseId, cancellationToken).ConfigureAwait(false);
        _cache.TryRemove(caseId, out _);
        return rows.Count > 0;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CaseRecord>> ListAsync(CaseQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filter = TableClient.CreateQueryFilter($"RowKey eq {RowKeys.State}");
        if (query.Status is { } status)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Status eq {status.ToString()}");
        }

        if (query.Stage is { } stage)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Stage eq {stage}");
        }

        var records = new List<CaseRecord>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            records.Add(await ToRecordAsync(row, cancellationToken).ConfigureAwait(false));
            if (records.Count >= query.Max)
            {
                break;
            }
        }

        return records;
    }

    /// <inheritdoc />
    /// <remarks>
    /// One query over the table for the event rows of all partitions. Table storage returns rows
    /// sorted by partition, then row key, so each case's events arrive together and in order.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The service returned a case's rows apart (never seen; it would mean a changed sort order).</exception>
    public async IAsyncEnumerable<CaseEventList> ReadAllEventsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"RowKey ge {RowKeys.EventPrefix} and RowKey lt {RowKeys.End(RowKeys.EventPrefix)}");
        var done = new HashSet<string>(StringComparer.Ordinal);
        string? current = null;
        var events = new List<StoredEvent>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!string.Equals(row.PartitionKey, current, StringComparison.Ordinal))
            {
                if (current is not null)
                {
                    yield return new CaseEventList(current, events);
                    events = [];
                }

                current = row.PartitionKey;
                if (!done.Add(current))
                {
                    throw new InvalidOperationException($"The events of case {current} came back in two parts; the cases table is not sorted by partition.");
                }
            }

            events.Add(await ToStoredEventAsync(row, cancellationToken).ConfigureAwait(false));
        }

        if (current is not null)
        {
            yield return new CaseEventList(current, events);
        }
    }

    private async Task<StoredEvent> ToStoredEventAsync(TableEntity row, CancellationToken cancellationToken) =>
        new(
            long.Parse(row.RowKey.AsSpan(RowKeys.EventPrefix.Length), CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(row.GetString("RecordedAt"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            row.GetString("Type"),
            await ReadPayloadAsync(row, "Data", cancellationToken).ConfigureAwait(false),
            row.GetString("CausedBy"),
            row.GetBoolean("FromEngine") ?? false);

    private AsyncPageable<TableEntity> QueryRangeAsync(string caseId, string prefix, CancellationToken cancellationToken) =>
        _table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {caseId} and RowKey ge {prefix} and RowKey lt {RowKeys.End(prefix)}"),
            cancellationToken: cancellationToken);

    // Messages parked by a version before the parked flag have no flag next to them; once per
    // installation they get one, before this process trusts a missing flag. (A failed attempt is
    // tried again on the next use.)
    private async Task EnsureParkedFlagsAsync()
    {
        var backfill = _parkedFlags;
        try
        {
            await backfill.Value.ConfigureAwait(false);
        }
        catch
        {
            Interlocked.CompareExchange(ref _parkedFlags, new(BackfillParkedFlagsAsync), backfill);
            throw;
        }
    }

    private async Task BackfillParkedFlagsAsync()
    {
        const string Partition = "migrations", Row = "parked-flags";
        if ((await _engineTable.GetEntityIfExistsAsync<TableEntity>(Partition, Row, select: ["RowKey"]).ConfigureAwait(false)).HasValue)
        {
            return;
        }

        var filter = TableClient.CreateQueryFilter($"RowKey ge {RowKeys.ParkedPrefix} and RowKey lt {RowKeys.End(RowKeys.ParkedPrefix)}");
        var cases = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey"]).ConfigureAwait(false))
        {
            if (cases.Add(row.PartitionKey))
            {
                await _table.UpsertEntityAsync(new TableEntity(row.PartitionKey, RowKeys.ParkedFlag), TableUpdateMode.Replace).ConfigureAwait(false);
            }
        }

        await _engineTable.UpsertEntityAsync(new TableEntity(Partition, Row) { ["Cases"] = cases.Count }, TableUpdateMode.Replace).ConfigureAwait(false);
    }

    private async Task<bool> MarkerExistsAsync(string caseId, string key, CancellationToken cancellationToken) =>
        (await _table.GetEntityIfExistsAsync<TableEntity>(caseId, RowKeys.Marker(key), select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false)).HasValue;

    private void Remember(CaseRecord record)
    {
        if (_cache.Count >= CacheLimit)
        {
            _cache.Clear();
        }

        _cache[record.CaseId] = record;
    }

    private async Task<TableEntity> ToEntityAsync(CaseRecord record, CancellationToken cancellationToken) =>
        new TableEntity(record.CaseId, RowKeys.State)
        {
            ["WorkflowVersion"] = record.WorkflowVersion,
            ["Status"] = record.Status.ToString(),
            ["Stage"] = record.Stage,
            ["Sequence"] = record.Sequence,
            ["WaitingUntil"] = record.WaitingUntil?.ToString("O", CultureInfo.InvariantCulture),
            ["CreatedAt"] = record.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
            ["UpdatedAt"] = record.UpdatedAt.ToString("O", CultureInfo.InvariantCulture),
        }.WithPayload("State", await InlineOrBlobAsync(record.CaseId, RowKeys.State, record.State, cancellationToken).ConfigureAwait(false));

    private async Task<CaseRecord> ToRecordAsync(TableEntity row, CancellationToken cancellationToken) =>
        new(
            row.PartitionKey,
            row.GetString("WorkflowVersion"),
            Enum.Parse<CaseStatus>(row.GetString("Status")),
            row.GetString("Stage"),
            row.GetInt64("Sequence") ?? 0,
            await ReadPayloadAsync(row, "State", cancellationToken).ConfigureAwait(false),
            row.GetString("WaitingUntil") is { } waiting ? DateTimeOffset.Parse(waiting, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) : null,
            DateTimeOffset.Parse(row.GetString("CreatedAt"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            DateTimeOffset.Parse(row.GetString("UpdatedAt"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind))
        {
            ETag = row.ETag.ToString(),
        };

    private async Task<Effect> ToEffectAsync(TableEntity row, CancellationToken cancellationToken)
    {
        var parts = row.RowKey[RowKeys.OutboxPrefix.Length..].Split('-');
        return new Effect(
            row.GetString("EffectId"),
            row.PartitionKey,
            long.Parse(parts[0], CultureInfo.InvariantCulture),
            int.Parse(parts[1], CultureInfo.InvariantCulture),
            row.GetString("Kind"),
            await ReadPayloadAsync(row, "Payload", cancellationToken).ConfigureAwait(false),
            row.GetDateTimeOffset("CreatedAt") ?? default)
        {
            Status = Enum.Parse<EffectStatus>(row.GetString("Status")),
            Attempts = row.GetInt32("Attempts") ?? 0,
            LastError = row.GetString("LastError"),
        };
    }

    private async Task<Payload> InlineOrBlobAsync(string caseId, string rowKey, string value, CancellationToken cancellationToken) =>
        value.Length <= BlobPayloads.InlineLimit
            ? new Payload(value, null)
            : new Payload(null, await _payloads.PutAsync(caseId, rowKey, value, cancellationToken).ConfigureAwait(false));

    private async Task<string> ReadPayloadAsync(TableEntity row, string name, CancellationToken cancellationToken) =>
        row.GetString(name + "Ref") is { } reference
            ? await _payloads.GetAsync(reference, cancellationToken).ConfigureAwait(false)
            : row.GetString(name) ?? "";

    // Many rows just under the inline limit can still exceed the 4 MB of a transaction:
    // move the largest payloads to Blob until the batch fits.
    private async Task MoveLargestToBlobWhileTooLargeAsync(string caseId, List<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        const long Budget = TableBatch.MaxBytes - (256 * 1024);
        while (actions.Sum(a => TableBatch.EstimateBytes(a.Entity)) > Budget)
        {
            var largest = actions
                .Select(a => (Entity: (TableEntity)a.Entity, Property: ((TableEntity)a.Entity).FirstOrDefault(p => p.Value is string s && s.Length > 1024 && p.Key is "State" or "Data" or "Payload")))
                .Where(x => x.Property.Key is not null)
                .OrderByDescending(x => ((string)x.Property.Value).Length)
                .FirstOrDefault();
            if (largest.Entity is null)
            {
                return; // EnsureValid reports it
            }

            var reference = await _payloads.PutAsync(caseId, largest.Entity.RowKey, (string)largest.Property.Value, cancellationToken).ConfigureAwait(false);
            largest.Entity.Remove(largest.Property.Key);
            largest.Entity[largest.Property.Key + "Ref"] = reference;
        }
    }
}

/// <summary>A payload kept in the row or referenced in Blob.</summary>
internal readonly record struct Payload(string? Inline, string? BlobName);

internal static class PayloadEntityExtensions
{
    public static TableEntity WithPayload(this TableEntity entity, string name, Payload payload)
    {
        if (payload.BlobName is not null)
        {
            entity[name + "Ref"] = payload.BlobName;
        }
        else
        {
            entity[name] = payload.Inline;
        }

        return entity;
    }
}
