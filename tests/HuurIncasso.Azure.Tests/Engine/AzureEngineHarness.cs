using HuurIncasso.Azure.Engine;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Engine;
using HuurIncasso.Engine.Tests.Contract;
using HuurIncasso.Testing;
using HuurIncasso.Testing.Engine;
using Microsoft.Extensions.Time.Testing;

namespace HuurIncasso.Azure.Tests.Engine;

/// <summary>The Azure engine on the fixture's Azurite, in its own storage prefix, on a fake clock.</summary>
public sealed class AzureEngineHarness : IEngineHarness
{
    private AzureEngineHarness(AzureCaseEngine<AccountState, AccountMessage, AccountEvent> engine, FakeTimeProvider clock, AccountWorkflow workflow, RecordingMailHandler mail)
    {
        Azure = engine;
        Clock = clock;
        Workflow = workflow;
        Mail = mail;
    }

    public AzureCaseEngine<AccountState, AccountMessage, AccountEvent> Azure { get; }

    public FakeTimeProvider Clock { get; }

    public AccountWorkflow Workflow { get; }

    public RecordingMailHandler Mail { get; }

    public EngineOptions Options => Azure.Options;

    public ICaseStore Store => Azure.Store;

    public IInbox Inbox => Azure.Inbox;

    public ITimerIndex Timers => Azure.Timers;

    public CaseEngine<AccountState, AccountMessage, AccountEvent> Engine => Azure.Engine;

    public CaseClient<AccountState, AccountMessage, AccountEvent> Client => Azure.Client;

    public static async Task<AzureEngineHarness> CreateAsync(AzuriteFixture azurite, EngineOptions? options = null)
    {
        var clients = new StorageClients(new StorageOptions { ConnectionString = azurite.ConnectionString, Prefix = AzuriteFixture.UniquePrefix() });
        await StorageProvisioner.EnsureCreatedAsync(clients, TestContext.Current.CancellationToken);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var workflow = new AccountWorkflow();
        var mail = new RecordingMailHandler();
        options ??= new EngineOptions { RetryBackoff = TimeSpan.Zero, MaxDeliveries = 3, LeaseTime = TimeSpan.FromSeconds(30) };
        return new AzureEngineHarness(new AzureCaseEngine<AccountState, AccountMessage, AccountEvent>(clients, workflow, [mail], clock, options), clock, workflow, mail);
    }

    public async Task RunUntilIdleAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var work = await Azure.Processor.ProcessBatchAsync(cancellationToken);
            work += await Azure.TimerSweeper.SweepAsync(cancellationToken);
            if (work == 0)
            {
                await Azure.Dispatcher.SweepAsync(Clock.GetUtcNow(), cancellationToken);
                if (await Azure.Processor.ProcessBatchAsync(cancellationToken) == 0 && await Azure.TimerSweeper.SweepAsync(cancellationToken) == 0)
                {
                    return;
                }
            }
        }
    }

    public Task SendRawAsync(string text, CancellationToken cancellationToken) => Azure.Inbox.SendTextAsync(text, cancellationToken: cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

public sealed class AzureEngineContractTests(AzuriteFixture azurite) : CaseEngineContractTests
{
    protected override async Task<IEngineHarness> CreateAsync() => await AzureEngineHarness.CreateAsync(azurite);
}
