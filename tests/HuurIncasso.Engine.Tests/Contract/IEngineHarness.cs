using HuurIncasso.Engine;
using HuurIncasso.Testing.Engine;
using Microsoft.Extensions.Time.Testing;

namespace HuurIncasso.Engine.Tests.Contract;

/// <summary>One engine implementation wired with the account workflow, for the contract suite.</summary>
public interface IEngineHarness : IAsyncDisposable
{
    FakeTimeProvider Clock { get; }

    AccountWorkflow Workflow { get; }

    RecordingMailHandler Mail { get; }

    EngineOptions Options { get; }

    ICaseStore Store { get; }

    IInbox Inbox { get; }

    ITimerIndex Timers { get; }

    CaseEngine<AccountState, AccountMessage, AccountEvent> Engine { get; }

    CaseClient<AccountState, AccountMessage, AccountEvent> Client { get; }

    /// <summary>Handles messages, fires due timers and performs pending effects until nothing is left.</summary>
    Task RunUntilIdleAsync(CancellationToken cancellationToken);

    /// <summary>Puts text on the inbox that no producer would send.</summary>
    Task SendRawAsync(string text, CancellationToken cancellationToken);
}
