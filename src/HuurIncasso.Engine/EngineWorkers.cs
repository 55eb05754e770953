using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HuurIncasso.Engine;

/// <summary>Runs the inbox processor until the host stops. Run one or more per process.</summary>
public sealed class InboxWorker(InboxProcessor processor) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => processor.RunAsync(stoppingToken);
}

/// <summary>
/// Every <see cref="EngineOptions.SweepInterval"/>: sends due timers to the inbox and performs
/// effects a crash left pending. Safe to run in every process.
/// </summary>
public sealed class SweepWorker(TimerSweeper timers, OutboxDispatcher outbox, TimeProvider time, EngineOptions options, ILogger<SweepWorker>? logger = null) : BackgroundService
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>One sweep of timers and outbox.</summary>
    public async Task SweepOnceAsync(CancellationToken cancellationToken = default)
    {
        var fired = await timers.SweepAsync(cancellationToken).ConfigureAwait(false);
        var effects = await outbox.SweepAsync(cancellationToken).ConfigureAwait(false);
        if (fired + effects > 0)
        {
            Log.Swept(_logger, fired, effects);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepOnceAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(options.SweepInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.LoopFailed(_logger, "sweep", ex.GetType().Name, ex);
                await Task.Delay(options.SweepInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }
}
