using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics;
using System.Globalization;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Domain.Simulation;
using HuurIncasso.Engine;
using HuurIncasso.Engine.InMemory;
using HuurIncasso.Host.Cases;

namespace HuurIncasso.Host.Simulation;

/// <summary>What to simulate.</summary>
/// <param name="Contracts">Contracts in the synthetic portfolio.</param>
/// <param name="Months">Months to run, from <paramref name="Start"/>.</param>
/// <param name="Seed">The seed of the portfolio and of the people's choices.</param>
/// <param name="Start">The first day: a 1st of a month, on or after the policy's validFrom.</param>
/// <param name="Workers">
/// Threads that handle one moment's messages, partitioned by case (0: one per core). The figures
/// do not depend on it: each case gets the same messages in the same order on the same clock.
/// </param>
public sealed record SimulationSettings(int Contracts, int Months, int Seed, DateOnly Start, int Workers = 0);

/// <summary>
/// Runs a synthetic portfolio through the arrears workflow on the in-memory engine, day by day
/// on a virtual clock: the ledger's and the bank's facts become messages, due timers fire
/// through the engine's timer sweep, and simulated consultants answer their worklist. The
/// figures are counted from the events as they are committed by <see cref="FigureCalculator"/>.
/// </summary>
/// <remarks>
/// Cases are independent between the day's moments (timers, bank, monthly processing, people,
/// ledger check): within one moment the cases' messages are handled on all cores, each case's
/// own messages one after another in the order a single thread would send them.
/// </remarks>
public static class PortfolioSimulation
{
    /// <summary>The hour (Amsterdam) at which timers fire, ledger and bank facts arrive, people act and the ledger is checked.</summary>
    private static readonly TimeSpan BankHour = TimeSpan.FromHours(4);
    private static readonly TimeSpan PeopleHour = TimeSpan.FromHours(6);
    private static readonly TimeSpan LedgerCheckHour = TimeSpan.FromHours(10);

    /// <summary>The ledger reports arrears to a case once the oldest unpaid rent is this many days past due.</summary>
    public const int OpenAfterDaysPastDue = 4;

    /// <summary>The day of the month of the monthly processing (balances restated, payment history updated).</summary>
    public const int MonthlyProcessingDay = 5;

    /// <summary>The first 1st of a month on which all <paramref name="policies"/> are in force.</summary>
    public static DateOnly StartFor(params CollectionPolicy[] policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var from = policies.Max(p => p.ValidFrom);
        var first = new DateOnly(from.Year, from.Month, 1);
        return first < from ? first.AddMonths(1) : first;
    }

    /// <summary>Runs the simulation with <paramref name="policy"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Contracts or months out of range.</exception>
    /// <exception cref="ArgumentException">The start is not a 1st, or before the policy is in force.</exception>
    public static Task<SimulationResult> RunAsync(CollectionPolicy policy, SimulationSettings settings, CancellationToken cancellationToken = default) =>
        RunAsync(policy, settings, decided: null, cancellationToken);

    /// <summary>As <see cref="RunAsync(CollectionPolicy, SimulationSettings, CancellationToken)"/>, telling <paramref name="decided"/> every decision's input (the bench replays them).</summary>
    internal static async Task<SimulationResult> RunAsync(CollectionPolicy policy, SimulationSettings settings, Action<CaseState, CaseMessage, DateTimeOffset>? decided, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.Contracts);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.Months);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(settings.Months, 120);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.Workers);
        if (settings.Start.Day != 1 || settings.Start < policy.ValidFrom)
        {
            throw new ArgumentException($"The simulation must start on a 1st on or after the policy's validFrom {policy.ValidFrom:yyyy-MM-dd}; got {settings.Start:yyyy-MM-dd}.", nameof(settings));
        }

        var stopwatch = Stopwatch.StartNew();
        var run = new Run(policy, settings, decided);
        await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        return await run.FiguresAsync(cancellationToken).ConfigureAwait(false) with { Elapsed = stopwatch.Elapsed };
    }

    private sealed class Run
    {
        /// <summary>Event types the figures look at; the others (waits, segments, rejections) are not decoded.</summary>
        private static readonly FrozenSet<string> CountedEvents = new[]
        {
            nameof(CaseOpened), nameof(CaseReopened), nameof(RentCharged), nameof(PaymentApplied), nameof(DirectDebitReversed),
            nameof(BalanceDifferenceFound), nameof(WrittenOff), nameof(TenantDeparted), nameof(VisitOutcomeRecorded),
            nameof(CallOutcomeRecorded), nameof(StepTaken), nameof(FormalNoticeSent), nameof(CollectionCostsCharged),
            nameof(HandedOver), nameof(ArrangementActivated), nameof(ArrangementEnded), nameof(InstalmentMissed),
            nameof(PauseStarted), nameof(EarlySignalSent), nameof(CaseClosed),
        }.ToFrozenSet(StringComparer.Ordinal);

        private readonly CollectionPolicy _policy;
        private readonly SimulationSettings _settings;
        private readonly SyntheticPortfolio _portfolio;
        private readonly SimulatedLedger _ledger;
        private readonly SimulationClock _clock;
        private readonly InMemoryCaseEngine<CaseState, CaseMessage, CaseEvent> _engine;
        private readonly SimulatedConsultants _consultants;

        // Every case's latest state, and whether it runs, by contract index (a case's id is its
        // contract number): the day's loops over the portfolio read arrays instead of hashing
        // case ids.
        private readonly CaseState?[] _states;
        private readonly bool[] _active;
        private readonly bool[] _departed;
        private readonly decimal[] _yearlyRent;
        private readonly int[] _ledgerInArrears;
        private readonly int _workers;

        // Counted as they are committed: the store keeps no events, so a large run's heap holds
        // a running balance per case instead of every event until the end.
        private readonly FigureCalculator _figures;
        private long _eventsObserved;

        public Run(CollectionPolicy policy, SimulationSettings settings, Action<CaseState, CaseMessage, DateTimeOffset>? decided)
        {
            _policy = policy;
            _settings = settings;
            _portfolio = SyntheticPortfolio.Generate(settings.Contracts, settings.Seed, settings.Start);
            _ledger = new SimulatedLedger(settings.Contracts);
            _states = new CaseState?[settings.Contracts];
            _active = new bool[settings.Contracts];

            _departed = new bool[settings.Contracts];
            _yearlyRent = new decimal[settings.Months];
            _ledgerInArrears = new int[settings.Months];

            // The bench's recorder of decisions is a plain list: one thread then.
            _workers = decided is not null ? 1 : settings.Workers > 0 ? settings.Workers : Environment.ProcessorCount;
            _clock = new SimulationClock(CaseCore.TimerInstant(settings.Start).AddDays(-1));
            _consultants = new SimulatedConsultants(settings.Seed, caseId => _portfolio.Tenancies[_portfolio.IndexOf(caseId)].Payer.Behaviour);
            var workflow = new ObservedWorkflow(new ArrearsCaseWorkflow(new PolicyCatalog([policy]), _clock), Observe, decided);
            var handlers = EffectKinds().Select(kind => (IEffectHandler)new CountingEffectHandler(kind)).ToList();
            _engine = new InMemoryCaseEngine<CaseState, CaseMessage, CaseEvent>(workflow, _clock, handlers, new EngineOptions(), new CaseSerializer<CaseState, CaseMessage, CaseEvent>(CaseJson.Options, reuseWrittenObjects: true, keepObjects: true) { KeepsEvents = false },
                new InMemoryCaseStore(retainEvents: false, retainDoneEffects: false));
            _figures = new FigureCalculator(settings.Start, settings.Months);
        }

        public async Task ExecuteAsync(CancellationToken cancellationToken)
        {
            var end = _settings.Start.AddMonths(_settings.Months);

            // Next month's facts are made on another core while this month runs; one month at a
            // time, so the generator's months are never stepped from two threads at once.
            using var months = _portfolio.FactsByMonth(_settings.Months).GetEnumerator();
            var upcoming = Task.Run(() => NextMonth(months), cancellationToken);
            for (var month = _settings.Start; month < end; month = month.AddMonths(1))
            {
                var facts = await upcoming.ConfigureAwait(false);
                var following = month.AddMonths(1);
                upcoming = following < end
                    ? Task.Run(() => NextMonth(months), cancellationToken)
                    : Task.FromResult<IReadOnlyList<SimulatedFact>>([]);
                var next = 0;
                for (var day = month; day < month.AddMonths(1); day = day.AddDays(1))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var morning = CaseCore.TimerInstant(day);
                    _clock.Set(morning);
                    await FireDueTimersAsync(cancellationToken).ConfigureAwait(false);

                    _clock.Set(morning + BankHour);
                    var booked = new List<(string CaseId, (int Contract, CaseMessage Message) Item)>();
                    for (; next < facts.Count && facts[next].Date == day; next++)
                    {
                        // A case that is not running now gets none of today's facts: only the
                        // ledger check (OpenCase) starts one, never a fact sent here.
                        var contract = _portfolio.IndexOf(facts[next].ContractNumber);
                        if (Book(contract, facts[next]) is { } message && _active[contract])
                        {
                            booked.Add((facts[next].ContractNumber, (contract, message)));
                        }
                    }

                    // A closed case hears nothing until the ledger reports arrears again (OpenCase restates it).
                    await PerCaseAsync(booked, SendIfActiveAsync, cancellationToken).ConfigureAwait(false);

                    if (day.Day == MonthlyProcessingDay)
                    {
                        await MonthlyProcessingAsync(day, cancellationToken).ConfigureAwait(false);
                    }

                    _clock.Set(morning + PeopleHour);
                    var actions = _consultants.Due(day).Select(a => (a.CaseId, a)).ToList();
                    await PerCaseAsync(actions, (caseId, action, ct) => ActAsync(caseId, action, day, ct), cancellationToken).ConfigureAwait(false);

                    _clock.Set(morning + LedgerCheckHour);
                    await OpenCasesAsync(day, cancellationToken).ConfigureAwait(false);
                }

                var index = MonthIndex(month);
                _ledgerInArrears[index] = _ledger.InArrears.Count(c => !_departed[c]);
                _yearlyRent[index] = 12m * _portfolio.Tenancies.Where(t => _portfolio.IsActive(t, month)).Sum(t => _portfolio.RentFor(t, month));
            }
        }

        public Task<SimulationResult> FiguresAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Observed is what was decided; only if every decision was committed is it what is stored.
            var committed = _engine.Store.EventsCommitted;
            if (Interlocked.Read(ref _eventsObserved) != committed)
            {
                throw new InvalidOperationException($"The figures saw {_eventsObserved} events, the store committed {committed}: a decision was not committed as observed.");
            }

            var (total, months) = _figures.Result(_yearlyRent, _ledgerInArrears);
            return Task.FromResult(new SimulationResult(_policy.Version, _settings.Contracts, _settings.Months, _settings.Seed, _settings.Start, _states.Count(s => s is not null), _engine.Store.Commits, total, months));
        }

        private void Observe(CaseEvent e, CaseState after)
        {
            var contract = _portfolio.IndexOf(after.CaseId);
            _states[contract] = after;
            _active[contract] = IsActive(after);
            _consultants.Observe(e, after);
            Interlocked.Increment(ref _eventsObserved);

            // Engine events (suspend, resume, terminate) never reach the workflow, so all here are the case's own.
            if (CountedEvents.Contains(e.GetType().Name))
            {
                _figures.Add(after.CaseId, e);
            }
        }

        /// <summary>Books a ledger or bank fact; returns what to tell the contract's case, if it has one running.</summary>
        private CaseMessage? Book(int contract, SimulatedFact fact)
        {
            switch (fact)
            {
                case SimulatedRentCharged rent:
                    _ledger.Charge(contract, rent.Date, rent.Amount);
                    return new ChargeRent(rent.Date, rent.Amount) { MessageId = fact.Id };
                case SimulatedPayment payment:
                    _ledger.Pay(contract, payment.Amount);
                    var byDirectDebit = payment.Method == SimulatedPaymentMethod.DirectDebit;
                    return new ReceivePayment(byDirectDebit ? payment.EndToEndId! : payment.Id, payment.Date, payment.Amount, byDirectDebit) { MessageId = fact.Id };
                case SimulatedReversal reversal:
                    _ledger.Reverse(contract, reversal.CollectedOn, reversal.Amount);
                    return new ReverseDirectDebit(reversal.EndToEndId, reversal.Date, reversal.Amount, reversal.ReasonCode) { MessageId = fact.Id };
                case SimulatedDeparture departure:
                    _departed[contract] = true;
                    return new RecordTenantDeparture(departure.Date) { MessageId = fact.Id };
                default:
                    return null;
            }
        }

        private CaseState? StateOf(string caseId) => _states[_portfolio.IndexOf(caseId)];

        private string CaseIdOf(int contract) => _portfolio.Tenancies[contract].Contract.ContractNumber;

        private async Task SendIfActiveAsync(string caseId, (int Contract, CaseMessage Message) booked, CancellationToken cancellationToken)
        {
            if (_active[booked.Contract])
            {
                await SendAsync(caseId, booked.Message, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>A person's planned answer, built from the case as it is now.</summary>
        private async Task ActAsync(string caseId, SimulatedConsultants.Action action, DateOnly day, CancellationToken cancellationToken)
        {
            if (StateOf(caseId) is { } state && IsActive(state) && action.Build(state, day) is { } message)
            {
                await SendAsync(caseId, message, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Handles <paramref name="work"/> on <see cref="_workers"/> threads, partitioned by case:
        /// each case's items one after another in list order, so each case sees what a single
        /// thread would show it. Only for work on which no other case depends.
        /// </summary>
        private async Task PerCaseAsync<T>(List<(string CaseId, T Item)> work, Func<string, T, CancellationToken, Task> handle, CancellationToken cancellationToken)
        {
            if (_workers == 1 || work.Count < 2)
            {
                foreach (var (caseId, item) in work)
                {
                    await handle(caseId, item, cancellationToken).ConfigureAwait(false);
                }

                return;
            }

            // Cases go to buckets by a hash of their id, each bucket in list order, so each case's
            // items stay in order without a list per case; workers take the next bucket by a
            // counter (Parallel.ForEachAsync's per-item semaphore costs more than this small,
            // mostly synchronous work).
            var buckets = new List<(string CaseId, T Item)>?[Math.Min(work.Count, _workers * 16)];
            var capacity = (work.Count / buckets.Length) + (work.Count / buckets.Length / 4) + 4;
            foreach (var entry in work)
            {
                var bucket = (int)((uint)StringComparer.Ordinal.GetHashCode(entry.CaseId) % (uint)buckets.Length);
                (buckets[bucket] ??= new(capacity)).Add(entry);
            }

            var next = -1;
            var workers = new Task[_workers];
            for (var w = 0; w < workers.Length; w++)
            {
                workers[w] = Task.Run(
                    async () =>
                    {
                        int i;
                        while ((i = Interlocked.Increment(ref next)) < buckets.Length)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            foreach (var (caseId, item) in buckets[i] ?? [])
                            {
                                await handle(caseId, item, cancellationToken).ConfigureAwait(false);
                            }
                        }
                    },
                    cancellationToken);
            }

            await Task.WhenAll(workers).ConfigureAwait(false);
        }

        /// <summary>The monthly processing: payment history, restated balances and facts for segmentation.</summary>
        private async Task MonthlyProcessingAsync(DateOnly day, CancellationToken cancellationToken)
        {
            for (var contract = 0; contract < _settings.Contracts; contract++)
            {
                _ledger.CloseMonth(contract);
            }

            var key = day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            var active = new List<(string CaseId, CaseState State)>();
            foreach (var contract in _portfolio.InContractNumberOrder)
            {
                if (_states[contract] is { } state && IsActive(state))
                {
                    active.Add((state.CaseId, state));
                }
            }

            await PerCaseAsync(active, async (caseId, state, ct) =>
            {
                // Like the ERP's export, only what changed: a balance the case does not know, a new payment history.
                // Both compared with the case as it was when the export was made (the ledger is only read here).
                var contract = _portfolio.IndexOf(caseId);
                var balance = _ledger.Balance(contract);
                if (balance != state.Arrears - state.Credit)
                {
                    await SendAsync(caseId, new RestateBalance(day, balance) { MessageId = $"ledger:{caseId}:{key}:balance" }, ct).ConfigureAwait(false);
                }

                var facts = Facts(contract, $"ledger:{caseId}:{key}:facts");
                if (facts.LateMonthsInLast12 != state.LateMonthsInLast12 || facts.DirectDebit != state.DirectDebit)
                {
                    await SendAsync(caseId, facts, ct).ConfigureAwait(false);
                }
            }, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Opens (or reopens) a case for every contract whose oldest unpaid rent is due long enough.</summary>
        private async Task OpenCasesAsync(DateOnly day, CancellationToken cancellationToken)
        {
            // Run every day over every contract in arrears (a quarter of the portfolio early in a month): plain loops.
            var limit = day.AddDays(-OpenAfterDaysPastDue);
            var due = new List<int>();
            foreach (var contract in _ledger.InArrears)
            {
                if (!_active[contract] && _ledger.OldestUnpaidDueDate(contract) is { } oldest && oldest <= limit)
                {
                    due.Add(contract);
                }
            }

            due.Sort((left, right) => _portfolio.ContractNumberRank(left).CompareTo(_portfolio.ContractNumberRank(right)));
            var key = day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            await PerCaseAsync(due.Select(c => (CaseIdOf(c), c)).ToList(), (_, contract, ct) => OpenAsync(contract, day, key, ct), cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Opens or restates the case of a contract in arrears (the ledger is only read here).</summary>
        private async Task OpenAsync(int contract, DateOnly day, string key, CancellationToken cancellationToken)
        {
            var tenancy = _portfolio.Tenancies[contract];
            var caseId = tenancy.Contract.ContractNumber;
            var open = new OpenCase(
                caseId,
                caseId,
                "T" + caseId,
                _portfolio.RentFor(tenancy, day),
                PropertyCode(tenancy.Contract.PropertyType),
                tenancy.Contract.StartDate,
                tenancy.Contract.PaymentMethod == SimulatedPaymentMethod.DirectDebit,
                _ledger.LateMonthsInLast12(contract),
                _ledger.Balance(contract),
                _ledger.OldestUnpaidDueDate(contract)!.Value)
            { MessageId = $"ledger:{caseId}:{key}:open" };
            await SendAsync(caseId, open, cancellationToken).ConfigureAwait(false);
            if (_departed[contract] && _states[contract] is { } state && state.DepartedOn is null)
            {
                var departs = tenancy.Payer.DepartsOn ?? day;
                await SendAsync(caseId, new RecordTenantDeparture(departs) { MessageId = $"ledger:{caseId}:{key}:departed" }, cancellationToken).ConfigureAwait(false);
            }
        }

        private UpdateTenantFacts Facts(int contract, string messageId) => new(
            _portfolio.Tenancies[contract].Contract.PaymentMethod == SimulatedPaymentMethod.DirectDebit,
            _ledger.LateMonthsInLast12(contract),
            Departing: false)
        { MessageId = messageId };

        private async Task SendAsync(string caseId, CaseMessage message, CancellationToken cancellationToken) =>
            await _engine.Client.StartAsync(caseId, message.MessageId, message, cancellationToken).ConfigureAwait(false);

        /// <summary>
        /// Fires every due timer: the engine's sweep puts them in its inbox, and they are taken from
        /// there and handled here, per case in inbox order, cases on all cores. Not through the inbox
        /// processor: its batches and lease renewals cost more than the decisions in a
        /// single-process run, and a failing decision should stop a simulation rather than go to a
        /// poison queue. A timer that fires sets the next one for a later day, never for now.
        /// </summary>
        private async Task FireDueTimersAsync(CancellationToken cancellationToken)
        {
            while (await _engine.TimerSweeper.SweepAsync(cancellationToken).ConfigureAwait(false) > 0)
            {
                var leases = new List<(string CaseId, InboxLease Lease)>();
                IReadOnlyList<InboxLease> batch;
                while ((batch = await _engine.Inbox.ReceiveAsync(int.MaxValue, cancellationToken).ConfigureAwait(false)).Count > 0)
                {
                    foreach (var lease in batch)
                    {
                        var message = lease.Message ?? throw new InvalidOperationException($"Unreadable inbox message: {lease.ReadError}");
                        leases.Add((message.CaseId, lease));
                    }
                }

                await PerCaseAsync(leases, FireAsync, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task FireAsync(string caseId, InboxLease lease, CancellationToken cancellationToken)
        {
            var result = await _engine.Engine.HandleAsync(lease.Message!, cancellationToken).ConfigureAwait(false);
            await _engine.Inbox.CompleteAsync(lease, cancellationToken).ConfigureAwait(false);
            await _engine.Dispatcher.DispatchAsync(caseId, result.Effects, cancellationToken).ConfigureAwait(false);
        }

        private static IReadOnlyList<SimulatedFact> NextMonth(IEnumerator<IReadOnlyList<SimulatedFact>> months) =>
            months.MoveNext() ? months.Current : throw new InvalidOperationException("The portfolio made fewer months of facts than asked for.");

        private int MonthIndex(DateOnly month) => ((month.Year - _settings.Start.Year) * 12) + month.Month - _settings.Start.Month;

        private static bool IsActive(CaseState state) => state.Status is Domain.Cases.CaseStatus.Open or Domain.Cases.CaseStatus.HandedOver;

        private static string PropertyCode(SimulatedPropertyType type) => type switch
        {
            SimulatedPropertyType.Commercial => "BOG",
            SimulatedPropertyType.SocialPurpose => "MOG",
            SimulatedPropertyType.Care => "ZOG",
            _ => "WON",
        };

        private static IEnumerable<string> EffectKinds() =>
            typeof(CaseEffect).GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonDerivedTypeAttribute), false)
                .Cast<System.Text.Json.Serialization.JsonDerivedTypeAttribute>()
                .Select(a => (string)a.TypeDiscriminator!);
    }

    /// <summary>The arrears workflow with an observer of every committed event and the state after it.</summary>
    /// <remarks>
    /// The engine asks for the effects of exactly the events it commits; in this single-writer
    /// simulation no commit conflicts and every idempotency key is new, so what is observed is
    /// what is stored; the run checks that as many events were committed as were observed.
    /// </remarks>
    private sealed class ObservedWorkflow(ArrearsCaseWorkflow inner, Action<CaseEvent, CaseState> observe, Action<CaseState, CaseMessage, DateTimeOffset>? decided) : ICaseWorkflow<CaseState, CaseMessage, CaseEvent>
    {
        public string Version => inner.Version;

        public bool Opens(CaseMessage message) => inner.Opens(message);

        public CaseState Initial(string caseId, string version) => inner.Initial(caseId, version);

        public IReadOnlyList<CaseEvent> Decide(CaseState state, CaseMessage message, DateTimeOffset now)
        {
            decided?.Invoke(state, message, now);
            return inner.Decide(state, message, now);
        }

        public CaseState Apply(CaseState state, CaseEvent @event) => inner.Apply(state, @event);

        public IReadOnlyList<Decided<CaseState, CaseEvent>> DecideAndApply(CaseState state, CaseMessage message, DateTimeOffset now)
        {
            decided?.Invoke(state, message, now);
            return inner.DecideAndApply(state, message, now);
        }

        /// <summary>
        /// The effects as <see cref="ArrearsCaseWorkflow.EffectsOf"/> asks for them (timers left to
        /// the engine), but without their JSON or texts: the counting handlers look at the kind only.
        /// </summary>
        public IReadOnlyList<EffectRequest> EffectsOf(CaseEvent @event, CaseState after)
        {
            observe(@event, after);
            var effects = CaseCore.EffectsWithoutTexts(@event, after);
            if (effects.IsEmpty)
            {
                return [];
            }

            var requests = new List<EffectRequest>(effects.Length);
            foreach (var effect in effects)
            {
                if (effect is not (ScheduleTimer or CancelTimer))
                {
                    requests.Add(new EffectRequest(ArrearsCaseWorkflow.KindOf(effect), ""));
                }
            }

            return requests;
        }

        public DateTimeOffset? WaitingUntil(CaseState state) => inner.WaitingUntil(state);

        public CaseMessage TimerFired(CaseState state, DateTimeOffset due) => inner.TimerFired(state, due);

        public CaseDescription Describe(CaseState state) => inner.Describe(state);
    }

    /// <summary>Stands in for mail, letters, worklists and partners: counts what would be done.</summary>
    private sealed class CountingEffectHandler(string kind) : IEffectHandler
    {
        private long _count;

        public string Kind => kind;

        public long Count => Interlocked.Read(ref _count);

        public Task HandleAsync(Effect effect, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return Task.CompletedTask;
        }
    }
}
