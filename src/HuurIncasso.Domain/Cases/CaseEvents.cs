using System.Collections.Immutable;
using System.Text.Json.Serialization;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Domain.Statutory;

namespace HuurIncasso.Domain.Cases;

/// <summary>
/// Something that happened to a case. Events are the audit trail: <see cref="Reason"/> says
/// which rule fired or which person acted, <see cref="CausationId"/> which message caused it.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(CaseOpened), "caseOpened")]
[JsonDerivedType(typeof(CaseReopened), "caseReopened")]
[JsonDerivedType(typeof(SegmentChanged), "segmentChanged")]
[JsonDerivedType(typeof(RentCharged), "rentCharged")]
[JsonDerivedType(typeof(BalanceDifferenceFound), "balanceDifferenceFound")]
[JsonDerivedType(typeof(PaymentApplied), "paymentApplied")]
[JsonDerivedType(typeof(DirectDebitReversed), "directDebitReversed")]
[JsonDerivedType(typeof(StepTaken), "stepTaken")]
[JsonDerivedType(typeof(StepProposed), "stepProposed")]
[JsonDerivedType(typeof(StepRejected), "stepRejected")]
[JsonDerivedType(typeof(HandedOver), "handedOver")]
[JsonDerivedType(typeof(EarlySignalSent), "earlySignalSent")]
[JsonDerivedType(typeof(EarlySignalHeld), "earlySignalHeld")]
[JsonDerivedType(typeof(EarlySignalObjected), "earlySignalObjected")]
[JsonDerivedType(typeof(FormalNoticeSent), "formalNoticeSent")]
[JsonDerivedType(typeof(NoticeDeliveryRecorded), "noticeDeliveryRecorded")]
[JsonDerivedType(typeof(CollectionCostsCharged), "collectionCostsCharged")]
[JsonDerivedType(typeof(CallOutcomeRecorded), "callOutcomeRecorded")]
[JsonDerivedType(typeof(VisitOutcomeRecorded), "visitOutcomeRecorded")]
[JsonDerivedType(typeof(ArrangementActivated), "arrangementActivated")]
[JsonDerivedType(typeof(ArrangementRefused), "arrangementRefused")]
[JsonDerivedType(typeof(InstalmentKept), "instalmentKept")]
[JsonDerivedType(typeof(InstalmentMissed), "instalmentMissed")]
[JsonDerivedType(typeof(ArrangementResumed), "arrangementResumed")]
[JsonDerivedType(typeof(ArrangementEnded), "arrangementEnded")]
[JsonDerivedType(typeof(PauseRequested), "pauseRequested")]
[JsonDerivedType(typeof(PauseStarted), "pauseStarted")]
[JsonDerivedType(typeof(PauseEnded), "pauseEnded")]
[JsonDerivedType(typeof(WriteOffRequested), "writeOffRequested")]
[JsonDerivedType(typeof(WrittenOff), "writtenOff")]
[JsonDerivedType(typeof(TenantDeparted), "tenantDeparted")]
[JsonDerivedType(typeof(TenantFactsUpdated), "tenantFactsUpdated")]
[JsonDerivedType(typeof(PolicyMigrated), "policyMigrated")]
[JsonDerivedType(typeof(LegalStepRecorded), "legalStepRecorded")]
[JsonDerivedType(typeof(MailEventRecorded), "mailEventRecorded")]
[JsonDerivedType(typeof(CommandRejected), "commandRejected")]
[JsonDerivedType(typeof(CaseClosed), "caseClosed")]
[JsonDerivedType(typeof(WaitChanged), "waitChanged")]
public abstract record CaseEvent
{
    /// <summary>Position in the case's event list, from 1. Effect ids derive from it.</summary>
    public int Sequence { get; init; }

    public string CausationId { get; init; } = "";

    public DateTimeOffset At { get; init; }

    /// <summary>The rule that fired (e.g. <c>ladder:herinnering</c>) or the person who acted (<c>person:id</c>).</summary>
    public string Reason { get; init; } = "";
}

/// <summary>Which route a case takes: consultants, finance (BOG/MOG/ZOG), or departed tenant.</summary>
public enum CaseTrack
{
    Regular,
    Administrative,
    Departed,
}

public sealed record CaseOpened(
    string CaseId,
    string ContractId,
    string TenantId,
    decimal MonthlyRent,
    string PropertyType,
    DateOnly ContractStart,
    bool DirectDebit,
    int LateMonthsInLast12,
    string PolicyVersion,
    CaseTrack Track,
    decimal Balance,
    DateOnly OldestUnpaidDueDate) : CaseEvent;

/// <summary>Arrears came back after the case closed (e.g. a reversal): a new episode starts.</summary>
public sealed record CaseReopened(decimal Arrears) : CaseEvent;

public sealed record SegmentChanged(string? From, string To, SegmentColour? Colour, string Plan) : CaseEvent;

public sealed record RentCharged(DateOnly DueDate, decimal Amount) : CaseEvent;

/// <summary>The ledger's balance differed from the case's; the ledger wins.</summary>
public sealed record BalanceDifferenceFound(DateOnly AsOf, decimal CaseBalance, decimal LedgerBalance) : CaseEvent
{
    public decimal Difference => LedgerBalance - CaseBalance;
}

/// <summary>A payment reduced the arrears, oldest due date first; any surplus stays as credit.</summary>
public sealed record PaymentApplied(string PaymentId, DateOnly BookedOn, decimal Amount, bool ByDirectDebit) : CaseEvent;

/// <summary>A returned direct debit re-opened the charges that payment had settled.</summary>
public sealed record DirectDebitReversed(string PaymentId, DateOnly BookedOn, decimal Amount, string ReasonCode, ReversalTreatment Treatment, int RetryAfterDays) : CaseEvent;

/// <summary>A ladder step happened (a letter, a task, a referral). Handovers use <see cref="HandedOver"/>.</summary>
public sealed record StepTaken(
    string StepId,
    StepKind Kind,
    DateOnly On,
    Partner? Partner,
    ImmutableArray<Channel> Channels,
    Role? TaskRole,
    bool OffersEarlySignal,
    bool PointsToDebtCounselling) : CaseEvent;

/// <summary>A step waits for a person's approval.</summary>
public sealed record StepProposed(string StepId, StepKind Kind, Role ApproverRole) : CaseEvent;

public sealed record StepRejected(string StepId, Actor By, string Why, DateOnly ProposeAgainOn) : CaseEvent;

/// <summary>A person approved the handover: the agency or bailiff works the case now (VERA DEU / INC).</summary>
public sealed record HandedOver(string StepId, HandoverTarget Target, Actor ApprovedBy, decimal Arrears, decimal StatutoryInterest, DateOnly On) : CaseEvent;

/// <summary>The early signal went to the municipality (Wgs) with the arrears.</summary>
public sealed record EarlySignalSent(string StepId, decimal Arrears, int MonthsInArrears, DateOnly On) : CaseEvent;

/// <summary>The early signal is due but a condition of the decree is not met yet.</summary>
public sealed record EarlySignalHeld(string StepId, ImmutableArray<string> MissingConditions) : CaseEvent;

public sealed record EarlySignalObjected(Actor By) : CaseEvent;

/// <summary>
/// The 14-day notice: the proof of sending and (assumed) delivery, the last day to pay as the
/// letter states it, and the principal and costs it announced.
/// </summary>
public sealed record FormalNoticeSent(
    string StepId,
    FormalNoticeProof Proof,
    DateOnly LastDayToPay,
    decimal Principal,
    decimal AnnouncedCosts,
    decimal AnnouncedVat) : CaseEvent;

/// <summary>The notice's real delivery date became known (track and trace); costs wait for its fourteen days.</summary>
public sealed record NoticeDeliveryRecorded(FormalNoticeProof Proof, DateOnly LastDayToPay) : CaseEvent;

public sealed record CollectionCostsCharged(decimal Principal, decimal Costs, decimal Vat, DateOnly On) : CaseEvent;

public sealed record CallOutcomeRecorded(Actor By, bool Reached, bool AdviceGiven, bool PointedToDebtCounselling, Ability? Ability, Willingness? Willingness, string? Note) : CaseEvent;

public sealed record VisitOutcomeRecorded(Actor By, bool Met, bool AdviceGiven, bool PointedToDebtCounselling, Ability? Ability, Willingness? Willingness, string? Note) : CaseEvent;

public sealed record Instalment(int Number, DateOnly DueDate, decimal Amount);

/// <summary>An arrangement is active (VERA status ACT).</summary>
public sealed record ArrangementActivated(string ArrangementId, Actor By, DateOnly AgreedOn, decimal Total, ImmutableArray<Instalment> Instalments) : CaseEvent;

public sealed record ArrangementRefused(Actor By, ImmutableArray<string> Reasons) : CaseEvent;

public sealed record InstalmentKept(string ArrangementId, int Number) : CaseEvent;

/// <summary>An instalment was missed: alert at once; the arrangement is frozen (BEV) until a person checks.</summary>
public sealed record InstalmentMissed(string ArrangementId, int Number, DateOnly DueDate, decimal AllowedArrears, decimal Arrears) : CaseEvent;

public sealed record ArrangementResumed(string ArrangementId, Actor By) : CaseEvent;

/// <summary>
/// The arrangement ended with a VERA status: BEE (ended) with an end reason (AFB, ONI, SAN,
/// VOL), or ANN (cancelled by a person) without one.
/// </summary>
public sealed record ArrangementEnded(string ArrangementId, ArrangementStatus Status, ArrangementEndReason? EndReason) : CaseEvent;

public sealed record PauseRequested(Actor By, PauseKind Kind, DateOnly Until, string? Note) : CaseEvent;

public sealed record PauseStarted(Actor ApprovedBy, PauseKind Kind, DateOnly From, DateOnly Until) : CaseEvent;

public sealed record PauseEnded(PauseKind Kind, DateOnly On) : CaseEvent;

public sealed record WriteOffRequested(Actor By, string WriteOffReason) : CaseEvent;

public sealed record WrittenOff(Actor RequestedBy, Actor ApprovedBy, string WriteOffReason, decimal Amount) : CaseEvent;

public sealed record TenantDeparted(DateOnly On) : CaseEvent;

public sealed record TenantFactsUpdated(bool DirectDebit, int LateMonthsInLast12, bool Departing) : CaseEvent;

/// <summary>A step of the legal track (summons, judgment, eviction) on a handed-over case, for the audit trail and the KPIs.</summary>
public sealed record LegalStepRecorded(LegalStep Step, DateOnly On, Actor By) : CaseEvent;

/// <summary>The mail provider reported on a mail of the case: the new status of that mail.</summary>
public sealed record MailEventRecorded(string EffectId, string Template, MailEventKind Kind, DateTimeOffset OccurredAt, string? MailReason) : CaseEvent;

public sealed record PolicyMigrated(string From, string To, Actor By) : CaseEvent;

/// <summary>A command that the case refused, with the reason in Dutch for the person who gave it.</summary>
public sealed record CommandRejected(string Command, Actor? By, string Why) : CaseEvent;

public enum CaseOutcome
{
    /// <summary>The arrears are gone: confirmation to the tenant, every pending step cancelled.</summary>
    Paid,
    WrittenOff,
}

public sealed record CaseClosed(CaseOutcome Outcome, ImmutableArray<string> Cancelled) : CaseEvent;

/// <summary>
/// What the case waits for changed. With a <c>Due</c> the case has one timer (<c>TimerId</c>);
/// without, it waits for a message (a person's decision, the ledger). The previous timer, if
/// any, no longer counts.
/// </summary>
public sealed record WaitChanged(string? TimerId, DateTimeOffset? Due, string? Purpose, string? PreviousTimerId) : CaseEvent;

/// <summary>An event as a decision emitted it, with the case's state right after it.</summary>
/// <param name="Event">The stamped event.</param>
/// <param name="After">The state that applying <paramref name="Event"/> gives.</param>
public readonly record struct AppliedEvent(CaseEvent Event, CaseState After);
