using HuurIncasso.Engine.InMemory;
using HuurIncasso.Testing.Engine;
using Microsoft.Extensions.Time.Testing;

namespace HuurIncasso.Engine.Tests;

public sealed class InMemoryCaseStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WithoutRetainingEvents_CaseRunsOn_EventsCountedButNotKept()
    {
        var store = new InMemoryCaseStore(retainEvents: false);
        var serializer = new CaseSerializer<AccountState, AccountMessage, AccountEvent>(null, reuseWrittenObjects: true, keepObjects: true) { KeepsEvents = false };
        var engine = new InMemoryCaseEngine<AccountState, AccountMessage, AccountEvent>(
            new AccountWorkflow(), new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero)), [new RecordingMailHandler()], serializer: serializer, store: store);

        await engine.Client.StartAsync("a1", "d1", new Deposit(10m), Ct);
        await engine.Client.StartAsync("a1", "d2", new Deposit(5m), Ct);

        Assert.Same(store, engine.Store);
        Assert.Equal(15m, (await engine.Client.GetStateAsync("a1", Ct))!.Balance);
        Assert.Equal(2, store.Commits);
        Assert.True(store.EventsCommitted >= 2);
        Assert.Empty(await store.ReadEventsAsync("a1", Ct));
    }

    [Fact]
    public async Task WithoutRetainingDoneEffects_DoneEffectsForgotten_CaseRunsOn()
    {
        var store = new InMemoryCaseStore(retainEvents: true, retainDoneEffects: false);
        var mail = new RecordingMailHandler();
        var engine = new InMemoryCaseEngine<AccountState, AccountMessage, AccountEvent>(
            new AccountWorkflow(), new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero)), [mail], store: store);

        await engine.Client.StartAsync("a1", "d1", new Deposit(10m), Ct);
        await engine.Client.StartAsync("a1", "n1", new Notify("hallo"), Ct);

        Assert.Single(mail.Sent);
        Assert.Empty(await store.ReadEffectsAsync("a1", Ct));
        Assert.Equal(10m, (await engine.Client.GetStateAsync("a1", Ct))!.Balance);
    }

    [Fact]
    public async Task ByDefault_DoneEffectsKept()
    {
        var mail = new RecordingMailHandler();
        var engine = new InMemoryCaseEngine<AccountState, AccountMessage, AccountEvent>(
            new AccountWorkflow(), new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero)), [mail]);

        await engine.Client.StartAsync("a1", "d1", new Deposit(10m), Ct);
        await engine.Client.StartAsync("a1", "n1", new Notify("hallo"), Ct);

        Assert.Single(mail.Sent);
        Assert.Equal(EffectStatus.Done, Assert.Single(await engine.Store.ReadEffectsAsync("a1", Ct)).Status);
    }

    [Fact]
    public async Task ByDefault_EventsKeptAndCounted()
    {
        var engine = new InMemoryCaseEngine<AccountState, AccountMessage, AccountEvent>(
            new AccountWorkflow(), new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero)), [new RecordingMailHandler()]);

        await engine.Client.StartAsync("a1", "d1", new Deposit(10m), Ct);

        var events = await engine.Store.ReadEventsAsync("a1", Ct);
        Assert.NotEmpty(events);
        Assert.Equal(events.Count, engine.Store.EventsCommitted);
    }
}
