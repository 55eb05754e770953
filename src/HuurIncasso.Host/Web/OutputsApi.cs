using HuurIncasso.Host.Outputs;
using HuurIncasso.Host.Security;
using HuurIncasso.Integrations.Documents;
using HuurIncasso.Integrations.Mail;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HuurIncasso.Host.Web;

/// <summary>
/// The outputs over HTTP: SendGrid's signed event webhook (anonymous, ECDSA-signed), and for
/// consultants the letters, dossier files and captured mails of a case.
/// </summary>
internal static class OutputsApi
{
    /// <summary>SendGrid posts at most a few thousand events at once; far below this.</summary>
    internal const int MaxEventBodyBytes = 5 * 1024 * 1024;

    public static void MapOutputsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/mail/events", ReceiveEventsAsync)
            .WithTags("Uitvoer")
            .AllowAnonymous();

        var cases = app.MapGroup("/api/cases/{caseId}").WithTags("Uitvoer").RequireAuthorization(Roles.WorkCases);
        cases.MapGet("/documents", async (string caseId, CaseDocumentsQuery query, CancellationToken ct) => TypedResults.Ok(await query.GetAsync(caseId, ct)));
        cases.MapGet("/documents/{**name}", DownloadAsync);
        cases.MapGet("/mails/{messageKey}", async Task<Results<Ok<CapturedMail>, NotFound>> (string caseId, string messageKey, CaseDocumentsQuery query, CancellationToken ct) =>
            await query.CapturedMailAsync(caseId, messageKey, ct) is { } mail ? TypedResults.Ok(mail) : TypedResults.NotFound());
    }

    private static async Task<IResult> ReceiveEventsAsync(HttpRequest request, MailEventsService service, IOptions<MailOptions> options, CancellationToken ct)
    {
        if (request.ContentLength > MaxEventBodyBytes)
        {
            return TooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxEventBodyBytes)
            {
                return TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        if (string.IsNullOrWhiteSpace(options.Value.EventWebhookPublicKey))
        {
            return TypedResults.Problem(statusCode: 503, title: "De webhook voor mailgebeurtenissen is niet ingesteld.", detail: "Stel Mail:EventWebhookPublicKey in (de sleutel van SendGrid's Signed Event Webhook).");
        }

        var body = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        var refused = new SendGridEventSignature(options.Value.EventWebhookPublicKey).Verify(
            request.Headers[SendGridEventSignature.SignatureHeader].FirstOrDefault(),
            request.Headers[SendGridEventSignature.TimestampHeader].FirstOrDefault(),
            body);
        if (refused is not null)
        {
            return TypedResults.Problem(statusCode: 401, title: "De handtekening van het bericht klopt niet.", detail: refused);
        }

        IReadOnlyList<SendGridEvent> events;
        try
        {
            events = SendGridEvent.ParseArray(body);
        }
        catch (MailEventFormatException ex)
        {
            return TypedResults.Problem(statusCode: 400, title: "De mailgebeurtenissen kunnen niet worden gelezen.", detail: ex.Message);
        }

        return TypedResults.Ok(await service.ApplyAsync(events, ct));
    }

    private static async Task<IResult> DownloadAsync(string caseId, string name, CaseDocumentsQuery query, CancellationToken ct)
    {
        var document = await query.DocumentAsync(caseId, name, ct);
        return document is null
            ? TypedResults.NotFound()
            : TypedResults.File(document.Value.Content.ToArray(), document.Value.ContentType, Path.GetFileName(name));
    }

    private static ProblemHttpResult TooLarge() =>
        TypedResults.Problem(statusCode: 413, title: "Het bericht is te groot.", detail: $"Hoogstens {MaxEventBodyBytes} bytes.");
}
