using System.Globalization;
using Azure;
using Azure.Data.Tables;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Engine;

namespace HuurIncasso.Azure.Engine;

/// <summary>
/// The timer index in the timers table: partition "due", row key "{due ticks:D19}-{case id}",
/// so one range query finds what is due. Written through the outbox, so it follows the
/// commits; a timer for a case that no longer waits for it is ignored when it fires.
/// Thread-safe.
/// </summary>
public sealed class TableTimerIndex : ITimerIndex
{
    private const string Partition = "due";
    private readonly TableClient _table;

    /// <summary>Uses the timers table of <paramref name="clients"/>.</summary>
    public TableTimerIndex(StorageClients clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _table = clients.Tables.GetTableClient(clients.Names.TimersTable);
    }

    /// <inheritdoc />
    public Task SetAsync(string caseId, DateTimeOffset due, CancellationToken cancellationToken = default) =>
        _table.UpsertEntityAsync(new TableEntity(Partition, Key(due, caseId))
        {
            ["CaseId"] = caseId,
            ["Due"] = due.ToString("O", CultureInfo.InvariantCulture),
        }, TableUpdateMode.Replace, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<DueTimer>> ListDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        var upTo = (now.UtcTicks + 1).ToString("D19", CultureInfo.InvariantCulture);
        var timers = new List<DueTimer>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey lt {upTo}"), maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            timers.Add(new DueTimer(row.GetString("CaseId"), DateTimeOffset.Parse(row.GetString("Due"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)));
            if (timers.Count >= max)
            {
                break;
            }
        }

        return timers;
    }

    /// <inheritdoc />
    public async Task RemoveAsync(DueTimer timer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timer);
        try
        {
            await _table.DeleteEntityAsync(Partition, Key(timer.Due, timer.CaseId), ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Another sweeper removed it first.
        }
    }

    private static string Key(DateTimeOffset due, string caseId) =>
        due.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" + caseId;
}
