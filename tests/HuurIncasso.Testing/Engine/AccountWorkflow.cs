using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Serialization;
using HuurIncasso.Engine;

namespace HuurIncasso.Testing.Engine;

// A small workflow that knows nothing of rent, to test the engine with: an account that
// takes deposits and withdrawals, sends "mail" effects, sets reminders (timers) and can be
// told to throw. Its final state does not depend on message order (sums and counts), so
// runs with competing processes and crashes can be compared with an uninterrupted run.

[JsonPolymorphic(TypeDiscriminatorPropertyName = "$type")]
[JsonDerivedType(typeof(Deposit), "deposit")]
[JsonDerivedType(typeof(Withdraw), "withdraw")]
[JsonDerivedType(typeof(Notify), "notify")]
[JsonDerivedType(typeof(Remind), "remind")]
[JsonDerivedType(typeof(Explode), "explode")]
[JsonDerivedType(typeof(CloseAccount), "close")]
[JsonDerivedType(typeof(Wake), "wake")]
[JsonDerivedType(typeof(Slow), "slow")]
public abstract record AccountMessage;

/// <summary>Opens the account when it does not exist.</summary>
public sealed record Deposit(decimal Amount) : AccountMessage;

/// <summary>Cannot open an account: parked until one exists.</summary>
public sealed record Withdraw(decimal Amount) : AccountMessage;

/// <summary>Asks for one mail effect.</summary>
public sealed record Notify(string Text) : AccountMessage;

/// <summary>Sets a reminder (a timer) <see cref="AfterSeconds"/> from now; each reminder sends one mail.</summary>
public sealed record Remind(double AfterSeconds) : AccountMessage;

/// <summary>Throws in Decide until the workflow is defused.</summary>
public sealed record Explode : AccountMessage;

/// <summary>Closes the account (the case completes).</summary>
public sealed record CloseAccount : AccountMessage;

/// <summary>Takes <see cref="Seconds"/> to decide (blocking), to test lease renewal; changes nothing.</summary>
public sealed record Slow(double Seconds) : AccountMessage;

/// <summary>A timer fired.</summary>
public sealed record Wake(DateTimeOffset Due) : AccountMessage;

[JsonPolymorphic(TypeDiscriminatorPropertyName = "$type")]
[JsonDerivedType(typeof(Deposited), "deposited")]
[JsonDerivedType(typeof(Withdrawn), "withdrawn")]
[JsonDerivedType(typeof(Notified), "notified")]
[JsonDerivedType(typeof(ReminderScheduled), "reminderScheduled")]
[JsonDerivedType(typeof(ReminderSent), "reminderSent")]
[JsonDerivedType(typeof(Exploded), "exploded")]
[JsonDerivedType(typeof(Closed), "closed")]
public abstract record AccountEvent;

public sealed record Deposited(decimal Amount) : AccountEvent;

public sealed record Withdrawn(decimal Amount) : AccountEvent;

public sealed record Notified(string Text) : AccountEvent;

public sealed record ReminderScheduled(DateTimeOffset Due) : AccountEvent;

public sealed record ReminderSent(DateTimeOffset Due) : AccountEvent;

public sealed record Exploded : AccountEvent;

public sealed record Closed : AccountEvent;

/// <summary>The account. <see cref="Reminders"/> are the due times still to come, sorted.</summary>
public sealed record AccountState(string Id, string Version, decimal Balance, int Messages, IReadOnlyList<DateTimeOffset> Reminders, int RemindersSent, int Explosions, bool Closed);

/// <summary>The test workflow.</summary>
public sealed class AccountWorkflow : ICaseWorkflow<AccountState, AccountMessage, AccountEvent>, ICaseMigration<AccountState>
{
    /// <summary>When false, <see cref="Explode"/> throws in Decide; when true it records an event.</summary>
    public bool Defused { get; set; }

    /// <summary>How often Decide was asked to handle an <see cref="Explode"/>.</summary>
    public int ExplodeAttempts => _explodeAttempts;

    private int _explodeAttempts;

    public string Version { get; set; } = "v1";

    public bool Opens(AccountMessage message) => message is not Withdraw;

    public AccountState Initial(string caseId, string version) => new(caseId, version, 0m, 0, [], 0, 0, false);

    public IReadOnlyList<AccountEvent> Decide(AccountState state, AccountMessage message, DateTimeOffset now) => message switch
    {
        Deposit d => [new Deposited(d.Amount)],
        Withdraw w => [new Withdrawn(w.Amount)],
        Notify n => [new Notified(n.Text)],
        Remind r => [new ReminderScheduled(now.AddSeconds(r.AfterSeconds))],
        Explode => DecideExplode(),
        CloseAccount => state.Closed ? [] : [new Closed()],
        Slow s => Sleep(s.Seconds),
        Wake w => [.. state.Reminders.Where(due => due <= w.Due).Select(due => new ReminderSent(due))],
        _ => throw new ArgumentOutOfRangeException(nameof(message), message.GetType().Name, "Unknown account message."),
    };

    public AccountState Apply(AccountState state, AccountEvent @event) => @event switch
    {
        Deposited d => state with { Balance = state.Balance + d.Amount, Messages = state.Messages + 1 },
        Withdrawn w => state with { Balance = state.Balance - w.Amount, Messages = state.Messages + 1 },
        Notified => state with { Messages = state.Messages + 1 },
        ReminderScheduled r => state with { Messages = state.Messages + 1, Reminders = [.. state.Reminders.Append(r.Due).Order()] },
        ReminderSent r => state with { Reminders = [.. state.Reminders.Where(due => due != r.Due)], RemindersSent = state.RemindersSent + 1 },
        Exploded => state with { Messages = state.Messages + 1, Explosions = state.Explosions + 1 },
        Closed => state with { Closed = true },
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name, "Unknown account event."),
    };

    public IReadOnlyList<EffectRequest> EffectsOf(AccountEvent @event, AccountState after) => @event switch
    {
        Notified n => [new EffectRequest("mail", "notify:" + n.Text)],
        ReminderSent r => [new EffectRequest("mail", "reminder:" + r.Due.UtcTicks.ToString(CultureInfo.InvariantCulture))],
        _ => [],
    };

    public DateTimeOffset? WaitingUntil(AccountState state) => state.Reminders.Count == 0 ? null : state.Reminders[0];

    public AccountMessage TimerFired(AccountState state, DateTimeOffset due) => new Wake(due);

    public CaseDescription Describe(AccountState state) =>
        new(state.Closed ? "closed" : state.Balance < 0 ? "overdrawn" : "open", state.Closed);

    public AccountState Migrate(AccountState state, string fromVersion, string toVersion) =>
        fromVersion == "v1" && toVersion == "v2"
            ? state with { Version = toVersion }
            : throw new NotSupportedException($"No migration from {fromVersion} to {toVersion}.");

    private static IReadOnlyList<AccountEvent> Sleep(double seconds)
    {
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        return [];
    }

    private IReadOnlyList<AccountEvent> DecideExplode()
    {
        Interlocked.Increment(ref _explodeAttempts);
        return Defused ? [new Exploded()] : throw new InvalidOperationException("Explode is not defused yet.");
    }
}

/// <summary>
/// Records "mail" effects: a mail is sent only the first time an effect id is seen, and
/// every attempt is counted, so a test can show both "at least once" and "never twice".
/// </summary>
public sealed class RecordingMailHandler : IEffectHandler
{
    private readonly ConcurrentDictionary<string, string> _sent = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);

    public string Kind => "mail";

    /// <summary>When set, every attempt throws (to test effect retries).</summary>
    public bool Failing { get; set; }

    /// <summary>Mails sent, by effect id, with their payload.</summary>
    public IReadOnlyDictionary<string, string> Sent => _sent;

    /// <summary>Attempts by effect id (a second attempt must not send again).</summary>
    public IReadOnlyDictionary<string, int> Attempts => _attempts;

    public Task HandleAsync(Effect effect, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(effect);
        _attempts.AddOrUpdate(effect.Id, 1, (_, n) => n + 1);
        if (Failing)
        {
            throw new InvalidOperationException("The mail server is down.");
        }

        _sent.TryAdd(effect.Id, effect.Payload);
        return Task.CompletedTask;
    }
}
