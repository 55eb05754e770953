using System.Text.RegularExpressions;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Domain.Statutory;
using HuurIncasso.Host.Inputs;
using HuurIncasso.Integrations.Tenants;

namespace HuurIncasso.Host.Workspace;

/// <summary>
/// The worklist as a consultant works it: calls to make, visits to plan (by evening slot, then
/// by building complex), approvals waiting, broken arrangements, unknown payments and the rest.
/// Every task list is filtered and sorted the same way as <c>GET /api/worklist</c>.
/// </summary>
/// <param name="Facets">The values the filters can take, from the whole unfiltered worklist.</param>
public sealed record WorklistSections(
    IReadOnlyList<WorklistItem> Calls,
    IReadOnlyList<VisitSlot> Visits,
    IReadOnlyList<Approval> Approvals,
    IReadOnlyList<WorklistItem> BrokenArrangements,
    UnknownPaymentsSummary UnknownPayments,
    IReadOnlyList<WorklistItem> Other,
    WorklistFacets Facets);

/// <summary>One evening slot with the visits planned in it, grouped by building complex.</summary>
/// <param name="From">Start time, e.g. <c>18:00</c> (Europe/Amsterdam).</param>
public sealed record VisitSlot(DateOnly Evening, string From, string To, IReadOnlyList<VisitComplex> Complexes);

/// <summary>The visits in one building complex (same street and postcode), to do in one go.</summary>
public sealed record VisitComplex(string Complex, IReadOnlyList<PlannedVisit> Visits);

/// <summary>A visit task with the tenant's address (empty when the ledger did not give one).</summary>
public sealed record PlannedVisit(WorklistItem Task, string Address);

/// <summary>Bank payments no contract could be found for: how many, how much, and the oldest few.</summary>
public sealed record UnknownPaymentsSummary(int Count, decimal Total, IReadOnlyList<UnknownPayment> Oldest);

public sealed record WorklistFacets(IReadOnlyList<string> Segments, IReadOnlyList<string> Stages, IReadOnlyList<string> PropertyTypes, IReadOnlyList<string> Consultants);

/// <summary>Builds <see cref="WorklistSections"/>. Thread-safe.</summary>
public sealed class WorklistSectionsQuery(
    WorklistQuery worklist, ApprovalsQuery approvals, BankFeedService bank, ITenantDirectory tenants, TimeProvider time, IConfiguration configuration)
{
    /// <summary>How many unknown payments the worklist shows (the rest are on their own page).</summary>
    public const int UnknownShown = 5;

    private int VisitsPerSlot => Math.Max(1, configuration.GetValue("Workspace:VisitsPerSlot", 4));

    public async Task<WorklistSections> GetAsync(WorklistFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var (items, unfiltered, _) = await worklist.LoadAsync(filter, cancellationToken).ConfigureAwait(false);
        var today = CaseCore.BusinessDate(time.GetUtcNow());

        var visits = new List<(WorklistItem Task, TenantContact? Contact)>();
        foreach (var visit in items.Where(i => i.Kind == TaskKind.Visit))
        {
            visits.Add((visit, await tenants.FindAsync(visit.CaseId, cancellationToken).ConfigureAwait(false)));
        }

        IReadOnlyList<Approval> waiting = [];
        if (filter.Role is null or Role.TeamLead)
        {
            var sinceByCase = unfiltered.Where(i => TaskText.IsApproval(i.Kind))
                .GroupBy(i => (i.CaseId, i.Kind))
                .ToDictionary(g => g.Key, g => g.Max(i => i.DaysWaiting));
            waiting = [.. (await approvals.ListAsync(cancellationToken).ConfigureAwait(false))
                .Select(a => a with { DaysWaiting = sinceByCase.GetValueOrDefault((a.CaseId, ApprovalTaskKind(a.Kind))) })
                .Where(a => WorklistQuery.Matches(filter, new WorklistItem("", a.CaseId, "", Role.TeamLead, today, false, a.DaysWaiting, a.MonthsInArrears, a.Arrears, a.Segment, a.Stage, a.PropertyType, a.RequestedBy)))
                .OrderByDescending(a => filter.Sort == WorklistSort.DaysWaiting ? a.DaysWaiting : a.MonthsInArrears)
                .ThenByDescending(a => filter.Sort == WorklistSort.DaysWaiting ? a.MonthsInArrears : a.DaysWaiting)
                .ThenBy(a => a.CaseId, StringComparer.Ordinal)];
        }

        UnknownPaymentsSummary unknown = new(0, 0m, []);
        if (filter.Role is null or Role.Consultant)
        {
            var open = await bank.ListUnknownAsync(cancellationToken).ConfigureAwait(false);
            unknown = new(open.Count, open.Sum(p => p.Amount), [.. open.Take(UnknownShown)]);
        }

        return new WorklistSections(
            [.. items.Where(i => i.Kind == TaskKind.Call)],
            VisitPlanner.Plan(visits, today, VisitsPerSlot),
            waiting,
            [.. items.Where(i => i.Kind == TaskKind.BrokenArrangement)],
            unknown,
            [.. items.Where(i => i.Kind == TaskKind.Other)],
            new WorklistFacets(
                Distinct(unfiltered.Select(i => i.Segment)),
                Distinct(unfiltered.Select(i => i.Stage.Split(':')[0])),
                Distinct(unfiltered.Select(i => i.PropertyType)),
                Distinct(unfiltered.Select(i => i.Consultant))));
    }

    private static TaskKind ApprovalTaskKind(string approvalKind) => approvalKind switch
    {
        "pause-approve" => TaskKind.PauseApproval,
        "write-off-approve" => TaskKind.WriteOffApproval,
        _ => TaskKind.HandoverApproval,
    };

    private static string[] Distinct(IEnumerable<string?> values) =>
        [.. values.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase)];
}

/// <summary>
/// Plans house visits in evening slots: evenings are Monday to Thursday from tomorrow, not on
/// public holidays, two slots each (18:00–19:30 and 19:30–21:00), at most a number of visits per
/// slot. The visits of one building complex stay together in one slot when they fit, so a
/// consultant rings every door of a complex in one go. Complexes are taken in the worklist's
/// order (their most pressing visit first). Pure.
/// </summary>
public static partial class VisitPlanner
{
    public static readonly (string From, string To)[] Slots = [("18:00", "19:30"), ("19:30", "21:00")];

    /// <summary>The complex an address belongs to: street without house number, with postcode and city.</summary>
    public static string ComplexOf(TenantContact? contact)
    {
        if (contact is null || string.IsNullOrWhiteSpace(contact.Street))
        {
            return "Adres onbekend";
        }

        var street = HouseNumber().Replace(contact.Street.Trim(), "").Trim();
        var postcode = string.IsNullOrWhiteSpace(contact.PostalCode) ? "" : NormalPostcode(contact.PostalCode);
        return string.Join(", ", new[] { street, string.Join(" ", new[] { postcode, contact.City?.Trim() ?? "" }.Where(p => p.Length > 0)) }.Where(p => p.Length > 0));
    }

    public static IReadOnlyList<VisitSlot> Plan(IEnumerable<(WorklistItem Task, TenantContact? Contact)> visits, DateOnly today, int perSlot)
    {
        ArgumentNullException.ThrowIfNull(visits);
        ArgumentOutOfRangeException.ThrowIfLessThan(perSlot, 1);
        var complexes = visits
            .Select((v, order) => (v.Task, Complex: ComplexOf(v.Contact), Address: v.Contact is null ? "" : $"{v.Contact.Street}, {v.Contact.City}", Order: order))
            .GroupBy(v => v.Complex, StringComparer.OrdinalIgnoreCase)
            .OrderBy(g => g.Min(v => v.Order))
            .ToList();
        var slots = new List<VisitSlot>();
        var evening = NextEvening(today);
        var slot = 0;
        var current = new List<VisitComplex>();
        var room = perSlot;

        void Advance()
        {
            if (current.Count > 0)
            {
                slots.Add(new VisitSlot(evening, Slots[slot].From, Slots[slot].To, [.. current]));
            }

            current = [];
            room = perSlot;
            if (++slot == Slots.Length)
            {
                slot = 0;
                evening = NextEvening(evening);
            }
        }

        foreach (var complex in complexes)
        {
            var queue = new Queue<PlannedVisit>(complex.OrderBy(v => v.Order).Select(v => new PlannedVisit(v.Task, v.Address)));
            if (queue.Count <= perSlot && queue.Count > room)
            {
                Advance();
            }

            while (queue.Count > 0)
            {
                var take = Math.Min(room, queue.Count);
                current.Add(new VisitComplex(complex.Key, [.. Enumerable.Range(0, take).Select(_ => queue.Dequeue())]));
                room -= take;
                if (room == 0)
                {
                    Advance();
                }
            }
        }

        if (current.Count > 0)
        {
            slots.Add(new VisitSlot(evening, Slots[slot].From, Slots[slot].To, [.. current]));
        }

        return slots;
    }

    private static DateOnly NextEvening(DateOnly after)
    {
        var day = after.AddDays(1);
        while (day.DayOfWeek is DayOfWeek.Friday or DayOfWeek.Saturday or DayOfWeek.Sunday || DutchPublicHolidays.IsHoliday(day))
        {
            day = day.AddDays(1);
        }

        return day;
    }

    private static string NormalPostcode(string postcode)
    {
        var compact = postcode.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        return compact.Length == 6 ? compact[..4] + " " + compact[4..] : postcode.Trim();
    }

    // "Lindelaan 3", "Lindelaan 3-bis", "Lindelaan 3 A", "Lindelaan 12hs": the number and what follows.
    [GeneratedRegex(@"\s+\d+.*$")]
    private static partial Regex HouseNumber();
}
