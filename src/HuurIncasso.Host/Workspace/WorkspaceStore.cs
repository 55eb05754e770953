using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Engine;
using HuurIncasso.Integrations.Effects;

namespace HuurIncasso.Host.Workspace;

/// <summary>A task on a worklist, made from a <see cref="PersonTask"/> effect.</summary>
public sealed record WorkTask(string Id, string CaseId, Role Role, string Title, DateOnly DueOn, bool Urgent, bool Open, DateTimeOffset CreatedAt, string? ClosedWhy);

/// <summary>A consultant's note on a case.</summary>
public sealed record CaseNote(string Id, string CaseId, string By, string Text, DateTimeOffset At);

/// <summary>
/// The workspace table (<c>{prefix}workspace</c>): one partition per case with its tasks
/// (row key <c>task_</c> + effect id) and notes (<c>note_</c> + command id). Row keys come from
/// ids the caller repeats on a retry, so a retry overwrites instead of adding. Thread-safe.
/// </summary>
public sealed class WorkspaceStore
{
    private readonly TableClient _table;
    private readonly Lazy<Task> _created;

    public WorkspaceStore(StorageClients clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _table = clients.Tables.GetTableClient(clients.Names.Prefix + "workspace");
        _created = new Lazy<Task>(() => _table.CreateIfNotExistsAsync());
    }

    public async Task AddTaskAsync(WorkTask task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        await _created.Value.ConfigureAwait(false);
        var entity = new TableEntity(Key(task.CaseId), "task_" + Key(task.Id))
        {
            ["Id"] = task.Id,
            ["CaseId"] = task.CaseId,
            ["Role"] = task.Role.ToString(),
            ["Title"] = task.Title,
            ["DueOn"] = task.DueOn.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["Urgent"] = task.Urgent,
            ["Open"] = true,
            ["CreatedAt"] = task.CreatedAt,
        };
        try
        {
            // Add, not upsert: a retried effect must not re-open a task a later cancel closed.
            await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Already there from an earlier attempt.
        }
    }

    /// <summary>Closes every open task of a case.</summary>
    public Task CloseOpenTasksAsync(string caseId, string why, CancellationToken cancellationToken = default) =>
        CloseOpenTasksAsync(caseId, why, _ => true, cancellationToken);

    /// <summary>Closes the open tasks of a case that <paramref name="which"/> picks (e.g. the calls, once a call is recorded).</summary>
    public async Task CloseOpenTasksAsync(string caseId, string why, Func<WorkTask, bool> which, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(which);
        await _created.Value.ConfigureAwait(false);
        var pk = Key(caseId);
        await foreach (var row in _table.QueryAsync<TableEntity>(e => e.PartitionKey == pk && e.GetBoolean("Open") == true, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!row.RowKey.StartsWith("task_", StringComparison.Ordinal) || !which(ToTask(row)))
            {
                continue;
            }

            row["Open"] = false;
            row["ClosedWhy"] = why;
            await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<WorkTask>> ListOpenTasksAsync(CancellationToken cancellationToken = default)
    {
        await _created.Value.ConfigureAwait(false);
        var tasks = new List<WorkTask>();
        await foreach (var row in _table.QueryAsync<TableEntity>(e => e.GetBoolean("Open") == true, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.RowKey.StartsWith("task_", StringComparison.Ordinal))
            {
                tasks.Add(ToTask(row));
            }
        }

        return tasks;
    }

    public async Task<IReadOnlyList<WorkTask>> ListTasksAsync(string caseId, CancellationToken cancellationToken = default)
    {
        await _created.Value.ConfigureAwait(false);
        var pk = Key(caseId);
        var tasks = new List<WorkTask>();
        await foreach (var row in _table.QueryAsync<TableEntity>(e => e.PartitionKey == pk, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.RowKey.StartsWith("task_", StringComparison.Ordinal))
            {
                tasks.Add(ToTask(row));
            }
        }

        return tasks;
    }

    /// <summary>Adds a note; the same id again changes nothing.</summary>
    public async Task AddNoteAsync(CaseNote note, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(note);
        await _created.Value.ConfigureAwait(false);
        var entity = new TableEntity(Key(note.CaseId), "note_" + Key(note.Id))
        {
            ["Id"] = note.Id,
            ["CaseId"] = note.CaseId,
            ["By"] = note.By,
            ["Text"] = note.Text,
            ["At"] = note.At,
        };
        try
        {
            await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // The same command again.
        }
    }

    public async Task<IReadOnlyList<CaseNote>> ListNotesAsync(string caseId, CancellationToken cancellationToken = default)
    {
        await _created.Value.ConfigureAwait(false);
        var pk = Key(caseId);
        var notes = new List<CaseNote>();
        await foreach (var row in _table.QueryAsync<TableEntity>(e => e.PartitionKey == pk, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.RowKey.StartsWith("note_", StringComparison.Ordinal))
            {
                notes.Add(new CaseNote(row.GetString("Id"), row.GetString("CaseId"), row.GetString("By"), row.GetString("Text"), row.GetDateTimeOffset("At") ?? default));
            }
        }

        return [.. notes.OrderBy(n => n.At)];
    }

    /// <summary>Remembers who last worked the case: the worklist's consultant filter uses it.</summary>
    public async Task SetHandlerAsync(string caseId, string person, CancellationToken cancellationToken = default)
    {
        await _created.Value.ConfigureAwait(false);
        await _table.UpsertEntityAsync(new TableEntity(Key(caseId), "handler") { ["Person"] = person }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Who last worked the case, or null.</summary>
    public async Task<string?> GetHandlerAsync(string caseId, CancellationToken cancellationToken = default)
    {
        await _created.Value.ConfigureAwait(false);
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(Key(caseId), "handler", cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? row.Value!.GetString("Person") : null;
    }

    private static WorkTask ToTask(TableEntity row) => new(
        row.GetString("Id"), row.GetString("CaseId"), Enum.Parse<Role>(row.GetString("Role")), row.GetString("Title"),
        DateOnly.ParseExact(row.GetString("DueOn"), "O", System.Globalization.CultureInfo.InvariantCulture), row.GetBoolean("Urgent") ?? false,
        row.GetBoolean("Open") ?? false, row.GetDateTimeOffset("CreatedAt") ?? default, row.GetString("ClosedWhy"));

    // Table keys may not hold / \ # ? or control characters; effect ids hold '/'.
    internal static string Key(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return string.Create(id.Length, id, (span, s) =>
        {
            for (var i = 0; i < s.Length; i++)
            {
                span[i] = s[i] is '/' or '\\' or '#' or '?' || char.IsControl(s[i]) ? '_' : s[i];
            }
        });
    }
}

/// <summary>Puts a <see cref="PersonTask"/> on the worklist.</summary>
internal sealed class PersonTaskHandler(WorkspaceStore store) : IEffectHandler
{
    public string Kind => "personTask";

    public Task HandleAsync(Effect effect, CancellationToken cancellationToken = default)
    {
        var task = EffectPayload.Read<PersonTask>(effect);
        return store.AddTaskAsync(new WorkTask(effect.Id, effect.CaseId, task.Role, task.Title, task.DueOn, task.Urgent, true, effect.CreatedAt, null), cancellationToken);
    }
}

/// <summary>Closes the open tasks of a case (paid, closed).</summary>
internal sealed class CancelOpenTasksHandler(WorkspaceStore store) : IEffectHandler
{
    public string Kind => "cancelOpenTasks";

    public Task HandleAsync(Effect effect, CancellationToken cancellationToken = default)
    {
        var cancel = EffectPayload.Read<CancelOpenTasks>(effect);
        return store.CloseOpenTasksAsync(effect.CaseId, cancel.Why, cancellationToken);
    }
}
