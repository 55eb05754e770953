using HuurIncasso.Domain.Policies;
using HuurIncasso.Host.Security;
using HuurIncasso.Host.Workspace;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HuurIncasso.Host.Web;

/// <summary>
/// The consultants' API: worklist, case overview and commands. Every command goes through the
/// engine inbox with the client's command id as message id; the actor is the signed-in user.
/// </summary>
internal static class WorkspaceApi
{
    public static void MapWorkspaceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Werkplek").RequireAuthorization(Roles.WorkCases);
        api.MapGet("/worklist", async (WorklistQuery query, string? role, string? consultant, string? segment, string? stage, string? propertyType, string? sort, CancellationToken ct) =>
            Filter(role, consultant, segment, stage, propertyType, sort, out var filter) is { } problem ? problem : Results.Ok(await query.ListAsync(filter, ct)))
            .WithSummary("Open taken, gefilterd en gesorteerd (sort: priority, days-waiting, months-in-arrears).");
        api.MapGet("/worklist/sections", async (WorklistSectionsQuery query, string? role, string? consultant, string? segment, string? stage, string? propertyType, string? sort, CancellationToken ct) =>
            Filter(role, consultant, segment, stage, propertyType, sort, out var filter) is { } problem ? problem : Results.Ok(await query.GetAsync(filter, ct)))
            .WithSummary("De werklijst in delen: bellen, huisbezoeken per avond en complex, goedkeuringen, gemiste regelingen, onbekende betalingen, overige taken.");
        api.MapGet("/cases/{caseId}/overview", async Task<Results<Ok<CaseOverviewView>, ProblemHttpResult>> (string caseId, CaseOverviewQuery query, CancellationToken ct) =>
            await query.GetAsync(caseId, ct) is { } view ? TypedResults.Ok(view)
                : TypedResults.Problem(statusCode: 404, title: "Zaak niet gevonden.", detail: $"Er is geen zaak {caseId}."));
        api.MapPost("/cases/{caseId}/commands/{kind}", async (string caseId, string kind, CommandRequest body, CaseCommands commands, HttpContext http, CancellationToken ct) =>
            ToHttp(await commands.ExecuteAsync(caseId, kind, body, CurrentUser.From(http.User), ct), caseId));
        api.MapGet("/approvals", async (ApprovalsQuery query, CancellationToken ct) => TypedResults.Ok(await query.ListAsync(ct)))
            .RequireAuthorization(Roles.Approve);
    }

    private static IResult? Filter(string? role, string? consultant, string? segment, string? stage, string? propertyType, string? sort, out WorklistFilter filter)
    {
        filter = new WorklistFilter();
        Role? r = null;
        if (!string.IsNullOrEmpty(role))
        {
            if (!Enum.TryParse<Role>(role, ignoreCase: true, out var parsed))
            {
                return Results.Problem(statusCode: 400, title: "Onbekende rol.", detail: $"role='{role}': kies Consultant, TeamLead of Finance.");
            }

            r = parsed;
        }

        WorklistSort? order = sort?.ToLowerInvariant() switch
        {
            null or "" or "priority" => WorklistSort.Priority,
            "days-waiting" => WorklistSort.DaysWaiting,
            "months-in-arrears" => WorklistSort.MonthsInArrears,
            _ => null,
        };
        if (order is null)
        {
            return Results.Problem(statusCode: 400, title: "Onbekende sortering.", detail: $"sort='{sort}': kies priority, days-waiting of months-in-arrears.");
        }

        filter = new WorklistFilter(r, segment, stage, propertyType, order.Value, consultant);
        return null;
    }

    private static IResult ToHttp(CommandResult result, string caseId) => result.Status switch
    {
        CommandStatus.Done => TypedResults.Ok(result),
        CommandStatus.Accepted => TypedResults.Accepted($"/api/cases/{Uri.EscapeDataString(caseId)}/overview", result),
        CommandStatus.NotFound => Problem(404, "Niet gevonden.", result),
        CommandStatus.Invalid => Problem(400, "De opdracht is niet compleet.", result),
        CommandStatus.Forbidden => Problem(403, "U mag dit niet doen met uw rol.", result),
        _ => Problem(409, "Dit kan nu niet.", result),
    };

    private static ProblemHttpResult Problem(int status, string title, CommandResult result) =>
        TypedResults.Problem(statusCode: status, title: title, detail: result.Message,
            extensions: new Dictionary<string, object?> { ["commandId"] = result.CommandId, ["events"] = result.Events });
}
