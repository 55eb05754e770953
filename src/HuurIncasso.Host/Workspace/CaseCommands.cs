using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Engine;

namespace HuurIncasso.Host.Workspace;

/// <summary>
/// The fields of every command; each kind reads the ones it needs. The actor never comes from
/// here but from the signed-in user.
/// </summary>
public sealed record CommandRequest
{
    /// <summary>The client's idempotency key: the same id again does the command once.</summary>
    public string CommandId { get; init; } = "";

    public bool? Reached { get; init; }
    public bool? Met { get; init; }
    public bool AdviceGiven { get; init; }
    public bool PointedToDebtCounselling { get; init; }
    public Ability? Ability { get; init; }
    public Willingness? Willingness { get; init; }
    public string? Note { get; init; }
    public int? Instalments { get; init; }
    public DateOnly? FirstDueDate { get; init; }
    public ImmutableArray<DateOnly>? Dates { get; init; }
    public PauseKind? PauseKind { get; init; }
    public DateOnly? Until { get; init; }
    public string? StepId { get; init; }
    public string? Reason { get; init; }

    /// <summary>Call or visit: the tenant promised to pay on this date (kept with the note on the timeline).</summary>
    public DateOnly? PromiseToPayOn { get; init; }

    /// <summary>The note with the promise to pay, if any, in front.</summary>
    internal string? NoteWithPromise => PromiseToPayOn is { } on
        ? $"Belooft te betalen op {Dutch.Date(on)}" + (string.IsNullOrWhiteSpace(Note) ? "" : $". {Note}")
        : Note;
}

public enum CommandStatus
{
    /// <summary>The case handled it; <see cref="CommandResult.Next"/> says what it does next.</summary>
    Done,

    /// <summary>In the inbox; not handled within the wait.</summary>
    Accepted,
    NotFound,
    Invalid,
    Forbidden,

    /// <summary>Refused: four-eyes, or the case's state does not allow it.</summary>
    Conflict,
}

/// <summary>What the case will do next.</summary>
public sealed record NextStep(string Stage, string? WaitingFor, DateTimeOffset? WaitingUntil, bool Paused, bool Closed);

public sealed record ScheduleLine(int Number, DateOnly DueDate, decimal Amount);

/// <summary>The answer to a command.</summary>
public sealed record CommandResult(CommandStatus Status, string CommandId, string Message, NextStep? Next = null, IReadOnlyList<ScheduleLine>? Schedule = null, IReadOnlyList<string>? Events = null);

/// <summary>
/// Runs a person's command on a case: checks role and four-eyes, sends the message through the
/// engine inbox with the command id as message id, and waits a little for the answer.
/// Thread-safe.
/// </summary>
public sealed partial class CaseCommands(CaseClient<CaseState, CaseMessage, CaseEvent> cases, WorkspaceStore store, TimeProvider time, IConfiguration configuration)
{
    /// <summary>Every command kind, in the URL's spelling.</summary>
    public static readonly ImmutableArray<string> Kinds =
    [
        "call-outcome", "visit-outcome", "arrangement", "pause-request", "pause-approve", "pause-end",
        "handover-approve", "handover-reject", "write-off-request", "write-off-approve", "note",
    ];

    /// <summary>Kinds only a team lead (or admin) may do.</summary>
    public static bool NeedsApprover(string kind) => kind is "pause-approve" or "handover-approve" or "handover-reject" or "write-off-approve";

    private TimeSpan Wait => configuration.GetValue("Workspace:CommandWait", TimeSpan.FromSeconds(10));

    public async Task<CommandResult> ExecuteAsync(string caseId, string kind, CommandRequest request, Security.CurrentUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(user);
        var id = request.CommandId;
        if (string.IsNullOrWhiteSpace(id) || !CommandIdPattern().IsMatch(id))
        {
            return new(CommandStatus.Invalid, id, "Geef een commandId van 1 tot 100 tekens: letters, cijfers, '-', '_', ':' of '.'.");
        }

        if (!Kinds.Contains(kind))
        {
            return new(CommandStatus.NotFound, id, $"Onbekende opdracht '{kind}'. Kies uit: {string.Join(", ", Kinds)}.");
        }

        if (NeedsApprover(kind) && !user.CanApprove)
        {
            return new(CommandStatus.Forbidden, id, "Alleen een teamleider mag dit goedkeuren of afwijzen.");
        }

        var state = await cases.GetStateAsync(caseId, cancellationToken).ConfigureAwait(false);
        if (state is null || state.Status == Domain.Cases.CaseStatus.New)
        {
            return new(CommandStatus.NotFound, id, $"Zaak {caseId} bestaat niet.");
        }

        var actor = user.ToActor();
        // Four-eyes, before anything reaches the case (the core refuses too, but later and quietly).
        if (kind == "write-off-approve" && state.WriteOffRequest?.By.Id == actor.Id)
        {
            return new(CommandStatus.Conflict, id, "Vier ogen: u vroeg het afboeken zelf aan. Een andere teamleider moet dit goedkeuren.");
        }

        if (kind == "pause-approve" && state.Pause is { Approved: false } p && p.RequestedBy.Id == actor.Id)
        {
            return new(CommandStatus.Conflict, id, "Vier ogen: u vroeg de pauze zelf aan. Een andere teamleider moet dit goedkeuren.");
        }

        if (kind == "note")
        {
            if (string.IsNullOrWhiteSpace(request.Note))
            {
                return new(CommandStatus.Invalid, id, "Schrijf een notitie (veld 'note').");
            }

            await store.AddNoteAsync(new CaseNote(id, caseId, user.DisplayName, request.Note.Trim(), time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            return new(CommandStatus.Done, id, "Notitie opgeslagen.", Next(state, null));
        }

        CaseMessage message;
        try
        {
            message = ToMessage(kind, request, actor, state) with { MessageId = id };
        }
        catch (ArgumentException ex)
        {
            return new(CommandStatus.Invalid, id, ex.Message);
        }

        await cases.SendAsync(caseId, id, message, cancellationToken: cancellationToken).ConfigureAwait(false);
        var result = await AwaitOutcomeAsync(caseId, id, cancellationToken).ConfigureAwait(false);
        if (result.Status is CommandStatus.Done or CommandStatus.Accepted)
        {
            await store.SetHandlerAsync(caseId, actor.Id, cancellationToken).ConfigureAwait(false);
        }

        // The task that asked for this is done: it leaves the worklist (only when the case took the command).
        if (result.Status == CommandStatus.Done && TasksDoneBy(kind) is { Length: > 0 } done)
        {
            await store.CloseOpenTasksAsync(caseId, $"afgehandeld door {user.DisplayName}", t => done.Contains(TaskText.KindOf(t.Title)), cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    private async Task<CommandResult> AwaitOutcomeAsync(string caseId, string id, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + Wait;
        while (true)
        {
            var instance = await cases.GetAsync(caseId, includeTimeline: true, cancellationToken).ConfigureAwait(false);
            var mine = instance?.Timeline.Where(e => e.CausedBy == id).ToList() ?? [];
            // The state row and the timeline are two reads; a state older than the command's own
            // events would describe the case before the command, so read again until it has caught up.
            if (mine.Count > 0 && instance is not null && instance.Case.Sequence >= mine.Max(e => e.Sequence))
            {
                var events = mine.Select(e => JsonSerializer.Deserialize<CaseEvent>(e.Data, CaseJson.Options)!).ToList();
                var state = JsonSerializer.Deserialize<CaseState>(instance.Case.State, CaseJson.Options)!;
                var labels = events.Select(Timeline.Describe).ToList();
                if (events.OfType<CommandRejected>().FirstOrDefault() is { } rejected)
                {
                    return new(CommandStatus.Conflict, id, $"De zaak weigert dit: {rejected.Why}.", Next(state, instance.Case.Stage), Events: labels);
                }

                if (events.OfType<ArrangementRefused>().FirstOrDefault() is { } refused)
                {
                    return new(CommandStatus.Conflict, id, $"Regeling niet mogelijk: {string.Join("; ", refused.Reasons)}.", Next(state, instance.Case.Stage), Events: labels);
                }

                var schedule = events.OfType<ArrangementActivated>().FirstOrDefault() is { } activated
                    ? activated.Instalments.Select(i => new ScheduleLine(i.Number, i.DueDate, i.Amount)).ToList()
                    : null;
                return new(CommandStatus.Done, id, "Verwerkt.", Next(state, instance.Case.Stage), schedule, labels);
            }

            if (time.GetUtcNow() >= deadline)
            {
                return new(CommandStatus.Accepted, id, "Ontvangen; de zaak verwerkt het zo.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(150), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The kinds of worklist task a command of <paramref name="kind"/> completes.</summary>
    internal static TaskKind[] TasksDoneBy(string kind) => kind switch
    {
        "call-outcome" => [TaskKind.Call],
        "visit-outcome" => [TaskKind.Visit],
        "arrangement" => [TaskKind.BrokenArrangement],
        "pause-approve" or "pause-end" => [TaskKind.PauseApproval],
        "handover-approve" or "handover-reject" => [TaskKind.HandoverApproval],
        "write-off-approve" => [TaskKind.WriteOffApproval],
        _ => [],
    };

    private static NextStep Next(CaseState s, string? stage) => new(
        stage ?? s.Status.ToString(), s.WaitingFor, s.WaitingUntil, s.IsPaused, s.Status is Domain.Cases.CaseStatus.Closed or Domain.Cases.CaseStatus.WrittenOff);

    private static CaseMessage ToMessage(string kind, CommandRequest r, Actor by, CaseState state) => kind switch
    {
        "call-outcome" => new RecordCallOutcome(by, r.Reached ?? throw Missing("reached"), r.AdviceGiven, r.PointedToDebtCounselling, r.Ability, r.Willingness, r.NoteWithPromise) { MessageId = "" },
        "visit-outcome" => new RecordVisitOutcome(by, r.Met ?? throw Missing("met"), r.AdviceGiven, r.PointedToDebtCounselling, r.Ability, r.Willingness, r.NoteWithPromise) { MessageId = "" },
        "arrangement" => new AgreeArrangement(by, r.Instalments is > 0 and var n ? n : throw Missing("instalments (1 of meer)"), r.FirstDueDate ?? throw Missing("firstDueDate"), r.Dates) { MessageId = "" },
        "pause-request" => new RequestPause(by, r.PauseKind ?? throw Missing("pauseKind"), r.Until ?? throw Missing("until"), r.Note) { MessageId = "" },
        "pause-approve" => new ApprovePause(by) { MessageId = "" },
        "pause-end" => new EndPause(by) { MessageId = "" },
        "handover-approve" => new ApproveStep(by, r.StepId ?? state.ProposedStep ?? throw Missing("stepId")) { MessageId = "" },
        "handover-reject" => new RejectStep(by, r.StepId ?? state.ProposedStep ?? throw Missing("stepId"), string.IsNullOrWhiteSpace(r.Reason) ? throw Missing("reason") : r.Reason) { MessageId = "" },
        "write-off-request" => new RequestWriteOff(by, string.IsNullOrWhiteSpace(r.Reason) ? throw Missing("reason") : r.Reason) { MessageId = "" },
        "write-off-approve" => new ApproveWriteOff(by) { MessageId = "" },
        _ => throw new ArgumentException($"Onbekende opdracht '{kind}'."),
    };

    private static ArgumentException Missing(string field) => new($"Het veld '{field}' ontbreekt of is ongeldig.");

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,100}$")]
    private static partial Regex CommandIdPattern();
}
