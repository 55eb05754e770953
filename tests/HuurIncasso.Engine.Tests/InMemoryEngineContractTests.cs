using HuurIncasso.Engine.InMemory;
using HuurIncasso.Engine.Tests.Contract;
using HuurIncasso.Testing.Engine;
using Microsoft.Extensions.Time.Testing;

namespace HuurIncasso.Engine.Tests;

public sealed class InMemoryEngineContractTests : CaseEngineContractTests
{
    protected override Task<IEngineHarness> CreateAsync() => Task.FromResult<IEngineHarness>(new Harness());

    internal sealed class Harness : IEngineHarness
    {
        private readonly InMemoryCaseEngine<AccountState, AccountMessage, AccountEvent> _engine;

        public Harness(CaseSerializer<AccountState, AccountMessage, AccountEvent>? serializer = null)
        {
            Options = new EngineOptions { RetryBackoff = TimeSpan.Zero, MaxDeliveries = 3 };
            _engine = new InMemoryCaseEngine<AccountState, AccountMessage, AccountEvent>(Workflow, Clock, [Mail], Options, serializer);
        }

        public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

        public AccountWorkflow Workflow { get; } = new();

        public RecordingMailHandler Mail { get; } = new();

        public EngineOptions Options { get; }

        public ICaseStore Store => _engine.Store;

        public IInbox Inbox => _engine.Inbox;

        public ITimerIndex Timers => _engine.Timers;

        public CaseEngine<AccountState, AccountMessage, AccountEvent> Engine => _engine.Engine;

        public CaseClient<AccountState, AccountMessage, AccountEvent> Client => _engine.Client;

        public Task RunUntilIdleAsync(CancellationToken cancellationToken) => _engine.RunUntilIdleAsync(cancellationToken);

        public Task SendRawAsync(string text, CancellationToken cancellationToken) => _engine.Inbox.SendTextAsync(text);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>
/// The same contract with the serializer the simulation uses: the records hold references to
/// the (immutable) objects instead of JSON, and must behave exactly the same.
/// </summary>
public sealed class InMemoryKeepingObjectsEngineContractTests : CaseEngineContractTests
{
    protected override Task<IEngineHarness> CreateAsync() =>
        Task.FromResult<IEngineHarness>(new InMemoryEngineContractTests.Harness(new(null, reuseWrittenObjects: true, keepObjects: true)));
}
