using System.Collections.Immutable;
using System.Text.Json;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Engine;
using HuurIncasso.Integrations.Documents;
using HuurIncasso.Integrations.Ledger;
using HuurIncasso.Integrations.Tenants;

namespace HuurIncasso.Integrations.Tests.Outputs;

/// <summary>Sample corporation, tenants, ledger contracts and effects for the tests.</summary>
internal static class Samples
{
    public static CorporationOptions Corporation => new()
    {
        Name = "Woonstichting Voorbeeld",
        Street = "Stationsplein 1",
        PostalCode = "1234 AB",
        City = "Utrecht",
        Iban = "NL91ABNA0417164300",
        Phone = "030 123 45 67",
        Email = "huurincasso@voorbeeld.nl",
        Website = "www.voorbeeld.nl",
    };

    /// <summary>The tests choose the AGPL for PDFsharp; an installation chooses in its settings.</summary>
    public static DocumentsOptions DocumentsOptions => new() { PdfSharpLicense = PdfSetup.Agpl };

    public static TenantContact Tenant(string caseId, string? email = "j.devries@example.org") =>
        new(caseId, "C-100234", "J. de Vries", "Lindelaan 12", "3511 XY", "Utrecht", email, "06 12345678", new DateOnly(1980, 3, 4));

    /// <summary>A home let to "Huurder <paramref name="id"/>" since <paramref name="start"/> (default 1 June 2015), nothing owed, as one ledger row.</summary>
    public static LedgerRow LedgerContract(string id, decimal rent, bool directDebit, DateOnly? start = null, DateOnly? end = null) =>
        new(2, id, ["Huurder " + id], "Teststraat 1", "3511 AA", "Utrecht", null, null, null, start ?? new DateOnly(2015, 6, 1), end,
            LedgerPropertyType.Home, rent, 0m, null, directDebit, directDebit ? "MND-" + id : null, [], null);

    public static string TemplatesFolder => Path.Combine(AppContext.BaseDirectory, "templates");

    public static ImmutableDictionary<string, string> Data(params (string Key, string Value)[] pairs) =>
        pairs.ToImmutableDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    /// <summary>A formal notice as the core asks for it: posted Monday 7 Dec 2026, assumed delivered Wednesday 9 Dec.</summary>
    public static TenantMessage FormalNotice(decimal vat = 0m) => new(Channel.Letter, "formal-notice", 1250.00m, Data(
        ("kosten", "187.50"), ("btw", vat.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)),
        ("verzonden", "2026-12-07"), ("ontvangen", "2026-12-09"), ("laatsteDag", "2026-12-23")));

    /// <summary>Sample data for every template, keyed by template name (what the core or a later feature passes).</summary>
    public static ImmutableDictionary<string, string> DataFor(string template) => template switch
    {
        "formal-notice" => FormalNotice().Data,
        "arrangement-confirmation" => Data(("termijnen", "3"), ("eerste", "2027-01-05"), ("bedrag", "150.00"),
            ("schema", "2027-01-05=150.00;2027-02-05=150.00;2027-03-05=150.00")),
        "arrangement-broken" => Data(("reden", "niet-nagekomen")),
        "reversal-recollect" or "reversal-contact" => Data(("code", "AM04")),
        "pause-confirmation" => Data(("tot", "2027-02-01")),
        "referral-consent" or "referral-notice" => Data(("partner", "de Kredietbank")),
        "handover-announcement" => Data(("naar", "incassobureau")),
        _ => Data(("stap", "Reminder")),
    };

    public static MessageModel Model(string template, Channel channel = Channel.Letter, ImmutableDictionary<string, string>? data = null) =>
        new(Corporation, Tenant("case-1"), channel, new DateOnly(2026, 12, 7), 1250.00m, data ?? DataFor(template));

    /// <summary>The outbox effect the adapter makes of a case effect.</summary>
    public static Effect ToEffect(CaseEffect caseEffect, string caseId, long sequence, int index, DateTimeOffset createdAt)
    {
        var id = Effect.MakeId(caseId, sequence, index);
        var withIds = caseEffect with { EffectId = id, CaseId = caseId };
        var kind = caseEffect switch
        {
            TenantMessage => "tenantMessage",
            PartnerReferral => "partnerReferral",
            HandoverDossier => "handoverDossier",
            AgencyUpdate => "agencyUpdate",
            LedgerPosting => "ledgerPosting",
            Recollection => "recollection",
            _ => throw new ArgumentException("not an output effect", nameof(caseEffect)),
        };
        return new Effect(id, caseId, sequence, index, kind, JsonSerializer.Serialize(withIds, CaseJson.Options), createdAt);
    }
}
