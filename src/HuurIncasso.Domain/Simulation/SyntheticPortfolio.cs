using System.Globalization;
using HuurIncasso.Domain.Statutory;

namespace HuurIncasso.Domain.Simulation;

/// <summary>
/// A synthetic portfolio of a housing corporation and the facts it produces month by month:
/// rent charged, payments, direct-debit returns, departures. Deterministic: the same seed,
/// size and start give the same contracts and the same facts, on any machine, whatever the
/// order months are asked for.
/// </summary>
/// <remarks>
/// Pure: no I/O and no clock. The payer behaviours are tuned so that a few percent of tenants
/// are in arrears at a month's end (about 4-5 %, rising to about 7 % in July and August when
/// standing orders lag the rent increase), as at an average Dutch corporation. Immutable and
/// thread-safe.
/// </remarks>
public sealed class SyntheticPortfolio
{
    /// <summary>The yearly rent increase on 1 July, in percent. A synthetic figure, not the legal maximum of any year.</summary>
    public const decimal YearlyRentIncreasePercent = 4m;

    /// <summary>The most a social home may cost (2025 liberalisation limit, EUR 900.07): the top of the home rents.</summary>
    public const decimal SocialRentLimit = 900.07m;

    private const long IdentityStream = 1;
    private const long MonthStream = 2;
    private const long StandingOrderStream = 3;

    /// <summary>How many months after its rent month a payment or a return can still come (about 80 days, at most about 100).</summary>
    private const int LateFactMonths = 3;

    private SyntheticPortfolio(int seed, DateOnly start, IReadOnlyList<SimulatedTenancy> tenancies)
    {
        Seed = seed;
        Start = start;
        Tenancies = tenancies;
        _indexByNumber = tenancies.ToDictionary(t => t.Contract.ContractNumber, t => t.Index, StringComparer.Ordinal);
        _inNumberOrder = [.. tenancies.OrderBy(t => t.Contract.ContractNumber, StringComparer.Ordinal).Select(t => t.Index)];
        _rankByIndex = new int[tenancies.Count];
        for (var rank = 0; rank < _inNumberOrder.Length; rank++)
        {
            _rankByIndex[_inNumberOrder[rank]] = rank;
        }
    }

    // Contract numbers are the ids of facts and cases; their ordinal order is the order of a day's
    // facts and of a run's cases. Kept by tenancy index, so that sorting compares numbers, not strings.
    private readonly Dictionary<string, int> _indexByNumber;
    private readonly int[] _inNumberOrder;
    private readonly int[] _rankByIndex;

    /// <summary>The seed the portfolio was made from.</summary>
    public int Seed { get; }

    /// <summary>The first day of the simulation (a 1st); no facts come before it.</summary>
    public DateOnly Start { get; }

    /// <summary>The contracts with their hidden payer models.</summary>
    public IReadOnlyList<SimulatedTenancy> Tenancies { get; }

    /// <summary>The tenancy index of a contract number.</summary>
    /// <exception cref="KeyNotFoundException">No contract of this portfolio has that number.</exception>
    public int IndexOf(string contractNumber) => _indexByNumber[contractNumber];

    /// <summary>The tenancy indices in the ordinal order of their contract numbers.</summary>
    public IReadOnlyList<int> InContractNumberOrder => _inNumberOrder;

    /// <summary>The place of the tenancy's contract number in ordinal order, from 0.</summary>
    public int ContractNumberRank(int index) => _rankByIndex[index];

    /// <summary>Makes a portfolio of <paramref name="contracts"/> contracts.</summary>
    /// <param name="contracts">How many contracts; about 5 % of them start during the first year (new tenants).</param>
    /// <param name="seed">Any number; the same seed gives the same portfolio.</param>
    /// <param name="start">The first day of the simulation; must be the 1st of a month, because rent is charged on the 1st.</param>
    /// <exception cref="ArgumentOutOfRangeException">The number of contracts is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="start"/> is not the 1st of a month.</exception>
    public static SyntheticPortfolio Generate(int contracts, int seed, DateOnly start)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(contracts);
        if (start.Day != 1)
        {
            throw new ArgumentException($"The simulation must start on the 1st of a month, because rent is charged on the 1st; got {start:yyyy-MM-dd}.", nameof(start));
        }

        // Each tenancy is drawn from its own stream (seed, index): the same on any number of cores.
        var tenancies = new SimulatedTenancy[contracts];
        Parallel.For(0, contracts, index => tenancies[index] = NewTenancy(seed, index, start));

        return new SyntheticPortfolio(seed, start, tenancies);
    }

    /// <summary>The rent of <paramref name="tenancy"/> for the month that contains <paramref name="month"/>, after the yearly increases on 1 July.</summary>
    public decimal RentFor(SimulatedTenancy tenancy, DateOnly month)
    {
        ArgumentNullException.ThrowIfNull(tenancy);
        var first = FirstOfMonth(month);
        var anchor = tenancy.Contract.StartDate > Start ? tenancy.Contract.StartDate : Start;
        var rent = tenancy.Contract.MonthlyRent;
        for (var year = anchor.Year; year <= first.Year; year++)
        {
            var increase = new DateOnly(year, 7, 1);
            if (increase > anchor && increase <= first)
            {
                rent = Math.Round(rent * (1m + (YearlyRentIncreasePercent / 100m)), 2, MidpointRounding.AwayFromZero);
            }
        }

        return rent;
    }

    /// <summary>True when rent is charged on <paramref name="tenancy"/> for the month containing <paramref name="month"/>.</summary>
    public bool IsActive(SimulatedTenancy tenancy, DateOnly month)
    {
        ArgumentNullException.ThrowIfNull(tenancy);
        var first = FirstOfMonth(month);
        return first >= Start
            && tenancy.Contract.StartDate <= first
            && (tenancy.Payer.DepartsOn is not { } departs || first <= departs);
    }

    /// <summary>
    /// Every fact dated in the given month, ordered by date, contract, kind (start, rent,
    /// payment, reversal, departure) and id. Months before <see cref="Start"/> have none.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The year or month is not a valid date.</exception>
    public IReadOnlyList<SimulatedFact> FactsForMonth(int year, int month)
    {
        var first = new DateOnly(year, month, 1);
        var facts = new List<SimulatedFact>();
        if (first < Start)
        {
            return facts;
        }

        foreach (var tenancy in Tenancies)
        {
            var contract = tenancy.Contract;
            if (contract.StartDate >= Start && FirstOfMonth(contract.StartDate) == first)
            {
                facts.Add(new SimulatedContractStarted($"{contract.ContractNumber}-start", contract.StartDate, contract.ContractNumber, contract.MonthlyRent));
            }

            // A payment or a return can come up to about 80 days after the rent it belongs to.
            for (var rentMonth = first.AddMonths(-LateFactMonths); rentMonth <= first; rentMonth = rentMonth.AddMonths(1))
            {
                if (IsActive(tenancy, rentMonth))
                {
                    facts.AddRange(FactsForRent(tenancy, rentMonth).Where(fact => fact.Date.Year == year && fact.Date.Month == month));
                }
            }

            if (tenancy.Payer.DepartsOn is { } departs && departs.Year == year && departs.Month == month && contract.StartDate <= departs)
            {
                facts.Add(new SimulatedDeparture($"{contract.ContractNumber}-departure", departs, contract.ContractNumber));
            }
        }

        SortFacts(facts);
        return facts;
    }

    /// <summary>The facts of <paramref name="months"/> months from <see cref="Start"/>, month by month.</summary>
    public IEnumerable<SimulatedFact> Facts(int months) => FactsByMonth(months).SelectMany(month => month);

    /// <summary>
    /// The facts of <paramref name="months"/> months from <see cref="Start"/>, one list per month,
    /// each the same as <see cref="FactsForMonth"/> gives. Faster when the months are wanted in
    /// order: each month's rent is worked out once and its late payments kept for the months they
    /// fall in, where <see cref="FactsForMonth"/> works out the three months before it again.
    /// </summary>
    /// <remarks>Enumerate it from one thread at a time (the buckets of later months are shared between steps).</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The number of months is negative.</exception>
    public IEnumerable<IReadOnlyList<SimulatedFact>> FactsByMonth(int months)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(months);
        return Months();

        IEnumerable<IReadOnlyList<SimulatedFact>> Months()
        {
            // ahead[k]: the facts found so far that are dated k months after the month being made.
            var ahead = new List<SimulatedFact>[LateFactMonths + 1];
            for (var k = 0; k < ahead.Length; k++)
            {
                ahead[k] = [];
            }

            for (var offset = 0; offset < months; offset++)
            {
                var first = Start.AddMonths(offset);
                foreach (var tenancy in Tenancies)
                {
                    var contract = tenancy.Contract;
                    if (contract.StartDate >= Start && FirstOfMonth(contract.StartDate) == first)
                    {
                        ahead[0].Add(new SimulatedContractStarted($"{contract.ContractNumber}-start", contract.StartDate, contract.ContractNumber, contract.MonthlyRent));
                    }

                    if (IsActive(tenancy, first))
                    {
                        foreach (var fact in FactsForRent(tenancy, first))
                        {
                            // Like FactsForMonth, which looks back LateFactMonths: a fact dated later is never reported.
                            var k = MonthsBetween(first, fact.Date);
                            if (k is >= 0 and <= LateFactMonths)
                            {
                                ahead[k].Add(fact);
                            }
                        }
                    }

                    if (tenancy.Payer.DepartsOn is { } departs && FirstOfMonth(departs) == first && contract.StartDate <= departs)
                    {
                        ahead[0].Add(new SimulatedDeparture($"{contract.ContractNumber}-departure", departs, contract.ContractNumber));
                    }
                }

                var facts = ahead[0];
                Array.Copy(ahead, 1, ahead, 0, LateFactMonths);
                ahead[LateFactMonths] = [];
                SortFacts(facts);
                yield return facts;
            }
        }
    }

    private static SimulatedTenancy NewTenancy(int seed, int index, DateOnly start)
    {
        var random = new DeterministicRandom(seed, IdentityStream, index);
        var propertyType = random.NextDouble() switch
        {
            < 0.96 => SimulatedPropertyType.Home,
            < 0.98 => SimulatedPropertyType.Commercial,
            < 0.99 => SimulatedPropertyType.SocialPurpose,
            _ => SimulatedPropertyType.Care,
        };
        var home = propertyType == SimulatedPropertyType.Home;

        // Seed 000's groups, weighted so that a few percent are behind at any month end.
        var behaviour = random.NextDouble() switch
        {
            < 0.78 => PayerBehaviour.Tidy,
            < 0.90 => PayerBehaviour.Sloppy,
            < 0.95 => PayerBehaviour.ChronicLate,
            < 0.985 when home => PayerBehaviour.IncomeShock,
            < 0.995 when home => PayerBehaviour.CannotPay,
            _ when home => PayerBehaviour.Refuser,
            _ => PayerBehaviour.Tidy,
        };

        // Direct debit is most common among tidy payers; overall about three in four (seed 004 counts it).
        var directDebitShare = behaviour switch
        {
            PayerBehaviour.Tidy => 0.84,
            PayerBehaviour.Sloppy => 0.55,
            PayerBehaviour.ChronicLate => 0.20,
            PayerBehaviour.IncomeShock => 0.75,
            PayerBehaviour.CannotPay => 0.30,
            _ => 0.50,
        };
        var paymentMethod = random.Chance(directDebitShare) ? SimulatedPaymentMethod.DirectDebit : SimulatedPaymentMethod.BankTransfer;

        var rent = propertyType switch
        {
            SimulatedPropertyType.Home => Math.Clamp((decimal)random.Normal(650, 110), 430m, SocialRentLimit),
            SimulatedPropertyType.Commercial => random.Between(800, 3_000),
            SimulatedPropertyType.SocialPurpose => random.Between(500, 1_500),
            _ => random.Between(600, 1_400),
        };
        rent = Math.Round(rent, 2, MidpointRounding.AwayFromZero);

        var isNew = home && random.Chance(0.05);
        var startDate = isNew ? start.AddMonths(random.Between(1, 12)) : start.AddMonths(-random.Between(1, 360));
        var activeFrom = startDate > start ? startDate : start;

        var contractNumber = string.Create(CultureInfo.InvariantCulture, $"HC{index + 1:000000}");
        var contract = new SimulatedContract(
            contractNumber,
            DutchIdentities.Name(random),
            DutchIdentities.Address(random),
            propertyType,
            rent,
            paymentMethod,
            DutchIdentities.Iban(random),
            startDate);

        var usualPaymentDay = behaviour == PayerBehaviour.Tidy ? random.Between(1, 3) : random.Between(1, 5);
        DateOnly? troubleFrom = null;
        var troubleMonths = 0;
        var sharePaid = 0m;
        var catchUp = 0m;
        if (behaviour == PayerBehaviour.IncomeShock)
        {
            troubleFrom = activeFrom.AddMonths(random.Between(0, 23));
            troubleMonths = random.Between(2, 6);
            sharePaid = random.Between(0, 5) / 10m;
            catchUp = Math.Round(rent * random.Between(40, 75) / 100m, 2, MidpointRounding.AwayFromZero);
        }
        else if (behaviour == PayerBehaviour.Refuser)
        {
            troubleFrom = activeFrom.AddMonths(random.Between(0, 17));
            troubleMonths = random.Between(2, 5);
        }

        // About 7 % of tenants leave each year; contracts end on a month's last day.
        DateOnly? departsOn = null;
        for (var month = 0; month < 240; month++)
        {
            if (random.Chance(0.006))
            {
                departsOn = activeFrom.AddMonths(month + 1).AddDays(-1);
                break;
            }
        }

        var payer = new SimulatedPayerProfile(behaviour, usualPaymentDay, troubleFrom, troubleMonths, sharePaid, catchUp, departsOn);
        return new SimulatedTenancy(index, contract, payer);
    }

    /// <summary>Everything that follows from one month's rent: the charge, the payments, any return.</summary>
    private List<SimulatedFact> FactsForRent(SimulatedTenancy tenancy, DateOnly rentMonth)
    {
        var contract = tenancy.Contract;
        var number = contract.ContractNumber;
        var random = new DeterministicRandom(Seed, MonthStream, tenancy.Index, MonthIndex(rentMonth));
        var rent = RentFor(tenancy, rentMonth);
        var key = string.Create(CultureInfo.InvariantCulture, $"{number}-{rentMonth:yyyyMM}");
        var description = string.Create(CultureInfo.InvariantCulture, $"Huur {rentMonth:MM-yyyy} {number}");
        var facts = new List<SimulatedFact> { new SimulatedRentCharged($"{key}-rent", rentMonth, number, rent) };

        var (onTime, late) = Plan(tenancy, rentMonth, rent, random);
        var earliestLate = rentMonth;
        if (contract.PaymentMethod == SimulatedPaymentMethod.DirectDebit)
        {
            var collected = AddWorkingDays(rentMonth.AddDays(-1), 1);
            var endToEnd = $"{key}-DD";
            facts.Add(new SimulatedPayment($"{key}-dd", collected, number, rent, SimulatedPaymentMethod.DirectDebit, contract.Iban, endToEnd, description));
            if (!onTime)
            {
                // The tenant cannot or will not pay this month: the collection bounces.
                var returned = AddWorkingDays(collected, random.Between(2, 4));
                facts.Add(new SimulatedReversal($"{key}-am04", returned, number, rent, "AM04", endToEnd, collected));
                earliestLate = returned.AddDays(1);
            }
            else if (random.Chance(0.004))
            {
                // Even tidy payers bounce now and then, and pay by transfer a week or so later.
                var returned = AddWorkingDays(collected, random.Between(2, 4));
                facts.Add(new SimulatedReversal($"{key}-am04", returned, number, rent, "AM04", endToEnd, collected));
                facts.Add(Transfer($"{key}-repay", returned.AddDays(random.Between(5, 12)), rent));
            }
            else if (random.Chance(0.0015))
            {
                // A refund asked within 8 weeks (MD06), paid back later by transfer.
                var returned = AddWorkingDays(collected, random.Between(10, 50));
                facts.Add(new SimulatedReversal($"{key}-md06", returned, number, rent, "MD06", endToEnd, collected));
                facts.Add(Transfer($"{key}-repay", returned.AddDays(random.Between(7, 25)), rent));
            }
        }
        else if (onTime)
        {
            facts.Add(Transfer($"{key}-tr", rentMonth.AddDays(tenancy.Payer.UsualPaymentDay - 1), StandingOrderAmount(tenancy, rentMonth, rent)));
        }

        for (var i = 0; i < late.Count; i++)
        {
            var date = rentMonth.AddDays(late[i].DayOffset);
            facts.Add(Transfer(string.Create(CultureInfo.InvariantCulture, $"{key}-late{i + 1}"), date < earliestLate ? earliestLate : date, late[i].Amount));
        }

        // A tenant who has left makes no more transfers; a bank can still return a collection.
        return tenancy.Payer.DepartsOn is { } departs
            ? facts.Where(fact => fact is not SimulatedPayment { Method: SimulatedPaymentMethod.BankTransfer } || fact.Date <= departs).ToList()
            : facts;

        SimulatedPayment Transfer(string id, DateOnly date, decimal amount) =>
            new(id, date, number, amount, SimulatedPaymentMethod.BankTransfer, contract.Iban, null, random.Chance(0.8) ? description : "huur");
    }

    /// <summary>
    /// What a standing order transfers. Some tenants adjust it to the July increase only after
    /// one to three months and then pay the difference at once: a small, real rise in arrears
    /// after the summer (DOMAIN.md: arrears rise after the holidays and the summer).
    /// </summary>
    private decimal StandingOrderAmount(SimulatedTenancy tenancy, DateOnly rentMonth, decimal rent)
    {
        var increase = new DateOnly(rentMonth.Month >= 7 ? rentMonth.Year : rentMonth.Year - 1, 7, 1);
        var anchor = tenancy.Contract.StartDate > Start ? tenancy.Contract.StartDate : Start;
        if (increase <= anchor)
        {
            return rent;
        }

        var random = new DeterministicRandom(Seed, StandingOrderStream, tenancy.Index, increase.Year);
        if (!random.Chance(0.15))
        {
            return rent;
        }

        var lag = random.Between(1, 3);
        var monthsSinceIncrease = MonthsBetween(increase, rentMonth);
        var oldRent = RentFor(tenancy, increase.AddMonths(-1));
        return monthsSinceIncrease < lag ? oldRent
            : monthsSinceIncrease == lag ? rent + (lag * (rent - oldRent))
            : rent;
    }

    /// <summary>
    /// The payer's intention for one month's rent: whether it is paid in full on time, and
    /// what is transferred later (late, partial or catch-up amounts, by day after the 1st).
    /// </summary>
    private (bool OnTime, List<(int DayOffset, decimal Amount)> Late) Plan(SimulatedTenancy tenancy, DateOnly rentMonth, decimal rent, DeterministicRandom random)
    {
        var payer = tenancy.Payer;
        switch (payer.Behaviour)
        {
            case PayerBehaviour.Sloppy:
                // After the Christmas and summer holidays sloppy payers slip more often.
                var afterHolidays = rentMonth.Month is 1 or 8;
                return random.NextDouble() switch
                {
                    var r when r < (afterHolidays ? 0.55 : 0.75) => (true, []),
                    var r when r < (afterHolidays ? 0.90 : 0.95) => (false, [(random.Between(3, 20), rent)]),
                    // Forgot the month: pays it with the next one.
                    _ => (false, [(random.Between(32, 45), rent)]),
                };
            case PayerBehaviour.ChronicLate:
                return (false, [(random.Between(10, 38), rent)]);
            case PayerBehaviour.CannotPay:
                return (false, [(random.Between(5, 25), Cents(rent * random.Between(40, 90) / 100m))]);
            case PayerBehaviour.IncomeShock when payer.TroubleFrom is { } from && rentMonth >= from:
                {
                    var index = MonthsBetween(from, rentMonth);
                    if (index < payer.TroubleMonths)
                    {
                        var part = Cents(rent * payer.SharePaidInTrouble);
                        return (false, part > 0m ? [(random.Between(10, 25), part)] : []);
                    }

                    var shortfall = Enumerable.Range(0, payer.TroubleMonths)
                        .Select(i => RentFor(tenancy, from.AddMonths(i)))
                        .Sum(troubleRent => troubleRent - Cents(troubleRent * payer.SharePaidInTrouble));
                    var caughtUp = (index - payer.TroubleMonths) * payer.CatchUpPerMonth;
                    return caughtUp < shortfall
                        ? (true, [(random.Between(5, 15), Math.Min(payer.CatchUpPerMonth, shortfall - caughtUp))])
                        : (true, []);
                }

            case PayerBehaviour.Refuser when payer.TroubleFrom is { } from && rentMonth >= from:
                {
                    var index = MonthsBetween(from, rentMonth);
                    if (index < payer.TroubleMonths)
                    {
                        return (false, []);
                    }

                    if (index == payer.TroubleMonths)
                    {
                        var withheld = Enumerable.Range(0, payer.TroubleMonths).Sum(i => RentFor(tenancy, from.AddMonths(i)));
                        return (true, [(random.Between(10, 20), withheld)]);
                    }

                    return (true, []);
                }

            default:
                return (true, []);
        }
    }

    private int MonthIndex(DateOnly month) => MonthsBetween(Start, month);

    private static int MonthsBetween(DateOnly from, DateOnly to) => ((to.Year - from.Year) * 12) + to.Month - from.Month;

    private static DateOnly FirstOfMonth(DateOnly day) => new(day.Year, day.Month, 1);

    private static decimal Cents(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    /// <summary>Bank working days, approximated by Dutch working days (no Saturdays, Sundays or public holidays).</summary>
    private static DateOnly AddWorkingDays(DateOnly day, int workingDays)
    {
        for (var counted = 0; counted < workingDays;)
        {
            day = day.AddDays(1);
            if (!DutchPublicHolidays.IsNonWorkingDay(day))
            {
                counted++;
            }
        }

        return day;
    }

    private static int KindOrder(SimulatedFact fact) => fact switch
    {
        SimulatedContractStarted => 0,
        SimulatedRentCharged => 1,
        SimulatedPayment => 2,
        SimulatedReversal => 3,
        _ => 4,
    };

    /// <summary>
    /// Orders facts by date, contract number (ordinal), kind and id, in place. The first three
    /// are packed into one number per fact, so a month's sort compares numbers and only reads
    /// ids to break a tie (two facts of one kind for one contract on one day).
    /// </summary>
    private void SortFacts(List<SimulatedFact> facts)
    {
        var keys = new long[facts.Count];
        var order = new int[facts.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            var fact = facts[i];
            keys[i] = ((long)fact.Date.DayNumber << 32) | ((long)_rankByIndex[_indexByNumber[fact.ContractNumber]] << 3) | (long)KindOrder(fact);
            order[i] = i;
        }

        Array.Sort(keys, order);
        IComparer<int>? byId = null;
        for (var start = 0; start < keys.Length;)
        {
            var end = start + 1;
            while (end < keys.Length && keys[end] == keys[start])
            {
                end++;
            }

            if (end - start > 1)
            {
                byId ??= Comparer<int>.Create((left, right) => string.CompareOrdinal(facts[left].Id, facts[right].Id));
                Array.Sort(order, start, end - start, byId);
            }

            start = end;
        }

        var sorted = new SimulatedFact[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            sorted[i] = facts[order[i]];
        }

        facts.Clear();
        facts.AddRange(sorted);
    }
}
