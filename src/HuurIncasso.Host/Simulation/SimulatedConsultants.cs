using System.Collections.Concurrent;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Domain.Simulation;

namespace HuurIncasso.Host.Simulation;

/// <summary>
/// The consultants and the team lead of the simulation. They see what a worklist shows (a call
/// or visit task, an arrangement offer, a step waiting for approval, a missed instalment, a
/// pause request) and answer some days later. Every choice is drawn from the seed, the case and
/// the event, never from the order in which cases were handled, so a run is repeatable.
/// </summary>
/// <remarks>
/// <see cref="Observe"/> is thread-safe (the engine's inbox processor handles cases in
/// parallel); <see cref="Due"/> is called between engine runs only.
/// </remarks>
internal sealed class SimulatedConsultants(int seed, Func<string, PayerBehaviour> behaviourOf)
{
    private static readonly Actor[] Consultants = [new("consulent-1", Role.Consultant), new("consulent-2", Role.Consultant), new("consulent-3", Role.Consultant)];
    private static readonly Actor TeamLead = new("teamleider-1", Role.TeamLead);

    private readonly ConcurrentDictionary<DateOnly, ConcurrentBag<Action>> _planned = new();

    /// <summary>A planned answer: builds its message from the case as it is on the day (null: nothing to do any more).</summary>
    internal sealed record Action(string CaseId, string Key, Func<CaseState, DateOnly, CaseMessage?> Build);

    /// <summary>Puts what <paramref name="e"/> asks of a person on the worklist.</summary>
    public void Observe(CaseEvent e, CaseState after)
    {
        var caseId = after.CaseId;
        var day = CaseCore.BusinessDate(e.At);
        var key = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"sim:{caseId}:{e.Sequence}");
        var random = new SimulationRandom(seed, caseId, e.Sequence);
        var consultant = Consultants[random.Between(0, Consultants.Length - 1)];
        switch (e)
        {
            case StepTaken { Kind: StepKind.Call }:
                Plan(day.AddDays(random.Between(1, 2)), new Action(caseId, key + ":call", (_, _) => Call(caseId, key, consultant, random)));
                break;
            case StepTaken { Kind: StepKind.Visit }:
                // Visits are always attempted, mostly in the evening within a few days.
                Plan(day.AddDays(random.Between(1, 4)), new Action(caseId, key + ":visit", (_, _) => Visit(caseId, key, consultant, random)));
                break;
            case StepTaken { Kind: StepKind.ArrangementOffer } when AcceptsArrangement(behaviourOf(caseId), random):
                Plan(day.AddDays(random.Between(2, 8)), new Action(caseId, key + ":arrangement", (state, today) => Arrangement(state, today, key, consultant)));
                break;
            case StepProposed proposed:
                Plan(day.AddDays(random.Between(1, 3)), new Action(caseId, key + ":approve", (state, _) =>
                    state.ProposedStep == proposed.StepId ? new ApproveStep(TeamLead, proposed.StepId) { MessageId = key + ":approve" } : null));
                break;
            case InstalmentMissed:
                var keep = random.Chance(0.3);
                Plan(day.AddDays(1), new Action(caseId, key + ":review", (state, _) =>
                    state.Arrangement is { Status: ArrangementStatus.BEV } ? new ReviewMissedInstalment(consultant, keep) { MessageId = key + ":review" } : null));
                break;
            case CallOutcomeRecorded { Reached: true } when behaviourOf(caseId) == PayerBehaviour.IncomeShock && random.Chance(0.5):
                // Waiting for benefits after losing income: the consultant asks for a deferral.
                Plan(day.AddDays(1), new Action(caseId, key + ":pause", (state, today) =>
                    state.Pause is null ? new RequestPause(consultant, PauseKind.Deferral, today.AddDays(30)) { MessageId = key + ":pause" } : null));
                break;
            case PauseRequested requested:
                // Four eyes in practice: another consultant approves.
                var approver = Consultants.First(c => c.Id != requested.By.Id);
                Plan(day.AddDays(1), new Action(caseId, key + ":approve-pause", (state, _) =>
                    state.Pause is { Approved: false } ? new ApprovePause(approver) { MessageId = key + ":approve-pause" } : null));
                break;
            default:
                break;
        }
    }

    /// <summary>The answers planned for <paramref name="day"/>, in a fixed order.</summary>
    public IReadOnlyList<Action> Due(DateOnly day) =>
        _planned.TryRemove(day, out var actions)
            ? [.. actions.OrderBy(a => a.CaseId, StringComparer.Ordinal).ThenBy(a => a.Key, StringComparer.Ordinal)]
            : [];

    private void Plan(DateOnly day, Action action) => _planned.GetOrAdd(day, _ => []).Add(action);

    private RecordCallOutcome Call(string caseId, string key, Actor by, SimulationRandom random)
    {
        var reached = random.Chance(0.55);
        var (ability, willingness) = reached ? Assess(behaviourOf(caseId)) : (null, null);
        return new RecordCallOutcome(by, reached, AdviceGiven: reached, PointedToDebtCounselling: reached, ability, willingness) { MessageId = key + ":call" };
    }

    private RecordVisitOutcome Visit(string caseId, string key, Actor by, SimulationRandom random)
    {
        var met = random.Chance(0.5);
        var (ability, willingness) = met ? Assess(behaviourOf(caseId)) : (null, null);
        return new RecordVisitOutcome(by, met, AdviceGiven: met, PointedToDebtCounselling: met, ability, willingness) { MessageId = key + ":visit" };
    }

    private static AgreeArrangement? Arrangement(CaseState state, DateOnly today, string key, Actor by)
    {
        if (state.Status != Domain.Cases.CaseStatus.Open || state.Arrears <= 0m || state.Arrangement?.BlocksEscalation == true)
        {
            return null;
        }

        // About 150 euros a month on top of the rent, within the policy's usual bounds.
        var instalments = (int)Math.Clamp(Math.Ceiling(state.Arrears / 150m), 2m, state.Arrears <= state.MonthlyRent ? 6m : 12m);
        return new AgreeArrangement(by, instalments, today.AddDays(7)) { MessageId = key + ":arrangement" };
    }

    private static bool AcceptsArrangement(PayerBehaviour behaviour, SimulationRandom random) => behaviour switch
    {
        PayerBehaviour.Refuser => false,
        PayerBehaviour.CannotPay or PayerBehaviour.IncomeShock => random.Chance(0.6),
        _ => random.Chance(0.35),
    };

    /// <summary>What a consultant who spoke with the tenant concludes.</summary>
    private static (Ability?, Willingness?) Assess(PayerBehaviour behaviour) => behaviour switch
    {
        PayerBehaviour.CannotPay or PayerBehaviour.IncomeShock => (Ability.Cannot, Willingness.Will),
        PayerBehaviour.Refuser => (Ability.Can, Willingness.Wont),
        _ => (Ability.Can, Willingness.Will),
    };
}

/// <summary>
/// A small SplitMix64 stream keyed by seed, case and event: the same keys give the same draws
/// on every machine (string hashing here is our own, not the per-process randomised one).
/// </summary>
internal sealed class SimulationRandom
{
    private ulong _state;

    public SimulationRandom(int seed, string caseId, int sequence)
    {
        // FNV-1a over the case id.
        var hash = 14695981039346656037UL;
        foreach (var ch in caseId)
        {
            hash = unchecked((hash ^ ch) * 1099511628211UL);
        }

        _state = Mix(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL) ^ Mix(hash) ^ unchecked((ulong)sequence * 0xD1B54A32D192ED03UL));
    }

    public double NextDouble()
    {
        _state = unchecked(_state + 0x9E3779B97F4A7C15UL);
        return (Mix(_state) >> 11) * (1.0 / (1UL << 53));
    }

    public bool Chance(double probability) => NextDouble() < probability;

    public int Between(int min, int max) => min + (int)(NextDouble() * (max - min + 1));

    private static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
