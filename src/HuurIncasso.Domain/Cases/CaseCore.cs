using System.Collections.Immutable;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Domain.Statutory;

namespace HuurIncasso.Domain.Cases;

/// <summary>
/// The pure core of an arrears case. <see cref="Decide"/> turns a message into events,
/// <see cref="Apply"/> folds an event into the state, <see cref="EffectsOf"/> derives what the
/// shell must do (mail, letter, task, referral, timer). No I/O; the clock comes in as a value.
/// Thread-safe: everything is immutable.
/// </summary>
public static partial class CaseCore
{
    /// <summary>
    /// Decides what a message means for a case. Returns the events, already stamped with their
    /// sequence, causation id, time and reason; apply them in order to get the new state.
    /// </summary>
    /// <exception cref="CaseNotOpenedException">The case has no <see cref="CaseOpened"/> yet and the message is not <see cref="OpenCase"/>.</exception>
    /// <exception cref="PolicyVersionMismatchException">The policy is not the version the case is pinned to.</exception>
    public static ImmutableArray<CaseEvent> Decide(CaseState state, CaseMessage message, DateTimeOffset now, CollectionPolicy policy)
    {
        var decided = DecideAndApply(state, message, now, policy);
        var events = ImmutableArray.CreateBuilder<CaseEvent>(decided.Length);
        foreach (var applied in decided)
        {
            events.Add(applied.Event);
        }

        return events.MoveToImmutable();
    }

    /// <summary>
    /// <see cref="Decide"/> with the state after each event: exactly what applying the events in
    /// order gives, taken from the decision, which applies each event as it emits it. The shell
    /// need not apply them a second time.
    /// </summary>
    /// <exception cref="CaseNotOpenedException">The case has no <see cref="CaseOpened"/> yet and the message is not <see cref="OpenCase"/>.</exception>
    /// <exception cref="PolicyVersionMismatchException">The policy is not the version the case is pinned to.</exception>
    public static ImmutableArray<AppliedEvent> DecideAndApply(CaseState state, CaseMessage message, DateTimeOffset now, CollectionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(policy);
        if (message is RecordLedgerMonth month)
        {
            // The parts one after the other, each decided on the state the previous one left.
            var applied = ImmutableArray.CreateBuilder<AppliedEvent>();
            foreach (var part in month.Parts)
            {
                var decided = DecideAndApply(state, part, now, policy);
                applied.AddRange(decided);
                state = decided.IsEmpty ? state : decided[^1].After;
            }

            return applied.ToImmutable();
        }

        if (state.Status == CaseStatus.New && message is not OpenCase)
        {
            throw new CaseNotOpenedException(state.CaseId, message.MessageId);
        }

        var expected = message is MigratePolicy m ? m.ToVersion : state.Status == CaseStatus.New ? policy.Version : state.PolicyVersion;
        if (expected != policy.Version)
        {
            throw new PolicyVersionMismatchException(state.CaseId, expected, policy.Version);
        }

        if (message is FireTimer timer && !timer.Matches(state))
        {
            // A timer the case no longer waits for: nothing happens.
            return [];
        }

        var d = new Decision(state, message, now, policy);
        Handle(d, message);
        if (d.State.Status is CaseStatus.Open or CaseStatus.HandedOver)
        {
            Resegment(d);
            if (message is not Cases.Resegment)
            {
                Evaluate(d);
            }
        }

        UpdateWait(d);
        return [.. d.Applied];
    }

    /// <summary>Replays events onto an empty state.</summary>
    public static CaseState Replay(string caseId, IEnumerable<CaseEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return events.Aggregate(CaseState.Empty(caseId), Apply);
    }

    /// <summary>The business date of an instant: the calendar date in Europe/Amsterdam.</summary>
    public static DateOnly BusinessDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Amsterdam).DateTime);

    /// <summary>The instant a timer for <paramref name="date"/> fires: 06:00 in Europe/Amsterdam.</summary>
    public static DateTimeOffset TimerInstant(DateOnly date)
    {
        var local = date.ToDateTime(new TimeOnly(6, 0));
        return new DateTimeOffset(local, Amsterdam.GetUtcOffset(local)).ToUniversalTime();
    }

    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    /// <summary>The working state of one decision: events emitted so far and the state they give.</summary>
    private sealed class Decision(CaseState state, CaseMessage message, DateTimeOffset now, CollectionPolicy policy)
    {
        public CaseState State { get; private set; } = state;

        /// <summary>The events emitted so far, each with the state right after it.</summary>
        public List<AppliedEvent> Applied { get; } = [];

        public CaseMessage Message { get; } = message;

        public CollectionPolicy Policy { get; } = policy;

        public DateOnly Today { get; } = BusinessDate(now);

        public void Emit(CaseEvent e, string reason)
        {
            var stamped = e with { Sequence = State.Version + 1, CausationId = Message.MessageId, At = now, Reason = reason };
            State = Apply(State, stamped);
            Applied.Add(new AppliedEvent(stamped, State));
        }

        public void Reject(Actor? by, string why) => Emit(new CommandRejected(Message.GetType().Name, by, why), by is null ? "core" : Person(by));
    }

    private static string Person(Actor actor) => $"person:{actor.Id}";

    private static void Handle(Decision d, CaseMessage message)
    {
        var s = d.State;
        switch (message)
        {
            case OpenCase m:
                HandleOpen(d, m);
                break;
            case ChargeRent m:
                ArgumentOutOfRangeException.ThrowIfNegativeOrZero(m.Amount);
                d.Emit(new RentCharged(m.DueDate, m.Amount), "ledger:rent");
                ReopenIfArrears(d);
                break;
            case RestateBalance m:
                if (m.Balance != s.Arrears - s.Credit)
                {
                    d.Emit(new BalanceDifferenceFound(m.AsOf, s.Arrears - s.Credit, m.Balance), "ledger:restated");
                    ReopenIfArrears(d);
                }

                break;
            case ReceivePayment m:
                ArgumentOutOfRangeException.ThrowIfNegativeOrZero(m.Amount);
                d.Emit(new PaymentApplied(m.PaymentId, m.BookedOn, m.Amount, m.ByDirectDebit), "bank:payment");
                break;
            case ReverseDirectDebit m:
                ArgumentOutOfRangeException.ThrowIfNegativeOrZero(m.Amount);
                var rule = d.Policy.ReversalRuleFor(m.ReasonCode);
                d.Emit(
                    new DirectDebitReversed(m.PaymentId, m.BookedOn, m.Amount, m.ReasonCode.ToUpperInvariant(), rule?.Treatment ?? d.Policy.DefaultReversalTreatment, rule?.RetryAfterDays ?? 0),
                    rule is null ? "policy:defaultReversalTreatment" : $"policy:reversals:{m.ReasonCode}");
                ReopenIfArrears(d);
                break;
            case FireTimer:
            case Cases.Resegment:
                break;
            case RecordCallOutcome m:
                if (RequireActive(d, m.By))
                {
                    d.Emit(new CallOutcomeRecorded(m.By, m.Reached, m.AdviceGiven, m.PointedToDebtCounselling, m.Ability, m.Willingness, m.Note), Person(m.By));
                }

                break;
            case RecordVisitOutcome m:
                // A closed case is never visited for arrears, so a visit outcome there is refused.
                if (RequireActive(d, m.By))
                {
                    d.Emit(new VisitOutcomeRecorded(m.By, m.Met, m.AdviceGiven, m.PointedToDebtCounselling, m.Ability, m.Willingness, m.Note), Person(m.By));
                }

                break;
            case RecordEarlySignalObjection m:
                d.Emit(new EarlySignalObjected(m.By), Person(m.By));
                break;
            case AgreeArrangement m:
                HandleArrangement(d, m);
                break;
            case RecordNoticeDelivery m:
                if (s.Notice is not { CostsCharged: false } open || m.DeliveredOn < open.Proof.SentOn)
                {
                    d.Reject(null, "er is geen aanmaning waarvan de ontvangst nog telt, of de datum ligt voor de verzending");
                }
                else
                {
                    var (proof, lastDay) = NoticeProof(FormalNoticeProof.Recorded(open.Proof.SentOn, open.Proof.Channel, m.DeliveredOn), d.Policy);
                    d.Emit(new NoticeDeliveryRecorded(proof, lastDay), "post:delivered");
                }

                break;
            case ReviewMissedInstalment m:
                if (s.Arrangement is not { Status: ArrangementStatus.BEV } frozen)
                {
                    d.Reject(m.By, "er is geen gemiste termijn om te beoordelen");
                }
                else if (m.KeepArrangement)
                {
                    d.Emit(new ArrangementResumed(frozen.Id, m.By), Person(m.By));
                }
                else
                {
                    d.Emit(new ArrangementEnded(frozen.Id, ArrangementStatus.BEE, ArrangementEndReason.VOL), Person(m.By));
                }

                break;
            case CancelArrangement m:
                if (s.Arrangement?.BlocksEscalation != true)
                {
                    d.Reject(m.By, "er loopt geen regeling");
                }
                else
                {
                    d.Emit(new ArrangementEnded(s.Arrangement.Id, ArrangementStatus.ANN, null), Person(m.By));
                }

                break;
            case RequestPause m:
                HandlePauseRequest(d, m);
                break;
            case ApprovePause m:
                if (s.Pause is not { Approved: false } requested)
                {
                    d.Reject(m.By, "er is geen pauze aangevraagd");
                }
                else
                {
                    d.Emit(new PauseStarted(m.By, requested.Kind, d.Today, requested.Until), Person(m.By));
                }

                break;
            case EndPause m:
                if (s.Pause is null)
                {
                    d.Reject(m.By, "de zaak is niet gepauzeerd");
                }
                else
                {
                    d.Emit(new PauseEnded(s.Pause.Kind, d.Today), Person(m.By));
                }

                break;
            case ApproveStep m:
                HandleApproval(d, m);
                break;
            case RejectStep m:
                if (s.ProposedStep != m.StepId)
                {
                    d.Reject(m.By, $"stap '{m.StepId}' wacht niet op goedkeuring");
                }
                else
                {
                    var wait = Math.Max(7, d.Policy.Plan(s.Plan!).Find(m.StepId)?.WaitDays ?? 0);
                    d.Emit(new StepRejected(m.StepId, m.By, m.Reason, d.Today.AddDays(wait)), Person(m.By));
                }

                break;
            case RequestWriteOff m:
                if (s.Status is not (CaseStatus.Open or CaseStatus.HandedOver))
                {
                    d.Reject(m.By, "de zaak is gesloten");
                }
                else if (!d.Policy.WriteOff.Reasons.Contains(m.Reason, StringComparer.Ordinal))
                {
                    d.Reject(m.By, $"'{m.Reason}' is geen reden om af te boeken; kies uit: {string.Join(", ", d.Policy.WriteOff.Reasons)}");
                }
                else
                {
                    d.Emit(new WriteOffRequested(m.By, m.Reason), Person(m.By));
                }

                break;
            case ApproveWriteOff m:
                HandleWriteOffApproval(d, m);
                break;
            case RecordTenantDeparture m:
                if (s.DepartedOn is null)
                {
                    d.Emit(new TenantDeparted(m.On), "ledger:departed");
                }

                break;
            case UpdateTenantFacts m:
                if (m.DirectDebit != s.DirectDebit || m.LateMonthsInLast12 != s.LateMonthsInLast12 || m.Departing != s.Departing)
                {
                    d.Emit(new TenantFactsUpdated(m.DirectDebit, m.LateMonthsInLast12, m.Departing), "ledger:facts");
                }

                break;
            case RecordLegalStep m:
                if (s.Status != CaseStatus.HandedOver)
                {
                    d.Reject(m.By, "juridische stappen horen bij een zaak die is overgedragen aan bureau of deurwaarder");
                }
                else
                {
                    d.Emit(new LegalStepRecorded(m.Step, m.On, m.By), Person(m.By));
                }

                break;
            case RecordMailEvent m:
                HandleMailEvent(d, m);
                break;
            case MigratePolicy m:
                if (m.ToVersion != s.PolicyVersion)
                {
                    d.Emit(new PolicyMigrated(s.PolicyVersion, m.ToVersion, m.By), Person(m.By));
                }

                break;
            default:
                throw new ArgumentException($"Unknown message type {message.GetType().Name}.", nameof(message));
        }
    }

    /// <summary>
    /// Keeps the latest status of each mail. A report older than the one kept (providers do not
    /// promise order) or the same status again (a second "deferred", another "open") adds nothing.
    /// </summary>
    private static void HandleMailEvent(Decision d, RecordMailEvent m)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(m.EffectId);
        var current = d.State.Mails.FirstOrDefault(x => x.EffectId == m.EffectId);
        if (current is not null && (current.Kind == m.Kind || m.OccurredAt < current.At))
        {
            return;
        }

        d.Emit(new MailEventRecorded(m.EffectId, m.Template, m.Kind, m.OccurredAt, m.Reason), $"mail:{m.Kind.ToString().ToLowerInvariant()}");
    }

    private static bool RequireActive(Decision d, Actor by)
    {
        if (d.State.Status is CaseStatus.Open or CaseStatus.HandedOver)
        {
            return true;
        }

        d.Reject(by, "de zaak is gesloten; er is geen achterstand meer");
        return false;
    }

    private static void HandleOpen(Decision d, OpenCase m)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(m.MonthlyRent);
        if (d.State.Status != CaseStatus.New)
        {
            // The ledger still reports arrears for an existing case: its balance is the truth.
            if (m.Balance != d.State.Arrears - d.State.Credit)
            {
                d.Emit(new BalanceDifferenceFound(d.Today, d.State.Arrears - d.State.Credit, m.Balance), "ledger:restated");
                ReopenIfArrears(d);
            }

            return;
        }

        if (m.Balance <= 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(m), m.Balance, $"Case '{m.CaseId}' cannot open without arrears; the ledger opens cases for a positive balance only.");
        }

        var administrative = d.Policy.AdministrativeTrack.PropertyTypes.Contains(m.PropertyType.ToUpperInvariant());
        d.Emit(
            new CaseOpened(m.CaseId, m.ContractId, m.TenantId, m.MonthlyRent, m.PropertyType.ToUpperInvariant(), m.ContractStart, m.DirectDebit,
                m.LateMonthsInLast12, d.Policy.Version, administrative ? CaseTrack.Administrative : CaseTrack.Regular, m.Balance, m.OldestUnpaidDueDate),
            administrative ? "policy:administrativeTrack" : "ledger:arrears");
    }

    private static void ReopenIfArrears(Decision d)
    {
        if (d.State.Status == CaseStatus.Closed && d.State.Arrears > 0m)
        {
            d.Emit(new CaseReopened(d.State.Arrears), "ledger:arrears");
        }
    }

    private static void HandleArrangement(Decision d, AgreeArrangement m)
    {
        var s = d.State;
        var rules = d.Policy.Arrangements;
        var reasons = new List<string>();
        if (s.Status != CaseStatus.Open)
        {
            reasons.Add("een regeling kan alleen bij een open zaak die niet is overgedragen");
        }

        if (s.Arrangement?.BlocksEscalation == true)
        {
            reasons.Add("er loopt al een regeling");
        }

        var lastYear = s.ArrangementsAgreedOn.Count(on => on > d.Today.AddYears(-1));
        if (lastYear >= rules.MaxPerYear)
        {
            reasons.Add($"hoogstens {rules.MaxPerYear} regeling(en) per jaar");
        }

        var max = s.Arrears <= s.MonthlyRent ? rules.MaxInstalmentsUpToOneMonth : rules.MaxInstalments;
        if (m.Instalments < 1 || m.Instalments > max)
        {
            reasons.Add($"{m.Instalments} termijnen kan niet: hoogstens {max} bij deze achterstand");
        }

        var amount = m.Instalments < 1 ? 0m : RoundToCents(s.Arrears / m.Instalments);
        if (m.Instalments >= 1 && amount < rules.MinimumInstalment)
        {
            reasons.Add($"een termijn van {amount:0.00} is minder dan het minimum van {rules.MinimumInstalment:0.00}");
        }

        var dates = m.Dates is { IsDefaultOrEmpty: false } given
            ? given
            : [.. Enumerable.Range(0, Math.Max(m.Instalments, 0)).Select(i => m.FirstDueDate.AddMonths(i))];
        if (dates.Length != m.Instalments)
        {
            reasons.Add($"{dates.Length} datums voor {m.Instalments} termijnen");
        }

        if (dates.Length > 0 && (dates[0] < d.Today || dates.Zip(dates.Skip(1)).Any(p => p.Second <= p.First)))
        {
            reasons.Add("de termijndata moeten vanaf vandaag oplopen");
        }

        if (s.Arrears <= 0m)
        {
            reasons.Add("er is geen achterstand");
        }

        if (reasons.Count > 0)
        {
            d.Emit(new ArrangementRefused(m.By, [.. reasons]), Person(m.By));
            return;
        }

        var instalments = dates.Select((date, i) => new Instalment(
            i + 1, date, i == dates.Length - 1 ? s.Arrears - (amount * (dates.Length - 1)) : amount)).ToImmutableArray();
        d.Emit(new ArrangementActivated($"{s.CaseId}-R{s.ArrangementsAgreedOn.Count + 1}", m.By, d.Today, s.Arrears, instalments), Person(m.By));
    }

    private static void HandlePauseRequest(Decision d, RequestPause m)
    {
        var s = d.State;
        var rule = d.Policy.PauseFor(m.Kind);
        if (s.Status != CaseStatus.Open)
        {
            d.Reject(m.By, "pauzeren kan alleen bij een open zaak");
        }
        else if (s.Pause is not null)
        {
            d.Reject(m.By, "er is al een pauze aangevraagd of actief");
        }
        else if (rule is null)
        {
            d.Reject(m.By, $"het beleid kent geen pauze van soort {m.Kind}");
        }
        else if (m.Until < d.Today)
        {
            d.Reject(m.By, "de einddatum ligt in het verleden");
        }
        else if (m.Until.DayNumber - d.Today.DayNumber + 1 > rule.MaxDays)
        {
            d.Reject(m.By, $"deze pauze duurt hoogstens {rule.MaxDays} dagen");
        }
        else
        {
            d.Emit(new PauseRequested(m.By, m.Kind, m.Until, m.Note), Person(m.By));
        }
    }

    private static void HandleApproval(Decision d, ApproveStep m)
    {
        var s = d.State;
        var step = s.Plan is null ? null : d.Policy.Plan(s.Plan).Find(m.StepId);
        if (s.ProposedStep != m.StepId || step is null)
        {
            d.Reject(m.By, $"stap '{m.StepId}' wacht niet op goedkeuring");
            return;
        }

        var approver = step.Kind == StepKind.Handover ? d.Policy.Handover.ApproverRole : Role.TeamLead;
        if (m.By.Role != approver)
        {
            d.Reject(m.By, $"alleen iemand met de rol {approver} mag dit goedkeuren");
        }
        else if (s.IsPaused || s.Arrangement?.BlocksEscalation == true)
        {
            d.Reject(m.By, "de zaak is gepauzeerd of heeft een lopende regeling");
        }
        else if (step.Kind == StepKind.Handover && step.RequiresVisit && !s.VisitAttempted)
        {
            d.Reject(m.By, "eerst moet een huisbezoek zijn geprobeerd");
        }
        else if (step.Kind == StepKind.Handover)
        {
            d.Emit(new HandedOver(step.Id, step.HandoverTo ?? HandoverTarget.Agency, m.By, s.Arrears, StatutoryInterestOwed(s, d.Today, d.Policy), d.Today), Person(m.By));
        }
        else
        {
            Take(d, step, Person(m.By));
        }
    }

    private static void HandleWriteOffApproval(Decision d, ApproveWriteOff m)
    {
        var s = d.State;
        if (s.WriteOffRequest is not { } request)
        {
            d.Reject(m.By, "er is geen verzoek tot afboeken");
            return;
        }

        if (request.By.Id == m.By.Id)
        {
            d.Reject(m.By, "vier ogen: wie afboeken aanvraagt, mag het niet zelf goedkeuren");
            return;
        }

        if (m.By.Role != d.Policy.WriteOff.ApproverRole)
        {
            d.Reject(m.By, $"alleen iemand met de rol {d.Policy.WriteOff.ApproverRole} mag afboeken goedkeuren");
            return;
        }

        if (s.Arrangement?.BlocksEscalation == true)
        {
            var sanitised = request.Reason.Contains("wsnp", StringComparison.OrdinalIgnoreCase) || request.Reason.Contains("kwijting", StringComparison.OrdinalIgnoreCase);
            d.Emit(new ArrangementEnded(s.Arrangement.Id, ArrangementStatus.BEE, sanitised ? ArrangementEndReason.SAN : ArrangementEndReason.ONI), Person(m.By));
        }

        d.Emit(new WrittenOff(request.By, m.By, request.Reason, s.Arrears), Person(m.By));
        d.Emit(new CaseClosed(CaseOutcome.WrittenOff, Cancelled(d.State, d.Policy)), Person(m.By));
    }

    private static void Resegment(Decision d)
    {
        var s = d.State;
        var rule = Segmenter.Classify(s, d.Today, d.Policy);
        var plan = s.Track switch
        {
            CaseTrack.Administrative => d.Policy.AdministrativeTrack.Plan,
            CaseTrack.Departed => d.Policy.DepartedPlan,
            _ => rule.Plan,
        };
        if (rule.Id != s.Segment || plan != s.Plan)
        {
            d.Emit(new SegmentChanged(s.Segment, rule.Id, rule.Colour, plan), s.Track == CaseTrack.Regular ? $"segment:{rule.Id}" : $"track:{s.Track}");
        }
    }

    /// <summary>Everything the clock or the state now makes due, in order: closing, pause end, instalments, costs, ladder.</summary>
    private static void Evaluate(Decision d)
    {
        var s = d.State;
        if (s.Arrears <= 0m)
        {
            if (s.Arrangement?.BlocksEscalation == true)
            {
                d.Emit(new ArrangementEnded(s.Arrangement.Id, ArrangementStatus.BEE, ArrangementEndReason.AFB), "arrears:paid");
            }

            d.Emit(new CaseClosed(CaseOutcome.Paid, Cancelled(d.State, d.Policy)), "arrears:paid");
            return;
        }

        if (s.Status != CaseStatus.Open)
        {
            return;
        }

        if (s.Pause is { Approved: true } pause && d.Today > pause.Until)
        {
            d.Emit(new PauseEnded(pause.Kind, d.Today), "pause:expired");
        }

        CheckInstalments(d);
        if (Blocked(d.State))
        {
            return;
        }

        if (d.State.EarlySignal is { Held: true, SentOn: null } signal && signal.Missing().IsEmpty)
        {
            d.Emit(new EarlySignalSent("vroegsignalering", d.State.Arrears, d.State.MonthsInArrears, d.Today), "decree:conditions-met");
        }

        ChargeCostsWhenDue(d);
        for (var guard = 0; guard < 100 && d.State.ProposedStep is null && d.State.Status == CaseStatus.Open; guard++)
        {
            var next = NextStep(d.State, d.Policy);
            if (next is null || DueOn(d.State, next) is not { } due || due > d.Today || WaitsForVisit(d.State, next))
            {
                break;
            }

            Take(d, next, $"ladder:{next.Id}");
        }
    }

    private static bool Blocked(CaseState s) => s.IsPaused || s.Arrangement?.BlocksEscalation == true;

    private static bool WaitsForVisit(CaseState s, StepDefinition step) => step.Kind == StepKind.Handover && step.RequiresVisit && !s.VisitAttempted;

    private static void CheckInstalments(Decision d)
    {
        while (d.State.Arrangement is { Status: ArrangementStatus.ACT } a && a.CheckedThrough < a.Instalments.Length)
        {
            var instalment = a.Instalments[a.CheckedThrough];
            if (instalment.DueDate.AddDays(d.Policy.Arrangements.GraceDays) > d.Today)
            {
                return;
            }

            var allowed = a.AllowedArrearsAfter(instalment.Number);
            if (d.State.Arrears > allowed)
            {
                d.Emit(new InstalmentMissed(a.Id, instalment.Number, instalment.DueDate, allowed, d.State.Arrears), "arrangement:instalment-missed");
                return;
            }

            d.Emit(new InstalmentKept(a.Id, instalment.Number), "arrangement:instalment-kept");
        }
    }

    private static void ChargeCostsWhenDue(Decision d)
    {
        var s = d.State;
        if (s.Notice is not { CostsCharged: false } notice || !d.Policy.Notice.ChargeCosts || d.Today < notice.EarliestCostDate)
        {
            return;
        }

        var principal = Math.Min(notice.Principal, s.Arrears);
        var (costs, vat) = CostsFor(principal, s, d.Today, d.Policy);
        if (costs > 0m)
        {
            d.Emit(new CollectionCostsCharged(principal, costs, vat, d.Today), "notice:expired");
        }
    }

    /// <summary>WIK costs on <paramref name="principal"/>, capped for small recurring claims, with VAT if the policy adds it.</summary>
    private static (decimal Costs, decimal Vat) CostsFor(decimal principal, CaseState s, DateOnly today, CollectionPolicy policy)
    {
        var costs = WikCollectionCosts.Calculate(principal).CollectionCosts;
        if (policy.Costs.RecurringClaimsCapPerSixMonths is { } cap && principal < policy.Costs.RecurringClaimsThreshold)
        {
            var window = s.CostCharges.Where(c => c.DueDate > today.AddMonths(-6)).Sum(c => c.Amount);
            costs = Math.Clamp(cap - window, 0m, costs);
        }

        var vat = policy.Costs.AddVat ? RoundToCents(costs * policy.Costs.VatRatePercent / 100m) : 0m;
        return (costs, vat);
    }

    /// <summary>The first step of the case's plan it has not taken yet.</summary>
    /// <remarks>Asked several times per decision: plain loops, the taken steps by index (a handful), no enumerators.</remarks>
    private static StepDefinition? NextStep(CaseState s, CollectionPolicy policy)
    {
        if (s.Plan is null)
        {
            return null;
        }

        var taken = s.Steps;
        foreach (var step in policy.Plan(s.Plan).Steps)
        {
            var done = false;
            for (var i = 0; i < taken.Count && !done; i++)
            {
                done = taken[i].StepId == step.Id;
            }

            if (!done)
            {
                return step;
            }
        }

        return null;
    }

    /// <summary>The date a step becomes due, or null while the arrears are too low for it.</summary>
    private static DateOnly? DueOn(CaseState s, StepDefinition step)
    {
        if (s.MonthsInArrears < step.MonthsInArrears || s.OldestDueDate is not { } oldest)
        {
            return null;
        }

        var due = oldest.AddDays(step.DaysPastDue);
        if (s.LastStepOn is { } last)
        {
            var afterPrevious = last.AddDays(step.WaitDays);
            due = afterPrevious > due ? afterPrevious : due;
        }

        if (s.RejectedStep == step.Id && s.ProposeAgainOn is { } again && again > due)
        {
            due = again;
        }

        return due;
    }

    private static void Take(Decision d, StepDefinition step, string reason)
    {
        var s = d.State;
        // A step with legal effect always waits for a person, even if a policy forgot to say so.
        if ((step.RequiresApproval || step.HasLegalEffect) && s.ProposedStep != step.Id && !reason.StartsWith("person:", StringComparison.Ordinal))
        {
            d.Emit(new StepProposed(step.Id, step.Kind, step.Kind == StepKind.Handover ? d.Policy.Handover.ApproverRole : Role.TeamLead), reason);
            return;
        }

        d.Emit(new StepTaken(step.Id, step.Kind, d.Today, step.Partner, step.Channels, step.TaskRole, step.OffersEarlySignal, step.PointsToDebtCounselling), reason);
        if (step.Partner == Partner.EarlySignal)
        {
            var missing = d.State.EarlySignal.Missing();
            if (missing.IsEmpty)
            {
                d.Emit(new EarlySignalSent(step.Id, d.State.Arrears, d.State.MonthsInArrears, d.Today), "decree:conditions-met");
            }
            else
            {
                d.Emit(new EarlySignalHeld(step.Id, missing), "decree:conditions-missing");
            }
        }
        else if (step.Kind == StepKind.FormalNotice)
        {
            // A posted letter takes the safe (later) of the working-day and postal-day counts, so costs never start early.
            var days = d.Policy.Notice.DeliveryWorkingDays;
            var delivered = step.Channels.Contains(Channel.Letter)
                ? FormalNoticeRules.SafeAssumedDeliveryDate(d.Today, days)
                : FormalNoticeRules.AssumedDeliveryDate(d.Today, days);
            var assumed = new FormalNoticeProof(d.Today, NoticeChannel(step), delivered, DeliveryAssumed: true, FormalNoticeRules.EarliestCostDate(delivered));
            var (proof, lastDay) = NoticeProof(assumed, d.Policy);
            var principal = d.State.Arrears;
            var (costs, vat) = CostsFor(principal, d.State, d.Today, d.Policy);
            d.Emit(new FormalNoticeSent(step.Id, proof, lastDay, principal, costs, vat), reason);
        }
    }

    private static string NoticeChannel(StepDefinition step) => step.Channels.IsDefaultOrEmpty ? "letter" : string.Join("+", step.Channels).ToLowerInvariant();

    /// <summary>The statutory proof, with the cost date moved later when the policy gives more than 14 days.</summary>
    private static (FormalNoticeProof Proof, DateOnly LastDayToPay) NoticeProof(FormalNoticeProof statutory, CollectionPolicy policy)
    {
        var lastDay = statutory.DeliveredOn.AddDays(policy.Notice.NoticeDays);
        var earliest = lastDay.AddDays(1) > statutory.EarliestCostDate ? lastDay.AddDays(1) : statutory.EarliestCostDate;
        return (statutory with { EarliestCostDate = earliest }, lastDay > statutory.LastDayToPay ? lastDay : statutory.LastDayToPay);
    }

    /// <summary>
    /// Statutory interest (art. 6:119 BW) on the open charges up to <paramref name="asOf"/>, each
    /// from the day after its due date, with the policy's rate table; zero when the policy does
    /// not charge interest. Informational: it goes into the handover dossier, not the arrears.
    /// </summary>
    public static decimal StatutoryInterestOwed(CaseState state, DateOnly asOf, CollectionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(policy);
        if (!policy.Interest.Charge || policy.Interest.Rates.IsDefaultOrEmpty)
        {
            return 0m;
        }

        var rates = policy.Interest.Rates.Select(r => new StatutoryInterestRate(r.From, r.RatePercent)).ToList();
        var firstRate = rates.Min(r => r.From);
        var total = 0m;
        foreach (var charge in state.Charges)
        {
            var from = charge.DueDate.AddDays(1);
            from = from < firstRate ? firstRate : from;
            if (from < asOf)
            {
                total += StatutoryInterest.Calculate(charge.Amount, from, asOf, rates);
            }
        }

        return total;
    }

    private static ImmutableArray<string> Cancelled(CaseState s, CollectionPolicy policy)
    {
        var cancelled = ImmutableArray.CreateBuilder<string>();
        if (s.ProposedStep is not null)
        {
            cancelled.Add($"goedkeuring:{s.ProposedStep}");
        }

        if (s.Pause is not null)
        {
            cancelled.Add($"pauze:{s.Pause.Kind}");
        }

        if (s.WriteOffRequest is not null)
        {
            cancelled.Add("afboeken");
        }

        if (s.Status == CaseStatus.Open && NextStep(s, policy) is { } next)
        {
            cancelled.Add($"stap:{next.Id}");
        }

        if (s.Notice is { CostsCharged: false })
        {
            cancelled.Add("incassokosten");
        }

        return cancelled.ToImmutable();
    }

    /// <summary>Sets the one timer to the earliest thing the case waits for.</summary>
    private static void UpdateWait(Decision d)
    {
        var s = d.State;
        var (date, purpose) = NextWake(s, d.Policy);
        if (date is { } day && day <= d.Today)
        {
            date = d.Today.AddDays(1);
        }

        DateTimeOffset? due = date is { } dd ? TimerInstant(dd) : null;
        if (due == s.WaitingUntil && purpose == s.WaitingFor)
        {
            return;
        }

        var timerId = due is null ? null : due == s.WaitingUntil ? s.TimerId : $"{s.CaseId}/timer/{s.Version + 1}";
        d.Emit(new WaitChanged(timerId, due, purpose, s.TimerId), "core:wait");
    }

    private static (DateOnly? Date, string? Purpose) NextWake(CaseState s, CollectionPolicy policy)
    {
        if (s.Status != CaseStatus.Open)
        {
            return (null, s.Status == CaseStatus.HandedOver ? "betaling of bericht van het bureau" : null);
        }

        var dated = new List<(DateOnly Date, string Purpose)>();
        string? undated = null;
        if (s.Pause is { Approved: true } pause)
        {
            dated.Add((pause.Until.AddDays(1), $"einde pauze ({Dutch.Pause(pause.Kind)})"));
        }
        else if (s.Pause is { Approved: false })
        {
            undated = "goedkeuring pauze";
        }

        if (s.Arrangement is { Status: ArrangementStatus.ACT } a && a.CheckedThrough < a.Instalments.Length)
        {
            var next = a.Instalments[a.CheckedThrough];
            dated.Add((next.DueDate.AddDays(policy.Arrangements.GraceDays), $"termijn {next.Number} controleren"));
        }
        else if (s.Arrangement is { Status: ArrangementStatus.BEV })
        {
            undated ??= "beoordeling gemiste termijn";
        }

        if (!Blocked(s))
        {
            if (s.Notice is { CostsCharged: false } notice && policy.Notice.ChargeCosts)
            {
                dated.Add((notice.EarliestCostDate, "termijn aanmaning verlopen"));
            }

            if (s.ProposedStep is not null)
            {
                undated ??= $"goedkeuring stap {s.ProposedStep}";
            }
            else if (NextStep(s, policy) is { } step)
            {
                if (WaitsForVisit(s, step))
                {
                    undated ??= "uitkomst huisbezoek";
                }
                else if (DueOn(s, step) is { } due)
                {
                    dated.Add((due, $"stap {step.Id}"));
                }
                else
                {
                    undated ??= $"achterstand van {step.MonthsInArrears} maanden voor stap {step.Id}";
                }
            }
        }

        if (dated.Count == 0)
        {
            return (null, undated);
        }

        var earliest = dated.MinBy(x => x.Date);
        return (earliest.Date, earliest.Purpose);
    }

    private static decimal RoundToCents(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);
}

/// <summary>A message reached a case that was never opened; the shell parks it until the case opens.</summary>
public sealed class CaseNotOpenedException(string caseId, string messageId)
    : InvalidOperationException($"Case '{caseId}' is not opened; message '{messageId}' must wait until it is.")
{
    public string CaseId { get; } = caseId;

    public string MessageId { get; } = messageId;
}

/// <summary>The policy passed to <see cref="CaseCore.Decide"/> is not the version the case is pinned to.</summary>
public sealed class PolicyVersionMismatchException(string caseId, string expected, string actual)
    : InvalidOperationException($"Case '{caseId}' runs on policy {expected}, not {actual}; migrate it explicitly.")
{
    public string CaseId { get; } = caseId;

    public string Expected { get; } = expected;

    public string Actual { get; } = actual;
}
