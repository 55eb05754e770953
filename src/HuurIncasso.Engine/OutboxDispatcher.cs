using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HuurIncasso.Engine;

/// <summary>
/// Performs outbox effects through their <see cref="IEffectHandler"/> and records the
/// outcome; the sweep picks up effects a crash left pending. Effects run at least once,
/// so handlers make a second run harmless by the effect id. Thread-safe.
/// </summary>
public sealed class OutboxDispatcher
{
    private readonly Dictionary<string, IEffectHandler> _handlers;
    private readonly ICaseStore _store;
    private readonly TimeProvider _time;
    private readonly EngineOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the dispatcher; the timer-index handler is always included.</summary>
    /// <exception cref="ArgumentException">Two handlers claim the same kind.</exception>
    public OutboxDispatcher(IEnumerable<IEffectHandler> handlers, ICaseStore store, ITimerIndex timers, TimeProvider time, EngineOptions? options = null, ILogger<OutboxDispatcher>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        _store = Check.NotNull(store);
        _time = Check.NotNull(time);
        _options = options ?? new EngineOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _handlers = new Dictionary<string, IEffectHandler>(StringComparer.Ordinal);
        foreach (var handler in handlers.Append(new TimerIndexEffectHandler(Check.NotNull(timers))))
        {
            if (!_handlers.TryAdd(handler.Kind, handler))
            {
                throw new ArgumentException($"Two effect handlers claim the kind '{handler.Kind}'.", nameof(handlers));
            }
        }
    }

    /// <summary>Performs the effects of one case in order and records what happened.</summary>
    public async Task DispatchAsync(string caseId, IReadOnlyList<Effect> effects, CancellationToken cancellationToken = default)
    {
        Check.CaseId(caseId);
        ArgumentNullException.ThrowIfNull(effects);
        if (effects.Count == 0)
        {
            return;
        }

        using var activity = EngineTelemetry.ActivitySource.StartActivity("case.effects");
        activity?.SetTag("case.id", caseId);
        var outcomes = new List<EffectOutcome>(effects.Count);
        foreach (var effect in effects)
        {
            outcomes.Add(await PerformAsync(effect, cancellationToken).ConfigureAwait(false));
        }

        using (EngineTelemetry.Cause("effects.complete"))
        {
            await _store.CompleteEffectsAsync(caseId, outcomes, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Performs pending effects older than <see cref="EngineOptions.EffectSweepAge"/>; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default) =>
        await SweepAsync(_time.GetUtcNow() - _options.EffectSweepAge, cancellationToken).ConfigureAwait(false);

    /// <summary>Performs pending effects committed before <paramref name="createdBefore"/>; returns how many.</summary>
    public async Task<int> SweepAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<Effect> pending;
        using (EngineTelemetry.Cause("effects.sweep"))
        {
            pending = await _store.ListPendingEffectsAsync(createdBefore, 500, cancellationToken).ConfigureAwait(false);
        }

        foreach (var group in pending.GroupBy(e => e.CaseId, StringComparer.Ordinal))
        {
            await DispatchAsync(group.Key, [.. group.OrderBy(e => e.Sequence).ThenBy(e => e.Index)], cancellationToken).ConfigureAwait(false);
        }

        return pending.Count;
    }

    private async Task<EffectOutcome> PerformAsync(Effect effect, CancellationToken cancellationToken)
    {
        string error;
        using var cause = EngineTelemetry.Cause("effect:" + effect.Kind);
        if (_handlers.TryGetValue(effect.Kind, out var handler))
        {
            try
            {
                await handler.HandleAsync(effect, cancellationToken).ConfigureAwait(false);
                EngineTelemetry.EffectsDispatched.Add(1, new("kind", effect.Kind), new("status", "done"));
                EngineTelemetry.EffectLatency.Record(Math.Max(0, (_time.GetUtcNow() - effect.CreatedAt).TotalMilliseconds), new KeyValuePair<string, object?>("kind", effect.Kind));
                return new EffectOutcome(effect, EffectStatus.Done, effect.Attempts, null);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Kept with the effect for a person to read; the log gets the type only.
                error = ex.GetType().Name + ": " + ex.Message;
                Log.EffectFailed(_logger, effect.Id, effect.Kind, effect.Attempts + 1, ex.GetType().Name);
            }
        }
        else
        {
            error = $"No effect handler for kind '{effect.Kind}'.";
            Log.NoHandler(_logger, effect.Kind, effect.Id);
        }

        var attempts = effect.Attempts + 1;
        var status = attempts >= _options.MaxEffectAttempts ? EffectStatus.Failed : EffectStatus.Pending;
        EngineTelemetry.EffectsDispatched.Add(1, new("kind", effect.Kind), new("status", status == EffectStatus.Failed ? "failed" : "retry"));
        Activity.Current?.SetTag("case.effect.error", true);
        return new EffectOutcome(effect, status, attempts, error);
    }
}

/// <summary>Writes the timer index: the engine's own effect, so the index follows the commit.</summary>
internal sealed class TimerIndexEffectHandler(ITimerIndex index) : IEffectHandler
{
    public string Kind => EngineEffectKinds.Timer;

    public Task HandleAsync(Effect effect, CancellationToken cancellationToken = default)
    {
        var due = DateTimeOffset.Parse(effect.Payload, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        return index.SetAsync(effect.CaseId, due, cancellationToken);
    }
}

/// <summary>Effect kinds the engine itself uses; workflows must not use the "engine." prefix.</summary>
public static class EngineEffectKinds
{
    /// <summary>Writes the timer index entry for the time a case waits until.</summary>
    public const string Timer = "engine.timer";
}
