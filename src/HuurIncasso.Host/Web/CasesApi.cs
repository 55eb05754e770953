using System.Text.Json;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Engine;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HuurIncasso.Host.Web;

/// <summary>
/// Instance management, as Durable Functions users know it: start, status with timeline,
/// raise a message, suspend/resume, terminate, purge, list, and the poison queue with requeue.
/// Messages and events are in the core's JSON form (a <c>type</c> field names the kind).
/// </summary>
internal static class CasesApi
{
    public static RouteGroupBuilder MapCasesApi(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/cases").WithTags("Zaken (beheer)").RequireAuthorization(Security.Roles.Administer);
        cases.MapGet("/", ListAsync);
        cases.MapPost("/", StartAsync);
        cases.MapGet("/{caseId}", GetAsync);
        cases.MapPost("/{caseId}/messages", RaiseAsync);
        cases.MapPost("/{caseId}/suspend", (string caseId, ManagementReason body, CaseClient<CaseState, CaseMessage, CaseEvent> client, CancellationToken ct) =>
            ChangeAsync(() => client.SuspendAsync(caseId, body.Reason, body.By, ct)));
        cases.MapPost("/{caseId}/resume", (string caseId, ManagementReason body, CaseClient<CaseState, CaseMessage, CaseEvent> client, CancellationToken ct) =>
            ChangeAsync(() => client.ResumeAsync(caseId, body.Reason, body.By, ct)));
        cases.MapPost("/{caseId}/terminate", (string caseId, ManagementReason body, CaseClient<CaseState, CaseMessage, CaseEvent> client, CancellationToken ct) =>
            ChangeAsync(() => client.TerminateAsync(caseId, body.Reason, body.By, ct)));
        cases.MapDelete("/{caseId}", PurgeAsync);
        cases.MapPost("/{caseId}/effects/{effectId}/retry", RetryEffectAsync);

        var poison = app.MapGroup("/api/poison").WithTags("Zaken (beheer)").RequireAuthorization(Security.Roles.Administer);
        poison.MapGet("/", async (CaseClient<CaseState, CaseMessage, CaseEvent> client, int? max, CancellationToken ct) =>
            TypedResults.Ok(await client.ListPoisonedAsync(max ?? 100, ct)));
        poison.MapPost("/{id}/requeue", async Task<Results<NoContent, NotFound>> (string id, CaseClient<CaseState, CaseMessage, CaseEvent> client, CancellationToken ct) =>
            await client.RequeuePoisonedAsync(id, ct) ? TypedResults.NoContent() : TypedResults.NotFound());
        return cases;
    }

    /// <summary>Why a person suspends, resumes or terminates a case; kept on the timeline.</summary>
    public sealed record ManagementReason(string Reason, string By);

    /// <summary>A case as the management API shows it.</summary>
    public sealed record CaseView(
        string CaseId, string Status, string Stage, string PolicyVersion, long Sequence, DateTimeOffset? WaitingUntil,
        DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, JsonElement? State,
        IReadOnlyList<TimelineEntry> Timeline, IReadOnlyList<EffectView> Effects, int ParkedMessages);

    public sealed record TimelineEntry(long Sequence, DateTimeOffset RecordedAt, string Type, JsonElement Data, string CausedBy, bool FromEngine);

    public sealed record EffectView(string Id, string Kind, string Status, int Attempts, string? LastError);

    private static async Task<Ok<IReadOnlyList<CaseRecordView>>> ListAsync(
        CaseClient<CaseState, CaseMessage, CaseEvent> client, string? status, string? stage, int? max, CancellationToken ct)
    {
        var query = new CaseQuery(Enum.TryParse<HuurIncasso.Engine.CaseStatus>(status, ignoreCase: true, out var s) ? s : null, stage, max ?? 1000);
        var records = await client.ListAsync(query, ct);
        return TypedResults.Ok<IReadOnlyList<CaseRecordView>>([.. records.Select(CaseRecordView.From)]);
    }

    public sealed record CaseRecordView(string CaseId, string Status, string Stage, string PolicyVersion, long Sequence, DateTimeOffset? WaitingUntil, DateTimeOffset UpdatedAt)
    {
        public static CaseRecordView From(CaseRecord r) => new(r.CaseId, r.Status.ToString(), r.Stage, r.WorkflowVersion, r.Sequence, r.WaitingUntil, r.UpdatedAt);
    }

    private static async Task<Results<Ok<CaseView>, NotFound>> GetAsync(string caseId, CaseClient<CaseState, CaseMessage, CaseEvent> client, CancellationToken ct)
    {
        var instance = await client.GetAsync(caseId, includeTimeline: true, ct);
        if (instance is null) return TypedResults.NotFound();
        var r = instance.Case;
        return TypedResults.Ok(new CaseView(
            r.CaseId, r.Status.ToString(), r.Stage, r.WorkflowVersion, r.Sequence, r.WaitingUntil, r.CreatedAt, r.UpdatedAt,
            string.IsNullOrEmpty(r.State) ? null : JsonDocument.Parse(r.State).RootElement.Clone(),
            [.. instance.Timeline.Select(e => new TimelineEntry(e.Sequence, e.RecordedAt, e.Type, JsonDocument.Parse(e.Data).RootElement.Clone(), e.CausedBy, e.FromEngine))],
            [.. instance.Effects.Select(e => new EffectView(e.Id, e.Kind, e.Status.ToString(), e.Attempts, e.LastError))],
            instance.Parked.Count));
    }

    private static async Task<Results<Created<HandleView>, Ok<HandleView>, ProblemHttpResult>> StartAsync(
        JsonElement body, CaseClient<CaseState, CaseMessage, CaseEvent> client, CancellationToken ct)
    {
        if (!TryReadMessage(body, out var message, out var problem)) return problem!;
        if (message is not OpenCase open)
        {
            return TypedResults.Problem(statusCode: 400, title: "Alleen een openCase-bericht start een zaak.", detail: $"Ontvangen type: {message!.GetType().Name}.");
        }

        var result = await client.StartAsync(open.CaseId, open.MessageId, open, ct);
        var view = new HandleView(open.CaseId, result.Outcome.ToString(), result.Sequence);
        return result.Outcome == HandleOutcome.Duplicate ? TypedResults.Ok(view) : TypedResults.Created($"/api/cases/{Uri.EscapeDataString(open.CaseId)}", view);
    }

    /// <summary>What the engine did with a message.</summary>
    public sealed record HandleView(string CaseId, string Outcome, long Sequence);

    private static async Task<Results<Accepted, ProblemHttpResult>> RaiseAsync(
        string caseId, JsonElement body, CaseClient<CaseState, CaseMessage, CaseEvent> client, CancellationToken ct)
    {
        if (!TryReadMessage(body, out var message, out var problem)) return problem!;
        // Through the inbox, like every other input: the workers handle it exactly once.
        await client.SendAsync(caseId, message!.MessageId, message, cancellationToken: ct);
        return TypedResults.Accepted($"/api/cases/{Uri.EscapeDataString(caseId)}");
    }

    private static async Task<Results<Ok<EffectView>, NotFound, ProblemHttpResult>> RetryEffectAsync(
        string caseId, string effectId, CaseClient<CaseState, CaseMessage, CaseEvent> client, CancellationToken ct)
    {
        try
        {
            return await client.RetryEffectAsync(caseId, effectId, ct) is { } e
                ? TypedResults.Ok(new EffectView(e.Id, e.Kind, e.Status.ToString(), e.Attempts, e.LastError))
                : TypedResults.NotFound();
        }
        catch (InvalidOperationException ex)
        {
            return TypedResults.Problem(statusCode: 409, title: "Alleen een mislukt effect kan opnieuw worden aangeboden.", detail: ex.Message);
        }
    }

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> PurgeAsync(string caseId, CaseClient<CaseState, CaseMessage, CaseEvent> client, CancellationToken ct)
    {
        try
        {
            return await client.PurgeAsync(caseId, ct) ? TypedResults.NoContent() : TypedResults.NotFound();
        }
        catch (CaseStatusException ex)
        {
            return TypedResults.Problem(statusCode: 409, title: "De zaak loopt nog en kan niet worden verwijderd.", detail: ex.Message);
        }
    }

    private static async Task<Results<Ok<CaseRecordView>, NotFound, ProblemHttpResult>> ChangeAsync(Func<Task<CaseRecord>> change)
    {
        try
        {
            return TypedResults.Ok(CaseRecordView.From(await change()));
        }
        catch (CaseNotFoundException)
        {
            return TypedResults.NotFound();
        }
        catch (CaseStatusException ex)
        {
            return TypedResults.Problem(statusCode: 409, title: "Dat kan niet in de huidige status van de zaak.", detail: ex.Message);
        }
    }

    private static bool TryReadMessage(JsonElement body, out CaseMessage? message, out ProblemHttpResult? problem)
    {
        message = null;
        problem = null;
        try
        {
            message = body.Deserialize<CaseMessage>(CaseJson.Options);
        }
        catch (JsonException ex)
        {
            problem = TypedResults.Problem(statusCode: 400, title: "Het bericht is geen geldig zaakbericht.", detail: $"{ex.Path}: {ex.Message}");
            return false;
        }
        catch (NotSupportedException ex)
        {
            problem = TypedResults.Problem(statusCode: 400, title: "Het bericht mist een geldig veld 'type'.", detail: ex.Message);
            return false;
        }

        if (message is null || string.IsNullOrWhiteSpace(message.MessageId))
        {
            problem = TypedResults.Problem(statusCode: 400, title: "Het bericht mist 'messageId' (de idempotentiesleutel).");
            return false;
        }

        return true;
    }
}
