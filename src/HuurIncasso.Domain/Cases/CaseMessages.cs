using System.Collections.Immutable;
using System.Text.Json.Serialization;
using HuurIncasso.Domain.Policies;

namespace HuurIncasso.Domain.Cases;

/// <summary>A person acting on a case (consultant, team lead, finance).</summary>
public sealed record Actor(string Id, Role Role);

/// <summary>
/// Everything that reaches a case. <see cref="MessageId"/> is the idempotency key and becomes
/// the causation id of every event the message causes.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(OpenCase), "openCase")]
[JsonDerivedType(typeof(ChargeRent), "chargeRent")]
[JsonDerivedType(typeof(RestateBalance), "restateBalance")]
[JsonDerivedType(typeof(ReceivePayment), "receivePayment")]
[JsonDerivedType(typeof(ReverseDirectDebit), "reverseDirectDebit")]
[JsonDerivedType(typeof(FireTimer), "fireTimer")]
[JsonDerivedType(typeof(RecordCallOutcome), "recordCallOutcome")]
[JsonDerivedType(typeof(RecordVisitOutcome), "recordVisitOutcome")]
[JsonDerivedType(typeof(RecordEarlySignalObjection), "recordEarlySignalObjection")]
[JsonDerivedType(typeof(RecordNoticeDelivery), "recordNoticeDelivery")]
[JsonDerivedType(typeof(AgreeArrangement), "agreeArrangement")]
[JsonDerivedType(typeof(ReviewMissedInstalment), "reviewMissedInstalment")]
[JsonDerivedType(typeof(CancelArrangement), "cancelArrangement")]
[JsonDerivedType(typeof(RequestPause), "requestPause")]
[JsonDerivedType(typeof(ApprovePause), "approvePause")]
[JsonDerivedType(typeof(EndPause), "endPause")]
[JsonDerivedType(typeof(ApproveStep), "approveStep")]
[JsonDerivedType(typeof(RejectStep), "rejectStep")]
[JsonDerivedType(typeof(RequestWriteOff), "requestWriteOff")]
[JsonDerivedType(typeof(ApproveWriteOff), "approveWriteOff")]
[JsonDerivedType(typeof(RecordTenantDeparture), "recordTenantDeparture")]
[JsonDerivedType(typeof(UpdateTenantFacts), "updateTenantFacts")]
[JsonDerivedType(typeof(MigratePolicy), "migratePolicy")]
[JsonDerivedType(typeof(RecordLegalStep), "recordLegalStep")]
[JsonDerivedType(typeof(RecordMailEvent), "recordMailEvent")]
[JsonDerivedType(typeof(Resegment), "resegment")]
[JsonDerivedType(typeof(RecordLedgerMonth), "recordLedgerMonth")]
public abstract record CaseMessage
{
    public required string MessageId { get; init; }
}

/// <summary>Ledger: a tenant has arrears; open the case with the contract's facts.</summary>
/// <remarks><c>PropertyType</c> is the ERP's code: e.g. WON (home), BOG, MOG, ZOG.</remarks>
public sealed record OpenCase(
    string CaseId,
    string ContractId,
    string TenantId,
    decimal MonthlyRent,
    string PropertyType,
    DateOnly ContractStart,
    bool DirectDebit,
    int LateMonthsInLast12,
    decimal Balance,
    DateOnly OldestUnpaidDueDate) : CaseMessage;

/// <summary>Ledger: a month's rent was charged (due on <c>DueDate</c>).</summary>
public sealed record ChargeRent(DateOnly DueDate, decimal Amount) : CaseMessage;

/// <summary>Ledger: the balance according to the ERP; a difference with what the case saw becomes an event.</summary>
public sealed record RestateBalance(DateOnly AsOf, decimal Balance) : CaseMessage;

/// <summary>Bank: a payment for this contract.</summary>
public sealed record ReceivePayment(string PaymentId, DateOnly BookedOn, decimal Amount, bool ByDirectDebit) : CaseMessage;

/// <summary>Bank: a direct-debit collection came back (SEPA R-transaction) with its reason code.</summary>
public sealed record ReverseDirectDebit(string PaymentId, DateOnly BookedOn, decimal Amount, string ReasonCode) : CaseMessage;

/// <summary>
/// The timer index: a timer is due. Ignored unless the case still waits for exactly this timer,
/// named by its id or, for an engine that keys timers by time, by its due instant.
/// </summary>
public sealed record FireTimer(string? TimerId, DateTimeOffset? Due = null) : CaseMessage
{
    /// <summary>The message for the timer due at <paramref name="due"/>, with a stable idempotency key.</summary>
    public static FireTimer At(DateTimeOffset due) =>
        new(null, due) { MessageId = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"timer:{due.UtcDateTime:O}") };

    public bool Matches(CaseState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return TimerId is not null ? TimerId == state.TimerId : Due is not null && Due == state.WaitingUntil;
    }
}

/// <summary>Consultant: the outcome of a call (also an attempt that did not reach the tenant).</summary>
public sealed record RecordCallOutcome(
    Actor By,
    bool Reached,
    bool AdviceGiven,
    bool PointedToDebtCounselling,
    Ability? Ability = null,
    Willingness? Willingness = null,
    string? Note = null) : CaseMessage;

/// <summary>Consultant: the outcome of a house visit; <c>Met</c> false is still an attempted visit.</summary>
public sealed record RecordVisitOutcome(
    Actor By,
    bool Met,
    bool AdviceGiven,
    bool PointedToDebtCounselling,
    Ability? Ability = null,
    Willingness? Willingness = null,
    string? Note = null) : CaseMessage;

/// <summary>Consultant: the tenant objects to the early signal to the municipality; this blocks it.</summary>
public sealed record RecordEarlySignalObjection(Actor By) : CaseMessage;

/// <summary>Post or mail service: the 14-day notice was delivered on this day (replaces the assumed date).</summary>
public sealed record RecordNoticeDelivery(DateOnly DeliveredOn) : CaseMessage;

/// <summary>
/// Consultant: a payment arrangement for the current arrears. Dates default to monthly from
/// <c>FirstDueDate</c>; <c>Dates</c> may instead follow holiday pay, child benefit and the like.
/// </summary>
public sealed record AgreeArrangement(Actor By, int Instalments, DateOnly FirstDueDate, ImmutableArray<DateOnly>? Dates = null) : CaseMessage;

/// <summary>A person's check after a missed instalment: keep the arrangement, or end it and resume escalation.</summary>
public sealed record ReviewMissedInstalment(Actor By, bool KeepArrangement, string? Note = null) : CaseMessage;

/// <summary>A person cancels a running arrangement (VERA ANN); escalation resumes.</summary>
public sealed record CancelArrangement(Actor By, string Why) : CaseMessage;

public sealed record RequestPause(Actor By, PauseKind Kind, DateOnly Until, string? Note = null) : CaseMessage;

public sealed record ApprovePause(Actor By) : CaseMessage;

public sealed record EndPause(Actor By) : CaseMessage;

/// <summary>A person approves a step that waits for approval (handover to agency or bailiff).</summary>
public sealed record ApproveStep(Actor By, string StepId) : CaseMessage;

/// <summary>A person rejects a step that waits for approval; the plan proposes it again after the step's wait.</summary>
public sealed record RejectStep(Actor By, string StepId, string Reason) : CaseMessage;

public sealed record RequestWriteOff(Actor By, string Reason) : CaseMessage;

/// <summary>Four-eyes: the approver is never the requester, and has the policy's approver role.</summary>
public sealed record ApproveWriteOff(Actor By) : CaseMessage;

/// <summary>Ledger or consultant: the tenant left the home; the case moves to the departed track.</summary>
public sealed record RecordTenantDeparture(DateOnly On) : CaseMessage;

/// <summary>Nightly: facts for segmentation from the ledger's payment history.</summary>
public sealed record UpdateTenantFacts(bool DirectDebit, int LateMonthsInLast12, bool Departing) : CaseMessage;

/// <summary>
/// Ledger: a running case's month from the ERP in one message (one commit instead of two or
/// three): the balance restated, the tenant's facts, and the departure when the contract ended.
/// Decided exactly as those messages one after the other; each part keeps its own id, which
/// stays the causation id of the events it causes.
/// </summary>
public sealed record RecordLedgerMonth(RestateBalance Balance, UpdateTenantFacts Facts, RecordTenantDeparture? Departure = null) : CaseMessage
{
    /// <summary>The parts in the order they are decided.</summary>
    [JsonIgnore]
    public IEnumerable<CaseMessage> Parts => Departure is null ? [Balance, Facts] : [Balance, Facts, Departure];
}

/// <summary>
/// Nightly: classify the tenant again as of <c>AsOf</c>. Segments depend on the date (a new
/// tenant stops being new, a reversal drops out of the last twelve months), so without a
/// message a quiet case would keep yesterday's segment. Only the segment is looked at: the
/// ladder waits for the case's own 06:00 timer, after the morning's bank statement.
/// </summary>
public sealed record Resegment(DateOnly AsOf) : CaseMessage
{
    /// <summary>The message for <paramref name="asOf"/>; its id is one per case per day, so a second run that night changes nothing.</summary>
    public static Resegment For(DateOnly asOf) =>
        new(asOf) { MessageId = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"resegment:{asOf:yyyy-MM-dd}") };
}

/// <summary>The legal track after a handover: tracked here, run by the bailiff.</summary>
public enum LegalStep
{
    /// <summary>dagvaarding.</summary>
    Summons,

    /// <summary>vonnis.</summary>
    Judgment,

    /// <summary>ontbinding en ontruiming: the eviction took place.</summary>
    Eviction,
}

/// <summary>Consultant or agency feed: a step of the legal track happened on a handed-over case.</summary>
public sealed record RecordLegalStep(Actor By, LegalStep Step, DateOnly On) : CaseMessage;

/// <summary>An explicit, logged move of a running case to another policy version.</summary>
public sealed record MigratePolicy(Actor By, string ToVersion) : CaseMessage;

/// <summary>What the mail provider reports about one mail (SendGrid's event webhook), in the words the case keeps.</summary>
public enum MailEventKind
{
    /// <summary>The receiving server accepted the mail.</summary>
    Delivered,

    /// <summary>Delivery is delayed; the provider keeps trying.</summary>
    Deferred,

    /// <summary>The receiving server refused the mail for good (unknown address, full mailbox, blocked).</summary>
    Bounced,

    /// <summary>The provider did not send the mail (an address that bounced before, an unsubscribed or invalid address).</summary>
    Dropped,

    /// <summary>The tenant opened the mail (as far as the provider can tell).</summary>
    Opened,

    /// <summary>The tenant marked the mail as spam.</summary>
    SpamReported,
}

/// <summary>
/// Mail provider: something happened to a mail the case sent (delivered, bounced, ...).
/// <c>EffectId</c> is the outbox effect that sent it, <c>Template</c> which letter it was.
/// The provider's event id belongs in <see cref="CaseMessage.MessageId"/>, so a repeated report changes nothing.
/// </summary>
public sealed record RecordMailEvent(string EffectId, string Template, MailEventKind Kind, DateTimeOffset OccurredAt, string? Reason = null) : CaseMessage;
