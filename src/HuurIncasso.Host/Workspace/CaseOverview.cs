using System.Globalization;
using System.Text.Json;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Engine;

namespace HuurIncasso.Host.Workspace;

/// <summary>Dutch (B1) sentences for events, for the timeline a consultant reads.</summary>
public static class Timeline
{
    public static string Describe(CaseEvent e) => e switch
    {
        CaseOpened => "Zaak geopend",
        CaseReopened r => $"Zaak weer geopend, achterstand {Dutch.Euro(r.Arrears)}",
        SegmentChanged s => $"Groep {s.To} (plan {s.Plan})",
        RentCharged r => $"Huur van {Dutch.Date(r.DueDate)} in rekening gebracht: {Dutch.Euro(r.Amount)}",
        BalanceDifferenceFound b => $"Saldo wijkt af: administratie {Dutch.Euro(b.LedgerBalance)}, zaak {Dutch.Euro(b.CaseBalance)}",
        PaymentApplied p => $"Betaling ontvangen: {Dutch.Euro(p.Amount)}",
        DirectDebitReversed d => $"Automatische incasso teruggeboekt ({d.ReasonCode}): {Dutch.Euro(d.Amount)}",
        StepTaken s => $"Stap gezet: {s.StepId}",
        StepProposed s => $"Stap {s.StepId} wacht op goedkeuring",
        StepRejected s => $"Stap {s.StepId} afgewezen: {s.Why}",
        HandedOver h => $"Overgedragen aan {Dutch.Target(h.Target)}, achterstand {Dutch.Euro(h.Arrears)}",
        EarlySignalSent => "Vroegsignalering gemeld",
        EarlySignalHeld h => $"Vroegsignalering wacht op: {string.Join(", ", h.MissingConditions)}",
        EarlySignalObjected => "Huurder maakt bezwaar tegen vroegsignalering",
        FormalNoticeSent f => $"Aanmaning (14 dagen) verstuurd, betalen tot en met {Dutch.Date(f.LastDayToPay)}",
        CollectionCostsCharged c => $"Incassokosten in rekening gebracht: {Dutch.Euro(c.Costs)}",
        CallOutcomeRecorded c => (c.Reached ? "Gebeld en gesproken" : "Gebeld, geen contact") + Extra(c.Note),
        VisitOutcomeRecorded v => (v.Met ? "Huisbezoek, huurder gesproken" : "Huisbezoek, niemand thuis") + Extra(v.Note),
        ArrangementActivated a => $"Betalingsregeling afgesproken: {a.Instalments.Length} termijnen, totaal {Dutch.Euro(a.Total)}",
        ArrangementRefused a => $"Regeling niet mogelijk: {string.Join("; ", a.Reasons)}",
        InstalmentKept i => $"Termijn {i.Number} betaald",
        InstalmentMissed i => $"Termijn {i.Number} niet betaald",
        ArrangementResumed => "Regeling loopt door",
        ArrangementEnded a => a.EndReason is { } why ? $"Regeling beëindigd: {Dutch.EndReason(why)}" : "Regeling geannuleerd",
        PauseRequested p => $"Pauze aangevraagd ({Dutch.Pause(p.Kind)}) tot {Dutch.Date(p.Until)}" + Extra(p.Note),
        PauseStarted p => $"Pauze goedgekeurd, tot {Dutch.Date(p.Until)}",
        PauseEnded => "Pauze beëindigd",
        WriteOffRequested w => $"Afboeken aangevraagd: {w.WriteOffReason}",
        WrittenOff w => $"Afgeboekt: {Dutch.Euro(w.Amount)}",
        TenantDeparted t => $"Huurder vertrokken op {Dutch.Date(t.On)}",
        TenantFactsUpdated => "Gegevens van de huurder bijgewerkt",
        PolicyMigrated m => $"Over naar beleid {m.To}",
        MailEventRecorded m => $"Mail '{Dutch.Template(m.Template)}': {Dutch.MailEvent(m.Kind)}" + Extra(m.MailReason),
        CommandRejected c => $"Geweigerd: {c.Why}",
        CaseClosed c => c.Outcome == CaseOutcome.Paid ? "Zaak gesloten: alles betaald" : "Zaak gesloten: afgeboekt",
        WaitChanged w => w.Purpose is null ? "Wacht nergens meer op" : $"Wacht op: {w.Purpose}",
        NoticeDeliveryRecorded n => $"Ontvangst van de aanmaning vastgelegd, betalen tot en met {Dutch.Date(n.LastDayToPay)}",
        LegalStepRecorded l => $"{Dutch.Legal(l.Step)} op {Dutch.Date(l.On)}",
        _ => "Gebeurtenis in de zaak",
    };

    /// <summary>Who acted: a person's id, or "systeem" for a rule.</summary>
    public static string Who(CaseEvent e) => e.Reason.StartsWith("person:", StringComparison.Ordinal) ? e.Reason["person:".Length..] : "systeem";

    private static string Extra(string? note) => string.IsNullOrWhiteSpace(note) ? "" : $" — {note}";
}

public sealed record TimelineLine(int Sequence, DateTimeOffset At, string Type, string What, string Who, string Why);

/// <param name="EffectId">The outbox effect that sends it; what a retry by hand names.</param>
/// <param name="Failed">The engine gave up on it: an administrator can offer it again.</param>
public sealed record SentMessage(string Channel, string Template, decimal Arrears, string Status, DateTimeOffset At, string EffectId, bool Failed);

public sealed record CaseFacts(string ContractId, string TenantId, decimal MonthlyRent, string PropertyType, DateOnly ContractStart, bool DirectDebit, string Track, string PolicyVersion);

public sealed record Balance(decimal Arrears, int MonthsInArrears, DateOnly? OldestDueDate, decimal Credit, decimal CostsCharged);

public sealed record PendingDecision(string Kind, string What, string RequestedBy);

/// <summary>Everything a consultant needs on one page.</summary>
public sealed record CaseOverviewView(
    string CaseId, string Status, string Stage, CaseFacts Facts, Balance Balance, string? Segment, string? SegmentReason,
    string? WaitingFor, DateTimeOffset? WaitingUntil, bool Paused, IReadOnlyList<ScheduleLine> Arrangement,
    IReadOnlyList<PendingDecision> Pending, IReadOnlyList<TimelineLine> Timeline, IReadOnlyList<SentMessage> Messages,
    IReadOnlyList<CaseNote> Notes, IReadOnlyList<WorkTask> Tasks,
    HuurIncasso.Integrations.Tenants.TenantContact? Tenant = null,
    IReadOnlyList<HuurIncasso.Host.Inputs.PaymentRecord>? Payments = null,
    IReadOnlyList<string>? WriteOffReasons = null);

/// <summary>Builds <see cref="CaseOverviewView"/> from the engine and the workspace table. Thread-safe.</summary>
/// <remarks>The tenant's contact facts come from the tenant directory (the ledger import fills it); the payments from the bank feed.</remarks>
public sealed class CaseOverviewQuery(
    CaseClient<CaseState, CaseMessage, CaseEvent> cases,
    WorkspaceStore store,
    HuurIncasso.Integrations.Tenants.ITenantDirectory tenants,
    HuurIncasso.Host.Inputs.BankFeedService bank,
    Domain.Policies.PolicyCatalog policies)
{
    public async Task<CaseOverviewView?> GetAsync(string caseId, CancellationToken cancellationToken = default)
    {
        var instance = await cases.GetAsync(caseId, includeTimeline: true, cancellationToken).ConfigureAwait(false);
        if (instance is null || string.IsNullOrEmpty(instance.Case.State))
        {
            return null;
        }

        var s = JsonSerializer.Deserialize<CaseState>(instance.Case.State, CaseJson.Options)!;
        var events = instance.Timeline.Select(e => JsonSerializer.Deserialize<CaseEvent>(e.Data, CaseJson.Options)!).ToList();
        var segment = events.OfType<SegmentChanged>().LastOrDefault();
        var messages = new List<SentMessage>();
        foreach (var effect in instance.Effects.Where(e => e.Kind == "tenantMessage"))
        {
            if (JsonSerializer.Deserialize<CaseEffect>(effect.Payload, CaseJson.Options) is TenantMessage m)
            {
                messages.Add(new SentMessage(m.Channel switch { Domain.Policies.Channel.Letter => "brief", Domain.Policies.Channel.Sms => "sms", _ => "e-mail" },
                    Dutch.Template(m.Template), m.Arrears, effect.Status == EffectStatus.Done ? "verstuurd" : effect.Status == EffectStatus.Failed ? "mislukt" : "wacht op verzending", effect.CreatedAt,
                    effect.Id, effect.Status == EffectStatus.Failed));
            }
        }

        var pending = new List<PendingDecision>();
        if (s.Pause is { Approved: false } pause)
        {
            pending.Add(new("pause", $"Pauze ({Dutch.Pause(pause.Kind)}) tot {Dutch.Date(pause.Until)}", pause.RequestedBy.Id));
        }

        if (s.WriteOffRequest is { } writeOff)
        {
            pending.Add(new("write-off", $"Afboeken ({writeOff.Reason})", writeOff.By.Id));
        }

        if (s.ProposedStep is { } step)
        {
            pending.Add(new("step", $"Stap goedkeuren: {step}", "systeem"));
        }

        return new CaseOverviewView(
            s.CaseId, s.Status.ToString(), instance.Case.Stage,
            new CaseFacts(s.ContractId, s.TenantId, s.MonthlyRent, s.PropertyType, s.ContractStart, s.DirectDebit, s.Track.ToString(), s.PolicyVersion),
            new Balance(s.Arrears, s.MonthsInArrears, s.OldestDueDate, s.Credit, s.CostsCharged),
            s.Segment, SegmentReasonOf(s, segment), s.WaitingFor, s.WaitingUntil, s.IsPaused,
            s.Arrangement is { BlocksEscalation: true } a ? [.. a.Instalments.Select(i => new ScheduleLine(i.Number, i.DueDate, i.Amount))] : [],
            pending,
            [.. events.Select(e => new TimelineLine(e.Sequence, e.At, e.GetType().Name, Timeline.Describe(e), Timeline.Who(e), e.Reason))],
            messages,
            await store.ListNotesAsync(caseId, cancellationToken).ConfigureAwait(false),
            await store.ListTasksAsync(caseId, cancellationToken).ConfigureAwait(false),
            await tenants.FindAsync(caseId, cancellationToken).ConfigureAwait(false),
            string.IsNullOrEmpty(s.ContractId) ? [] : await bank.ListPaymentsAsync(s.ContractId, cancellationToken).ConfigureAwait(false),
            WriteOffReasonsOf(s.PolicyVersion));
    }

    /// <summary>Why the case is in its segment, in words: the conditions of the policy's rule that put it there.</summary>
    private string? SegmentReasonOf(CaseState s, SegmentChanged? changed)
    {
        if (changed is null)
        {
            return null;
        }

        if (!changed.Reason.StartsWith("segment:", StringComparison.Ordinal))
        {
            return s.Track == CaseTrack.Administrative ? "bedrijfsmatig vastgoed: de financiële administratie" : s.Track == CaseTrack.Departed ? "huurder is vertrokken" : null;
        }

        Domain.Policies.SegmentRule? rule;
        try
        {
            rule = policies.Get(s.PolicyVersion).Segments.FirstOrDefault(r => r.Id == changed.To);
        }
        catch (Domain.Policies.PolicyCatalogException)
        {
            return null;
        }

        return rule is null ? null : SegmentText.Describe(rule.When) + $" (plan {changed.Plan})";
    }

    private IReadOnlyList<string> WriteOffReasonsOf(string version)
    {
        try
        {
            return [.. policies.Get(version).WriteOff.Reasons];
        }
        catch (Domain.Policies.PolicyCatalogException)
        {
            // A version no longer in the folder: the case core refuses a wrong reason anyway.
            return [];
        }
    }
}

/// <summary>A segment rule's conditions as a consultant reads them.</summary>
public static class SegmentText
{
    public static string Describe(Domain.Policies.SegmentCondition when)
    {
        ArgumentNullException.ThrowIfNull(when);
        if (when.IsCatchAll)
        {
            return "geen bijzonderheden: de standaardgroep";
        }

        var parts = new List<string>();
        if (when.NewTenant is { } isNew) parts.Add(isNew ? "nieuwe huurder" : "geen nieuwe huurder");
        if (when.DirectDebit is { } dd) parts.Add(dd ? "betaalt met automatische incasso" : "betaalt zonder automatische incasso");
        if (when.LateMonthsAtLeast is { } least) parts.Add($"minstens {least} maanden te laat in het laatste jaar");
        if (when.LateMonthsAtMost is { } most) parts.Add($"hoogstens {most} maanden te laat in het laatste jaar");
        if (when.OpenArrangement is { } open) parts.Add(open ? "heeft een lopende regeling" : "heeft geen lopende regeling");
        if (!when.ReversalReasons.IsDefaultOrEmpty) parts.Add($"incasso teruggeboekt ({string.Join(", ", when.ReversalReasons)})");
        if (when.Departing is true) parts.Add("gaat verhuizen");
        if (when.Departed is true) parts.Add("is vertrokken");
        if (when.Ability is { } ability) parts.Add(ability == Domain.Policies.Ability.Can ? "kan betalen" : "kan niet betalen");
        if (when.Willingness is { } will) parts.Add(will == Domain.Policies.Willingness.Will ? "wil betalen" : "wil niet betalen");
        if (when.BrokenArrangementsAtLeast is { } broken) parts.Add($"minstens {broken} regeling(en) niet nagekomen");
        if (when.InArrears is { } inArrears) parts.Add(inArrears ? "heeft achterstand" : "heeft geen achterstand");
        return string.Join(", ", parts);
    }
}
