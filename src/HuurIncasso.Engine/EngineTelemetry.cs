using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace HuurIncasso.Engine;

/// <summary>
/// The engine's traces and metrics, named "HuurIncasso.Engine" for OpenTelemetry
/// (<c>AddSource</c>/<c>AddMeter</c>). Tags carry case ids and outcomes, never personal data.
/// </summary>
public static class EngineTelemetry
{
    /// <summary>The name of the activity source and the meter.</summary>
    public const string Name = "HuurIncasso.Engine";

    /// <summary>Spans for handling a message, dispatching effects and sweeping.</summary>
    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> MessagesHandled = Meter.CreateCounter<long>("huurincasso.engine.messages", description: "Messages handled, by outcome.");
    internal static readonly Counter<long> Conflicts = Meter.CreateCounter<long>("huurincasso.engine.conflicts", description: "ETag conflicts that made the engine decide again.");
    internal static readonly Counter<long> MessagesFailed = Meter.CreateCounter<long>("huurincasso.engine.failures", description: "Message handling failures, by what happened next (retry, poison).");
    internal static readonly Counter<long> EffectsDispatched = Meter.CreateCounter<long>("huurincasso.engine.effects", description: "Effects performed, by kind and status.");
    internal static readonly Counter<long> TimersFired = Meter.CreateCounter<long>("huurincasso.engine.timers", description: "Due timers sent to the inbox.");
    internal static readonly Histogram<double> HandleDuration = Meter.CreateHistogram<double>("huurincasso.engine.handle.duration", unit: "ms", description: "Time to handle one message, commit included.");
    internal static readonly Histogram<double> EffectLatency = Meter.CreateHistogram<double>("huurincasso.engine.effect.latency", unit: "ms", description: "From the commit that asked for an effect to its handler finishing, retries included, by kind.");
    internal static readonly Histogram<long> StorageRequestsPerMessage = Meter.CreateHistogram<long>("huurincasso.engine.message.storage_requests", unit: "{request}", description: "Storage requests (billed transactions) spent on one inbox message: commit, queue delete, effects; the shared receive not included.");

    // The message being handled on this async flow, so that the storage layer can charge its
    // requests to it without the engine knowing about storage.
    private static readonly AsyncLocal<StrongBox<long>?> CurrentMessage = new();

    // What the engine is doing on this async flow, so that storage requests can be counted by
    // cause (the message's own handling, an effect of a kind, recording effect outcomes).
    private static readonly AsyncLocal<string?> CurrentCauseSlot = new();

    /// <summary>
    /// What the engine does on the calling async flow: "message" (load, decide, commit, parked
    /// messages), "inbox" (receive, delete), "effect:{kind}" (an effect handler), "effects.complete"
    /// (recording effect outcomes), or null outside the engine. Storage layers use it to count
    /// their requests by cause.
    /// </summary>
    public static string? CurrentCause => CurrentCauseSlot.Value;

    /// <summary>Sets <see cref="CurrentCause"/> until the returned scope is disposed.</summary>
    public static CauseScope Cause(string cause)
    {
        var previous = CurrentCauseSlot.Value;
        CurrentCauseSlot.Value = cause;
        return new CauseScope(previous);
    }

    /// <summary>Restores the cause that was current before <see cref="Cause"/>.</summary>
    public readonly struct CauseScope(string? previous) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose() => CurrentCauseSlot.Value = previous;
    }

    /// <summary>
    /// Called by a store or inbox for every storage request it sends; counted against the
    /// inbox message handled on the calling async flow, if any. Thread-safe, allocation-free.
    /// </summary>
    public static void CountStorageRequest()
    {
        if (CurrentMessage.Value is { } box)
        {
            Interlocked.Increment(ref box.Value);
        }
    }

    /// <summary>Starts charging storage requests of this async flow to a new message.</summary>
    internal static StrongBox<long> BeginMessage()
    {
        var box = new StrongBox<long>();
        CurrentMessage.Value = box;
        return box;
    }
}
