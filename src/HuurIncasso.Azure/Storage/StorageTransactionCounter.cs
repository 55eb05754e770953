using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Azure.Core;
using Azure.Core.Pipeline;

namespace HuurIncasso.Azure.Storage;

/// <summary>
/// Counts storage transactions (HTTP requests, retries included: Azure bills each) by
/// service and operation, e.g. "table batch", "queue delete". Also published as the metric
/// "huurincasso.storage.requests" on meter "HuurIncasso.Storage". Thread-safe.
/// </summary>
public sealed class StorageTransactionCounter
{
    private static readonly Meter Meter = new("HuurIncasso.Storage");
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>("huurincasso.storage.requests", description: "Storage requests (transactions), by service and operation.");
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _byCause = new(StringComparer.Ordinal);

    /// <summary>All requests so far.</summary>
    public long Total => _counts.Values.Sum();

    /// <summary>Requests by "service operation".</summary>
    public IReadOnlyDictionary<string, long> Snapshot() => new SortedDictionary<string, long>(_counts, StringComparer.Ordinal);

    /// <summary>
    /// Requests by "cause: service operation", the cause being what the engine was doing
    /// (<see cref="HuurIncasso.Engine.EngineTelemetry.CurrentCause"/>), "other" outside it.
    /// </summary>
    public IReadOnlyDictionary<string, long> SnapshotByCause() => new SortedDictionary<string, long>(_byCause, StringComparer.Ordinal);

    /// <summary>The pipeline policy that counts the requests of one service's clients.</summary>
    public HttpPipelinePolicy PolicyFor(string service) => new CountingPolicy(this, service);

    private void Count(string service, Request request)
    {
        var path = request.Uri.Path;
        var method = request.Method.Method ?? "";
        var operation = (service, method) switch
        {
            ("table", "POST") when path.Contains("$batch", StringComparison.Ordinal) => "batch",
            ("table", "GET") when path.EndsWith(')') && !path.EndsWith("()", StringComparison.Ordinal) => "read",
            ("table", "GET") => "query",
            ("table", "POST") => "insert",
            ("table", "PUT" or "MERGE" or "PATCH") => "update",
            ("queue", "GET") when request.Uri.Query.Contains("peekonly=true", StringComparison.OrdinalIgnoreCase) => "peek",
            ("queue", "GET") => "receive",
            ("queue", "POST") => "send",
            ("queue", "PUT") => "update",
            ("blob", "PUT") => "write",
            ("blob", "GET" or "HEAD") => "read",
            (_, "DELETE") => "delete",
            _ => method.ToLowerInvariant(),
        };
        var name = service + " " + operation;
        _counts.AddOrUpdate(name, 1, (_, n) => n + 1);
        _byCause.AddOrUpdate((HuurIncasso.Engine.EngineTelemetry.CurrentCause ?? "other") + ": " + name, 1, (_, n) => n + 1);
        Requests.Add(1, new KeyValuePair<string, object?>("operation", name));
        HuurIncasso.Engine.EngineTelemetry.CountStorageRequest();
    }

    private sealed class CountingPolicy(StorageTransactionCounter counter, string service) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            ArgumentNullException.ThrowIfNull(message);
            counter.Count(service, message.Request);
        }
    }
}
