using System.Text.Json;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Engine;

namespace HuurIncasso.Host.Workspace;

/// <summary>A decision waiting for a team lead.</summary>
/// <param name="Kind">The command that decides it: <c>pause-approve</c>, <c>handover-approve</c> or <c>write-off-approve</c>.</param>
/// <param name="DaysWaiting">Days since the request put a task on the worklist (0 when none is known).</param>
public sealed record Approval(string CaseId, string Kind, string What, string RequestedBy, decimal Arrears, string Stage,
    int MonthsInArrears = 0, string? Segment = null, string PropertyType = "", int DaysWaiting = 0);

/// <summary>The approvals queue and the count per stage, from the running cases. Thread-safe.</summary>
public sealed class ApprovalsQuery(CaseClient<CaseState, CaseMessage, CaseEvent> cases)
{
    public async Task<IReadOnlyList<Approval>> ListAsync(CancellationToken cancellationToken = default)
    {
        var records = await cases.ListAsync(new CaseQuery(HuurIncasso.Engine.CaseStatus.Running), cancellationToken).ConfigureAwait(false);
        var approvals = new List<Approval>();
        foreach (var r in records.Where(r => !string.IsNullOrEmpty(r.State)))
        {
            var s = JsonSerializer.Deserialize<CaseState>(r.State, CaseJson.Options)!;
            if (s.Pause is { Approved: false } p)
            {
                approvals.Add(new(s.CaseId, "pause-approve", $"Pauze ({Dutch.Pause(p.Kind)}) tot {Dutch.Date(p.Until)}", p.RequestedBy.Id, s.Arrears, r.Stage, s.MonthsInArrears, s.Segment, s.PropertyType));
            }

            if (s.WriteOffRequest is { } w)
            {
                approvals.Add(new(s.CaseId, "write-off-approve", $"Afboeken ({w.Reason})", w.By.Id, s.Arrears, r.Stage, s.MonthsInArrears, s.Segment, s.PropertyType));
            }

            if (s.ProposedStep is { } step)
            {
                approvals.Add(new(s.CaseId, "handover-approve", $"Stap goedkeuren: {step}", "systeem", s.Arrears, r.Stage, s.MonthsInArrears, s.Segment, s.PropertyType));
            }
        }

        return [.. approvals.OrderByDescending(a => a.Arrears).ThenBy(a => a.CaseId, StringComparer.Ordinal)];
    }

    /// <summary>Number of cases per stage (all statuses), for the dashboard.</summary>
    public async Task<IReadOnlyList<(string Stage, int Count)>> CountByStageAsync(CancellationToken cancellationToken = default)
    {
        var records = await cases.ListAsync(new CaseQuery(), cancellationToken).ConfigureAwait(false);
        return [.. records.GroupBy(r => r.Stage, StringComparer.Ordinal).Select(g => (g.Key, g.Count())).OrderBy(x => x.Key, StringComparer.Ordinal)];
    }
}
