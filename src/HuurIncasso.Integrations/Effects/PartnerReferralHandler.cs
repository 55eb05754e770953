using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Engine;
using HuurIncasso.Integrations.Documents;
using HuurIncasso.Integrations.Exports;
using HuurIncasso.Integrations.Tenants;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HuurIncasso.Integrations.Effects;

/// <summary>
/// Performs "partnerReferral" effects: keeps the referral, with the tenant's facts at that
/// moment, as one item of the month's early-signal list or of the partner's daily list. The
/// item's name comes from the effect, so a retry rewrites it. The lists themselves are built
/// by <see cref="ExportListBuilder"/>. Thread-safe.
/// </summary>
public sealed class PartnerReferralHandler(ITenantDirectory tenants, DocumentStore documents, ILogger<PartnerReferralHandler>? logger = null) : IEffectHandler
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <inheritdoc />
    public string Kind => "partnerReferral";

    /// <inheritdoc />
    public async Task HandleAsync(Effect effect, CancellationToken cancellationToken = default)
    {
        var referral = EffectPayload.Read<PartnerReferral>(effect);
        var tenant = await tenants.FindAsync(effect.CaseId, cancellationToken).ConfigureAwait(false)
            ?? throw new TenantContactMissingException(effect.CaseId);
        var on = CaseCore.BusinessDate(effect.CreatedAt);
        var record = new ReferralRecord(effect.CaseId, effect.Id, referral.Partner, on, referral.Arrears, referral.MonthsInArrears, tenant);
        var name = referral.Partner == Partner.EarlySignal
            ? ExportNames.EarlySignalItem(on, effect)
            : ExportNames.ReferralItem(referral.Partner, on, effect);
        await documents.WriteAsync(name, BinaryData.FromObjectAsJson(record, ExportJson.Options), "application/json", cancellationToken).ConfigureAwait(false);
        Log.DocumentWritten(_logger, name, effect.Id);
    }
}
