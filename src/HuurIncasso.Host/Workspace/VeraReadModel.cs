using System.Globalization;
using System.Text.Json;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Engine;
using HuurIncasso.Host.Inputs;
using HuurIncasso.Integrations.Effects;
using HuurIncasso.Integrations.Tenants;

namespace HuurIncasso.Host.Workspace;

/// <summary>
/// A payment arrangement in the shape of VERA's Betalingsregeling (chain process INC, v1.1.6 on
/// VERA 4.1.6). Field names and codes follow LEGAL.md's summary of VERA; not validated against
/// Aedes' OpenAPI file. <see cref="Termijnen"/>' <c>status</c> has no VERA code list we know of:
/// it is <c>open</c>, <c>voldaan</c> or <c>niet voldaan</c>.
/// </summary>
/// <param name="Id">The arrangement's id, <c>{zaak}-R{n}</c>.</param>
/// <param name="Status">BETALINGSREGELINGSTATUS: AAN, ACT, ANN, BEE, BEV, VER.</param>
/// <param name="Bedrag">The arrears the arrangement covers.</param>
/// <param name="Saldo">What is still open of it (0 once paid off, written off or remitted).</param>
/// <param name="ProlongatieInterval">ISO 8601 period between instalments (<c>P1M</c>), or null when the dates were chosen freely.</param>
/// <param name="Betaalwijze">The SEPA mandate when the tenant pays by direct debit; null for transfers.</param>
/// <param name="EindeReden">BETALINGSREGELINGEINDEREDEN: AFB, ONI, SAN, VOL; null while running.</param>
public sealed record VeraBetalingsregeling(
    string Id,
    VeraCode Status,
    string Begindatum,
    string Einddatum,
    string Afspraakdatum,
    decimal Bedrag,
    decimal Saldo,
    int TermijnenAantal,
    string? ProlongatieInterval,
    VeraBetaalwijze? Betaalwijze,
    VeraDebiteur? Debiteur,
    VeraOvereenkomst Overeenkomst,
    VeraCode? EindeReden,
    IReadOnlyList<VeraBoeking> Boekingen,
    IReadOnlyList<VeraTermijn> Termijnen);

/// <summary>The SEPA mandate of a direct-debit arrangement. <c>soort</c> is <c>doorlopend</c> (recurring): rent is collected monthly.</summary>
public sealed record VeraBetaalwijze(string? Machtigingsnummer, string? IncassantId, string Soort, string? Status, decimal? MaximumBedrag);

/// <summary>A payment booked on the case since the arrangement was agreed.</summary>
public sealed record VeraBoeking(string Id, string Datum, decimal Bedrag);

/// <summary>One instalment: due date, amount, what is still open of it, and whether it was paid.</summary>
public sealed record VeraTermijn(int Nummer, string Vervaldatum, decimal Bedrag, decimal Saldo, string Status);

/// <summary>
/// A handed-over case in the shape of VERA's ExterneIncasso: soort (DEU deurwaarder, INC
/// incassobureau), status (NIE nieuw, ACT actief once the legal track started, EIN beëindigd),
/// overdrachtsdatum, bedrag (arrears and costs at handover), saldo (what is still open now).
/// </summary>
/// <param name="Id">The case id.</param>
/// <param name="Relatie">Who works the case: <c>incassobureau</c> or <c>deurwaarder</c> (the party itself is not configured here).</param>
/// <param name="Externeincassoacties">The handover and the legal steps recorded since, oldest first.</param>
public sealed record VeraExterneIncassoView(
    string Id,
    VeraCode Soort,
    VeraCode Status,
    string Overdrachtsdatum,
    decimal Bedrag,
    decimal Saldo,
    VeraDebiteur? Debiteur,
    IReadOnlyList<VeraOvereenkomst> Overeenkomsten,
    string Relatie,
    IReadOnlyList<VeraIncassoActie> Externeincassoacties);

public sealed record VeraIncassoActie(string Soort, string Datum);

/// <summary>
/// Reads arrangements and handovers out of the cases' events for an ERP, in VERA's shape.
/// Every arrangement a case ever had is listed, not only the current one. Thread-safe.
/// </summary>
public sealed class VeraReadModel(CaseClient<CaseState, CaseMessage, CaseEvent> cases, ITenantDirectory tenants, ContractRegister contracts)
{
    public async Task<IReadOnlyList<VeraBetalingsregeling>> ListArrangementsAsync(string? status, CancellationToken cancellationToken = default)
    {
        var list = new List<VeraBetalingsregeling>();
        foreach (var (caseId, state) in await StatesAsync(s => s.ArrangementsAgreedOn.Count > 0, cancellationToken).ConfigureAwait(false))
        {
            list.AddRange(await ArrangementsOfAsync(caseId, state, cancellationToken).ConfigureAwait(false));
        }

        return [.. list.Where(a => string.IsNullOrEmpty(status) || string.Equals(a.Status.Code, status, StringComparison.OrdinalIgnoreCase))
            .OrderBy(a => a.Afspraakdatum, StringComparer.Ordinal).ThenBy(a => a.Id, StringComparer.Ordinal)];
    }

    public async Task<VeraBetalingsregeling?> GetArrangementAsync(string id, CancellationToken cancellationToken = default)
    {
        var cut = id.LastIndexOf("-R", StringComparison.Ordinal);
        if (cut <= 0 || await cases.GetStateAsync(id[..cut], cancellationToken).ConfigureAwait(false) is not { } state)
        {
            return null;
        }

        return (await ArrangementsOfAsync(id[..cut], state, cancellationToken).ConfigureAwait(false)).FirstOrDefault(a => a.Id == id);
    }

    public async Task<IReadOnlyList<VeraExterneIncassoView>> ListHandoversAsync(string? status, CancellationToken cancellationToken = default)
    {
        var list = new List<VeraExterneIncassoView>();
        foreach (var (caseId, state) in await StatesAsync(s => s.Handover is not null, cancellationToken).ConfigureAwait(false))
        {
            if (await HandoverOfAsync(caseId, state, cancellationToken).ConfigureAwait(false) is { } view)
            {
                list.Add(view);
            }
        }

        return [.. list.Where(h => string.IsNullOrEmpty(status) || string.Equals(h.Status.Code, status, StringComparison.OrdinalIgnoreCase))
            .OrderBy(h => h.Overdrachtsdatum, StringComparer.Ordinal).ThenBy(h => h.Id, StringComparer.Ordinal)];
    }

    public async Task<VeraExterneIncassoView?> GetHandoverAsync(string caseId, CancellationToken cancellationToken = default) =>
        await cases.GetStateAsync(caseId, cancellationToken).ConfigureAwait(false) is { Handover: not null } state
            ? await HandoverOfAsync(caseId, state, cancellationToken).ConfigureAwait(false)
            : null;

    private async Task<List<(string CaseId, CaseState State)>> StatesAsync(Func<CaseState, bool> which, CancellationToken cancellationToken)
    {
        var records = await cases.ListAsync(new CaseQuery(), cancellationToken).ConfigureAwait(false);
        return [.. records.Where(r => !string.IsNullOrEmpty(r.State))
            .Select(r => (r.CaseId, State: JsonSerializer.Deserialize<CaseState>(r.State, CaseJson.Options)!))
            .Where(x => which(x.State))];
    }

    private async Task<IReadOnlyList<VeraBetalingsregeling>> ArrangementsOfAsync(string caseId, CaseState state, CancellationToken cancellationToken)
    {
        var events = await cases.GetEventsAsync(caseId, cancellationToken).ConfigureAwait(false);
        var debtor = await DebtorAsync(caseId, cancellationToken).ConfigureAwait(false);
        var mandate = state.DirectDebit ? (await contracts.GetAsync(state.ContractId, cancellationToken).ConfigureAwait(false))?.Ledger?.MandateId : null;
        var result = new List<VeraBetalingsregeling>();
        foreach (var agreed in events.OfType<ArrangementActivated>())
        {
            var id = agreed.ArrangementId;
            var kept = events.OfType<InstalmentKept>().Where(e => e.ArrangementId == id).Select(e => e.Number).ToHashSet();
            var missed = events.OfType<InstalmentMissed>().Where(e => e.ArrangementId == id).Select(e => e.Number).ToHashSet();
            var ended = events.OfType<ArrangementEnded>().LastOrDefault(e => e.ArrangementId == id);
            var status = ended?.Status ?? (state.Arrangement?.Id == id ? state.Arrangement.Status : ArrangementStatus.ACT);
            var settled = ended?.EndReason is ArrangementEndReason.AFB or ArrangementEndReason.ONI or ArrangementEndReason.SAN;
            var termijnen = agreed.Instalments.Select(i =>
            {
                var paid = settled || kept.Contains(i.Number);
                return new VeraTermijn(i.Number, Iso(i.DueDate), i.Amount, paid ? 0m : i.Amount, paid ? "voldaan" : missed.Contains(i.Number) ? "niet voldaan" : "open");
            }).ToList();
            var dates = agreed.Instalments.Select(i => i.DueDate).ToList();
            var monthly = dates.Zip(dates.Skip(1)).All(p => p.Second == p.First.AddMonths(1));
            var boekingen = events.OfType<PaymentApplied>()
                .Where(p => p.Sequence > agreed.Sequence && (ended is null || p.Sequence < ended.Sequence))
                .Select(p => new VeraBoeking(p.PaymentId, Iso(p.BookedOn), p.Amount)).ToList();
            result.Add(new VeraBetalingsregeling(
                id,
                StatusCode(status),
                Iso(dates[0]),
                ended is null ? Iso(dates[^1]) : Iso(CaseCore.BusinessDate(ended.At)),
                Iso(agreed.AgreedOn),
                agreed.Total,
                termijnen.Sum(t => t.Saldo),
                termijnen.Count,
                monthly ? "P1M" : null,
                state.DirectDebit ? new VeraBetaalwijze(mandate, null, "doorlopend", null, null) : null,
                debtor,
                new VeraOvereenkomst(state.ContractId),
                ended?.EndReason is { } reason ? EndCode(reason) : null,
                boekingen,
                termijnen));
        }

        return result;
    }

    private async Task<VeraExterneIncassoView?> HandoverOfAsync(string caseId, CaseState state, CancellationToken cancellationToken)
    {
        var events = await cases.GetEventsAsync(caseId, cancellationToken).ConfigureAwait(false);
        if (events.OfType<HandedOver>().LastOrDefault() is not { } handover)
        {
            return null;
        }

        var costsAtHandover = events.OfType<CollectionCostsCharged>().Where(c => c.Sequence < handover.Sequence).Sum(c => c.Costs);
        var closed = state.Status is Domain.Cases.CaseStatus.Closed or Domain.Cases.CaseStatus.WrittenOff;
        var status = closed ? new VeraCode("EIN", "beëindigd") : state.LegalSteps.Count > 0 ? new VeraCode("ACT", "actief") : new VeraCode("NIE", "nieuw");
        var bailiff = handover.Target == HandoverTarget.Bailiff;
        List<VeraIncassoActie> acties = [new("overdracht", Iso(handover.On)), .. state.LegalSteps.Select(l => new VeraIncassoActie(Dutch.Legal(l.Step).ToLowerInvariant(), Iso(l.On)))];
        return new VeraExterneIncassoView(
            caseId,
            bailiff ? new VeraCode("DEU", "deurwaarder") : new VeraCode("INC", "incassobureau"),
            status,
            Iso(handover.On),
            handover.Arrears + costsAtHandover,
            closed ? 0m : state.Arrears + state.CostCharges.Sum(c => c.Amount),
            await DebtorAsync(caseId, cancellationToken).ConfigureAwait(false),
            [new VeraOvereenkomst(state.ContractId)],
            bailiff ? "deurwaarder" : "incassobureau",
            acties);
    }

    private async Task<VeraDebiteur?> DebtorAsync(string caseId, CancellationToken cancellationToken) =>
        await tenants.FindAsync(caseId, cancellationToken).ConfigureAwait(false) is { } t
            ? new VeraDebiteur(t.Name, new VeraAdres(t.Street, t.PostalCode, t.City), t.DateOfBirth is { } born ? Iso(born) : null, t.Phone, t.Email)
            : null;

    internal static VeraCode StatusCode(ArrangementStatus status) => status switch
    {
        ArrangementStatus.AAN => new("AAN", "aangevraagd"),
        ArrangementStatus.ACT => new("ACT", "actief"),
        ArrangementStatus.ANN => new("ANN", "geannuleerd"),
        ArrangementStatus.BEE => new("BEE", "beëindigd"),
        ArrangementStatus.BEV => new("BEV", "bevroren"),
        _ => new("VER", "verwijderd"),
    };

    internal static VeraCode EndCode(ArrangementEndReason reason) => reason switch
    {
        ArrangementEndReason.AFB => new("AFB", "afbetaald"),
        ArrangementEndReason.ONI => new("ONI", "oninbaar"),
        ArrangementEndReason.SAN => new("SAN", "restschuld gesaneerd"),
        _ => new("VOL", "regeling voldoet niet"),
    };

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
