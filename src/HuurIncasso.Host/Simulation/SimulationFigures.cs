using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using HuurIncasso.Domain.Cases;

namespace HuurIncasso.Host.Simulation;

/// <summary>
/// The policy's figures for one month (or, in <see cref="SimulationResult.Total"/>, the whole
/// run: flows summed, stocks at the end of the last month). Flows count events in the month;
/// stocks are taken at the month's end.
/// </summary>
/// <param name="Month">The month as <c>yyyy-MM</c>, or <c>totaal</c>.</param>
/// <param name="CasesOpened">New cases and reopened cases (a new episode of arrears).</param>
/// <param name="CasesClosedPaid">Cases closed because the arrears were paid.</param>
/// <param name="Reminders">Reminder steps taken.</param>
/// <param name="Calls">Call outcomes recorded (reached or not).</param>
/// <param name="Visits">Visit outcomes recorded (met or not): visits attempted.</param>
/// <param name="FormalNotices">14-day notices sent.</param>
/// <param name="CollectionCosts">Times collection costs were charged.</param>
/// <param name="Handovers">Cases handed over to an agency or bailiff.</param>
/// <param name="HandoversDeparted">Of those, departed tenants (their plan needs no visit).</param>
/// <param name="HandoversWithoutVisit">Handovers of current tenants with no visit attempt since the episode opened. Must be 0.</param>
/// <param name="EscalationsAfterPayment">Escalation steps taken while the case's arrears were zero. Must be 0.</param>
/// <param name="ArrangementsAgreed">Arrangements activated.</param>
/// <param name="ArrangementsBroken">Arrangements ended because they were not kept.</param>
/// <param name="InstalmentsMissed">Missed instalments (each an alert for a consultant).</param>
/// <param name="PausesStarted">Pauses approved.</param>
/// <param name="EarlySignals">Early signals sent to the municipality.</param>
/// <param name="TenantsInArrears">Current tenants whose case shows arrears at the month's end.</param>
/// <param name="ArrearsPercent">Their arrears as a percentage of the yearly rent of all current contracts.</param>
/// <param name="AverageArrears">Their average arrears in euros.</param>
/// <param name="TotalArrears">Their arrears in euros.</param>
/// <param name="LedgerTenantsInArrears">For comparison: contracts the ledger shows in arrears at the month's end (also those too fresh for a case).</param>
public sealed record SimulationFigures(
    string Month,
    int CasesOpened,
    int CasesClosedPaid,
    int Reminders,
    int Calls,
    int Visits,
    int FormalNotices,
    int CollectionCosts,
    int Handovers,
    int HandoversDeparted,
    int HandoversWithoutVisit,
    int EscalationsAfterPayment,
    int ArrangementsAgreed,
    int ArrangementsBroken,
    int InstalmentsMissed,
    int PausesStarted,
    int EarlySignals,
    int TenantsInArrears,
    decimal ArrearsPercent,
    decimal AverageArrears,
    decimal TotalArrears,
    int LedgerTenantsInArrears);

/// <summary>The outcome of one simulation run.</summary>
public sealed record SimulationResult(
    string Policy,
    int Contracts,
    int MonthsSimulated,
    int Seed,
    DateOnly Start,
    int Cases,
    long MessagesHandled,
    SimulationFigures Total,
    IReadOnlyList<SimulationFigures> Months)
{
    /// <summary>Run time; left out of the JSON so that the same seed gives the same JSON.</summary>
    [JsonIgnore]
    public TimeSpan Elapsed { get; init; }
}

/// <summary>
/// Counts the figures from the cases' committed events, without asking the core what it
/// thinks: arrears are folded from the money events themselves, visits and handovers are
/// matched per episode. So a core that escalated a paid case, or handed over without a visit,
/// shows up here.
/// </summary>
/// <remarks>
/// Fed one event at a time as it is committed (<see cref="Add"/>), so a run need not keep its
/// events: per case only a running balance and episode flags are held. Cases may be fed from
/// several threads, but each case's events from one thread at a time, in sequence order.
/// <see cref="Result"/> then closes every case's stock up to the last month.
/// </remarks>
internal sealed class FigureCalculator
{
    private readonly DateOnly _start;
    private readonly int _months;
    private readonly Counts[] _counts;
    private readonly decimal[] _arrears;
    private readonly int[] _inArrears;
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, CaseTally> _cases = new(StringComparer.Ordinal);

    public FigureCalculator(DateOnly start, int months)
    {
        _start = start;
        _months = months;
        _counts = new Counts[months];
        for (var i = 0; i < months; i++)
        {
            _counts[i] = new Counts();
        }

        _arrears = new decimal[months];
        _inArrears = new int[months];
    }

    /// <summary>Adds one case's events, in sequence order, as a case of its own.</summary>
    public void AddCase(IEnumerable<CaseEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var tally = new CaseTally();
        foreach (var e in events)
        {
            Count(tally, e);
        }

        Close(tally);
    }

    /// <summary>Adds the next event of case <paramref name="caseId"/>.</summary>
    public void Add(string caseId, CaseEvent e)
    {
        ArgumentNullException.ThrowIfNull(caseId);
        ArgumentNullException.ThrowIfNull(e);
        Count(_cases.GetOrAdd(caseId, static _ => new CaseTally()), e);
    }

    private void Count(CaseTally tally, CaseEvent e)
    {
        var month = MonthIndex(CaseCore.BusinessDate(e.At));
        if (month < 0 || month >= _months)
        {
            return;
        }

        lock (_gate)
        {
            // The balance at the end of every month before this event's month.
            if (tally.StockFrom >= 0)
            {
                RecordStock(tally.StockFrom, month, tally.Balance, tally.Departed);
            }

            tally.StockFrom = month;
            var c = _counts[month];
            if (IsEscalation(e) && tally.Balance <= 0m)
            {
                c.EscalationsAfterPayment++;
            }

            switch (e)
            {
                case CaseOpened o:
                    tally.Balance = o.Balance;
                    tally.Visited = false;
                    c.CasesOpened++;
                    break;
                case CaseReopened:
                    tally.Visited = false;
                    c.CasesOpened++;
                    break;
                case RentCharged r:
                    tally.Balance += r.Amount;
                    break;
                case PaymentApplied p:
                    tally.Balance -= p.Amount;
                    break;
                case DirectDebitReversed r:
                    tally.Balance += r.Amount;
                    break;
                case BalanceDifferenceFound d:
                    tally.Balance = d.LedgerBalance;
                    break;
                case WrittenOff w:
                    tally.Balance -= w.Amount;
                    break;
                case TenantDeparted:
                    tally.Departed = true;
                    break;
                case VisitOutcomeRecorded:
                    tally.Visited = true;
                    c.Visits++;
                    break;
                case CallOutcomeRecorded:
                    c.Calls++;
                    break;
                case StepTaken { Kind: Domain.Policies.StepKind.Reminder }:
                    c.Reminders++;
                    break;
                case FormalNoticeSent:
                    c.FormalNotices++;
                    break;
                case CollectionCostsCharged:
                    c.CollectionCosts++;
                    break;
                case HandedOver:
                    c.Handovers++;
                    if (tally.Departed)
                    {
                        c.HandoversDeparted++;
                    }
                    else if (!tally.Visited)
                    {
                        c.HandoversWithoutVisit++;
                    }

                    break;
                case ArrangementActivated:
                    c.ArrangementsAgreed++;
                    break;
                case ArrangementEnded { EndReason: ArrangementEndReason.VOL }:
                    c.ArrangementsBroken++;
                    break;
                case InstalmentMissed:
                    c.InstalmentsMissed++;
                    break;
                case PauseStarted:
                    c.PausesStarted++;
                    break;
                case EarlySignalSent:
                    c.EarlySignals++;
                    break;
                case CaseClosed { Outcome: CaseOutcome.Paid }:
                    c.CasesClosedPaid++;
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>The case's balance counts in the stock of every month from its last event's to the end.</summary>
    private void Close(CaseTally tally)
    {
        lock (_gate)
        {
            if (tally.StockFrom >= 0)
            {
                RecordStock(tally.StockFrom, _months, tally.Balance, tally.Departed);
                tally.StockFrom = -1;
            }
        }
    }

    /// <summary>The figures per month and in total.</summary>
    /// <param name="yearlyRent">Per month, the yearly rent of all current contracts at its end.</param>
    /// <param name="ledgerInArrears">Per month, the contracts the ledger showed in arrears at its end.</param>
    public (SimulationFigures Total, IReadOnlyList<SimulationFigures> Months) Result(IReadOnlyList<decimal> yearlyRent, IReadOnlyList<int> ledgerInArrears)
    {
        ArgumentNullException.ThrowIfNull(yearlyRent);
        ArgumentNullException.ThrowIfNull(ledgerInArrears);

        // In case-id order, as the figures were summed when they were read back case by case.
        foreach (var caseId in _cases.Keys.Order(StringComparer.Ordinal))
        {
            Close(_cases[caseId]);
        }

        _cases.Clear();
        var months = new List<SimulationFigures>(_months);
        var total = new Counts();
        for (var i = 0; i < _months; i++)
        {
            total.Add(_counts[i]);
            var month = _start.AddMonths(i);
            months.Add(Figures(month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), _counts[i], i, yearlyRent[i], ledgerInArrears[i]));
        }

        var last = _months - 1;
        var totals = last < 0
            ? Figures("totaal", total, -1, 0m, 0)
            : Figures("totaal", total, last, yearlyRent[last], ledgerInArrears[last]);
        return (totals, months);
    }

    /// <summary>An escalation: a ladder step, the notice, collection costs, the early signal or a handover.</summary>
    internal static bool IsEscalation(CaseEvent e) => e is StepTaken or FormalNoticeSent or CollectionCostsCharged or EarlySignalSent or HandedOver;

    private SimulationFigures Figures(string name, Counts c, int stockMonth, decimal yearlyRent, int ledgerInArrears)
    {
        var arrears = stockMonth < 0 ? 0m : _arrears[stockMonth];
        var tenants = stockMonth < 0 ? 0 : _inArrears[stockMonth];
        return new SimulationFigures(
            name,
            c.CasesOpened,
            c.CasesClosedPaid,
            c.Reminders,
            c.Calls,
            c.Visits,
            c.FormalNotices,
            c.CollectionCosts,
            c.Handovers,
            c.HandoversDeparted,
            c.HandoversWithoutVisit,
            c.EscalationsAfterPayment,
            c.ArrangementsAgreed,
            c.ArrangementsBroken,
            c.InstalmentsMissed,
            c.PausesStarted,
            c.EarlySignals,
            tenants,
            yearlyRent <= 0m ? 0m : Math.Round(arrears / yearlyRent * 100m, 2, MidpointRounding.AwayFromZero),
            tenants == 0 ? 0m : Math.Round(arrears / tenants, 2, MidpointRounding.AwayFromZero),
            arrears,
            ledgerInArrears);
    }

    private void RecordStock(int fromMonth, int toMonthExclusive, decimal balance, bool departed)
    {
        if (balance <= 0m || departed)
        {
            return;
        }

        for (var m = fromMonth; m < toMonthExclusive; m++)
        {
            _arrears[m] += balance;
            _inArrears[m]++;
        }
    }

    private int MonthIndex(DateOnly date) => ((date.Year - _start.Year) * 12) + date.Month - _start.Month;

    /// <summary>What one case's next event is counted against: its episode so far.</summary>
    private sealed class CaseTally
    {
        public decimal Balance { get; set; }

        public bool Departed { get; set; }

        public bool Visited { get; set; }

        /// <summary>The month of the last event counted, from which the balance is still to be recorded in the stock; -1 for none.</summary>
        public int StockFrom { get; set; } = -1;
    }

    private sealed class Counts
    {
        public int CasesOpened { get; set; }

        public int CasesClosedPaid { get; set; }

        public int Reminders { get; set; }

        public int Calls { get; set; }

        public int Visits { get; set; }

        public int FormalNotices { get; set; }

        public int CollectionCosts { get; set; }

        public int Handovers { get; set; }

        public int HandoversDeparted { get; set; }

        public int HandoversWithoutVisit { get; set; }

        public int EscalationsAfterPayment { get; set; }

        public int ArrangementsAgreed { get; set; }

        public int ArrangementsBroken { get; set; }

        public int InstalmentsMissed { get; set; }

        public int PausesStarted { get; set; }

        public int EarlySignals { get; set; }

        public void Add(Counts o)
        {
            CasesOpened += o.CasesOpened;
            CasesClosedPaid += o.CasesClosedPaid;
            Reminders += o.Reminders;
            Calls += o.Calls;
            Visits += o.Visits;
            FormalNotices += o.FormalNotices;
            CollectionCosts += o.CollectionCosts;
            Handovers += o.Handovers;
            HandoversDeparted += o.HandoversDeparted;
            HandoversWithoutVisit += o.HandoversWithoutVisit;
            EscalationsAfterPayment += o.EscalationsAfterPayment;
            ArrangementsAgreed += o.ArrangementsAgreed;
            ArrangementsBroken += o.ArrangementsBroken;
            InstalmentsMissed += o.InstalmentsMissed;
            PausesStarted += o.PausesStarted;
            EarlySignals += o.EarlySignals;
        }
    }
}
