using HuurIncasso.Host.Inputs;
using HuurIncasso.Host.Security;
using HuurIncasso.Integrations.Banking;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HuurIncasso.Host.Web;

/// <summary>
/// The inputs: ledger upload (admin), the signed bank webhook (anonymous, HMAC), and the
/// worklist of unknown payments (consultants). Authorization is set here and only here.
/// </summary>
internal static class InputsApi
{
    public static void MapInputsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/ledger/imports", ImportLedgerAsync)
            .WithTags("Invoer")
            .DisableAntiforgery()
            .RequireAuthorization(Roles.Administer);

        app.MapPost("/api/bank/webhook", ReceiveBankAsync)
            .WithTags("Invoer")
            .AllowAnonymous();

        app.MapGet("/api/contracts/{contractId}/payments", async (string contractId, BankFeedService bank, CancellationToken ct) => TypedResults.Ok(await bank.ListPaymentsAsync(contractId, ct)))
            .WithTags("Onbekende betalingen")
            .RequireAuthorization(Roles.WorkCases);

        var payments = app.MapGroup("/api/payments/unknown").WithTags("Onbekende betalingen").RequireAuthorization(Roles.WorkCases);
        payments.MapGet("/", async (BankFeedService bank, CancellationToken ct) => TypedResults.Ok(await bank.ListUnknownAsync(ct)));
        payments.MapPost("/{id}/assign", AssignAsync);
    }

    /// <summary>Body of an assignment. Who assigns is always the signed-in user.</summary>
    public sealed record Assignment(string ContractId);

    private static async Task<Results<Ok<LedgerImportResult>, ProblemHttpResult>> ImportLedgerAsync(HttpRequest request, LedgerImportService service, CancellationToken ct)
    {
        Stream content;
        string fileName;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            var file = form.Files.Count > 0 ? form.Files[0] : null;
            if (file is null)
            {
                return TypedResults.Problem(statusCode: 400, title: "Er zit geen bestand in het formulier.", detail: "Stuur het grootboekbestand als bestandsveld (multipart/form-data) of als de hele body (text/csv).");
            }

            content = file.OpenReadStream();
            fileName = Path.GetFileName(file.FileName);
        }
        else
        {
            content = request.Body;
            fileName = request.Query["fileName"].FirstOrDefault() ?? "upload.csv";
        }

        await using (content)
        {
            var result = await service.ImportAsync(content, fileName, ct);
            if (result.FileRejected)
            {
                return TypedResults.Problem(statusCode: 400, title: "Het grootboekbestand kan niet worden gelezen.",
                    detail: string.Join("; ", result.Errors.Select(e => e.Column.Length == 0 ? $"regel {e.Line}: {e.Message}" : $"regel {e.Line}, kolom {e.Column}: {e.Message}")));
            }

            return TypedResults.Ok(result);
        }
    }

    private static async Task<IResult> ReceiveBankAsync(HttpRequest request, BankFeedService bank, IOptions<BankOptions> options, TimeProvider time, CancellationToken ct)
    {
        var settings = options.Value;
        if (request.ContentLength > settings.MaxBodyBytes)
        {
            return TooLarge(settings.MaxBodyBytes);
        }

        // Read with a cap as well: a chunked body has no Content-Length.
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > settings.MaxBodyBytes)
            {
                return TooLarge(settings.MaxBodyBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        if (settings.WebhookSecrets.Count == 0)
        {
            return TypedResults.Problem(statusCode: 503, title: "De bankwebhook is niet ingesteld.", detail: "Stel Bank:WebhookSecrets in (een of twee geheimen).");
        }

        var body = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        var verification = new WebhookSignature(settings.WebhookSecrets).Verify(
            request.Headers[WebhookSignature.IdHeader].FirstOrDefault(),
            request.Headers[WebhookSignature.TimestampHeader].FirstOrDefault(),
            request.Headers[WebhookSignature.SignatureHeader].FirstOrDefault(),
            body,
            time);
        if (!verification.IsValid)
        {
            return TypedResults.Problem(statusCode: 401, title: "De handtekening van het webhookbericht klopt niet.", detail: verification.Reason);
        }

        BankStatementFile file;
        try
        {
            buffer.Position = 0;
            file = BankStatementReader.Read(buffer, "webhook", settings.MaxBodyBytes);
        }
        catch (BankFormatException ex)
        {
            return TypedResults.Problem(statusCode: 400, title: "Het bankbericht kan niet worden gelezen.", detail: ex.Message);
        }

        var result = await bank.ApplyAsync(file, ct);
        return TypedResults.Ok(result);
    }

    private static async Task<Results<Ok<UnknownPayment>, ProblemHttpResult>> AssignAsync(string id, Assignment body, BankFeedService bank, HttpContext http, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.ContractId))
        {
            return TypedResults.Problem(statusCode: 400, title: "Vul 'contractId' in.", detail: "Het contractnummer waar de betaling bij hoort.");
        }

        try
        {
            return await bank.AssignAsync(id, body.ContractId.Trim(), CurrentUser.From(http.User).DisplayName, ct) is { } assigned
                ? TypedResults.Ok(assigned)
                : TypedResults.Problem(statusCode: 404, title: "Betaling niet gevonden.", detail: $"Er is geen onbekende betaling {id}.");
        }
        catch (InvalidOperationException ex)
        {
            return TypedResults.Problem(statusCode: 409, title: "De betaling kan niet aan dit contract worden toegewezen.", detail: ex.Message);
        }
    }

    private static ProblemHttpResult TooLarge(int max) =>
        TypedResults.Problem(statusCode: 413, title: "Het bericht is te groot.", detail: $"Hoogstens {max} bytes (instelling Bank:MaxBodyBytes).");
}
