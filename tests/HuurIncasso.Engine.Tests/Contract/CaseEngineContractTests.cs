using HuurIncasso.Engine;
using HuurIncasso.Testing.Engine;

namespace HuurIncasso.Engine.Tests.Contract;

/// <summary>
/// What every engine implementation promises. Run against the in-memory engine and against
/// the Azure one on a real Azurite; a derived class only builds the harness.
/// </summary>
public abstract class CaseEngineContractTests
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<IEngineHarness> CreateAsync();

    protected static string NewCaseId() => "case-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Send_OpeningMessage_OpensCaseAndAppliesIt()
    {
        await using var h = await CreateAsync();
        var id = NewCaseId();
        await h.Client.SendAsync(id, "d1", new Deposit(10.50m), cancellationToken: Ct);
        await h.RunUntilIdleAsync(Ct);

        var state = await h.Client.GetStateAsync(id, Ct);
        Assert.NotNull(state);
        Assert.Equal(10.50m, state.Balance);
        var instance = await h.Client.GetAsync(id, cancellationToken: Ct);
        Assert.Equal(CaseStatus.Running, instance!.Case.Status);
        Assert.Equal("open", instance.Case.Stage);
        Assert.Equal("v1", instance.Case.WorkflowVersion);
        var only = Assert.Single(instance.Timeline);
        Assert.Equal(1, only.Sequence);
        Assert.Equal("Deposited", only.Type);
        Assert.Equal("d1", only.CausedBy);
    }

    [Fact]
    public async Task Send_SameIdempotencyKeyTwice_AppliesOnce()
    {
        await using var h = await CreateAsync();
        var id = NewCaseId();
        await h.Client.SendAsync(id, "d1", new Deposit(10m), cancellationToken: Ct);
        await h.RunUntilIdleAsync(Ct);
        await h.Client.SendAsync(id, "d1", new Deposit(10m), cancellationToken: Ct);
        await h.Client.SendAsync(id, "d2", new Deposit(5m), cancellationToken: Ct);
        await h.Client.SendAsync(id, "d2", new Deposit(5m), cancellationToken: Ct);
        await h.RunUntilIdleAsync(Ct);

        var state = await h.Client.GetStateAsync(id, Ct);
        Assert.Equal(15m, state!.Balance);
        Assert.Equal(2, (await h.Client.GetEventsAsync(id, Ct)).Count);
    }

    [Fact]
    public async Task Handle_DuplicateDirectly_ReportsDuplicate()
    {
        await using var h = await CreateAsync();
        var id = NewCaseId();
        var first = await h.Client.StartAsync(id, "k", new Deposit(1m), Ct);
        var second = await h.Client.StartAsync(id, "k", new Deposit(1m), Ct);
        Assert.Equal(HandleOutcome.Applied, first.Outcome);
        Assert.Equal(HandleOutcome.Duplicate, second.Outcome);
    }

    [Fact]
    public async Task Handle_ManyMessagesInParallel_EveryOneAppliedOnceAndEventsGapFree()
    {
        // Competing handlers on one case: ETag conflicts must lead to deciding again, never
        // to a lost or doubled deposit.
        await using var h = await CreateAsync();
        var id = NewCaseId();
        await h.Client.StartAsync(id, "open", new Deposit(0m), Ct);
        await Parallel.ForEachAsync(Enumerable.Range(1, 24), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (i, ct) =>
            await h.Engine.HandleAsync(new InboxMessage(id, $"d{i}", h.Engine.Serializer.SerializeMessage(new Deposit(i))), ct));

        var state = await h.Client.GetStateAsync(id, Ct);
        Assert.Equal(Enumerable.Range(1, 24).Sum(), (int)state!.Balance);
        var timeline = (await h.Client.GetAsync(id, cancellationToken: Ct))!.Timeline;
        Assert.Equal(Enumerable.Range(1, 25).Select(i => (long)i), timeline.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Notify_EffectPerformedOnceWithStableId()
    {
        await using var h = await CreateAsync();
        var id = NewCaseId();
        await h.Client.SendAsync(id, "n1", new Notify("hallo"), cancellationToken: Ct);
        await h.RunUntilIdleAsync(Ct);

        var expectedId = Effect.MakeId(id, 1, 0);
        Assert.Equal("notify:hallo", h.Mail.Sent[expectedId]);
        Assert.Equal(1, h.Mail.Attempts[expectedId]);
        var effect = Assert.Single((await h.Client.GetAsync(id, cancellationToken: Ct))!.Effects);
        Assert.Equal(EffectStatus.Done, effect.Status);
    }

    [Fact]
    public async Task Effect_HandlerFails_StaysPendingAndIsRetriedUntilItWorks()
    {
        await using var h = await CreateAsync();
        var id = NewCaseId();
        h.Mail.Failing = true;
        await h.Client.StartAsync(id, "n1", new Notify("x"), Ct);
        var effect = Assert.Single((await h.Client.GetAsync(id, cancellationToken: Ct))!.Effects);
        Assert.Equal(EffectStatus.Pending, effect.Status);
        Assert.Equal(1, effect.Attempts);
        Assert.Contains("mail server is down", effect.LastError, StringComparison.Ordinal);

        h.Mail.Failing = false;
        h.Clock.Advance(h.Options.EffectSweepAge);
        await h.RunUntilIdleAsync(Ct);
        effect = Assert.Single((await h.Client.GetAsync(id, cancellationToken: Ct))!.Effects);
        Assert.Equal(EffectStatus.Done, effect.Status);
        Assert.Single(h.Mail.Sent);
    }

    [Fact]
    public async Task RetryEffect_FailedTooOften_IsPerformedAgainByHandOnce()
    {
        await using var h = await CreateAsync();
        var id = NewCaseId();
        var effect = await MailThatKeepsFailingAsync(h, id);

        Assert.Equal(EffectStatus.Failed, effect.Status);
        Assert.Equal(h.Options.MaxEffectAttempts, effect.Attempts);
        Assert.Empty(h.Mail.Sent);

        h.Mail.Failing = false;
        var retried = await h.Client.RetryEffectAsync(id, effect.Id, Ct);

        Assert.Equal(EffectStatus.Done, retried!.Status);
        Assert.Equal(EffectStatus.Done, Assert.Single((await h.Client.GetAsync(id, cancellationToken: Ct))!.Effects).Status);
        Assert.Single(h.Mail.Sent);
        Assert.Null(await h.Client.RetryEffectAsync(id, "no-such-effect", Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => h.Client.RetryEffectAsync(id, effect.Id, Ct));
    }

    [Fact]
    public async Task RetryEffect_FailsAgain_IsPendingWithAFreshCount()
    {
        await using var h = await CreateAsync();
        var id = NewCaseId();
        var effect = await MailThatKeepsFailingAsync(h, id);

        var retried = await h.Client.RetryEffectAsync(id, effect.Id, Ct);

        Assert.Equal(EffectStatus.Pending, retried!.Status);
        Assert.Equal(1, retried.Attempts);
        Assert.Contains("mail server is down", retried.LastError, StringComparison.Ordinal);
    }

    // Sweeps until the engine gives the mail up: the state a person finds and retries.
    private static async Task<Effect> MailThatKeepsFailingAsync(IEngineHarness h, string id)
    {
        h.Mail.Failing = true;
        await h.Client.StartAsync(id, "n1", new Notify("x"), Ct);
        var effect = Assert.Single((await h.Client.GetAsync(id, cancellationToken: Ct))!.Effects);
        for (var sweep = 0; effect.Status != EffectStatus.Failed && sweep < h.Options.MaxEffectAttempts; sweep++)
        {
            h.Clock.Advance(h.Options.EffectSweepAge);
            await h.RunUntilIdleAsync(Ct);
            effect = Assert.Single((await h.Client.GetAsync(id, cancellationToken: Ct))!.Effects);
        }

        return effect;
    }

    [Fact]
    public async Task Remind_TimerDue_FiresOnceAndSendsMail()
    {
        await using var h = await CreateAsync();
        var id = NewCaseId();
        await h.Client.StartAsync(id, "r1", new Remind(3600), Ct);
        var due = h.Clock.GetUtcNow().AddHours(1);
        Assert.Equal(due, (await h.Client.GetAsync(id, cancellationToken: Ct))!.Case.WaitingUntil);

        h.Clock.Advance(TimeSpan.FromMinutes(59));
        await h.RunUntilIdleAsync(Ct);
        Assert.Equal(0, (await h.Client.GetStateAsync(id, Ct))!.RemindersSent);

        h.Clock.Advance(TimeSpan.FromMinutes(1));
        await h.RunUntilIdleAsync(Ct);
        var state = await h.Client.GetStateAsync(id, Ct);
        Assert.Equal(1, state!.RemindersSent);
        Assert.Empty(state.Reminders);
        Assert.Equal("reminder:" + due.UtcTicks, Assert.Single(h.Mail.Sent).Value);
        Assert.Null((await h.Client.GetAsync(id, cancellationToken: Ct))!.Case.WaitingUntil);
    }

    [Fact]
    public async Task Timer_FiredTwice_AppliedOnce()
    {
        // A sweeper that crashed between sending and removing sends the same timer again.
        await using var h = await CreateAsync();
        var id = NewCaseId();
        await h.Client.StartAsync(id, "r1", new Remind(60), Ct);
        var due = h.Clock.GetUtcNow().AddSeconds(60);
        h.Clock.Advance(TimeSpan.FromSeconds(60));
        var timer = new InboxMessage(id, TimerSweeper.TimerKey(due), "", due);
        await h.Inbox.SendAsync(timer, cancellationToken: Ct);
        await h.Inbox.SendAsync(timer, cancellationToken: Ct);
        await h.RunUntilIdleAsync(Ct);

        Assert.Equal(1, (await h.Client.GetStateAsync(id, Ct))!.RemindersSent);
        Assert.Single(h.Mail.Sent);
    }

    [Fact]
    public async Task Timer_CaseNoLongerWaitsForIt_IsIgnored()
    {
        await using var h = await CreateAsync();
        var id = NewCaseId();
        await h.Client.StartAsync(id, "d", new Deposit(1m), Ct);
        var stale = h.Clock.GetUtcNow();
        var result = await h.Engine.HandleAsync(new InboxMessage(id, TimerSweeper.TimerKey(stale), "", stale), Ct);

        Assert.Equal(HandleOutcome.Ignored, result.Outcome);
        Assert.Single((await h.Client.GetAsync(id, cancellationToken: Ct))!.Timeline);
    }

    [Fact]
    public async Task Timer_EarlierReminderAdded_FiresBothInOrder()
    {
        // The index keeps the later timer; the state now waits for an earlier one too.
        await using var h = await CreateAsync();
        var id = NewCaseId();
        await h.Client.StartAsync(id, "late", new Remind(600), Ct);
        await h.Client.StartAsync(id, "early", new Remind(60), Ct);
        h.Clock.Advance(TimeSpan.FromSeconds(60));
        await h.RunUntilIdleAsync(Ct);
        Assert.Equal(1, (await h.Client.GetStateAsync(id, Ct))!.RemindersSent);
        h.Clock.Advance(TimeSpan.FromSeconds(540));
        await h.RunUntilIdleAsync(Ct);
        Assert.Equal(2, (await h.Client.GetStateAsync(id, Ct))!.RemindersSent);
        Assert.Equal(2, h.Mail.Sent.Count);
    }

    [Fact]
    public async Task Start_UnknownCaseMessageThatCannotOpen_IsParkedWithItsTextThenHandledWhenCaseOpens()
    {
        // StartAsync hands the message to the engine as an object; parked, it must still be stored as text.
        await using var h = await CreateAsync();
        var id = NewCaseId();
        var result = await h.Client.StartAsync(id, "w1", new Withdraw(4m), Ct);
        Assert.Equal(HandleOutcome.Parked, result.Outcome);
        var parked = Assert.Single((await h.Client.GetAsync(id, cancellationToken: Ct))!.Parked);
        Assert.Equal("w1", parked.IdempotencyKey);
        Assert.NotEqual("", parked.Body);

        await h.Client.StartAsync(id, "d1", new Deposit(10m), Ct);
        await h.RunUntilIdleAsync(Ct);
        Assert.Equal(6m, (await h.Client.GetStateAsync(id, Ct))!.Balance);
        Assert.Empty((await h.Client.GetAsync(id, cancellationToken: Ct))!.Parked);
    }

    [Fact]
    public async Task Send_UnknownCaseMessageThatCannotOpen_IsParkedThenHandledWhenCaseOpens()
    {
        await using var h = await CreateAsync();
        var id = NewCaseId();
        await h.Client.SendAsync(id, "w1", new Withdraw(4m), cancellationToken: Ct);
        await h.RunUntilIdleAsync(Ct);
        Assert.Null(await h.Client.GetStateAsync(id, Ct));
        var parked = await h.Client.GetAsync(id, cancellationToken: Ct);
        Assert.Equal("w1", Assert.Single(parked!.Parked).IdempotencyKey);
        Assert.False(parked.Opened);

        await h.Client.SendAsync(id, "d1", new Deposit(10m), cancellationToken: Ct);
        await h.RunUntilIdleAsync(Ct);
        var instance = await h.Client.GetAsync(id, cancellationToken: Ct);
        Assert.Equal(6m, (await h.Client.GetStateAsync(id, Ct))!.Balance);
        Assert.Empty(instance!.Parked);
        Assert.True(instance.Opened);
    }

    [Fact]
    public async Task Handle_OpeningMessageRedeliveredAfterCrashBeforeRelease_ReleasesParkedMessages()
    {
        // A host died after committing the new case and before releasing what was parked
        // for it; the opening message was not deleted, so it comes again as a duplicate.
        await using var h = await CreateAsync();
        var id = NewCaseId();
        var opening = new InboxMessage(id, "d1", h.Engine.Serializer.SerializeMessage(new Deposit(10m)));
        await h.Engine.HandleAsync(opening, Ct);
        await h.Store.ParkAsync(new InboxMessage(id, "w1", h.Engine.Serializer.SerializeMessage(new Withdraw(3m))), Ct);

        Assert.Equal(HandleOutcome.Duplicate, (await h.Engine.HandleAsync(opening, Ct)).Outcome);
        await h.RunUntilIdleAsync(Ct);
        Assert.Equal(7m, (await h.Client.GetStateAsync(id, Ct))!.Balance);
        Assert.Empty((await h.Client.GetAsync(id, cancellationToken: Ct))!.Parked);
    }

    [Fact]
    public async Task Handle_MessageParkedJustBeforeTheOpeningCommit_IsReleasedByTheOpener()
    {
        // The race the opener must cover: a message for the case was parked, and the one who
        // parked it looked for the case before it existed, so only the opener can release it.
        await using var h = await CreateAsync();
        var id = NewCaseId();
        await h.Store.ParkAsync(new InboxMessage(id, "w1", h.Engine.Serializer.SerializeMessage(new Withdraw(3m))), Ct);

        var opened = await h.Engine.HandleAsync(new InboxMessage(id, "d1", h.Engine.Serializer.SerializeMessage(new Deposit(10m))), Ct);
        Assert.Equal(HandleOutcome.Applied, opened.Outcome);
        await h.RunUntilIdleAsync(Ct);

        Assert.Equal(7m, (await h.Client.GetStateAsync(id, Ct))!.Balance);
        Assert.Empty((await h.Client.GetAsync(id, cancellationToken: Ct))!.Parked);
    }

    [Fact]
    public async Task Handle_OpeningMessagesForACaseThatExists_EachAppliedOnTopOfTheLast()
    {
        // A message that may open a case is committed without loading when the case is not
        // known here; for an existing case that commit must fail and the next try load it.
        await using var h = await CreateAsync();
        var id = NewCaseId();
        for (var i = 1; i <= 3; i++)
        {
            var result = await h.Engine.HandleAsync(new InboxMessage(id, $"d{i}", h.Engine.Serializer.SerializeMessage(new Deposit(i))), Ct);
            Assert.Equal(HandleOutcome.Applied, result.Outcome);
        }

        Assert.Equal(6m, (await h.Client.GetStateAsync(id, Ct))!.Balance);
        Assert.Equal([1L, 2L, 3L], (await h.Store.ReadEventsAsync(id, Ct)).Select(e => e.Sequence));
    }

    [Fact]
    public async Task Suspend_MessagesParkedUntilResume_ThenAppliedOnce()
    {
        await using var h = await CreateAsync();
        var id = NewCaseId();
        await h.Client.StartAsync(id, "d1", new Deposit(1m), Ct);
        await h.Client.SuspendAsync(id, "complaint", "consultant-7", Ct);
        await h.Client.SendAsync(id, "d2", new Deposit(2m), cancellationToken: Ct);
        await h.RunUntilIdleAsync(Ct);
        var suspended = await h.Client.GetAsync(id, cancellationToken: Ct);
        Assert.Equal(CaseStatus.Suspended, suspended!.Case.Status);
        Assert.Equal(1m, (await h.Client.GetStateAsync(id, Ct))!.Balance);
        Assert.Single(suspended.Parked);

        await h.Client.ResumeAsync(id, "solved", "consultant-7", Ct);
        await h.RunUntilIdleAsync(Ct);
        var resumed = await h.Client.GetAsync(id, cancellationToken: Ct);
        Assert.Equal(CaseStatus.Running, resumed!.Case.Status);
        Assert.Equal(3m, (await h.Client.GetStateAsync(id, Ct))!.Balance);
        Assert.Empty(resumed.Parked);
        Assert.Equal(["Deposited", "engine.suspended", "engine.resumed", "Deposited"], resumed.Timeline.Select(e => e.Type));
        Assert.Equal([1L, 2, 3, 4], resumed.Timeline.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Terminate_LaterMessagesIgnored_AndPurgeRemovesEverything()
    {
        await using var h = await CreateAsync();
        var id = NewCaseId();
        await h.Client.StartAsync(id, "d1", new Deposit(1m), Ct);
        await Assert.ThrowsAsync<CaseStatusException>(() => h.Client.PurgeAsync(id, Ct));
        await h.Client.TerminateAsync(id, "opened by mistake", "lead-1", Ct);
        await h.Client.SendAsync(id, "d2", new Deposit(2m), cancellationToken: Ct);
        await h.RunUntilIdleAsync(Ct);
        Assert.Equal(1m, (await h.Client.GetStateAsync(id, Ct))!.Balance);
        Assert.Equal(CaseStatus.Terminated, (await h.Client.GetAsync(id, cancellationToken: Ct))!.Case.Status);
        await Assert.ThrowsAsync<CaseStatusException>(() => h.Client.ResumeAsync(id, "x", "lead-1", Ct));

        Assert.True(await h.Client.PurgeAsync(id, Ct));
        Assert.Null(await h.Client.GetAsync(id, cancellationToken: Ct));
        Assert.False(await h.Client.PurgeAsync(id, Ct));
    }

    [Fact]
    public async Task List_ByStatusAndStage_FindsMatchingCasesOnly()
    {
        await using var h = await CreateAsync();
        var open = NewCaseId();
        var overdrawn = NewCaseId();
        var closed = NewCaseId();
        await h.Client.StartAsync(open, "d", new Deposit(5m), Ct);
        await h.Client.StartAsync(overdrawn, "d", new Deposit(1m), Ct);
        await h.Client.StartAsync(overdrawn, "w", new Withdraw(3m), Ct);
        await h.Client.StartAsync(closed, "d", new Deposit(1m), Ct);
        await h.Client.StartAsync(closed, "c", new CloseAccount(), Ct);
        var mine = new HashSet<string>([open, overdrawn, closed]);

        var byStage = await h.Client.ListAsync(new CaseQuery(Stage: "overdrawn"), Ct);
        Assert.Equal([overdrawn], byStage.Select(r => r.CaseId).Where(mine.Contains));
        var completed = await h.Client.ListAsync(new CaseQuery(Status: CaseStatus.Completed), Ct);
        Assert.Equal([closed], completed.Select(r => r.CaseId).Where(mine.Contains));
        var running = await h.Client.ListAsync(new CaseQuery(Status: CaseStatus.Running), Ct);
        Assert.Equal(new[] { open, overdrawn }.Order(), running.Select(r => r.CaseId).Where(mine.Contains).Order());
    }

    [Fact]
    public async Task Poison_MessageThrowsEveryTime_PoisonedAfterMaxDeliveries_CaseKeepsWorking_RequeueAfterFixAppliesOnce()
    {
        await using var h = await CreateAsync();
        var id = NewCaseId();
        await h.Client.StartAsync(id, "d1", new Deposit(1m), Ct);
        await h.Client.SendAsync(id, "boom", new Explode(), cancellationToken: Ct);
        await h.RunUntilIdleAsync(Ct);

        Assert.Equal(h.Options.MaxDeliveries, h.Workflow.ExplodeAttempts);
        var poisoned = Assert.Single(await h.Client.ListPoisonedAsync(cancellationToken: Ct), p => p.CaseId == id);
        Assert.Contains("not defused", poisoned.Error, StringComparison.Ordinal);
        Assert.Equal(h.Options.MaxDeliveries, poisoned.Attempts);

        await h.Client.SendAsync(id, "d2", new Deposit(2m), cancellationToken: Ct);
        await h.RunUntilIdleAsync(Ct);
        Assert.Equal(3m, (await h.Client.GetStateAsync(id, Ct))!.Balance);

        h.Workflow.Defused = true;
        Assert.True(await h.Client.RequeuePoisonedAsync(poisoned.Id, Ct));
        await h.RunUntilIdleAsync(Ct);
        var state = await h.Client.GetStateAsync(id, Ct);
        Assert.Equal(1, state!.Explosions);
        Assert.DoesNotContain(await h.Client.ListPoisonedAsync(cancellationToken: Ct), p => p.CaseId == id);
        Assert.False(await h.Client.RequeuePoisonedAsync(poisoned.Id, Ct));
    }

    [Fact]
    public async Task Poison_UnreadableMessage_PoisonedAtOnce()
    {
        await using var h = await CreateAsync();
        await h.SendRawAsync("this is not json", Ct);
        var id = NewCaseId();
        await h.SendRawAsync($$"""{"caseId":"{{id}}","key":"k","body":"{\"$type\":\"nonsense\"}"}""", Ct);
        await h.SendRawAsync("""{"caseId":"bad/case","key":"k","body":"{}"}""", Ct);
        await h.RunUntilIdleAsync(Ct);

        var poisoned = await h.Client.ListPoisonedAsync(cancellationToken: Ct);
        Assert.Contains(poisoned, p => p.RawText == "this is not json" && p.Attempts == 1 && p.Error.Contains("not JSON", StringComparison.Ordinal));
        Assert.Contains(poisoned, p => p.CaseId == id && p.Attempts == 1 && p.Error.Contains(nameof(InvalidCaseMessageException), StringComparison.Ordinal));
        Assert.Contains(poisoned, p => p.CaseId == "bad/case" && p.Attempts == 1 && p.Error.Contains("case id", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Decide_Throws_NothingIsCommitted()
    {
        await using var h = await CreateAsync();
        var id = NewCaseId();
        await h.Client.StartAsync(id, "d1", new Deposit(1m), Ct);
        await Assert.ThrowsAsync<InvalidOperationException>(() => h.Engine.HandleAsync(
            new InboxMessage(id, "boom", h.Engine.Serializer.SerializeMessage(new Explode())), Ct));

        var instance = await h.Client.GetAsync(id, cancellationToken: Ct);
        Assert.Single(instance!.Timeline);
        h.Workflow.Defused = true;
        var retried = await h.Engine.HandleAsync(new InboxMessage(id, "boom", h.Engine.Serializer.SerializeMessage(new Explode())), Ct);
        Assert.Equal(HandleOutcome.Applied, retried.Outcome); // the failed attempt left no marker behind
    }

    [Fact]
    public async Task Version_RunningCaseKeepsItsVersion_NewCasesGetTheNewOne()
    {
        await using var h = await CreateAsync();
        var old = NewCaseId();
        await h.Client.StartAsync(old, "d", new Deposit(1m), Ct);
        h.Workflow.Version = "v2";
        var young = NewCaseId();
        await h.Client.StartAsync(young, "d", new Deposit(1m), Ct);
        await h.Client.StartAsync(old, "d2", new Deposit(1m), Ct);

        Assert.Equal("v1", (await h.Client.GetAsync(old, cancellationToken: Ct))!.Case.WorkflowVersion);
        Assert.Equal("v1", (await h.Client.GetStateAsync(old, Ct))!.Version);
        Assert.Equal("v2", (await h.Client.GetAsync(young, cancellationToken: Ct))!.Case.WorkflowVersion);
    }

    [Fact]
    public async Task Migrate_RunningCase_MovesToTheNewVersionWithATimelineEntry_Idempotently()
    {
        await using var h = await CreateAsync();
        var id = NewCaseId();
        await h.Client.StartAsync(id, "d", new Deposit(1m), Ct);
        await h.Client.MigrateAsync(id, "v2", "policy 2027", "lead-1", Ct);
        await h.Client.MigrateAsync(id, "v2", "policy 2027", "lead-1", Ct);

        var instance = await h.Client.GetAsync(id, cancellationToken: Ct);
        Assert.Equal("v2", instance!.Case.WorkflowVersion);
        Assert.Equal("v2", (await h.Client.GetStateAsync(id, Ct))!.Version);
        Assert.Equal(["Deposited", "engine.migrated"], instance.Timeline.Select(e => e.Type));
        Assert.Contains("\"from\":\"v1\"", instance.Timeline[1].Data, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NotSupportedException>(() => h.Client.MigrateAsync(id, "v9", "x", "lead-1", Ct));
    }

    [Fact]
    public async Task HandleDelivered_TextFromAnotherTrigger_HandlesAndPerformsEffects()
    {
        await using var h = await CreateAsync();
        var id = NewCaseId();
        var processor = new InboxProcessor(h.Engine, h.Inbox, new OutboxDispatcher([h.Mail], h.Store, h.Timers, h.Clock, h.Options), h.Clock, h.Options);
        var text = InboxMessageCodec.Encode(new InboxMessage(id, "n1", h.Engine.Serializer.SerializeMessage(new Notify("x"))));

        Assert.Equal(HandleOutcome.Applied, (await processor.HandleDeliveredAsync(text, Ct)).Outcome);
        Assert.Equal(HandleOutcome.Duplicate, (await processor.HandleDeliveredAsync(text, Ct)).Outcome);
        Assert.Single(h.Mail.Sent);
        await Assert.ThrowsAsync<InvalidCaseMessageException>(() => processor.HandleDeliveredAsync("{}", Ct));
    }
}
