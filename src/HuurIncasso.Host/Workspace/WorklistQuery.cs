using System.Text.Json;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Engine;

namespace HuurIncasso.Host.Workspace;

/// <summary>Filters and order of the worklist; every filter is optional.</summary>
/// <param name="Consultant">The person who last recorded something on the case through the workspace.</param>
public sealed record WorklistFilter(
    Role? Role = null, string? Segment = null, string? Stage = null, string? PropertyType = null, WorklistSort Sort = WorklistSort.DaysWaiting, string? Consultant = null);

public enum WorklistSort
{
    /// <summary>Longest overdue first.</summary>
    DaysWaiting,

    /// <summary>Highest arrears in months first.</summary>
    MonthsInArrears,
}

/// <summary>One line of the worklist: a task with the facts of its case.</summary>
public sealed record WorklistItem(
    string TaskId, string CaseId, string Title, Role Role, DateOnly DueOn, bool Urgent, int DaysWaiting,
    int MonthsInArrears, decimal Arrears, string? Segment, string Stage, string PropertyType, string? Consultant);

/// <summary>The worklist: open tasks with their case's arrears, segment and stage. Thread-safe.</summary>
public sealed class WorklistQuery(WorkspaceStore store, CaseClient<CaseState, CaseMessage, CaseEvent> cases, TimeProvider time)
{
    public async Task<IReadOnlyList<WorklistItem>> ListAsync(WorklistFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var today = CaseCore.BusinessDate(time.GetUtcNow());
        var tasks = await store.ListOpenTasksAsync(cancellationToken).ConfigureAwait(false);
        var facts = new Dictionary<string, (CaseState State, string Stage, string? Handler)?>(StringComparer.Ordinal);
        var items = new List<WorklistItem>();
        foreach (var task in tasks.Where(t => filter.Role is null || t.Role == filter.Role))
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

            var item = new WorklistItem(task.Id, task.CaseId, task.Title, task.Role, task.DueOn, task.Urgent,
                Math.Max(0, today.DayNumber - task.DueOn.DayNumber), f.State.MonthsInArrears, f.State.Arrears, f.State.Segment, f.Stage, f.State.PropertyType, f.Handler);
            if (Matches(filter.Consultant, item.Consultant) && Matches(filter.Segment, item.Segment) && Matches(filter.Stage, item.Stage) && Matches(filter.PropertyType, item.PropertyType))
            {
                items.Add(item);
            }
        }

        return filter.Sort == WorklistSort.MonthsInArrears
            ? [.. items.OrderByDescending(i => i.MonthsInArrears).ThenByDescending(i => i.DaysWaiting).ThenBy(i => i.CaseId, StringComparer.Ordinal)]
            : [.. items.OrderByDescending(i => i.Urgent).ThenByDescending(i => i.DaysWaiting).ThenByDescending(i => i.MonthsInArrears).ThenBy(i => i.CaseId, StringComparer.Ordinal)];
    }

    private static bool Matches(string? wanted, string? actual) =>
        string.IsNullOrEmpty(wanted) || string.Equals(wanted, actual, StringComparison.OrdinalIgnoreCase);
}
