using System.Collections.Immutable;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;

namespace HuurIncasso.Domain.Figures;

/// <summary>
/// Computes the monthly figures from the cases' events. Each case is replayed with the core's
/// own <see cref="CaseCore.Apply"/>, so the arrears in the figures are the arrears every case
/// page shows (rent only; collection costs are not arrears). Stocks (tenants and arrears) are
/// taken at the end of each month; flows (signals, evictions, summonses) are counted by the
/// Amsterdam date of the event, and legal steps by the date the step took place.
/// </summary>
/// <remarks>
/// Feed it case by case (<see cref="AddCase"/>, each case's events in sequence order), then call
/// <c>Build</c>. Holds only counters per month, so memory does not grow with the number
/// of cases. Not thread-safe; pure otherwise (no clock, no I/O).
/// </remarks>
public sealed class MonthlyFiguresBuilder
{
    /// <summary>Months counted by the rolling-year figures (evictions, summonses).</summary>
    public const int RollingMonths = 12;

    private readonly ReportMonth _first;
    private readonly ReportMonth _last;
    private readonly ReportMonth _flowsFrom;
    private readonly Stock[] _stocks;
    private readonly Flow[] _flows;

    /// <summary>Figures for every month from <paramref name="first"/> to <paramref name="last"/>.</summary>
    public MonthlyFiguresBuilder(ReportMonth first, ReportMonth last)
    {
        if (last < first)
        {
            throw new ArgumentException($"The last month {last} lies before the first {first}.", nameof(last));
        }

        _first = first;
        _last = last;
        _flowsFrom = first.AddMonths(-(RollingMonths - 1));
        _stocks = new Stock[last.MonthsSince(first) + 1];
        _flows = new Flow[last.MonthsSince(_flowsFrom) + 1];
        for (var i = 0; i < _flows.Length; i++)
        {
            _flows[i] = new Flow();
        }
    }

    /// <summary>Replays one case; events after the last month are ignored.</summary>
    public void AddCase(IEnumerable<CaseEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        CaseState? state = null;
        ReportMonth? stateMonth = null;
        foreach (var e in events)
        {
            var month = ReportMonth.Of(CaseCore.BusinessDate(e.At));
            if (month > _last)
            {
                break;
            }

            // The state as it stood at the end of every month between the previous event and this one.
            if (state is not null && stateMonth is { } from && from < month)
            {
                RecordStock(state, from, month.AddMonths(-1));
            }

            state = CaseCore.Apply(state ?? CaseState.Empty(""), e);
            stateMonth = month;
            CountFlow(e, month);
        }

        if (state is not null && stateMonth is { } lastSeen)
        {
            RecordStock(state, lastSeen, _last);
        }
    }

    /// <summary>
    /// The figures per month with their targets. <paramref name="portfolio"/> gives the contract
    /// counts and rents per month; a month without one has no value for the figures that divide by them.
    /// </summary>
    public ImmutableArray<MonthFigures> Build(IReadOnlyDictionary<ReportMonth, PortfolioMonth> portfolio, KpiTargets targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return Build(portfolio, _ => targets);
    }

    /// <summary>As <see cref="Build(IReadOnlyDictionary{ReportMonth, PortfolioMonth}, KpiTargets)"/>, with each month judged by the targets in force then.</summary>
    public ImmutableArray<MonthFigures> Build(IReadOnlyDictionary<ReportMonth, PortfolioMonth> portfolio, Func<ReportMonth, KpiTargets> targetsOf)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        ArgumentNullException.ThrowIfNull(targetsOf);
        var result = ImmutableArray.CreateBuilder<MonthFigures>(_stocks.Length);
        foreach (var month in ReportMonth.Range(_first, _last))
        {
            var s = _stocks[month.MonthsSince(_first)];
            var p = portfolio.TryGetValue(month, out var found) ? found : null;
            var evictions = 0;
            var summonses = 0;
            for (var back = 0; back < RollingMonths; back++)
            {
                var f = _flows[month.AddMonths(-back).MonthsSince(_flowsFrom)];
                evictions += f.Evictions;
                summonses += f.Summonses;
            }

            var values = new Dictionary<KpiId, decimal?>
            {
                [KpiId.TenantsInArrears] = s.CurrentInArrears,
                [KpiId.ArrearsPercentOfYearlyRent] = p is { YearlyRent: > 0m } ? Percent(s.CurrentArrears, p.YearlyRent) : null,
                [KpiId.AverageArrearsCurrent] = s.CurrentInArrears == 0 ? null : Round(s.CurrentArrears / s.CurrentInArrears),
                [KpiId.AverageArrearsDeparted] = s.DepartedInArrears == 0 ? null : Round(s.DepartedArrears / s.DepartedInArrears),
                [KpiId.Evictions] = evictions,
                [KpiId.LegalProcedures] = summonses,
                [KpiId.EarlySignalCoverage] = s.EarlySignalsDue == 0 ? null : Percent(s.EarlySignalsDone, s.EarlySignalsDue),
                [KpiId.DirectDebitShare] = p is { CurrentContracts: > 0 } ? Percent(p.DirectDebitContracts, p.CurrentContracts) : null,
                [KpiId.ArrearsCurrent] = s.CurrentArrears,
                [KpiId.DepartedTenantsInArrears] = s.DepartedInArrears,
                [KpiId.ArrearsDeparted] = s.DepartedArrears,
                [KpiId.EarlySignalsSent] = _flows[month.MonthsSince(_flowsFrom)].EarlySignals,
                [KpiId.CurrentContracts] = p?.CurrentContracts,
            };
            var targets = targetsOf(month);
            var figures = Kpis.All.Select(k =>
            {
                var value = values[k.Id];
                var target = k.TargetIn(targets);
                return new KpiFigure(k.Id, value, target, Kpis.Judge(value, target, month));
            });
            result.Add(new MonthFigures(month, [.. figures]));
        }

        return result.MoveToImmutable();
    }

    /// <summary>The figures of <paramref name="cases"/> in one call.</summary>
    public static ImmutableArray<MonthFigures> Compute(
        IEnumerable<IEnumerable<CaseEvent>> cases, ReportMonth first, ReportMonth last,
        IReadOnlyDictionary<ReportMonth, PortfolioMonth> portfolio, KpiTargets targets)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var builder = new MonthlyFiguresBuilder(first, last);
        foreach (var events in cases)
        {
            builder.AddCase(events);
        }

        return builder.Build(portfolio, targets);
    }

    private void RecordStock(CaseState state, ReportMonth from, ReportMonth to)
    {
        // A closed case (paid or written off) has no arrears, whatever a late ledger line says.
        if (state.IsClosed || state.Status == CaseStatus.New || state.Arrears <= 0m)
        {
            return;
        }

        var departed = state.Track == CaseTrack.Departed;
        var signal = state.EarlySignal;
        var signalDue = !departed && !signal.Objected && (signal.Held || signal.SentOn is not null);
        var start = from < _first ? _first : from;
        for (var m = start; m <= to; m = m.AddMonths(1))
        {
            ref var s = ref _stocks[m.MonthsSince(_first)];
            if (departed)
            {
                s.DepartedInArrears++;
                s.DepartedArrears += state.Arrears;
            }
            else
            {
                s.CurrentInArrears++;
                s.CurrentArrears += state.Arrears;
                if (signalDue)
                {
                    s.EarlySignalsDue++;
                    s.EarlySignalsDone += signal.SentOn is null ? 0 : 1;
                }
            }
        }
    }

    private void CountFlow(CaseEvent e, ReportMonth month)
    {
        switch (e)
        {
            case EarlySignalSent:
                if (At(month) is { } signals)
                {
                    signals.EarlySignals++;
                }

                break;
            case LegalStepRecorded { Step: LegalStep.Eviction } l:
                if (At(ReportMonth.Of(l.On)) is { } evictions)
                {
                    evictions.Evictions++;
                }

                break;
            case LegalStepRecorded { Step: LegalStep.Summons } l:
                if (At(ReportMonth.Of(l.On)) is { } summonses)
                {
                    summonses.Summonses++;
                }

                break;
            default:
                break;
        }
    }

    private Flow? At(ReportMonth month) =>
        month < _flowsFrom || month > _last ? null : _flows[month.MonthsSince(_flowsFrom)];

    private static decimal Percent(decimal part, decimal whole) => Round(part / whole * 100m);

    private static decimal Round(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    private struct Stock
    {
        public int CurrentInArrears;
        public decimal CurrentArrears;
        public int DepartedInArrears;
        public decimal DepartedArrears;
        public int EarlySignalsDue;
        public int EarlySignalsDone;
    }

    private sealed class Flow
    {
        public int EarlySignals { get; set; }

        public int Evictions { get; set; }

        public int Summonses { get; set; }
    }
}
