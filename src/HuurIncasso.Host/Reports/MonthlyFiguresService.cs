using System.Collections.Immutable;
using System.Text.Json;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Figures;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Engine;
using HuurIncasso.Host.Inputs;
using HuurIncasso.Integrations.Documents;
using HuurIncasso.Integrations.Reports;

namespace HuurIncasso.Host.Reports;

/// <summary>
/// The read side of the monthly figures: one pass over the events of every case (one table
/// scan), the contract register for the denominators, the policy for the targets; the
/// computation itself is the domain's <see cref="MonthlyFiguresBuilder"/>. Thread-safe.
/// </summary>
/// <remarks>
/// Denominators: a month that a report covered uses the contract counts frozen then in its
/// <c>portefeuille.json</c>; other months (the running one, or before the first report) are
/// reconstructed from today's register: start and end dates decide which contracts ran; rent
/// and direct debit are today's, since the register keeps no history.
/// </remarks>
public sealed class MonthlyFiguresService(
    CaseClient<CaseState, CaseMessage, CaseEvent> cases,
    ContractRegister contracts,
    DocumentStore documents,
    PolicyCatalog policies,
    TimeProvider time)
{
    /// <summary>Months in a trend: a year.</summary>
    public const int TrendMonths = 12;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private static readonly TimeSpan DashboardCacheTime = TimeSpan.FromMinutes(1);
    private (DateTimeOffset At, Task<ImmutableArray<MonthFigures>> Figures)? _dashboard;

    /// <summary>The month running now (Amsterdam).</summary>
    public ReportMonth CurrentMonth => ReportMonth.Of(CaseCore.BusinessDate(time.GetUtcNow()));

    /// <summary>The <see cref="TrendMonths"/> months up to and including <paramref name="last"/>, oldest first, fresh from storage.</summary>
    public async Task<ImmutableArray<MonthFigures>> ComputeAsync(ReportMonth last, CancellationToken cancellationToken = default)
    {
        var first = last.AddMonths(-(TrendMonths - 1));
        var builder = new MonthlyFiguresBuilder(first, last);
        await foreach (var (_, events) in cases.ReadAllEventsAsync(cancellationToken).ConfigureAwait(false))
        {
            builder.AddCase(events);
        }

        var portfolio = await PortfolioAsync(first, last, cancellationToken).ConfigureAwait(false);
        return builder.Build(portfolio, TargetsFor);
    }

    /// <summary>
    /// The year up to the running month (its stocks as they stand now), for the dashboard. Reused
    /// for a minute, so many people opening the page do not each scan all cases.
    /// </summary>
    public Task<ImmutableArray<MonthFigures>> DashboardAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var cached = _dashboard;
        if (cached is not { } c || now - c.At >= DashboardCacheTime || c.Figures.IsFaulted || c.Figures.IsCanceled)
        {
            // Shared by every caller in the next minute, so one caller leaving the page must not cancel it.
            c = (now, ComputeAsync(CurrentMonth, CancellationToken.None));
            _dashboard = c;
        }

        return c.Figures.WaitAsync(cancellationToken);
    }

    /// <summary>The months that have a written report, newest first.</summary>
    public async Task<IReadOnlyList<ReportMonth>> ReportMonthsAsync(CancellationToken cancellationToken = default)
    {
        var names = await documents.ListAsync(ReportNames.Root, cancellationToken).ConfigureAwait(false);
        return [.. names
            .Where(n => n.EndsWith("/" + ReportNames.HtmlFile, StringComparison.Ordinal))
            .Select(n => ReportMonth.TryParse(n[ReportNames.Root.Length..^(ReportNames.HtmlFile.Length + 1)], out var m) ? m : (ReportMonth?)null)
            .OfType<ReportMonth>()
            .OrderDescending()];
    }

    /// <summary>Writes <c>portefeuille.json</c> for each month from <paramref name="first"/> to <paramref name="last"/> that has none yet, from today's register.</summary>
    public async Task FreezePortfolioAsync(ReportMonth first, ReportMonth last, CancellationToken cancellationToken = default)
    {
        var existing = (await documents.ListAsync(ReportNames.Root, cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var facts = await ContractFactsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var month in ReportMonth.Range(first, last).Where(m => !existing.Contains(ReportNames.File(m, ReportNames.PortfolioFile))))
        {
            await WriteSnapshotAsync(PortfolioMonth.AtEndOf(month, facts), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The frozen contract counts of a reported month, or null.</summary>
    public async Task<PortfolioMonth?> ReadSnapshotAsync(ReportMonth month, CancellationToken cancellationToken = default)
    {
        var content = await documents.ReadAsync(ReportNames.File(month, ReportNames.PortfolioFile), cancellationToken).ConfigureAwait(false);
        if (content is null)
        {
            return null;
        }

        var snapshot = content.ToObjectFromJson<PortfolioSnapshot>(Json)
            ?? throw new InvalidDataException($"{ReportNames.File(month, ReportNames.PortfolioFile)} is empty.");
        return new PortfolioMonth(month, snapshot.CurrentContracts, snapshot.YearlyRent, snapshot.DirectDebitContracts);
    }

    /// <summary>Freezes the month's contract counts so later reports divide by the same numbers.</summary>
    private Task WriteSnapshotAsync(PortfolioMonth portfolio, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        var snapshot = new PortfolioSnapshot(portfolio.Month.ToString(), portfolio.CurrentContracts, portfolio.YearlyRent, portfolio.DirectDebitContracts);
        return documents.WriteAsync(ReportNames.File(portfolio.Month, ReportNames.PortfolioFile), BinaryData.FromObjectAsJson(snapshot, Json), "application/json", cancellationToken);
    }

    // Before the first policy version took effect, its targets are the best there are.
    private KpiTargets TargetsFor(ReportMonth month) =>
        (policies.Versions.FirstOrDefault(p => p.ValidFrom <= month.LastDay) ?? policies.Versions[^1]).Kpis;

    private async Task<Dictionary<ReportMonth, PortfolioMonth>> PortfolioAsync(ReportMonth first, ReportMonth last, CancellationToken cancellationToken)
    {
        var frozen = (await documents.ListAsync(ReportNames.Root, cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var facts = await ContractFactsAsync(cancellationToken).ConfigureAwait(false);
        var result = new Dictionary<ReportMonth, PortfolioMonth>();
        foreach (var month in ReportMonth.Range(first, last))
        {
            result[month] = (frozen.Contains(ReportNames.File(month, ReportNames.PortfolioFile))
                    ? await ReadSnapshotAsync(month, cancellationToken).ConfigureAwait(false)
                    : null)
                ?? PortfolioMonth.AtEndOf(month, facts);
        }

        return result;
    }

    private async Task<List<ContractFacts>> ContractFactsAsync(CancellationToken cancellationToken) =>
        [.. (await contracts.ListAsync(cancellationToken).ConfigureAwait(false))
            .Select(c => c.Ledger)
            .OfType<Integrations.Ledger.LedgerRow>()
            .Select(l => new ContractFacts(l.ContractStart, l.ContractEnd, l.MonthlyRent, l.DirectDebit))];

    private sealed record PortfolioSnapshot(string Month, int CurrentContracts, decimal YearlyRent, int DirectDebitContracts);
}
