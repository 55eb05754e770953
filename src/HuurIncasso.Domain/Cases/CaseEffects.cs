using System.Collections.Immutable;
using System.Text.Json.Serialization;
using HuurIncasso.Domain.Policies;

namespace HuurIncasso.Domain.Cases;

/// <summary>
/// Something the shell must do because of an event. Derived, never stored as truth: the same
/// event always gives the same effects with the same <see cref="EffectId"/>, so a retried
/// effect is recognised and never done twice.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(TenantMessage), "tenantMessage")]
[JsonDerivedType(typeof(PersonTask), "personTask")]
[JsonDerivedType(typeof(PartnerReferral), "partnerReferral")]
[JsonDerivedType(typeof(HandoverDossier), "handoverDossier")]
[JsonDerivedType(typeof(AgencyUpdate), "agencyUpdate")]
[JsonDerivedType(typeof(LedgerPosting), "ledgerPosting")]
[JsonDerivedType(typeof(Recollection), "recollection")]
[JsonDerivedType(typeof(CancelOpenTasks), "cancelOpenTasks")]
[JsonDerivedType(typeof(ScheduleTimer), "scheduleTimer")]
[JsonDerivedType(typeof(CancelTimer), "cancelTimer")]
public abstract record CaseEffect
{
    public string EffectId { get; init; } = "";

    public string CaseId { get; init; } = "";

    /// <summary>The effect's kind, equal to its JSON type discriminator (e.g. <c>tenantMessage</c>).</summary>
    [JsonIgnore]
    public string Kind => char.ToLowerInvariant(GetType().Name[0]) + GetType().Name[1..];
}

/// <summary>A mail, letter or SMS to the tenant, rendered from a template (Dutch, B1) by the shell.</summary>
public sealed record TenantMessage(Channel Channel, string Template, decimal Arrears, ImmutableDictionary<string, string> Data) : CaseEffect;

/// <summary>A task on a person's worklist. <c>Urgent</c> marks an alert (e.g. a missed instalment).</summary>
public sealed record PersonTask(Role Role, string Title, DateOnly DueOn, bool Urgent) : CaseEffect;

public sealed record PartnerReferral(Partner Partner, decimal Arrears, int MonthsInArrears) : CaseEffect;

/// <summary>The dossier for the agency or bailiff: arrears, costs charged and statutory interest (if the policy charges it).</summary>
public sealed record HandoverDossier(HandoverTarget Target, decimal Arrears, decimal Costs, decimal StatutoryInterest) : CaseEffect;

/// <summary>Tell the agency or bailiff that a handed-over case changed (paid in full).</summary>
public sealed record AgencyUpdate(string What, decimal Arrears) : CaseEffect;

/// <summary>A posting for the ERP (collection costs, write-off).</summary>
public sealed record LedgerPosting(string Posting, decimal Amount, decimal Vat) : CaseEffect;

/// <summary>Collect a returned direct debit again on a date.</summary>
public sealed record Recollection(decimal Amount, DateOnly On) : CaseEffect;

public sealed record CancelOpenTasks(string Why) : CaseEffect;

public sealed record ScheduleTimer(string TimerId, DateTimeOffset Due) : CaseEffect;

public sealed record CancelTimer(string TimerId) : CaseEffect;

public static partial class CaseCore
{
    /// <summary>
    /// The effects of one event, given the state right after it. Pure: the shell calls it when it
    /// commits the event and puts the result in the outbox.
    /// </summary>
    public static ImmutableArray<CaseEffect> EffectsOf(CaseEvent @event, CaseState stateAfter) => Effects(@event, stateAfter, texts: true);

    /// <summary>
    /// The effects of <see cref="EffectsOf"/>, of the same kinds in the same order, but without
    /// their texts (titles, letter data) and ids: for a caller that only counts them (a
    /// simulation), so that it does not format amounts and dates it never reads.
    /// </summary>
    public static ImmutableArray<CaseEffect> EffectsWithoutTexts(CaseEvent @event, CaseState stateAfter) => Effects(@event, stateAfter, texts: false);

    private static ImmutableArray<CaseEffect> Effects(CaseEvent @event, CaseState stateAfter, bool texts)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(stateAfter);
        var s = stateAfter;
        var t = texts;
        var on = BusinessDate(@event.At);
        var arrears = s.Arrears;
        IEnumerable<CaseEffect> effects = @event switch
        {
            StepTaken e => StepEffects(e, s, t),
            StepProposed e => [new PersonTask(e.ApproverRole, t ? $"Goedkeuren: {e.StepId} (achterstand {Dutch.Euro(arrears)})" : "", on, Urgent: false)],
            // The tenant hears it from us before the agency writes: the announcement comes first,
            // so the dossier that follows lists it among the letters.
            HandedOver e =>
            [
                new TenantMessage(Channel.Letter, "handover-announcement", e.Arrears, !t ? NoData : Data(("naar", e.Target == HandoverTarget.Bailiff ? "deurwaarder" : "incassobureau"))),
                new HandoverDossier(e.Target, e.Arrears, s.CostsCharged, e.StatutoryInterest),
            ],
            EarlySignalSent e => [new PartnerReferral(Partner.EarlySignal, e.Arrears, e.MonthsInArrears)],
            EarlySignalHeld e => [new PersonTask(Role.Consultant, t ? $"Vroegsignalering wacht op: {string.Join(", ", e.MissingConditions)}" : "", on, Urgent: false)],
            FormalNoticeSent e => [new TenantMessage(Channel.Letter, "formal-notice", e.Principal, !t ? NoData : Data(
                ("kosten", Amount(e.AnnouncedCosts)), ("btw", Amount(e.AnnouncedVat)), ("verzonden", IsoDate(e.Proof.SentOn)),
                ("ontvangen", IsoDate(e.Proof.DeliveredOn)), ("laatsteDag", IsoDate(e.LastDayToPay))))],
            CollectionCostsCharged e => [new LedgerPosting("collection-costs", e.Costs, e.Vat)],
            ArrangementActivated e => [new TenantMessage(Channel.Letter, "arrangement-confirmation", e.Total, !t ? NoData : Data(
                ("termijnen", e.Instalments.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("eerste", IsoDate(e.Instalments[0].DueDate)), ("bedrag", Amount(e.Instalments[0].Amount)),
                ("schema", string.Join(';', e.Instalments.Select(i => $"{IsoDate(i.DueDate)}={Amount(i.Amount)}")))))],
            // Not kept (after a person's check) or cancelled by a person: the tenant must know the rest is due.
            ArrangementEnded e when e.Status == ArrangementStatus.ANN || e.EndReason == ArrangementEndReason.VOL =>
                [new TenantMessage(Channel.Letter, "arrangement-broken", arrears, !t ? NoData : Data(("reden", e.Status == ArrangementStatus.ANN ? "geannuleerd" : "niet-nagekomen")))],
            InstalmentMissed e => [new PersonTask(Role.Consultant, t ? $"Termijn {e.Number} van regeling {e.ArrangementId} niet betaald: beoordelen" : "", on, Urgent: true)],
            PauseRequested e => [new PersonTask(Role.Consultant, t ? $"Pauze ({Dutch.Pause(e.Kind)}) tot {Dutch.Date(e.Until)} beoordelen" : "", on, Urgent: false)],
            PauseStarted e => PauseEffects(e, arrears, on, t),
            DirectDebitReversed e => ReversalEffects(e, on, t),
            CaseClosed { Outcome: CaseOutcome.Paid } => ClosedEffects(s),
            CaseClosed => [new CancelOpenTasks("zaak gesloten")],
            WriteOffRequested e => [new PersonTask(Role.TeamLead, t ? $"Afboeken beoordelen ({e.WriteOffReason}, {Dutch.Euro(arrears)})" : "", on, Urgent: false)],
            WrittenOff e => [new LedgerPosting("write-off", e.Amount, 0m)],
            BalanceDifferenceFound e => [new PersonTask(Role.Finance, t ? $"Saldo in de administratie wijkt {Dutch.Euro(e.Difference)} af van de zaak" : "", on, Urgent: false)],
            MailEventRecorded { Kind: MailEventKind.Bounced or MailEventKind.Dropped } e =>
            [
                // The 14-day notice always goes by post as well, so its term still runs; but a tenant
                // who does not get our mails must be reached another way, and soon for a notice.
                new PersonTask(Role.Consultant, !t ? "" : $"Mail '{Dutch.Template(e.Template)}' kwam niet aan ({(e.Kind == MailEventKind.Bounced ? "geweigerd" : "niet verstuurd")}{(string.IsNullOrWhiteSpace(e.MailReason) ? "" : ": " + e.MailReason)}): controleer het e-mailadres", on, Urgent: e.Template == "formal-notice"),
            ],
            WaitChanged e => WaitEffects(e),
            _ => [],
        };
        return t ? [.. effects.Select((effect, i) => effect with { EffectId = $"{s.CaseId}/{@event.Sequence}/{i}", CaseId = s.CaseId })] : [.. effects];
    }

    private static IEnumerable<CaseEffect> StepEffects(StepTaken e, CaseState s, bool texts)
    {
        var title = texts ? $"{e.StepId} (achterstand {Dutch.Euro(s.Arrears)}, {s.MonthsInArrears} maand(en))" : "";
        var t = texts;
        return e.Kind switch
        {
            StepKind.Reminder or StepKind.FinalStatement or StepKind.ArrangementOffer => (e.Channels.IsDefaultOrEmpty ? [Channel.Mail] : e.Channels)
                .Select(c => (CaseEffect)new TenantMessage(c, e.StepId, s.Arrears, t ? Data(("stap", e.Kind.ToString())) : NoData)),
            StepKind.Call => [new PersonTask(Role.Consultant, t ? $"Bellen: {title}" : "", e.On, Urgent: false)],
            StepKind.Visit => [new PersonTask(Role.Consultant, t ? $"Huisbezoek (liefst 's avonds): {title}" : "", e.On, Urgent: false)],
            StepKind.Task => [new PersonTask(e.TaskRole ?? Role.Consultant, t ? $"Taak: {title}" : "", e.On, Urgent: false)],
            StepKind.Referral when e.Partner is { } partner && partner != Partner.EarlySignal => [new PartnerReferral(partner, s.Arrears, s.MonthsInArrears)],
            _ => [],
        };
    }

    private static IEnumerable<CaseEffect> PauseEffects(PauseStarted e, decimal arrears, DateOnly on, bool texts)
    {
        yield return new TenantMessage(Channel.Letter, "pause-confirmation", arrears, texts ? Data(("tot", IsoDate(e.Until))) : NoData);
        if (e.Kind == PauseKind.Complaint)
        {
            yield return new PersonTask(Role.Consultant, "Klacht van de huurder doorsturen naar de afdeling klachten", on, Urgent: false);
        }
    }

    private static IEnumerable<CaseEffect> ReversalEffects(DirectDebitReversed e, DateOnly on, bool texts) => e.Treatment switch
    {
        ReversalTreatment.Recollect =>
        [
            new Recollection(e.Amount, e.BookedOn.AddDays(e.RetryAfterDays)),
            new TenantMessage(Channel.Mail, "reversal-recollect", e.Amount, texts ? Data(("code", e.ReasonCode)) : NoData),
        ],
        ReversalTreatment.Deceased => [new PersonTask(Role.Consultant, texts ? $"Incasso gestorneerd ({e.ReasonCode}): huurder overleden, nalatenschap nagaan" : "", on, Urgent: true)],
        _ =>
        [
            new TenantMessage(Channel.Mail, "reversal-contact", e.Amount, texts ? Data(("code", e.ReasonCode)) : NoData),
            new PersonTask(Role.Consultant, texts ? $"Incasso gestorneerd ({e.ReasonCode}): contact opnemen" : "", on, Urgent: false),
        ],
    };

    private static IEnumerable<CaseEffect> ClosedEffects(CaseState s)
    {
        yield return new TenantMessage(Channel.Mail, "closing-confirmation", 0m, Data());
        yield return new CancelOpenTasks("achterstand betaald");
        if (s.Handover is not null)
        {
            yield return new AgencyUpdate("betaald", 0m);
        }
    }

    private static IEnumerable<CaseEffect> WaitEffects(WaitChanged e)
    {
        if (e.PreviousTimerId is { } previous && previous != e.TimerId)
        {
            yield return new CancelTimer(previous);
        }

        if (e.TimerId is { } timer && e.Due is { } due && timer != e.PreviousTimerId)
        {
            yield return new ScheduleTimer(timer, due);
        }
    }

    private static readonly ImmutableDictionary<string, string> NoData = ImmutableDictionary.Create<string, string>(StringComparer.Ordinal);

    private static ImmutableDictionary<string, string> Data(params (string Key, string Value)[] pairs) =>
        pairs.ToImmutableDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    // Letter data carry machine values; the letter templates format them for the reader.
    private static string Amount(decimal amount) => amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

    private static string IsoDate(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
