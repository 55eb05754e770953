using HuurIncasso.Azure.Storage;

namespace HuurIncasso.Host.Storage;

/// <summary>
/// Completes once every table, queue and container exists. Workers await it, so a host
/// started before its storage is reachable waits instead of failing.
/// </summary>
public sealed class StorageReadiness
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when storage has been provisioned.</summary>
    public Task WhenReadyAsync(CancellationToken cancellationToken = default) => _ready.Task.WaitAsync(cancellationToken);

    /// <summary>True once storage has been provisioned.</summary>
    public bool IsReady => _ready.Task.IsCompleted;

    internal void MarkReady() => _ready.TrySetResult();
}

/// <summary>Creates the storage resources at start, retrying until storage answers.</summary>
internal sealed partial class StorageInitializer(StorageClients clients, StorageReadiness readiness, ILogger<StorageInitializer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await StorageProvisioner.EnsureCreatedAsync(clients, stoppingToken).ConfigureAwait(false);
                readiness.MarkReady();
                LogReady(logger, clients.Names.Prefix);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogNotReachable(logger, attempt, delay.TotalSeconds, ex.GetBaseException().Message);
                await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 30));
            }
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Storage is ready (prefix '{Prefix}').")]
    private static partial void LogReady(ILogger logger, string prefix);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Storage not reachable (attempt {Attempt}); trying again in {DelaySeconds} s: {Reason}")]
    private static partial void LogNotReachable(ILogger logger, int attempt, double delaySeconds, string reason);
}
