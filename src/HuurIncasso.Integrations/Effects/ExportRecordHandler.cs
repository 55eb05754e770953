using System.Text.Json;
using System.Text.Json.Nodes;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Engine;
using HuurIncasso.Integrations.Documents;
using HuurIncasso.Integrations.Exports;
using HuurIncasso.Integrations.Tenants;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HuurIncasso.Integrations.Effects;

/// <summary>
/// Performs effects that another system carries out — "agencyUpdate" (tell the agency),
/// "ledgerPosting" (book costs or a write-off in the ERP), "recollection" (collect a returned
/// direct debit again) — by keeping each as an item of that kind's daily export
/// (<c>exports/{kind}/{yyyy-MM-dd}/items/...</c>; <see cref="ExportListBuilder"/> makes the
/// CSV). The item holds the effect's fields plus the contract number. Thread-safe.
/// </summary>
public sealed class ExportRecordHandler(string kind, ITenantDirectory tenants, DocumentStore documents, ILogger<ExportRecordHandler>? logger = null) : IEffectHandler
{
    /// <summary>The kinds this handler is made for.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["agencyUpdate", "ledgerPosting", "recollection"];
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <inheritdoc />
    public string Kind { get; } = Kinds.Contains(kind) ? kind : throw new ArgumentException($"'{kind}' is not an export kind ({string.Join(", ", Kinds)}).", nameof(kind));

    /// <inheritdoc />
    public async Task HandleAsync(Effect effect, CancellationToken cancellationToken = default)
    {
        var payload = EffectPayload.Read<CaseEffect>(effect);
        var item = JsonSerializer.SerializeToNode(payload, CaseJson.Options)!.AsObject();
        // The ERP and the agency know the contract, not our case id; a missing contact must not
        // hold up a booking, so the number is then left empty for finance to fill.
        var tenant = await tenants.FindAsync(effect.CaseId, cancellationToken).ConfigureAwait(false);
        item["contractNumber"] = tenant?.ContractNumber ?? "";
        item["outboxEffectId"] = effect.Id;
        var name = ExportNames.ExportItem(Kind, CaseCore.BusinessDate(effect.CreatedAt), effect);
        await documents.WriteAsync(name, BinaryData.FromString(item.ToJsonString(ExportJson.Options)), "application/json", cancellationToken).ConfigureAwait(false);
        Log.DocumentWritten(_logger, name, effect.Id);
    }
}
