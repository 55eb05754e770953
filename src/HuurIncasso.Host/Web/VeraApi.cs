using HuurIncasso.Host.Security;
using HuurIncasso.Host.Workspace;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HuurIncasso.Host.Web;

/// <summary>
/// Arrangements and handovers in the sector's standard shape (VERA, chain process INC), read-only,
/// for the corporation's ERP: <c>/api/vera/betalingsregelingen</c> and <c>/api/vera/externe-incassos</c>.
/// Role <c>erp</c> (an Entra app role given to the ERP's service principal) or <c>admin</c>:
/// the answers hold the debtor's name and address, which consultants see case by case.
/// </summary>
internal static class VeraApi
{
    public static void MapVeraApi(this IEndpointRouteBuilder app)
    {
        var vera = app.MapGroup("/api/vera").WithTags("VERA INC").RequireAuthorization(Roles.ReadVera);
        vera.MapGet("/betalingsregelingen", async (VeraReadModel model, string? status, CancellationToken ct) =>
            TypedResults.Ok(await model.ListArrangementsAsync(status, ct)))
            .WithSummary("Alle betalingsregelingen (VERA Betalingsregeling); ?status=ACT filtert op BETALINGSREGELINGSTATUS.");
        vera.MapGet("/betalingsregelingen/{id}", async Task<Results<Ok<VeraBetalingsregeling>, ProblemHttpResult>> (string id, VeraReadModel model, CancellationToken ct) =>
            await model.GetArrangementAsync(id, ct) is { } found ? TypedResults.Ok(found)
                : TypedResults.Problem(statusCode: 404, title: "Betalingsregeling niet gevonden.", detail: $"Er is geen betalingsregeling {id}."));
        vera.MapGet("/externe-incassos", async (VeraReadModel model, string? status, CancellationToken ct) =>
            TypedResults.Ok(await model.ListHandoversAsync(status, ct)))
            .WithSummary("Alle overgedragen zaken (VERA ExterneIncasso); ?status=NIE, ACT of EIN.");
        vera.MapGet("/externe-incassos/{id}", async Task<Results<Ok<VeraExterneIncassoView>, ProblemHttpResult>> (string id, VeraReadModel model, CancellationToken ct) =>
            await model.GetHandoverAsync(id, ct) is { } found ? TypedResults.Ok(found)
                : TypedResults.Problem(statusCode: 404, title: "Externe incasso niet gevonden.", detail: $"Zaak {id} is niet overgedragen of bestaat niet."));
    }
}
