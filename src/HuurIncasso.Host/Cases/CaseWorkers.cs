using HuurIncasso.Azure.Engine;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Engine;
using HuurIncasso.Host.Storage;

namespace HuurIncasso.Host.Cases;

/// <summary>
/// The engine's loops in standalone mode, started only once storage is provisioned, so a host
/// that starts before its storage answers waits quietly instead of failing every poll.
/// </summary>
internal sealed class CaseInboxWorker(AzureCaseEngine<CaseState, CaseMessage, CaseEvent> engine, StorageReadiness readiness) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.WhenReadyAsync(stoppingToken).ConfigureAwait(false);
        await engine.Processor.RunAsync(stoppingToken).ConfigureAwait(false);
        // A clean stop hands this host's inbox shards to the others at once, not after its heartbeat ages out.
        await engine.Inbox.LeaveAsync(CancellationToken.None).ConfigureAwait(false);
    }
}

/// <inheritdoc cref="CaseInboxWorker"/>
internal sealed class CaseSweepWorker(
    AzureCaseEngine<CaseState, CaseMessage, CaseEvent> engine, StorageReadiness readiness, TimeProvider time, ILogger<SweepWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.WhenReadyAsync(stoppingToken).ConfigureAwait(false);
        // The engine's own sweep loop, unchanged; only its start waits for storage.
        using var sweeper = new SweepWorker(engine.TimerSweeper, engine.Dispatcher, time, engine.Options, logger);
        await sweeper.StartAsync(stoppingToken).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await sweeper.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
