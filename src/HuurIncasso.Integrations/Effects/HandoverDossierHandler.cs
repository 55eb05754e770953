using System.Globalization;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Engine;
using HuurIncasso.Integrations.Documents;
using HuurIncasso.Integrations.Exports;
using HuurIncasso.Integrations.Mail;
using HuurIncasso.Integrations.Tenants;
using HuurIncasso.Integrations.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HuurIncasso.Integrations.Effects;

/// <summary>
/// Performs "handoverDossier" effects: the dossier for the agency or bailiff, as
/// <c>handover/{caseId}/{sequence}-{index}.json</c> (VERA ExterneIncasso shape),
/// <c>.csv</c> (one line for the agency's import) and <c>.pdf</c> (for people). It lists the
/// letters and mails the case produced, the proof a court asks for. Names come from the
/// effect, so a retry rewrites the same three files. Thread-safe.
/// </summary>
public sealed class HandoverDossierHandler(
    ITenantDirectory tenants,
    DocumentStore documents,
    SentMailLog sentLog,
    IOptions<CorporationOptions> corporation,
    IOptions<DocumentsOptions> documentsOptions,
    ILogger<HandoverDossierHandler>? logger = null) : IEffectHandler
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly LetterPdf _pdf = new(corporation.Value, documentsOptions.Value);

    /// <inheritdoc />
    public string Kind => "handoverDossier";

    /// <inheritdoc />
    public async Task HandleAsync(Effect effect, CancellationToken cancellationToken = default)
    {
        var handover = EffectPayload.Read<HandoverDossier>(effect);
        var tenant = await tenants.FindAsync(effect.CaseId, cancellationToken).ConfigureAwait(false)
            ?? throw new TenantContactMissingException(effect.CaseId);
        var on = CaseCore.BusinessDate(effect.CreatedAt);
        var letters = await documents.ListAsync($"letters/{effect.CaseId}/", cancellationToken).ConfigureAwait(false);
        var mails = (await sentLog.ListAsync(effect.CaseId, cancellationToken).ConfigureAwait(false))
            .Where(m => m.Status == SentMailStatus.Sent)
            .OrderBy(m => m.StartedAt)
            .ToList();
        var dossier = VeraExterneIncasso.From(effect, handover, tenant, on, letters, mails);

        await documents.WriteAsync(ExportNames.Handover(effect, "json"), BinaryData.FromObjectAsJson(dossier, ExportJson.Options), "application/json", cancellationToken).ConfigureAwait(false);
        var csv = CsvText.Write(
            ["caseId", "contractNumber", "soort", "overdrachtsdatum", "hoofdsom", "incassokosten", "bedrag", "naam", "straat", "postcode", "plaats", "geboortedatum", "telefoon", "email"],
            [[effect.CaseId, tenant.ContractNumber, dossier.Soort.Code, dossier.Overdrachtsdatum, Amount(handover.Arrears), Amount(handover.Costs), Amount(dossier.Bedrag),
              tenant.Name, tenant.Street, tenant.PostalCode, tenant.City, tenant.DateOfBirth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "", tenant.Phone ?? "", tenant.Email ?? ""]]);
        await documents.WriteAsync(ExportNames.Handover(effect, "csv"), BinaryData.FromString(csv), "text/csv; charset=utf-8", cancellationToken).ConfigureAwait(false);

        var lines = new List<string>
        {
            $"Overdracht aan: {dossier.Soort.Naam}",
            $"Datum overdracht: {on.ToString("d MMMM yyyy", DutchFormat.Dutch)}",
            $"Zaak: {effect.CaseId}   Contractnummer: {tenant.ContractNumber}",
            "",
            $"Huurder: {tenant.Name}",
            $"Adres: {tenant.Street}, {tenant.PostalCode} {tenant.City}",
            $"Geboortedatum: {tenant.DateOfBirth?.ToString("d MMMM yyyy", DutchFormat.Dutch) ?? "onbekend"}",
            $"Telefoon: {tenant.Phone ?? "onbekend"}   E-mail: {tenant.Email ?? "onbekend"}",
            "",
            $"Hoofdsom (huurachterstand): {DutchFormat.Euro(handover.Arrears)}",
            $"Incassokosten: {DutchFormat.Euro(handover.Costs)}",
            $"Totaal over te dragen: {DutchFormat.Euro(dossier.Bedrag)}",
            "",
            "Brieven aan de huurder (in de documentenopslag):",
        };
        lines.AddRange(letters.Count == 0 ? ["(geen)"] : letters.Select(l => "- " + l));
        lines.Add("");
        lines.Add("Verzonden mails:");
        lines.AddRange(mails.Count == 0 ? ["(geen)"] : mails.Select(m => $"- {m.Template}, {m.StartedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC, via {m.Via} {m.ProviderMessageId}"));
        var pdf = _pdf.WriteDocument($"Overdrachtsdossier {tenant.ContractNumber}", lines, effect.Id);
        await documents.WriteAsync(ExportNames.Handover(effect, "pdf"), new BinaryData(pdf), "application/pdf", cancellationToken).ConfigureAwait(false);
        Log.DocumentWritten(_logger, "handover/" + effect.CaseId, effect.Id);
    }

    private static string Amount(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}

/// <summary>
/// The dossier in the shape of VERA's ExterneIncasso (chain process INC, v1.1.6): soort
/// (INC incassobureau / DEU deurwaarder), status NIE (nieuw), overdrachtsdatum, bedrag, saldo,
/// debiteur, overeenkomsten, externeincassoacties; our own facts under <c>huurIncasso</c>.
/// Field names follow LEGAL.md's summary of VERA; not validated against the OpenAPI file.
/// </summary>
public sealed record VeraExterneIncasso(
    VeraCode Soort,
    VeraCode Status,
    string Overdrachtsdatum,
    decimal Bedrag,
    decimal Saldo,
    VeraDebiteur Debiteur,
    IReadOnlyList<VeraOvereenkomst> Overeenkomsten,
    IReadOnlyList<object> Externeincassoacties,
    HandoverEvidence HuurIncasso)
{
    /// <summary>Builds the dossier of one handover.</summary>
    public static VeraExterneIncasso From(Effect effect, HandoverDossier handover, TenantContact tenant, DateOnly on, IReadOnlyList<string> letters, IReadOnlyList<SentMailEntry> mails)
    {
        ArgumentNullException.ThrowIfNull(effect);
        ArgumentNullException.ThrowIfNull(handover);
        ArgumentNullException.ThrowIfNull(tenant);
        var total = handover.Arrears + handover.Costs;
        return new VeraExterneIncasso(
            handover.Target == HandoverTarget.Bailiff ? new VeraCode("DEU", "deurwaarder") : new VeraCode("INC", "incassobureau"),
            new VeraCode("NIE", "nieuw"),
            on.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            total,
            total,
            new VeraDebiteur(tenant.Name, new VeraAdres(tenant.Street, tenant.PostalCode, tenant.City), tenant.DateOfBirth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), tenant.Phone, tenant.Email),
            [new VeraOvereenkomst(tenant.ContractNumber)],
            [],
            new HandoverEvidence(effect.CaseId, effect.Id, handover.Arrears, handover.Costs, letters, [.. mails.Select(m => new SentMailEvidence(m.Template, m.StartedAt, m.Via, m.ProviderMessageId))]));
    }
}

/// <summary>A VERA code with its name.</summary>
public sealed record VeraCode(string Code, string Naam);

/// <summary>The debtor.</summary>
public sealed record VeraDebiteur(string Naam, VeraAdres Adres, string? Geboortedatum, string? Telefoonnummer, string? Emailadres);

/// <summary>An address.</summary>
public sealed record VeraAdres(string Straat, string Postcode, string Woonplaats);

/// <summary>A contract by its number.</summary>
public sealed record VeraOvereenkomst(string Id);

/// <summary>What HuurIncasso adds: the case, the split of the amount and the proof of letters and mails.</summary>
public sealed record HandoverEvidence(string CaseId, string EffectId, decimal Hoofdsom, decimal Incassokosten, IReadOnlyList<string> Brieven, IReadOnlyList<SentMailEvidence> Mails);

/// <summary>One mail the tenant was sent.</summary>
public sealed record SentMailEvidence(string Template, DateTimeOffset SentAt, string Via, string ProviderMessageId);
