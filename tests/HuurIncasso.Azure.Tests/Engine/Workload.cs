using System.Text.Json;
using HuurIncasso.Engine;
using HuurIncasso.Engine.InMemory;
using HuurIncasso.Testing.Engine;
using Microsoft.Extensions.Time.Testing;

namespace HuurIncasso.Azure.Tests.Engine;

/// <summary>A deterministic set of messages for many accounts, and what it must end in.</summary>
public sealed record Workload(IReadOnlyList<(string CaseId, string Key, AccountMessage Message)> Messages)
{
    /// <summary>
    /// Per case: a deposit first, then a mix of deposits, withdrawals (which cannot open a case, so
    /// they are parked when they overtake the first deposit), mails and reminders.
    /// </summary>
    public static Workload Create(int cases, int perCase, int seed, string casePrefix = "acc")
    {
        var random = new Random(seed);
        var messages = new List<(string, string, AccountMessage)>();
        for (var c = 0; c < cases; c++)
        {
            var id = $"{casePrefix}-{c:D4}";
            messages.Add((id, "m0", new Deposit(random.Next(100, 1000))));
            for (var m = 1; m < perCase; m++)
            {
                var key = $"m{m}";
                messages.Add((id, key, random.Next(10) switch
                {
                    < 4 => new Deposit(random.Next(1, 10000) / 100m),
                    < 6 => new Withdraw(random.Next(1, 10000) / 100m),
                    < 8 => new Notify(key),
                    _ => new Remind(0.2 + (random.Next(10) / 10.0)),
                }));
            }
        }

        // Interleaved as real traffic is: hosts compete for cases, and withdrawals often
        // overtake the deposit that opens their case.
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(messages));
        return new Workload(messages);
    }

    public int ExpectedMails => Messages.Count(m => m.Message is Notify or Remind);

    /// <summary>The end state of every case after an uninterrupted run, as JSON.</summary>
    public async Task<Dictionary<string, string>> ExpectedStatesAsync(CancellationToken cancellationToken)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var engine = new InMemoryCaseEngine<AccountState, AccountMessage, AccountEvent>(new AccountWorkflow(), clock, [new RecordingMailHandler()]);
        foreach (var (caseId, key, message) in Messages)
        {
            await engine.Client.SendAsync(caseId, key, message, cancellationToken: cancellationToken);
        }

        await engine.RunUntilIdleAsync(cancellationToken);
        clock.Advance(TimeSpan.FromMinutes(1));
        await engine.RunUntilIdleAsync(cancellationToken);
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in await engine.Client.ListAsync(new CaseQuery(Max: int.MaxValue), cancellationToken))
        {
            states[record.CaseId] = Normalize(record.State);
        }

        return states;
    }

    /// <summary>State JSON re-serialized, so that property order and spacing never matter.</summary>
    public static string Normalize(string json) => JsonSerializer.Serialize(JsonSerializer.Deserialize<JsonElement>(json));
}
