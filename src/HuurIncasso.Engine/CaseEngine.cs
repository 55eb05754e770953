using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HuurIncasso.Engine;

/// <summary>
/// The engine core, the same for every store: load the case, decide, commit state,
/// events, effects and the idempotency marker atomically with optimistic concurrency, and
/// on a conflict load again and decide again (bounded). Thread-safe; one instance per host.
/// </summary>
public sealed class CaseEngine<TState, TMessage, TEvent> : ICaseMessageHandler
{
    private readonly ICaseWorkflow<TState, TMessage, TEvent> _workflow;
    private readonly ICaseStore _store;
    private readonly IInbox _inbox;
    private readonly TimeProvider _time;
    private readonly EngineOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the engine.</summary>
    public CaseEngine(
        ICaseWorkflow<TState, TMessage, TEvent> workflow,
        ICaseStore store,
        IInbox inbox,
        TimeProvider time,
        EngineOptions? options = null,
        CaseSerializer<TState, TMessage, TEvent>? serializer = null,
        ILogger<CaseEngine<TState, TMessage, TEvent>>? logger = null)
    {
        _workflow = Check.NotNull(workflow);
        _store = Check.NotNull(store);
        _inbox = Check.NotNull(inbox);
        _time = Check.NotNull(time);
        _options = options ?? new EngineOptions();
        Serializer = serializer ?? new CaseSerializer<TState, TMessage, TEvent>();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The serializer used for states, messages and events.</summary>
    public CaseSerializer<TState, TMessage, TEvent> Serializer { get; }

    /// <summary>The workflow this engine runs.</summary>
    public ICaseWorkflow<TState, TMessage, TEvent> Workflow => _workflow;

    /// <inheritdoc />
    /// <exception cref="InvalidCaseMessageException">The body is not a <typeparamref name="TMessage"/>: never retry.</exception>
    /// <exception cref="CaseConcurrencyException">Too many conflicts in a row: retry later.</exception>
    public Task<HandleResult> HandleAsync(InboxMessage message, CancellationToken cancellationToken = default) =>
        HandleAsync(message, default, known: false, cancellationToken);

    /// <summary>
    /// Handles a message the caller holds as an object (<see cref="CaseClient{TState, TMessage, TEvent}.StartAsync"/>):
    /// it is written as text only if it must be parked.
    /// </summary>
    internal Task<HandleResult> HandleAsync(string caseId, string idempotencyKey, TMessage body, CancellationToken cancellationToken = default) =>
        HandleAsync(new InboxMessage(caseId, idempotencyKey, ""), body, known: true, cancellationToken);

    private async Task<HandleResult> HandleAsync(InboxMessage message, TMessage? knownBody, bool known, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            Check.CaseId(message.CaseId, "message.CaseId");
            Check.NotEmpty(message.IdempotencyKey, "message.IdempotencyKey");
        }
        catch (ArgumentException ex)
        {
            // Never valid, however often it is tried: straight to the poison queue.
            throw new InvalidCaseMessageException(ex.Message, ex);
        }

        using var activity = EngineTelemetry.ActivitySource.StartActivity("case.handle");
        activity?.SetTag("case.id", message.CaseId);
        activity?.SetTag("case.message.timer", message.IsTimer);
        var started = Stopwatch.GetTimestamp();

        // A timer's message is made from the state it wakes, so only once the state is loaded.
        var body = message.IsTimer ? default : known ? knownBody : Serializer.DeserializeMessage(message.Body);
        var fresh = false;
        for (var attempt = 1; attempt <= _options.MaxConflictRetries; attempt++)
        {
            // A message that may open a case this process has not seen: usually the case is new, so
            // commit at once instead of reading a state row that is not there. Safe: the commit adds
            // the state row, so if the case exists after all the add fails and the next try loads it;
            // a redelivered one fails on its idempotency marker and is reported a duplicate.
            var record = attempt == 1 && body is not null && _workflow.Opens(body) && !_store.HasCached(message.CaseId)
                ? null
                : await _store.LoadAsync(message.CaseId, fresh, cancellationToken).ConfigureAwait(false);
            var outcome = await TryHandleAsync(message, body, record, attempt, cancellationToken).ConfigureAwait(false);
            if (outcome is null)
            {
                // Conflict, or a decision not to write that a cached row might have misled: look again.
                fresh = true;
                continue;
            }

            EngineTelemetry.MessagesHandled.Add(1, new KeyValuePair<string, object?>("outcome", outcome.Outcome.ToString()));
            EngineTelemetry.HandleDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            activity?.SetTag("case.outcome", outcome.Outcome.ToString());
            Log.Handled(_logger, message.CaseId, outcome.Outcome, outcome.Effects.Count, attempt);
            return outcome;
        }

        throw new CaseConcurrencyException(message.CaseId, _options.MaxConflictRetries);

        async Task<HandleResult?> TryHandleAsync(InboxMessage message, TMessage? body, CaseRecord? record, int attempt, CancellationToken ct)
        {
            if (record is null)
            {
                if (message.IsTimer)
                {
                    return new HandleResult(HandleOutcome.Ignored, [], attempt, 0);
                }

                if (!_workflow.Opens(body!))
                {
                    await ParkAsync(WithText(message, body), ct).ConfigureAwait(false);
                    return new HandleResult(HandleOutcome.Parked, [], attempt, 0);
                }
            }
            else if (record.Status is CaseStatus.Terminated)
            {
                return new HandleResult(HandleOutcome.Ignored, [], attempt, record.Sequence);
            }
            else if (record.Status is CaseStatus.Suspended)
            {
                if (!fresh)
                {
                    return null;
                }

                await ParkAsync(WithText(message, body), ct).ConfigureAwait(false);
                return new HandleResult(HandleOutcome.Parked, [], attempt, record.Sequence);
            }

            var state = record is null ? _workflow.Initial(message.CaseId, _workflow.Version) : Serializer.DeserializeState(record.State);
            var waitingBefore = record is null ? null : _workflow.WaitingUntil(state);
            if (message.IsTimer && (waitingBefore is not { } waiting || waiting > message.TimerDue!.Value))
            {
                // A timer the case no longer waits for. Only believe that of a fresh row.
                return fresh ? new HandleResult(HandleOutcome.Ignored, [], attempt, record!.Sequence) : null;
            }

            if (message.IsTimer)
            {
                body = _workflow.TimerFired(state, message.TimerDue!.Value);
            }

            var now = _time.GetUtcNow();
            var decided = _workflow.DecideAndApply(state, body!, now) ?? [];
            var sequence = record?.Sequence ?? 0;
            var events = new List<StoredEvent>(decided.Count);
            var effects = new List<Effect>();
            foreach (var (@event, after) in decided)
            {
                sequence++;
                state = after;
                events.Add(new StoredEvent(sequence, now, Serializer.TypeName(@event), Serializer.SerializeEvent(@event), message.IdempotencyKey));
                var index = 0;
                foreach (var request in _workflow.EffectsOf(@event, state) ?? [])
                {
                    Check.NotEmpty(request.Kind, "EffectRequest.Kind");
                    effects.Add(new Effect(Effect.MakeId(message.CaseId, sequence, index), message.CaseId, sequence, index, request.Kind, request.Payload ?? "", now));
                    index++;
                }
            }

            var waitingAfter = _workflow.WaitingUntil(state);
            if (waitingAfter is { } due && waitingAfter != waitingBefore && events.Count > 0)
            {
                var index = effects.Count(e => e.Sequence == sequence);
                effects.Add(new Effect(Effect.MakeId(message.CaseId, sequence, index), message.CaseId, sequence, index, EngineEffectKinds.Timer, due.ToString("O", CultureInfo.InvariantCulture), now));
            }

            var description = _workflow.Describe(state);
            var next = new CaseRecord(
                message.CaseId,
                record?.WorkflowVersion ?? _workflow.Version,
                description.Closed ? CaseStatus.Completed : CaseStatus.Running,
                description.Stage,
                sequence,
                Serializer.SerializeState(state),
                waitingAfter,
                record?.CreatedAt ?? now,
                now);
            var result = await _store.CommitAsync(new CaseCommit(next, record?.ETag, events, effects, message.IdempotencyKey), ct).ConfigureAwait(false);
            switch (result.Status)
            {
                case CommitStatus.Committed:
                    if (record is null && !result.NoneParked)
                    {
                        await ReleaseParkedAsync(message.CaseId, ct).ConfigureAwait(false);
                    }

                    return new HandleResult(HandleOutcome.Applied, effects, attempt, sequence);
                case CommitStatus.Duplicate:
                    // Redelivered because the first handling died after its commit: finish
                    // what it may not have, releasing messages parked before the case opened.
                    await ReleaseParkedAsync(message.CaseId, ct).ConfigureAwait(false);
                    return new HandleResult(HandleOutcome.Duplicate, [], attempt, record?.Sequence ?? 0);
                default:
                    EngineTelemetry.Conflicts.Add(1);
                    return null;
            }
        }
    }

    /// <inheritdoc />
    public async Task<int> ReleaseParkedAsync(string caseId, CancellationToken cancellationToken = default)
    {
        Check.CaseId(caseId);
        var parked = await _store.ListParkedAsync(caseId, cancellationToken).ConfigureAwait(false);
        if (parked.Count == 0)
        {
            return 0;
        }

        // Send first, forget second: a crash in between only sends duplicates, which the
        // idempotency markers absorb.
        foreach (var message in parked)
        {
            await _inbox.SendAsync(message, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        await _store.RemoveParkedAsync(caseId, [.. parked.Select(m => m.IdempotencyKey)], cancellationToken).ConfigureAwait(false);
        Log.Released(_logger, caseId, parked.Count);
        return parked.Count;
    }

    /// <summary>Suspends a running case: its messages are parked until it is resumed.</summary>
    /// <exception cref="CaseNotFoundException">No such case.</exception>
    /// <exception cref="CaseStatusException">The case is terminated.</exception>
    public Task<CaseRecord> SuspendAsync(string caseId, string reason, string by, CancellationToken cancellationToken = default) =>
        ChangeStatusAsync(caseId, "suspended", reason, by, (record, _) => record.Status switch
        {
            CaseStatus.Suspended => null,
            CaseStatus.Terminated => throw new CaseStatusException(caseId, record.Status, "suspend"),
            _ => CaseStatus.Suspended,
        }, cancellationToken);

    /// <summary>Resumes a suspended case and sends its parked messages to the inbox again.</summary>
    /// <exception cref="CaseNotFoundException">No such case.</exception>
    /// <exception cref="CaseStatusException">The case is terminated.</exception>
    public async Task<CaseRecord> ResumeAsync(string caseId, string reason, string by, CancellationToken cancellationToken = default)
    {
        var record = await ChangeStatusAsync(caseId, "resumed", reason, by, (record, state) => record.Status switch
        {
            CaseStatus.Suspended => _workflow.Describe(state).Closed ? CaseStatus.Completed : CaseStatus.Running,
            CaseStatus.Terminated => throw new CaseStatusException(caseId, record.Status, "resume"),
            _ => null,
        }, cancellationToken).ConfigureAwait(false);
        await ReleaseParkedAsync(caseId, cancellationToken).ConfigureAwait(false);
        return record;
    }

    /// <summary>Terminates a case: later messages are ignored. Idempotent.</summary>
    /// <exception cref="CaseNotFoundException">No such case.</exception>
    public Task<CaseRecord> TerminateAsync(string caseId, string reason, string by, CancellationToken cancellationToken = default) =>
        ChangeStatusAsync(caseId, "terminated", reason, by, (record, _) => record.Status is CaseStatus.Terminated ? null : CaseStatus.Terminated, cancellationToken);

    /// <summary>
    /// Moves a case to workflow version <paramref name="toVersion"/>: an explicit, logged
    /// command, recorded in the timeline as "engine.migrated". The workflow must implement
    /// <see cref="ICaseMigration{TState}"/>. Idempotent.
    /// </summary>
    /// <exception cref="CaseNotFoundException">No such case.</exception>
    /// <exception cref="NotSupportedException">The workflow cannot migrate cases.</exception>
    public async Task<CaseRecord> MigrateAsync(string caseId, string toVersion, string reason, string by, CancellationToken cancellationToken = default)
    {
        Check.CaseId(caseId);
        Check.NotEmpty(toVersion);
        Check.NotEmpty(by);
        var migration = _workflow as ICaseMigration<TState>
            ?? throw new NotSupportedException($"The workflow {_workflow.GetType().Name} does not migrate running cases.");
        for (var attempt = 1; attempt <= _options.MaxConflictRetries; attempt++)
        {
            var record = await _store.LoadAsync(caseId, fresh: true, cancellationToken).ConfigureAwait(false)
                ?? throw new CaseNotFoundException(caseId);
            if (record.WorkflowVersion == toVersion)
            {
                return record;
            }

            var state = migration.Migrate(Serializer.DeserializeState(record.State), record.WorkflowVersion, toVersion);
            var now = _time.GetUtcNow();
            var data = JsonSerializer.Serialize(new { from = record.WorkflowVersion, to = toVersion, reason, by });
            var @event = new StoredEvent(record.Sequence + 1, now, "engine.migrated", data, "command:" + by, FromEngine: true);
            var description = _workflow.Describe(state);
            var next = record with
            {
                WorkflowVersion = toVersion,
                Sequence = @event.Sequence,
                State = Serializer.SerializeState(state),
                Stage = description.Stage,
                WaitingUntil = _workflow.WaitingUntil(state),
                UpdatedAt = now,
                ETag = null,
            };
            Effect[] timer = next.WaitingUntil is { } due && due != record.WaitingUntil
                ? [new Effect(Effect.MakeId(caseId, @event.Sequence, 0), caseId, @event.Sequence, 0, EngineEffectKinds.Timer, due.ToString("O", CultureInfo.InvariantCulture), now)]
                : [];
            var result = await _store.CommitAsync(new CaseCommit(next, record.ETag, [@event], timer, null), cancellationToken).ConfigureAwait(false);
            if (result.Status == CommitStatus.Committed)
            {
                Log.StatusChanged(_logger, caseId, "migrated");
                return next with { ETag = result.ETag };
            }

            EngineTelemetry.Conflicts.Add(1);
        }

        throw new CaseConcurrencyException(caseId, _options.MaxConflictRetries);
    }

    private async Task<CaseRecord> ChangeStatusAsync(string caseId, string what, string reason, string by, Func<CaseRecord, TState, CaseStatus?> target, CancellationToken cancellationToken)
    {
        Check.CaseId(caseId);
        Check.NotEmpty(by);
        for (var attempt = 1; attempt <= _options.MaxConflictRetries; attempt++)
        {
            var record = await _store.LoadAsync(caseId, fresh: true, cancellationToken).ConfigureAwait(false)
                ?? throw new CaseNotFoundException(caseId);
            var status = target(record, Serializer.DeserializeState(record.State));
            if (status is null)
            {
                return record;
            }

            var now = _time.GetUtcNow();
            var data = JsonSerializer.Serialize(new { reason, by });
            var @event = new StoredEvent(record.Sequence + 1, now, "engine." + what, data, "command:" + by, FromEngine: true);
            var next = record with { Status = status.Value, Sequence = @event.Sequence, UpdatedAt = now, ETag = null };
            var result = await _store.CommitAsync(new CaseCommit(next, record.ETag, [@event], [], null), cancellationToken).ConfigureAwait(false);
            if (result.Status == CommitStatus.Committed)
            {
                Log.StatusChanged(_logger, caseId, what);
                return next with { ETag = result.ETag };
            }

            EngineTelemetry.Conflicts.Add(1);
        }

        throw new CaseConcurrencyException(caseId, _options.MaxConflictRetries);
    }

    /// <summary>A message handed over as an object gets its text when it must be stored.</summary>
    private InboxMessage WithText(InboxMessage message, TMessage? body) =>
        message.Body.Length == 0 && !message.IsTimer && body is not null ? message with { Body = Serializer.SerializeMessage(body) } : message;

    private async Task ParkAsync(InboxMessage message, CancellationToken cancellationToken)
    {
        await _store.ParkAsync(message, cancellationToken).ConfigureAwait(false);

        // The case may have been opened or resumed while we parked: then nobody else will
        // release this message, so do it now.
        var now = await _store.LoadAsync(message.CaseId, fresh: true, cancellationToken).ConfigureAwait(false);
        if (now is { Status: CaseStatus.Running or CaseStatus.Completed })
        {
            await ReleaseParkedAsync(message.CaseId, cancellationToken).ConfigureAwait(false);
        }
    }
}
