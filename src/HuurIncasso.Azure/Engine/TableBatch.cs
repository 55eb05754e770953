using Azure.Data.Tables;

namespace HuurIncasso.Azure.Engine;

/// <summary>
/// Checks an entity-group transaction before it is submitted: one partition key, at most
/// 100 actions, at most 4 MB. Azurite accepts a batch over several partitions (Azurite
/// issue 1215) that Azure refuses, so the engine checks it itself and fails the same
/// everywhere.
/// </summary>
public static class TableBatch
{
    /// <summary>Azure's limit on actions in one entity-group transaction.</summary>
    public const int MaxActions = 100;

    /// <summary>Azure's limit on the payload of one entity-group transaction.</summary>
    public const long MaxBytes = 4L * 1024 * 1024;

    /// <summary>Throws when <paramref name="actions"/> cannot be one entity-group transaction.</summary>
    /// <exception cref="ArgumentException">Empty, several partition keys, too many actions or too large.</exception>
    public static void EnsureValid(IReadOnlyList<TableTransactionAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Count == 0)
        {
            throw new ArgumentException("A table transaction needs at least one action.", nameof(actions));
        }

        var partition = actions[0].Entity.PartitionKey;
        for (var i = 1; i < actions.Count; i++)
        {
            if (!string.Equals(actions[i].Entity.PartitionKey, partition, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"A table transaction must stay in one partition: action {i} ({actions[i].ActionType} row '{actions[i].Entity.RowKey}') has partition key '{actions[i].Entity.PartitionKey}', action 0 has '{partition}'.",
                    nameof(actions));
            }
        }

        if (actions.Count > MaxActions)
        {
            throw new ArgumentException($"A table transaction holds at most {MaxActions} actions; this one has {actions.Count}.", nameof(actions));
        }

        var bytes = actions.Sum(a => EstimateBytes(a.Entity));
        if (bytes > MaxBytes)
        {
            throw new ArgumentException($"A table transaction holds at most 4 MB; this one is about {bytes / 1024} KB.", nameof(actions));
        }
    }

    /// <summary>A generous estimate of an entity's size on the wire (UTF-16 strings, JSON overhead).</summary>
    public static long EstimateBytes(ITableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        long bytes = 512 + (entity.PartitionKey.Length + entity.RowKey.Length) * 2;
        if (entity is TableEntity table)
        {
            foreach (var (key, value) in table)
            {
                bytes += 64 + key.Length * 2 + value switch
                {
                    string s => s.Length * 2L,
                    byte[] b => b.Length * 2L,
                    _ => 16,
                };
            }
        }

        return bytes;
    }
}
