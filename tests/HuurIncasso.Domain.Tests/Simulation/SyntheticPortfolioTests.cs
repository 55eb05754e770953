using System.Text.RegularExpressions;
using HuurIncasso.Domain.Simulation;

namespace HuurIncasso.Domain.Tests.Simulation;

public sealed class SyntheticPortfolioTests
{
    private static readonly DateOnly Start = new(2025, 1, 1);

    // One portfolio shared by the read-only tests: generating it is the slow part.
    private static readonly SyntheticPortfolio Portfolio = SyntheticPortfolio.Generate(2_000, 42, Start);

    [Fact]
    public void Generate_SameSeed_SameContracts()
    {
        var again = SyntheticPortfolio.Generate(2_000, 42, Start);

        Assert.Equal(Portfolio.Tenancies, again.Tenancies);
    }

    [Fact]
    public void FactsForMonth_SameSeed_SameFactsWhateverTheOrderMonthsAreAskedFor()
    {
        var again = SyntheticPortfolio.Generate(2_000, 42, Start);

        // Ask the second portfolio for the months backwards: a month's facts may not depend on earlier calls.
        var forwards = Enumerable.Range(0, 12).Select(i => Portfolio.FactsForMonth(2025, i + 1)).ToArray();
        var backwards = Enumerable.Range(0, 12).Reverse().Select(i => (Month: i, Facts: again.FactsForMonth(2025, i + 1))).OrderBy(x => x.Month).Select(x => x.Facts).ToArray();

        for (var i = 0; i < 12; i++)
        {
            Assert.Equal(forwards[i], backwards[i]);
        }
    }

    [Fact]
    public void FactsByMonth_EveryMonth_TheSameFactsInTheSameOrderAsFactsForMonth()
    {
        // 26 months: past the July increases twice and the late facts of every month carried over.
        var byMonth = Portfolio.FactsByMonth(26).ToList();

        Assert.Equal(26, byMonth.Count);
        for (var i = 0; i < byMonth.Count; i++)
        {
            var month = Start.AddMonths(i);
            var expected = Portfolio.FactsForMonth(month.Year, month.Month);
            Assert.NotEmpty(expected);
            Assert.Equal(expected, byMonth[i]);
        }
    }

    [Fact]
    public void FactsByMonth_NegativeMonths_Refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Portfolio.FactsByMonth(-1));
    }

    [Fact]
    public void Generate_OtherSeed_OtherPortfolio()
    {
        var other = SyntheticPortfolio.Generate(2_000, 43, Start);

        Assert.NotEqual(Portfolio.Tenancies.Select(t => t.Contract.TenantName), other.Tenancies.Select(t => t.Contract.TenantName));
    }

    [Fact]
    public void Generate_Contracts_HaveUniqueNumbersAndDutchAddresses()
    {
        Assert.Equal(2_000, Portfolio.Tenancies.Count);
        Assert.Equal(2_000, Portfolio.Tenancies.Select(t => t.Contract.ContractNumber).Distinct().Count());
        Assert.All(Portfolio.Tenancies, t =>
        {
            Assert.Matches(new Regex(@"^[1-9]\d{3} [A-Z]{2}$"), t.Contract.Address.PostalCode);
            Assert.DoesNotMatch(new Regex(" (SA|SD|SS)$"), t.Contract.Address.PostalCode);
            Assert.Contains(" ", t.Contract.TenantName, StringComparison.Ordinal);
            Assert.Equal(1, t.Contract.StartDate.Day);
        });
    }

    [Fact]
    public void Generate_Ibans_PassTheMod97Check()
    {
        Assert.All(Portfolio.Tenancies, t =>
        {
            var iban = t.Contract.Iban;
            Assert.Matches(new Regex("^NL\\d{2}[A-Z]{4}\\d{10}$"), iban);
            var rearranged = iban[4..] + iban[..4];
            var digits = string.Concat(rearranged.Select(c => char.IsAsciiDigit(c) ? c.ToString() : (c - 'A' + 10).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal(1, (int)(System.Numerics.BigInteger.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) % 97));
        });
    }

    [Fact]
    public void Generate_HomeRents_AreSocialHousingRents()
    {
        var rents = Portfolio.Tenancies.Where(t => t.Contract.PropertyType == SimulatedPropertyType.Home).Select(t => t.Contract.MonthlyRent).ToArray();

        Assert.All(rents, rent => Assert.InRange(rent, 430m, SyntheticPortfolio.SocialRentLimit));
        Assert.InRange(rents.Average(), 600m, 700m);
        Assert.All(rents, rent => Assert.Equal(rent, Math.Round(rent, 2)));
    }

    [Fact]
    public void Generate_Mix_MostlyHomesAndThreeInFourByDirectDebit()
    {
        var tenancies = Portfolio.Tenancies;
        var homes = tenancies.Count(t => t.Contract.PropertyType == SimulatedPropertyType.Home) / (double)tenancies.Count;
        var directDebit = tenancies.Count(t => t.Contract.PaymentMethod == SimulatedPaymentMethod.DirectDebit) / (double)tenancies.Count;

        Assert.InRange(homes, 0.93, 0.99);
        Assert.Contains(tenancies, t => t.Contract.PropertyType == SimulatedPropertyType.Commercial);
        Assert.Contains(tenancies, t => t.Contract.PropertyType is SimulatedPropertyType.SocialPurpose or SimulatedPropertyType.Care);
        Assert.InRange(directDebit, 0.70, 0.80);
        Assert.All(Enum.GetValues<PayerBehaviour>(), behaviour => Assert.Contains(tenancies, t => t.Payer.Behaviour == behaviour));
    }

    [Fact]
    public void Generate_StartNotFirstOfMonth_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => SyntheticPortfolio.Generate(10, 1, new DateOnly(2025, 1, 15)));

        Assert.Contains("2025-01-15", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_NegativeCount_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticPortfolio.Generate(-1, 1, Start));
    }

    [Fact]
    public void FactsForMonth_BeforeStart_IsEmpty()
    {
        Assert.Empty(Portfolio.FactsForMonth(2024, 12));
    }

    [Fact]
    public void FactsForMonth_AnyMonth_AllDatedInThatMonthAndOrdered()
    {
        var facts = Portfolio.FactsForMonth(2025, 5);

        Assert.All(facts, fact => Assert.Equal((2025, 5), (fact.Date.Year, fact.Date.Month)));
        Assert.Equal(facts.OrderBy(f => f.Date).Select(f => f.Date), facts.Select(f => f.Date));
    }

    [Fact]
    public void Facts_Ids_AreUnique()
    {
        var ids = Portfolio.Facts(14).Select(f => f.Id).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void FactsForMonth_RentCharged_OnTheFirstForEveryActiveContract()
    {
        var first = new DateOnly(2025, 9, 1);
        var charged = Portfolio.FactsForMonth(2025, 9).OfType<SimulatedRentCharged>().ToList();
        var active = Portfolio.Tenancies.Where(t => Portfolio.IsActive(t, first)).ToList();

        Assert.All(charged, c => Assert.Equal(first, c.Date));
        Assert.Equal(active.Select(t => t.Contract.ContractNumber).Order(StringComparer.Ordinal), charged.Select(c => c.ContractNumber).Order(StringComparer.Ordinal));
        Assert.InRange(active.Count, 1_800, 2_000);
    }

    [Fact]
    public void RentFor_AfterFirstOfJuly_IncreasesOnce()
    {
        var tenancy = Portfolio.Tenancies.First(t => t.Contract.StartDate < Start);
        var rent = tenancy.Contract.MonthlyRent;

        Assert.Equal(rent, Portfolio.RentFor(tenancy, new DateOnly(2025, 6, 1)));
        Assert.Equal(Math.Round(rent * 1.04m, 2, MidpointRounding.AwayFromZero), Portfolio.RentFor(tenancy, new DateOnly(2025, 7, 1)));
        Assert.Equal(Portfolio.RentFor(tenancy, new DateOnly(2025, 7, 1)), Portfolio.RentFor(tenancy, new DateOnly(2026, 6, 1)));
    }

    [Fact]
    public void Facts_Departure_EndsTheRentAndComesOnce()
    {
        var departures = Portfolio.Facts(24).OfType<SimulatedDeparture>().ToList();
        var charges = Portfolio.Facts(24).OfType<SimulatedRentCharged>().ToLookup(c => c.ContractNumber);

        // About 7 % leave a year: 2,000 contracts over two years give roughly 280.
        Assert.InRange(departures.Count, 150, 450);
        Assert.Equal(departures.Count, departures.Select(d => d.ContractNumber).Distinct().Count());
        Assert.All(departures, d =>
        {
            Assert.Equal(1, d.Date.AddDays(1).Day);
            Assert.All(charges[d.ContractNumber], c => Assert.True(c.Date <= d.Date));
        });
    }

    [Fact]
    public void Facts_NewTenants_StartWithTheirFirstRent()
    {
        var facts = Portfolio.Facts(14).ToList();
        var started = facts.OfType<SimulatedContractStarted>().ToList();

        Assert.InRange(started.Count, 50, 160);
        Assert.All(started, s => Assert.Contains(facts, f => f is SimulatedRentCharged && f.ContractNumber == s.ContractNumber && f.Date == s.Date));
        Assert.All(started, s => Assert.DoesNotContain(facts, f => f.ContractNumber == s.ContractNumber && f.Date < s.Date));
    }

    [Fact]
    public void Facts_Reversals_ReturnAnEarlierDirectDebitWithAKnownCode()
    {
        var facts = Portfolio.Facts(12).ToList();
        var collections = facts.OfType<SimulatedPayment>().Where(p => p.EndToEndId is not null).ToDictionary(p => p.EndToEndId!);
        var reversals = facts.OfType<SimulatedReversal>().ToList();

        Assert.Contains(reversals, r => r.ReasonCode == "AM04");
        Assert.Contains(reversals, r => r.ReasonCode == "MD06");
        Assert.All(reversals, r =>
        {
            Assert.Contains(r.ReasonCode, new[] { "AM04", "MD06" });
            var collection = collections[r.EndToEndId];
            Assert.Equal((collection.Amount, collection.Date, collection.ContractNumber), (r.Amount, r.CollectedOn, r.ContractNumber));
            Assert.True(r.Date > collection.Date);
        });
        // Returns are rare: a few percent of the collections at most.
        Assert.InRange(reversals.Count / (double)collections.Count, 0.005, 0.06);
    }

    [Fact]
    public void Facts_MonthEnds_AFewPercentOfCurrentTenantsInArrears()
    {
        var shares = MonthEndArrearsShares(Portfolio, 18);

        // The target is 3-6 %; the bounds are loose so that tuning stays possible.
        Assert.All(shares, share => Assert.InRange(share, 0.01, 0.12));
        Assert.InRange(shares.Average(), 0.025, 0.08);
    }

    [Fact]
    public void Facts_TidyPayersByTransfer_BehindOnlyByTheRentIncreaseTheyMissed()
    {
        var tidy = Portfolio.Tenancies
            .Where(t => t.Payer.Behaviour == PayerBehaviour.Tidy && t.Contract.PaymentMethod == SimulatedPaymentMethod.BankTransfer)
            .ToList();
        var balances = new Dictionary<string, decimal>();
        var behindAfterIncrease = 0;

        for (var month = 0; month < 12; month++)
        {
            var first = Start.AddMonths(month);
            Fold(balances, Portfolio.FactsForMonth(first.Year, first.Month));
            foreach (var tenancy in tidy)
            {
                var balance = balances.GetValueOrDefault(tenancy.Contract.ContractNumber);
                if (first.Month is >= 7 and <= 9)
                {
                    // A standing order not yet raised: at most three months of the 4 % increase.
                    Assert.InRange(balance, 0m, 3 * (Portfolio.RentFor(tenancy, first) - tenancy.Contract.MonthlyRent));
                    behindAfterIncrease += balance > 0m ? 1 : 0;
                }
                else
                {
                    Assert.Equal(0m, balance);
                }
            }
        }

        Assert.True(behindAfterIncrease > 0, "some standing orders lag behind the July increase");
    }

    [Fact]
    public void Facts_CannotPay_ArrearsGrow()
    {
        var cannotPay = Portfolio.Tenancies.Where(t => t.Payer.Behaviour == PayerBehaviour.CannotPay && t.Payer.DepartsOn is null).Select(t => t.Contract.ContractNumber).ToList();
        var balances = new Dictionary<string, decimal>();
        Fold(balances, Portfolio.Facts(12));

        Assert.NotEmpty(cannotPay);
        Assert.All(cannotPay, number => Assert.True(balances[number] > 500m, $"{number}: {balances[number]}"));
    }

    internal static List<double> MonthEndArrearsShares(SyntheticPortfolio portfolio, int months)
    {
        var balances = new Dictionary<string, decimal>();
        var shares = new List<double>();
        for (var month = 0; month < months; month++)
        {
            var first = portfolio.Start.AddMonths(month);
            Fold(balances, portfolio.FactsForMonth(first.Year, first.Month));
            var current = portfolio.Tenancies.Where(t => portfolio.IsActive(t, first) && (t.Payer.DepartsOn is not { } d || d > first.AddMonths(1).AddDays(-1))).ToList();
            shares.Add(current.Count(t => balances.GetValueOrDefault(t.Contract.ContractNumber) > 0m) / (double)current.Count);
        }

        return shares;
    }

    internal static void Fold(Dictionary<string, decimal> balances, IEnumerable<SimulatedFact> facts)
    {
        foreach (var fact in facts)
        {
            var change = fact switch
            {
                SimulatedRentCharged charge => charge.Amount,
                SimulatedPayment payment => -payment.Amount,
                SimulatedReversal reversal => reversal.Amount,
                _ => 0m,
            };
            balances[fact.ContractNumber] = balances.GetValueOrDefault(fact.ContractNumber) + change;
        }
    }
}
