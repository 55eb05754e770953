using System.Collections.Immutable;

namespace HuurIncasso.Domain.Policies;

/// <summary>What a ladder step does. The kind decides which preconditions the case core checks.</summary>
public enum StepKind
{
    /// <summary>A friendly reminder (mail and/or letter).</summary>
    Reminder,

    /// <summary>A consultant calls the tenant (a task).</summary>
    Call,

    /// <summary>A consultant visits the tenant at home (a task).</summary>
    Visit,

    /// <summary>A referral to a partner (early signal, credit bank, public health, debt counselling).</summary>
    Referral,

    /// <summary>A letter or call offering a payment arrangement.</summary>
    ArrangementOffer,

    /// <summary>The statutory 14-day notice (WIK letter) after which collection costs may be charged.</summary>
    FormalNotice,

    /// <summary>Handover to an agency or bailiff. Legal effect: always needs a person's approval.</summary>
    Handover,

    /// <summary>The final statement for a departed tenant.</summary>
    FinalStatement,

    /// <summary>A plain task for a role (e.g. finance on the administrative track).</summary>
    Task,
}

/// <summary>The partners a case can be referred to.</summary>
public enum Partner
{
    EarlySignal,
    CreditBank,
    PublicHealth,
    DebtCounselling,
}

public enum Channel
{
    Mail,
    Letter,
    Sms,
}

/// <summary>Who takes over a handed-over case (VERA EXTERNEINCASSOSOORT INC / DEU).</summary>
public enum HandoverTarget
{
    Agency,
    Bailiff,
}

/// <summary>Roles of the people who act on a case.</summary>
public enum Role
{
    Consultant,
    TeamLead,
    Finance,
}

public enum PauseKind
{
    /// <summary>Deferral while the tenant waits for benefits.</summary>
    Deferral,

    /// <summary>The tenant withholds rent over a complaint; the complaint is routed.</summary>
    Complaint,

    /// <summary>Debt counselling accepted the tenant (Wgs: at most 30 days).</summary>
    DebtCounselling,
}

/// <summary>How the case reacts to a direct-debit return with a given reason code.</summary>
public enum ReversalTreatment
{
    /// <summary>Collect again after some days (e.g. AM04 insufficient funds).</summary>
    Recollect,

    /// <summary>Ask the tenant to pay by transfer and let a consultant contact them (e.g. MD06 refund).</summary>
    Contact,

    /// <summary>The debtor died (MD07): a consultant checks the estate; no letters to the tenant.</summary>
    Deceased,
}

public enum SegmentColour
{
    Green,
    Orange,
    Blue,
    Red,
}

/// <summary>A consultant's assessment: can the tenant pay?</summary>
public enum Ability
{
    Can,
    Cannot,
}

/// <summary>A consultant's assessment: does the tenant want to pay?</summary>
public enum Willingness
{
    Will,
    Wont,
}

/// <summary>One step of the escalation ladder, as a plan uses it (after the plan's adjustments).</summary>
/// <remarks>
/// <c>Id</c>: Unique id, referenced by plans.<br/>
/// <c>MonthsInArrears</c>: The step is due only from this arrears month on (arrears / rent, rounded up).<br/>
/// <c>DaysPastDue</c>: …and once the oldest unpaid due date is at least this many days ago.<br/>
/// <c>WaitDays</c>: …and at least this many days after the previous step of the plan was taken.<br/>
/// <c>RequiresApproval</c>: A person approves before the step takes effect.<br/>
/// <c>Terminal</c>: After this step the plan ends (the case leaves the corporation's hands).<br/>
/// <c>Optional</c>: Not part of a plan unless the plan adds it.<br/>
/// <c>RequiresVisit</c>: Only for handovers: a visit must have been at least attempted first.<br/>
/// </remarks>
public sealed record StepDefinition(
    string Id,
    StepKind Kind,
    int MonthsInArrears,
    int DaysPastDue,
    int WaitDays,
    bool RequiresApproval,
    bool Terminal,
    bool Optional,
    ImmutableArray<Channel> Channels,
    Partner? Partner,
    HandoverTarget? HandoverTo,
    bool OffersEarlySignal,
    bool PointsToDebtCounselling,
    bool RequiresVisit,
    Role? TaskRole,
    int Line)
{
    /// <summary>Steps with a legal effect never happen without a person's approval.</summary>
    public bool HasLegalEffect => Kind == StepKind.Handover;
}

/// <summary>A treatment plan: the ordered steps a segment's cases walk.</summary>
public sealed record TreatmentPlan(string Id, ImmutableArray<StepDefinition> Steps, int Line)
{
    public StepDefinition? Find(string stepId) => Steps.FirstOrDefault(s => s.Id == stepId);
}

/// <summary>Conditions of a segment rule; every condition given must hold, absent ones are ignored.</summary>
public sealed record SegmentCondition(
    bool? NewTenant = null,
    bool? DirectDebit = null,
    int? LateMonthsAtLeast = null,
    int? LateMonthsAtMost = null,
    bool? OpenArrangement = null,
    ImmutableArray<string> ReversalReasons = default,
    bool? Departing = null,
    bool? Departed = null,
    Ability? Ability = null,
    Willingness? Willingness = null,
    int? BrokenArrangementsAtLeast = null,
    bool? InArrears = null)
{
    /// <summary>True when the rule holds for everyone (<c>when: {}</c>).</summary>
    public bool IsCatchAll =>
        NewTenant is null && DirectDebit is null && LateMonthsAtLeast is null && LateMonthsAtMost is null && OpenArrangement is null
        && ReversalReasons.IsDefaultOrEmpty && Departing is null && Departed is null && Ability is null && Willingness is null
        && BrokenArrangementsAtLeast is null && InArrears is null;
}

/// <summary>A segment: the first rule (in file order) whose conditions hold classifies the tenant.</summary>
public sealed record SegmentRule(string Id, string Plan, SegmentColour? Colour, SegmentCondition When, int Line, int PlanLine);

public sealed record ArrangementPolicy(
    int MaxInstalmentsUpToOneMonth,
    int MaxInstalments,
    decimal MinimumInstalment,
    int MaxPerYear,
    int GraceDays)
{
    /// <summary>Bounds the policy may not exceed (corporations' published rules, LEGAL.md).</summary>
    public const int BoundUpToOneMonth = 6;

    public const int BoundAboveOneMonth = 12;
}

public sealed record PausePolicy(PauseKind Kind, int MaxDays)
{
    /// <summary>Wgs covenant: collection pauses for at most 30 days while debt counselling starts.</summary>
    public const int DebtCounsellingBoundDays = 30;
}

/// <summary>The targets the monthly figures are judged by (see <c>HuurIncasso.Domain.Figures.Kpis</c>).</summary>
/// <remarks>
/// <c>MaxLegalProceduresPerYear</c>: summonses in any twelve months.<br/>
/// <c>MinEarlySignalCoveragePercent</c>: of the current tenants in arrears whose early signal is due, the share already signalled.
/// </remarks>
public sealed record KpiTargets(
    int MaxTenantsInArrears,
    decimal MaxArrearsPercentOfYearlyRent,
    decimal MaxAverageArrearsCurrent,
    decimal MaxAverageArrearsDeparted,
    int MaxEvictionsPerYear,
    decimal DirectDebitSharePercent,
    int DirectDebitShareByYear,
    int MaxLegalProceduresPerYear,
    decimal MinEarlySignalCoveragePercent);

/// <summary>The 14-day notice and when collection costs may be added.</summary>
/// <remarks>
/// <c>NoticeDays</c>: Days the tenant gets, counted from the day after delivery. The law says 14; less is an error.<br/>
/// <c>DeliveryWorkingDays</c>: Assumed delivery: this many working days after posting (UNCONFIRMED custom, so a setting).<br/>
/// <c>ChargeCosts</c>: Whether WIK costs are charged at all after the notice ran out.<br/>
/// </remarks>
public sealed record NoticePolicy(int NoticeDays, int DeliveryWorkingDays, bool ChargeCosts)
{
    public const int StatutoryNoticeDays = 14;
}

/// <summary>VAT on collection costs and the recurring-claims cap (both policy settings, see LEGAL.md).</summary>
public sealed record CostsPolicy(bool AddVat, decimal VatRatePercent, decimal? RecurringClaimsCapPerSixMonths, decimal RecurringClaimsThreshold);

public sealed record InterestRate(DateOnly From, decimal RatePercent);

/// <summary>Statutory interest (art. 6:119 BW): a dated rate table; many corporations do not charge it.</summary>
public sealed record InterestPolicy(bool Charge, ImmutableArray<InterestRate> Rates)
{
    /// <summary>The rate in force on <paramref name="date"/>, or null before the first entry.</summary>
    public decimal? RateOn(DateOnly date) =>
        Rates.Where(r => r.From <= date).OrderBy(r => r.From).Select(r => (decimal?)r.RatePercent).LastOrDefault();
}

public sealed record ReversalRule(ImmutableArray<string> Codes, ReversalTreatment Treatment, int RetryAfterDays);

public sealed record WriteOffPolicy(ImmutableArray<string> Reasons, Role ApproverRole);

public sealed record HandoverPolicy(Role ApproverRole);

/// <summary>BOG/MOG/ZOG: collected by finance on their own plan, no consultants.</summary>
public sealed record AdministrativeTrack(ImmutableArray<string> PropertyTypes, string Plan);

/// <summary>
/// A collection policy, as loaded and validated from a policy file. Immutable; a running case
/// keeps the <see cref="Version"/> it started on.
/// </summary>
public sealed record CollectionPolicy(
    string Version,
    DateOnly ValidFrom,
    string? Name,
    int NewTenantMonths,
    ImmutableArray<StepDefinition> Ladder,
    ImmutableArray<TreatmentPlan> Plans,
    ImmutableArray<SegmentRule> Segments,
    string DepartedPlan,
    AdministrativeTrack AdministrativeTrack,
    ArrangementPolicy Arrangements,
    ImmutableArray<PausePolicy> Pauses,
    HandoverPolicy Handover,
    WriteOffPolicy WriteOff,
    NoticePolicy Notice,
    CostsPolicy Costs,
    InterestPolicy Interest,
    ImmutableArray<ReversalRule> Reversals,
    ReversalTreatment DefaultReversalTreatment,
    KpiTargets Kpis)
{
    /// <remarks>Asked several times per decision, so a plain loop over the few plans instead of a LINQ closure.</remarks>
    public TreatmentPlan Plan(string id)
    {
        foreach (var plan in Plans)
        {
            if (plan.Id == id)
            {
                return plan;
            }
        }

        throw new ArgumentException($"Policy {Version} has no plan '{id}'.", nameof(id));
    }

    public PausePolicy? PauseFor(PauseKind kind) => Pauses.FirstOrDefault(p => p.Kind == kind);

    public ReversalRule? ReversalRuleFor(string code) => Reversals.FirstOrDefault(r => r.Codes.Contains(code, StringComparer.OrdinalIgnoreCase));
}
