using Azure;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HuurIncasso.Azure.Storage;

/// <summary>
/// One health check per storage service. Each asks its service something cheap that needs
/// a working account (list one item), so a wrong key shows as unhealthy, not only a dead port.
/// </summary>
public sealed class TableStorageHealthCheck(StorageClients clients) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        StorageProbe.RunAsync("Table", async ct =>
        {
            await foreach (var _ in clients.Tables.QueryAsync(maxPerPage: 1, cancellationToken: ct).AsPages(pageSizeHint: 1).ConfigureAwait(false))
            {
                break;
            }
        }, cancellationToken);
}

/// <inheritdoc cref="TableStorageHealthCheck"/>
public sealed class QueueStorageHealthCheck(StorageClients clients) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        StorageProbe.RunAsync("Queue", async ct =>
        {
            await foreach (var _ in clients.Queues.GetQueuesAsync(cancellationToken: ct).AsPages(pageSizeHint: 1).ConfigureAwait(false))
            {
                break;
            }
        }, cancellationToken);
}

/// <inheritdoc cref="TableStorageHealthCheck"/>
public sealed class BlobStorageHealthCheck(StorageClients clients) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        StorageProbe.RunAsync("Blob", async ct =>
        {
            await foreach (var _ in clients.Blobs.GetBlobContainersAsync(cancellationToken: ct).AsPages(pageSizeHint: 1).ConfigureAwait(false))
            {
                break;
            }
        }, cancellationToken);
}

internal static class StorageProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task<HealthCheckResult> RunAsync(string service, Func<CancellationToken, Task> probe, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await probe(timeout.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"{service} storage answers.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"{service} storage did not answer within {Timeout.TotalSeconds:0} s.");
        }
        catch (RequestFailedException ex)
        {
            return HealthCheckResult.Unhealthy($"{service} storage refused the request ({ex.Status} {ex.ErrorCode}).");
        }
        catch (Exception ex) when (ex is HttpRequestException or AggregateException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy($"{service} storage cannot be reached: {ex.GetBaseException().Message}");
        }
    }
}
