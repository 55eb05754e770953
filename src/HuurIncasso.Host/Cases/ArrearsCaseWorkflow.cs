using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Engine;

namespace HuurIncasso.Host.Cases;

/// <summary>
/// The arrears case on the generic engine: every decision is <see cref="CaseCore.Decide"/>
/// with the policy version the case is pinned to, taken from the <see cref="PolicyCatalog"/>.
/// Thread-safe (the catalog and the core are immutable).
/// </summary>
/// <remarks>
/// Register it with the engine together with a serializer on <see cref="CaseJson.Options"/>
/// (see <see cref="CreateSerializer"/>), so that stored states, events and messages use the
/// core's JSON form.
/// </remarks>
public sealed class ArrearsCaseWorkflow : ICaseWorkflow<CaseState, CaseMessage, CaseEvent>
{
    private static readonly FrozenDictionary<Type, string> EffectKinds = typeof(CaseEffect)
        .GetCustomAttributes<JsonDerivedTypeAttribute>()
        .ToFrozenDictionary(a => a.DerivedType, a => (string)a.TypeDiscriminator!);

    private readonly PolicyCatalog _catalog;
    private readonly TimeProvider _time;

    /// <summary>Creates the workflow.</summary>
    /// <param name="catalog">Every policy version; cases are decided with the version they are pinned to.</param>
    /// <param name="time">Only used to know which version is in force for new cases (<see cref="Version"/>); decisions get their time from the engine.</param>
    public ArrearsCaseWorkflow(PolicyCatalog catalog, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(time);
        _catalog = catalog;
        _time = time;
    }

    /// <summary>The policy version in force today: what a new case is pinned to.</summary>
    public string Version => _catalog.ForNewCases(CaseCore.BusinessDate(_time.GetUtcNow())).Version;

    /// <summary>The catalog the workflow decides with.</summary>
    public PolicyCatalog Catalog => _catalog;

    /// <summary>The serializer the engine must use for this workflow: the core's JSON form.</summary>
    /// <param name="inMemory">True for the in-memory engine: objects it wrote are read back without parsing (the core's types are immutable).</param>
    public static CaseSerializer<CaseState, CaseMessage, CaseEvent> CreateSerializer(bool inMemory = false) => new(CaseJson.Options, inMemory);

    /// <summary>Only the ledger's report of arrears opens a case; anything else for an unknown case is parked.</summary>
    public bool Opens(CaseMessage message) => message is OpenCase;

    /// <summary>An empty case, already pinned to <paramref name="version"/> so that its opening is decided with it.</summary>
    public CaseState Initial(string caseId, string version) => CaseState.Empty(caseId) with { PolicyVersion = version };

    /// <exception cref="PolicyCatalogException">The case is pinned to (or migrated to) a version the catalog does not have.</exception>
    public IReadOnlyList<CaseEvent> Decide(CaseState state, CaseMessage message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(message);
        return CaseCore.Decide(state, message, now, PolicyFor(state, message, now));
    }

    public CaseState Apply(CaseState state, CaseEvent @event) => CaseCore.Apply(state, @event);

    /// <summary>The core's decision with the states it already applied, so the engine does not apply each event again.</summary>
    /// <exception cref="PolicyCatalogException">The case is pinned to (or migrated to) a version the catalog does not have.</exception>
    public IReadOnlyList<Decided<CaseState, CaseEvent>> DecideAndApply(CaseState state, CaseMessage message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(message);
        var applied = CaseCore.DecideAndApply(state, message, now, PolicyFor(state, message, now));
        var decided = new Decided<CaseState, CaseEvent>[applied.Length];
        for (var i = 0; i < decided.Length; i++)
        {
            decided[i] = new Decided<CaseState, CaseEvent>(applied[i].Event, applied[i].After);
        }

        return decided;
    }

    /// <summary>
    /// The core's effects as outbox requests: the kind is the effect's JSON type name
    /// (<c>tenantMessage</c>, <c>personTask</c>, ...), the payload the effect in the core's JSON.
    /// </summary>
    /// <remarks>
    /// <see cref="ScheduleTimer"/> and <see cref="CancelTimer"/> are dropped on purpose: the
    /// engine owns timers. It reads <see cref="WaitingUntil"/> after every commit and keeps its
    /// timer index through its own outbox effect, and a timer the case no longer waits for is
    /// ignored when it fires. Passing them on would keep a second, redundant set of timers.
    /// </remarks>
    public IReadOnlyList<EffectRequest> EffectsOf(CaseEvent @event, CaseState after)
    {
        var effects = CaseCore.EffectsOf(@event, after);
        if (effects.IsEmpty)
        {
            return [];
        }

        var requests = new List<EffectRequest>(effects.Length);
        foreach (var effect in effects)
        {
            if (effect is ScheduleTimer or CancelTimer)
            {
                continue;
            }

            requests.Add(new EffectRequest(KindOf(effect), JsonSerializer.Serialize(effect, CaseJson.Options)));
        }

        return requests;
    }

    public DateTimeOffset? WaitingUntil(CaseState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.WaitingUntil;
    }

    /// <summary>
    /// A <see cref="FireTimer"/> for the one timer the case waits for. The message id is made
    /// from the case and the due instant, so a timer swept twice is one message.
    /// </summary>
    public CaseMessage TimerFired(CaseState state, DateTimeOffset due)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new FireTimer(state.TimerId ?? "")
        {
            MessageId = string.Create(CultureInfo.InvariantCulture, $"timer:{state.CaseId}:{due.ToUniversalTime():O}"),
        };
    }

    public CaseDescription Describe(CaseState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new CaseDescription(StageOf(state), state.Status is Domain.Cases.CaseStatus.Closed or Domain.Cases.CaseStatus.WrittenOff);
    }

    /// <summary>The effect kind of <paramref name="effect"/>: its JSON type name.</summary>
    /// <exception cref="ArgumentException">An effect type without a JSON type name.</exception>
    public static string KindOf(CaseEffect effect)
    {
        ArgumentNullException.ThrowIfNull(effect);
        return EffectKinds.TryGetValue(effect.GetType(), out var kind)
            ? kind
            : throw new ArgumentException($"Effect type {effect.GetType().Name} has no [JsonDerivedType] name on CaseEffect.", nameof(effect));
    }

    /// <summary>A short stage for lists: status, then what the case waits for. No personal data.</summary>
    private static string StageOf(CaseState s) => s.Status switch
    {
        Domain.Cases.CaseStatus.New => "new",
        Domain.Cases.CaseStatus.Closed => "closed",
        Domain.Cases.CaseStatus.WrittenOff => "written-off",
        Domain.Cases.CaseStatus.HandedOver => "handed-over",
        _ when s.Pause is { Approved: true } => "paused",
        _ when s.Pause is { Approved: false } => "pause-requested",
        _ when s.Arrangement is { Status: ArrangementStatus.BEV } => "instalment-missed",
        _ when s.Arrangement is { Status: ArrangementStatus.ACT } => "arrangement",
        _ when s.ProposedStep is { } step => "approval:" + step,
        _ when s.Steps.Count > 0 => "step:" + s.Steps[^1].StepId,
        _ => "open",
    };

    private CollectionPolicy PolicyFor(CaseState state, CaseMessage message, DateTimeOffset now) => message switch
    {
        MigratePolicy m => _catalog.Get(m.ToVersion),
        _ when state.PolicyVersion.Length > 0 => _catalog.Get(state.PolicyVersion),
        _ => _catalog.ForNewCases(CaseCore.BusinessDate(now)),
    };
}
