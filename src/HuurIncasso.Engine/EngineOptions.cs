using System.ComponentModel.DataAnnotations;

namespace HuurIncasso.Engine;

/// <summary>Settings of the case engine (configuration section "Engine").</summary>
public sealed class EngineOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Engine";

    /// <summary>How often a message is decided again after an ETag conflict before it is given back.</summary>
    [Range(1, 100)]
    public int MaxConflictRetries { get; set; } = 20;

    /// <summary>After this many deliveries a failing message goes to the poison queue.</summary>
    [Range(1, 100)]
    public int MaxDeliveries { get; set; } = 5;

    /// <summary>A failed message becomes visible again after this, times its delivery count.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Messages taken from the inbox at once (Azure allows at most 32).</summary>
    [Range(1, 32)]
    public int ReceiveBatchSize { get; set; } = 32;

    /// <summary>Cases handled in parallel by one processor.</summary>
    [Range(1, 256)]
    public int MaxParallelCases { get; set; } = 16;

    /// <summary>How long a received message stays hidden from other consumers; renewed at half time.</summary>
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an idle processor waits before polling an empty inbox again (grows to 4x).</summary>
    public TimeSpan IdlePollDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>An effect still pending this long after its commit is picked up by the outbox sweeper.</summary>
    public TimeSpan EffectSweepAge { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the timer and outbox sweepers run.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A failing effect is marked failed after this many attempts.</summary>
    [Range(1, 1000)]
    public int MaxEffectAttempts { get; set; } = 10;

    /// <summary>
    /// Queues the inbox is split into by a stable hash of the case id (1: one queue). With
    /// several host processes, each prefers its own share of the queues, so two hosts seldom
    /// handle the same case at once. Every process of an installation must use the same value.
    /// </summary>
    [Range(1, 64)]
    public int InboxShards { get; set; } = 1;
}
