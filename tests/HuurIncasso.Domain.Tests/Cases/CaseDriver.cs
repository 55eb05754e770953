using System.Collections.Immutable;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Testing;

namespace HuurIncasso.Domain.Tests.Cases;

/// <summary>Loads the policy files of the repository once.</summary>
public static class ShippedPolicies
{
    private static readonly Lazy<CollectionPolicy> DefaultPolicy = new(() => Load("policy", "default.yaml"));
    private static readonly Lazy<CollectionPolicy> FastPolicy = new(() => Load("policy", "examples", "fast-handover.yaml"));

    public static CollectionPolicy Default => DefaultPolicy.Value;

    public static CollectionPolicy FastHandover => FastPolicy.Value;

    public static CollectionPolicy Load(params string[] path)
    {
        var result = PolicyLoader.Load(RepositoryRoot.Path(path));
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        return result.Policy!;
    }
}

/// <summary>
/// Drives one case the way the engine would: decide, apply, keep the events, and fire the
/// case's timer whenever the clock passes it.
/// </summary>
public sealed class CaseDriver
{
    public static readonly Actor Consultant = new("c.janssen", Role.Consultant);
    public static readonly Actor OtherConsultant = new("p.devries", Role.Consultant);
    public static readonly Actor TeamLead = new("t.bakker", Role.TeamLead);
    public static readonly Actor OtherTeamLead = new("m.smit", Role.TeamLead);

    private int messages;

    public CaseDriver(CollectionPolicy policy, DateTimeOffset start, string caseId = "zaak-1")
    {
        Policy = policy;
        Now = start;
        State = CaseState.Empty(caseId);
    }

    public CollectionPolicy Policy { get; }

    public DateTimeOffset Now { get; private set; }

    public DateOnly Today => CaseCore.BusinessDate(Now);

    public CaseState State { get; private set; }

    public List<CaseEvent> Events { get; } = [];

    public List<CaseEffect> Effects { get; } = [];

    /// <summary>Opens a case for a home with rent of 800 and one unpaid month due on <paramref name="dueDate"/>.</summary>
    public static CaseDriver Opened(CollectionPolicy policy, DateOnly dueDate, decimal rent = 800m, DateOnly? contractStart = null, string propertyType = "WON", int lateMonths = 0)
    {
        var driver = new CaseDriver(policy, CaseCore.TimerInstant(dueDate).AddHours(3));
        driver.Send(new OpenCase("zaak-1", "contract-1", "huurder-1", rent, propertyType, contractStart ?? new DateOnly(2015, 1, 1), false, lateMonths, rent, dueDate) { MessageId = "open" });
        return driver;
    }

    /// <summary>Every message sent, with the state and clock it was decided on.</summary>
    public List<(CaseState Before, CaseMessage Message, DateTimeOffset Now)> Sent { get; } = [];

    public ImmutableArray<CaseEvent> Send(CaseMessage message)
    {
        Sent.Add((State, message, Now));
        var events = CaseCore.Decide(State, message, Now, Policy);
        foreach (var e in events)
        {
            State = CaseCore.Apply(State, e);
            Events.Add(e);
            Effects.AddRange(CaseCore.EffectsOf(e, State));
        }

        return events;
    }

    public string NextId() => $"m{++messages}";

    /// <summary>Moves the clock to 10:00 on <paramref name="date"/>, firing every timer on the way.</summary>
    public void RunUntil(DateOnly date)
    {
        var target = CaseCore.TimerInstant(date).AddHours(4);
        while (State.WaitingUntil is { } due && due <= target && State.TimerId is { } timer)
        {
            Now = due > Now ? due : Now;
            Send(new FireTimer(timer) { MessageId = NextId() });
        }

        Now = target > Now ? target : Now;
    }

    /// <summary>Moves the clock by <paramref name="span"/>, firing every timer on the way.</summary>
    public void Advance(TimeSpan span)
    {
        var target = Now + span;
        while (State.WaitingUntil is { } due && due <= target && State.TimerId is { } timer)
        {
            Now = due > Now ? due : Now;
            Send(new FireTimer(timer) { MessageId = NextId() });
        }

        Now = target;
    }

    public void Pay(decimal amount, bool directDebit = false, string? paymentId = null) =>
        Send(new ReceivePayment(paymentId ?? NextId(), Today, amount, directDebit) { MessageId = NextId() });

    public void ChargeRent(DateOnly dueDate, decimal amount = 800m) => Send(new ChargeRent(dueDate, amount) { MessageId = NextId() });

    public bool Took(string stepId) => State.Steps.Any(s => s.StepId == stepId);

    public DateOnly? TakenOn(string stepId) => State.Steps.FirstOrDefault(s => s.StepId == stepId)?.On;

    public IEnumerable<T> EventsOf<T>()
        where T : CaseEvent => Events.OfType<T>();
}
