using System.Collections.Immutable;
using System.Text.Json.Serialization;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Domain.Statutory;

namespace HuurIncasso.Domain.Cases;

/// <summary>VERA BETALINGSREGELINGSTATUS.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ArrangementStatus>))]
public enum ArrangementStatus
{
    /// <summary>aangevraagd (requested).</summary>
    AAN,

    /// <summary>actief.</summary>
    ACT,

    /// <summary>geannuleerd (cancelled).</summary>
    ANN,

    /// <summary>beëindigd (ended).</summary>
    BEE,

    /// <summary>bevroren (frozen): an instalment was missed; a person checks.</summary>
    BEV,

    /// <summary>verwijderd (removed).</summary>
    VER,
}

/// <summary>VERA BETALINGSREGELINGEINDEREDEN.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ArrangementEndReason>))]
public enum ArrangementEndReason
{
    /// <summary>afbetaald (paid off).</summary>
    AFB,

    /// <summary>oninbaar (written off).</summary>
    ONI,

    /// <summary>restschuld gesaneerd (rest written off in debt rescheduling).</summary>
    SAN,

    /// <summary>regeling voldoet niet (not kept).</summary>
    VOL,
}

public enum CaseStatus
{
    /// <summary>No <see cref="CaseOpened"/> yet.</summary>
    New,
    Open,

    /// <summary>The agency or bailiff works the case; payments still count.</summary>
    HandedOver,
    Closed,
    WrittenOff,
}

/// <summary>An unpaid charge: what is left of it and when it was due.</summary>
public sealed record OpenCharge(DateOnly DueDate, decimal Amount);

/// <summary>What a direct-debit payment settled, so that a reversal re-opens exactly that.</summary>
public sealed record Settlement(string PaymentId, ImmutableList<OpenCharge> Settled);

public sealed record TakenStep(string StepId, DateOnly On);

/// <summary>The decree's four conditions for the early signal, as far as they are met.</summary>
public sealed record EarlySignalProgress(
    bool ReminderOffered = false,
    bool ContactAttempted = false,
    bool PointedToDebtCounselling = false,
    bool Objected = false,
    bool Held = false,
    DateOnly? SentOn = null)
{
    public ImmutableArray<string> Missing()
    {
        var missing = ImmutableArray.CreateBuilder<string>();
        if (!ContactAttempted)
        {
            missing.Add("contactpoging met advies");
        }

        if (!PointedToDebtCounselling)
        {
            missing.Add("gewezen op schuldhulpverlening");
        }

        if (!ReminderOffered)
        {
            missing.Add("herinnering met aanbod van de melding");
        }

        if (Objected)
        {
            missing.Add("huurder maakte bezwaar");
        }

        return missing.ToImmutable();
    }
}

public sealed record ArrangementState(
    string Id,
    ArrangementStatus Status,
    DateOnly AgreedOn,
    decimal Total,
    ImmutableArray<Instalment> Instalments,
    int CheckedThrough)
{
    /// <summary>The arrears the tenant may still have after instalment <paramref name="number"/> is due.</summary>
    public decimal AllowedArrearsAfter(int number) => Total - Instalments.Where(i => i.Number <= number).Sum(i => i.Amount);

    public bool BlocksEscalation => Status is ArrangementStatus.ACT or ArrangementStatus.BEV;
}

public sealed record PauseState(PauseKind Kind, DateOnly Until, Actor RequestedBy, bool Approved, DateOnly? From);

/// <summary>The notice on the case: its proof (sent, delivered, earliest cost date) and what it announced.</summary>
public sealed record NoticeState(FormalNoticeProof Proof, DateOnly LastDayToPay, decimal Principal, bool CostsCharged)
{
    public DateOnly EarliestCostDate => Proof.EarliestCostDate;
}

public sealed record WriteOffRequestState(Actor By, string Reason);

/// <summary>The last thing the mail provider reported about one mail of the case.</summary>
public sealed record MailStatus(string EffectId, string Template, MailEventKind Kind, DateTimeOffset At);

/// <summary>
/// The state of one arrears case: a fold of its events (<see cref="CaseCore.Apply"/>). Says what
/// the case waits for and until when (<see cref="WaitingUntil"/>, one timer).
/// </summary>
public sealed record CaseState
{
    public string CaseId { get; init; } = "";

    /// <summary>Number of events applied; the next event gets <c>Version + 1</c>.</summary>
    public int Version { get; init; }

    public CaseStatus Status { get; init; } = CaseStatus.New;

    /// <summary>The policy version the case runs on (pinned at opening; changed only by migration).</summary>
    public string PolicyVersion { get; init; } = "";

    public CaseTrack Track { get; init; }

    public string ContractId { get; init; } = "";

    public string TenantId { get; init; } = "";

    public decimal MonthlyRent { get; init; }

    public string PropertyType { get; init; } = "";

    public DateOnly ContractStart { get; init; }

    public bool DirectDebit { get; init; }

    public int LateMonthsInLast12 { get; init; }

    public bool Departing { get; init; }

    public DateOnly? DepartedOn { get; init; }

    public Ability? Ability { get; init; }

    public Willingness? Willingness { get; init; }

    public int BrokenArrangements { get; init; }

    /// <summary>Reason codes of direct-debit returns with their dates (for segmentation).</summary>
    public ImmutableList<TakenStep> Reversals { get; init; } = [];

    /// <remarks>
    /// Setting the charges also sums them (<see cref="Arrears"/>, <see cref="OldestDueDate"/>):
    /// the core asks for both many times per decision, and the charges change only by events.
    /// A <c>with</c> that sets other properties copies the sums along with the list they belong to.
    /// </remarks>
    public ImmutableList<OpenCharge> Charges
    {
        get => _charges;
        init
        {
            _charges = value;
            (_arrears, _oldestDueDate) = Sum(value);
        }
    }

    public decimal Credit { get; init; }

    public ImmutableList<Settlement> Settlements { get; init; } = [];

    public string? Segment { get; init; }

    public string? Plan { get; init; }

    /// <remarks>Setting the steps also keeps the date of the latest one (<see cref="LastStepOn"/>).</remarks>
    public ImmutableList<TakenStep> Steps
    {
        get => _steps;
        init
        {
            _steps = value;
            _lastStepOn = Latest(value);
        }
    }

    public string? ProposedStep { get; init; }

    public DateOnly? ProposeAgainOn { get; init; }

    public string? RejectedStep { get; init; }

    public bool VisitAttempted { get; init; }

    public EarlySignalProgress EarlySignal { get; init; } = new();

    public ArrangementState? Arrangement { get; init; }

    public ImmutableList<DateOnly> ArrangementsAgreedOn { get; init; } = [];

    public PauseState? Pause { get; init; }

    public NoticeState? Notice { get; init; }

    public decimal CostsCharged { get; init; }

    public ImmutableList<OpenCharge> CostCharges { get; init; } = [];

    public WriteOffRequestState? WriteOffRequest { get; init; }

    public HandedOver? Handover { get; init; }

    /// <summary>The legal track so far (summons, judgment, eviction), with dates.</summary>
    public ImmutableList<LegalStepRecorded> LegalSteps { get; init; } = [];

    /// <summary>Per mail the provider reported on: its latest status (delivered, bounced, ...).</summary>
    public ImmutableList<MailStatus> Mails { get; init; } = [];

    public string? TimerId { get; init; }

    /// <summary>When the case's one timer is due, or null when it waits for a message only.</summary>
    public DateTimeOffset? WaitingUntil { get; init; }

    /// <summary>What the case waits for (the timer's purpose, or a person's decision).</summary>
    public string? WaitingFor { get; init; }

    /// <summary>Outstanding rent, in euros.</summary>
    /// <remarks>Summed when <see cref="Charges"/> is set.</remarks>
    [JsonIgnore]
    public decimal Arrears => _arrears;

    /// <summary>Arrears in months of rent, rounded up: any arrears is month 1.</summary>
    [JsonIgnore]
    public int MonthsInArrears => Arrears <= 0m || MonthlyRent <= 0m ? 0 : (int)Math.Ceiling(Arrears / MonthlyRent);

    /// <remarks>Found when <see cref="Charges"/> is set.</remarks>
    [JsonIgnore]
    public DateOnly? OldestDueDate => _oldestDueDate;

    /// <summary>The date of the latest step taken, or null before the first.</summary>
    [JsonIgnore]
    public DateOnly? LastStepOn => _lastStepOn;

    [JsonIgnore]
    public bool IsPaused => Pause is { Approved: true };

    /// <summary>True when the case needs nothing more (paid or written off).</summary>
    [JsonIgnore]
    public bool IsClosed => Status is CaseStatus.Closed or CaseStatus.WrittenOff;

    /// <summary>A short, stable name of where the case is, for lists and dashboards (no personal data).</summary>
    [JsonIgnore]
    public string Stage => Status switch
    {
        CaseStatus.Open when ProposedStep is not null => "wacht-op-goedkeuring",
        CaseStatus.Open when IsPaused => "gepauzeerd",
        CaseStatus.Open when Arrangement is { Status: ArrangementStatus.BEV } => "regeling-gemist",
        CaseStatus.Open when Arrangement is { Status: ArrangementStatus.ACT } => "regeling",
        CaseStatus.Open when Track == CaseTrack.Departed => "vertrokken",
        CaseStatus.Open when Track == CaseTrack.Administrative => "administratief",
        CaseStatus.Open => $"maand-{MonthsInArrears}",
        CaseStatus.HandedOver => "overgedragen",
        CaseStatus.Closed => "betaald",
        CaseStatus.WrittenOff => "afgeboekt",
        _ => "nieuw",
    };

    public static CaseState Empty(string caseId) => new() { CaseId = caseId };

    // Derived from the two lists by their init accessors only, so they cannot drift from them.
    private readonly ImmutableList<OpenCharge> _charges = [];
    private readonly decimal _arrears;
    private readonly DateOnly? _oldestDueDate;
    private readonly ImmutableList<TakenStep> _steps = [];
    private readonly DateOnly? _lastStepOn;

    /// <remarks>A plain loop over the list's own enumerator, not LINQ's boxed one.</remarks>
    private static (decimal Arrears, DateOnly? Oldest) Sum(ImmutableList<OpenCharge> charges)
    {
        var sum = 0m;
        DateOnly? oldest = null;
        foreach (var charge in charges)
        {
            sum += charge.Amount;
            if (oldest is not { } o || charge.DueDate < o)
            {
                oldest = charge.DueDate;
            }
        }

        return (sum, oldest);
    }

    private static DateOnly? Latest(ImmutableList<TakenStep> steps)
    {
        DateOnly? latest = null;
        foreach (var step in steps)
        {
            if (latest is not { } l || step.On > l)
            {
                latest = step.On;
            }
        }

        return latest;
    }
}
