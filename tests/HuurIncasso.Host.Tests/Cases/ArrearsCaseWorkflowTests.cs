using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Engine;
using HuurIncasso.Engine.InMemory;
using HuurIncasso.Host.Cases;
using HuurIncasso.Testing;
using Microsoft.Extensions.Time.Testing;

namespace HuurIncasso.Host.Tests.Cases;

/// <summary>The arrears workflow on the in-memory engine, driven by a virtual clock.</summary>
public sealed partial class ArrearsCaseWorkflowTests
{
    private static readonly DateOnly February = new(2026, 2, 1);

    private static CollectionPolicy Default => PolicyCatalog.LoadFiles([RepositoryRoot.Path("policy", "default.yaml")]).Versions[0];

    [Fact]
    public async Task Engine_DefaultLadder_TimersTakeStepsOnTheirDays()
    {
        var h = new Harness(new PolicyCatalog([Default]), At(new DateOnly(2026, 2, 2)));
        await h.OpenAsync("C1", balance: 800m, oldestDue: February);

        await h.RunUntilAsync(new DateOnly(2026, 2, 20));

        var events = await h.EventsAsync("C1");
        Assert.Equal(new DateOnly(2026, 2, 6), TakenOn(events, "herinnering"));
        Assert.Equal(new DateOnly(2026, 2, 16), TakenOn(events, "bellen-1"));

        // Both steps came from fired timers: the FireTimer's id is made from the case and the due instant.
        var reminder = events.OfType<StepTaken>().Single(s => s.StepId == "herinnering");
        Assert.Equal($"timer:C1:{CaseCore.TimerInstant(new DateOnly(2026, 2, 6)):O}", reminder.CausationId);
        var stored = await h.Engine.Store.ReadEventsAsync("C1", TestContext.Current.CancellationToken);
        Assert.Contains(stored, e => e.CausedBy == TimerSweeper.TimerKey(CaseCore.TimerInstant(new DateOnly(2026, 2, 6))));
    }

    [Fact]
    public async Task Engine_DefaultLadder_EffectsInTheOutboxWithTheCoreKindsAndStableIds()
    {
        var h = new Harness(new PolicyCatalog([Default]), At(new DateOnly(2026, 2, 2)));
        await h.OpenAsync("C1", balance: 800m, oldestDue: February);
        await h.RunUntilAsync(new DateOnly(2026, 2, 20));

        var effects = await h.Engine.Store.ReadEffectsAsync("C1", TestContext.Current.CancellationToken);

        // The reminder goes by mail and by letter; the call is a consultant's task.
        var reminders = effects.Where(e => e.Kind == "tenantMessage" && e.Payload.Contains("\"template\":\"herinnering\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, reminders.Count);
        Assert.Contains(reminders, e => e.Payload.Contains("\"channel\":\"Letter\"", StringComparison.Ordinal));
        Assert.Contains(effects, e => e.Kind == "personTask" && e.Payload.Contains("Bellen", StringComparison.Ordinal));

        // Timers are the engine's: the core's timer effects never reach the outbox.
        Assert.DoesNotContain(effects, e => e.Kind is "scheduleTimer" or "cancelTimer");
        Assert.Contains(effects, e => e.Kind == EngineEffectKinds.Timer);
        Assert.All(effects, e => Assert.Matches(EffectId(), e.Id));
        Assert.All(effects, e => Assert.Equal(EffectStatus.Done, e.Status));
        Assert.Equal(effects.Count, effects.Select(e => e.Id).Distinct().Count());
        Assert.Equal(2, h.Handled.Count(p => p.Kind == "tenantMessage" && p.Id.StartsWith("C1:", StringComparison.Ordinal) && reminders.Any(r => r.Id == p.Id)));
    }

    [Fact]
    public async Task Engine_SameScenarioTwice_SameEffectIdsAndPayloads()
    {
        async Task<List<(string Id, string Kind, string Payload)>> RunAsync()
        {
            var h = new Harness(new PolicyCatalog([Default]), At(new DateOnly(2026, 2, 2)));
            await h.OpenAsync("C1", balance: 800m, oldestDue: February);
            await h.RunUntilAsync(new DateOnly(2026, 3, 3));
            return [.. (await h.Engine.Store.ReadEffectsAsync("C1", TestContext.Current.CancellationToken)).Select(e => (e.Id, e.Kind, e.Payload))];
        }

        var first = await RunAsync();
        var second = await RunAsync();

        Assert.NotEmpty(first);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Engine_PaymentInFull_ClosesTheCaseAndLaterTimersChangeNothing()
    {
        var h = new Harness(new PolicyCatalog([Default]), At(new DateOnly(2026, 2, 2)));
        await h.OpenAsync("C1", balance: 800m, oldestDue: February);
        await h.RunUntilAsync(new DateOnly(2026, 2, 10));
        Assert.NotNull((await h.StateAsync("C1")).WaitingUntil);

        await h.SendAsync("C1", new ReceivePayment("bank-1", new DateOnly(2026, 2, 10), 800m, ByDirectDebit: false) { MessageId = "bank-1" });

        var record = (await h.Engine.Client.GetAsync("C1", includeTimeline: false, TestContext.Current.CancellationToken))!.Case;
        Assert.Equal(Engine.CaseStatus.Completed, record.Status);
        Assert.Equal("closed", record.Stage);
        Assert.Null(record.WaitingUntil);
        var closed = Assert.Single((await h.EventsAsync("C1")).OfType<CaseClosed>());
        Assert.Equal(CaseOutcome.Paid, closed.Outcome);
        var effects = await h.Engine.Store.ReadEffectsAsync("C1", TestContext.Current.CancellationToken);
        Assert.Contains(effects, e => e.Kind == "tenantMessage" && e.Payload.Contains("closing-confirmation", StringComparison.Ordinal));
        Assert.Contains(effects, e => e.Kind == "cancelOpenTasks");

        // The call of 16 February had a timer in the index; it fires and is ignored.
        var before = (await h.EventsAsync("C1")).Count;
        await h.RunUntilAsync(new DateOnly(2026, 3, 10));
        Assert.Equal(before, (await h.EventsAsync("C1")).Count);
    }

    [Fact]
    public async Task Engine_CasePinnedToOlderVersion_KeepsItWhileNewCasesGetTheNewOne()
    {
        // 2026.2 is in force from 1 March and sends the reminder 12 days after the due date instead of 5.
        var catalog = new PolicyCatalog([Default, Variant("2026.2", "2026-03-01", reminderDaysPastDue: 12)]);
        var h = new Harness(catalog, At(new DateOnly(2026, 2, 27)));
        Assert.Equal("2026.1", h.Workflow.Version);
        await h.OpenAsync("OLD", balance: 800m, oldestDue: new DateOnly(2026, 2, 27));

        await h.RunUntilAsync(new DateOnly(2026, 3, 2));
        Assert.Equal("2026.2", h.Workflow.Version);
        await h.OpenAsync("NEW", balance: 800m, oldestDue: new DateOnly(2026, 3, 1));
        await h.RunUntilAsync(new DateOnly(2026, 3, 15));

        var old = await h.StateAsync("OLD");
        var young = await h.StateAsync("NEW");
        Assert.Equal("2026.1", old.PolicyVersion);
        Assert.Equal("2026.2", young.PolicyVersion);
        Assert.Equal(new DateOnly(2026, 3, 4), TakenOn(await h.EventsAsync("OLD"), "herinnering"));
        Assert.Equal(new DateOnly(2026, 3, 13), TakenOn(await h.EventsAsync("NEW"), "herinnering"));
        var records = await h.Engine.Client.ListAsync(new CaseQuery(), TestContext.Current.CancellationToken);
        Assert.Equal("2026.1", records.Single(r => r.CaseId == "OLD").WorkflowVersion);
        Assert.Equal("2026.2", records.Single(r => r.CaseId == "NEW").WorkflowVersion);
    }

    [Fact]
    public void TimerFired_UsesTheCasesTimerAndADeterministicMessageId()
    {
        var workflow = new ArrearsCaseWorkflow(new PolicyCatalog([Default]), new FakeTimeProvider(At(February)));
        var due = CaseCore.TimerInstant(new DateOnly(2026, 2, 6));
        var state = CaseState.Empty("C9") with { TimerId = "C9/timer/4", WaitingUntil = due };

        var message = Assert.IsType<FireTimer>(workflow.TimerFired(state, due));

        Assert.Equal("C9/timer/4", message.TimerId);
        Assert.Equal($"timer:C9:{due:O}", message.MessageId);
        Assert.Equal(message, workflow.TimerFired(state, due));
    }

    [Fact]
    public void EffectsOf_WaitChanged_TimerEffectsAreDropped()
    {
        var workflow = new ArrearsCaseWorkflow(new PolicyCatalog([Default]), new FakeTimeProvider(At(February)));
        var state = CaseState.Empty("C9") with { Status = Domain.Cases.CaseStatus.Open, TimerId = "C9/timer/3" };
        var wait = new WaitChanged("C9/timer/3", At(February).AddDays(3), "stap bellen-1", "C9/timer/1") { Sequence = 3 };

        // The core itself asks to cancel the old timer and schedule the new one...
        Assert.Equal(2, CaseCore.EffectsOf(wait, state).Length);

        // ...which the engine does on its own from WaitingUntil.
        Assert.Empty(workflow.EffectsOf(wait, state));
    }

    [Theory]
    // A letter to the tenant.
    [InlineData(typeof(TenantMessage), "tenantMessage")]
    // A task on a worklist.
    [InlineData(typeof(PersonTask), "personTask")]
    // The bailiff's or agency's dossier.
    [InlineData(typeof(HandoverDossier), "handoverDossier")]
    public void KindOf_Effect_IsItsJsonTypeName(Type type, string kind)
    {
        CaseEffect effect = type.Name switch
        {
            nameof(TenantMessage) => new TenantMessage(Channel.Mail, "herinnering", 1m, System.Collections.Immutable.ImmutableDictionary<string, string>.Empty),
            nameof(PersonTask) => new PersonTask(Role.Consultant, "Bellen", February, false),
            _ => new HandoverDossier(HandoverTarget.Agency, 1m, 0m, 0m),
        };

        Assert.Equal(kind, ArrearsCaseWorkflow.KindOf(effect));
    }

    [Fact]
    public void Describe_OpenCaseWaitingForApproval_StageNamesTheStep()
    {
        var workflow = new ArrearsCaseWorkflow(new PolicyCatalog([Default]), new FakeTimeProvider(At(February)));

        var description = workflow.Describe(CaseState.Empty("C1") with { Status = Domain.Cases.CaseStatus.Open, ProposedStep = "overdracht" });

        Assert.Equal(new CaseDescription("approval:overdracht", false), description);
        Assert.True(workflow.Describe(CaseState.Empty("C1") with { Status = Domain.Cases.CaseStatus.Closed }).Closed);
    }

    internal static CollectionPolicy Variant(string version, string validFrom, int reminderDaysPastDue)
    {
        var text = File.ReadAllText(RepositoryRoot.Path("policy", "default.yaml"))
            .Replace("version: \"2026.1\"", $"version: \"{version}\"", StringComparison.Ordinal)
            .Replace("validFrom: 2026-01-01", $"validFrom: {validFrom}", StringComparison.Ordinal)
            .Replace("    monthsInArrears: 1\n    daysPastDue: 5\n", $"    monthsInArrears: 1\n    daysPastDue: {reminderDaysPastDue}\n", StringComparison.Ordinal);
        var result = PolicyLoader.Parse(text);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        return result.Policy!;
    }

    private static DateTimeOffset At(DateOnly day) => CaseCore.TimerInstant(day).AddHours(3);

    private static DateOnly? TakenOn(IEnumerable<CaseEvent> events, string stepId) =>
        events.OfType<StepTaken>().FirstOrDefault(s => s.StepId == stepId)?.On;

    [GeneratedRegex(@"^C1:\d{10}:\d+$")]
    private static partial Regex EffectId();

    /// <summary>The workflow on the in-memory engine with a fake clock and a handler for every effect kind.</summary>
    private sealed class Harness
    {
        public Harness(PolicyCatalog catalog, DateTimeOffset start)
        {
            Time = new FakeTimeProvider(start);
            Workflow = new ArrearsCaseWorkflow(catalog, Time);
            var kinds = new[] { "tenantMessage", "personTask", "partnerReferral", "handoverDossier", "agencyUpdate", "ledgerPosting", "recollection", "cancelOpenTasks" };
            Engine = new InMemoryCaseEngine<CaseState, CaseMessage, CaseEvent>(
                Workflow, Time, [.. kinds.Select(k => (IEffectHandler)new Recorder(k, Handled))], serializer: ArrearsCaseWorkflow.CreateSerializer());
        }

        public FakeTimeProvider Time { get; }

        public ArrearsCaseWorkflow Workflow { get; }

        public InMemoryCaseEngine<CaseState, CaseMessage, CaseEvent> Engine { get; }

        public ConcurrentBag<(string Id, string Kind)> Handled { get; } = [];

        public Task OpenAsync(string caseId, decimal balance, DateOnly oldestDue) => SendAsync(caseId, new OpenCase(
            caseId, "K-" + caseId, "H-" + caseId, 800m, "WON", new DateOnly(2015, 6, 1), DirectDebit: false, LateMonthsInLast12: 0, balance, oldestDue)
        { MessageId = "open-" + caseId });

        public async Task SendAsync(string caseId, CaseMessage message) =>
            await Engine.Client.StartAsync(caseId, message.MessageId, message, TestContext.Current.CancellationToken);

        /// <summary>Moves the clock a day at a time (to each day's 06:00 and noon) and lets the engine work.</summary>
        public async Task RunUntilAsync(DateOnly last)
        {
            for (var day = CaseCore.BusinessDate(Time.GetUtcNow()).AddDays(1); day <= last; day = day.AddDays(1))
            {
                Time.SetUtcNow(CaseCore.TimerInstant(day));
                await Engine.RunUntilIdleAsync(TestContext.Current.CancellationToken);
                Time.SetUtcNow(At(day));
                await Engine.RunUntilIdleAsync(TestContext.Current.CancellationToken);
            }
        }

        public async Task<IReadOnlyList<CaseEvent>> EventsAsync(string caseId) =>
            await Engine.Client.GetEventsAsync(caseId, TestContext.Current.CancellationToken);

        public async Task<CaseState> StateAsync(string caseId) =>
            (await Engine.Client.GetStateAsync(caseId, TestContext.Current.CancellationToken))!;
    }

    private sealed class Recorder(string kind, ConcurrentBag<(string Id, string Kind)> handled) : IEffectHandler
    {
        public string Kind => kind;

        public Task HandleAsync(Effect effect, CancellationToken cancellationToken = default)
        {
            handled.Add((effect.Id, effect.Kind));
            return Task.CompletedTask;
        }
    }
}
