using System.Text.Json;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Engine;

namespace HuurIncasso.Host.Workspace;

/// <summary>Filters and order of the worklist; every filter is optional.</summary>
/// <param name="Consultant">The person who last recorded something on the case through the workspace.</param>
/// <param name="Stage">The case's stage: exact (<c>step:bellen-1</c>) or its first part (<c>step</c>, <c>approval</c>).</param>
public sealed record WorklistFilter(
    Role? Role = null, string? Segment = null, string? Stage = null, string? PropertyType = null, WorklistSort Sort = WorklistSort.Priority, string? Consultant = null);

public enum WorklistSort
{
    /// <summary>What matters most: alerts first, then most months in arrears, then longest waiting.</summary>
    Priority,

    /// <summary>Longest overdue first.</summary>
    DaysWaiting,

    /// <summary>Highest arrears in months first.</summary>
    MonthsInArrears,
}

/// <summary>One line of the worklist: a task with the facts of its case.</summary>
/// <param name="Title">What to do, in Dutch (money as <c>€ 2.150,00</c>, Dutch dates).</param>
/// <param name="Kind">What sort of task it is; the sectioned worklist groups by it.</param>
public sealed record WorklistItem(
    string TaskId, string CaseId, string Title, Role Role, DateOnly DueOn, bool Urgent, int DaysWaiting,
    int MonthsInArrears, decimal Arrears, string? Segment, string Stage, string PropertyType, string? Consultant, TaskKind Kind = TaskKind.Other);

/// <summary>The worklist: open tasks with their case's arrears, segment and stage. Thread-safe.</summary>
public sealed class WorklistQuery(WorkspaceStore store, CaseClient<CaseState, CaseMessage, CaseEvent> cases, TimeProvider time)
{
    public async Task<IReadOnlyList<WorklistItem>> ListAsync(WorklistFilter filter, CancellationToken cancellationToken = default) =>
        (await LoadAsync(filter, cancellationToken).ConfigureAwait(false)).Items;

    /// <summary>The filtered, sorted tasks, and the facts of every case they belong to (also the ones the filter left out).</summary>
    internal async Task<(IReadOnlyList<WorklistItem> Items, IReadOnlyList<WorklistItem> Unfiltered, IReadOnlyDictionary<string, CaseState> States)> LoadAsync(
        WorklistFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var today = CaseCore.BusinessDate(time.GetUtcNow());
        var tasks = await store.ListOpenTasksAsync(cancellationToken).ConfigureAwait(false);
        var facts = new Dictionary<string, (CaseState State, string Stage, string? Handler)?>(StringComparer.Ordinal);
        var all = new List<WorklistItem>();
        foreach (var task in tasks)
        {
            if (!facts.TryGetValue(task.CaseId, out var fact))
            {
                var instance = await cases.GetAsync(task.CaseId, includeTimeline: false, cancellationToken).ConfigureAwait(false);
                fact = instance is null || string.IsNullOrEmpty(instance.Case.State) ? null
                    : (JsonSerializer.Deserialize<CaseState>(instance.Case.State, CaseJson.Options)!, instance.Case.Stage,
                        await store.GetHandlerAsync(task.CaseId, cancellationToken).ConfigureAwait(false));
                facts[task.CaseId] = fact;
            }

            if (fact is not { } f)
            {
                continue;
            }

            all.Add(new WorklistItem(task.Id, task.CaseId, task.Title, task.Role, task.DueOn, task.Urgent,
                Math.Max(0, today.DayNumber - task.DueOn.DayNumber), f.State.MonthsInArrears, f.State.Arrears, f.State.Segment, f.Stage, f.State.PropertyType, f.Handler,
                TaskText.KindOf(task.Title)));
        }

        var items = all.Where(i => (filter.Role is null || i.Role == filter.Role) && Matches(filter, i)).ToList();
        var states = facts.Where(f => f.Value is not null).ToDictionary(f => f.Key, f => f.Value!.Value.State, StringComparer.Ordinal);
        return (Sort(items, filter.Sort), all, states);
    }

    /// <summary>True when the case facts pass the filter's consultant, segment, stage and property type.</summary>
    internal static bool Matches(WorklistFilter filter, WorklistItem item) =>
        Matches(filter.Consultant, item.Consultant) && Matches(filter.Segment, item.Segment) && Matches(filter.PropertyType, item.PropertyType)
        && (string.IsNullOrEmpty(filter.Stage) || Matches(filter.Stage, item.Stage) || item.Stage.StartsWith(filter.Stage + ":", StringComparison.OrdinalIgnoreCase));

    internal static List<WorklistItem> Sort(IEnumerable<WorklistItem> items, WorklistSort sort) => sort switch
    {
        WorklistSort.MonthsInArrears => [.. items.OrderByDescending(i => i.MonthsInArrears).ThenByDescending(i => i.DaysWaiting).ThenBy(i => i.CaseId, StringComparer.Ordinal)],
        WorklistSort.DaysWaiting => [.. items.OrderByDescending(i => i.Urgent).ThenByDescending(i => i.DaysWaiting).ThenByDescending(i => i.MonthsInArrears).ThenBy(i => i.CaseId, StringComparer.Ordinal)],
        _ => [.. items.OrderByDescending(i => i.Urgent).ThenByDescending(i => i.MonthsInArrears).ThenByDescending(i => i.DaysWaiting).ThenBy(i => i.CaseId, StringComparer.Ordinal)],
    };

    private static bool Matches(string? wanted, string? actual) =>
        string.IsNullOrEmpty(wanted) || string.Equals(wanted, actual, StringComparison.OrdinalIgnoreCase);
}
