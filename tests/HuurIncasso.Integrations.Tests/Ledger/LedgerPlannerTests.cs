using HuurIncasso.Domain.Cases;
using HuurIncasso.Integrations.Ledger;

namespace HuurIncasso.Integrations.Tests.Ledger;

public sealed class LedgerPlannerTests
{
    private const string Hash = "0123456789abcdef0123456789abcdef";
    private static readonly DateOnly AsOf = new(2026, 11, 5);

    private static LedgerRow Row(
        string contractId = "100235", decimal balance = 1378.20m, DateOnly? end = null, LedgerPropertyType type = LedgerPropertyType.Home,
        LedgerAgeing? ageing = null, bool directDebit = false) => new(
        Line: 2, contractId, ["A. Yilmaz"], "Kastanjestraat 3", "3532 AC", "Utrecht", null, null, null,
        new DateOnly(2021, 9, 1), end, type, 689.10m, balance, ageing, directDebit, null, [], "5000056789012345");

    [Fact]
    public void Plan_ArrearsWithoutRunningCase_OpensACaseNamedAfterContractAndMonth()
    {
        var plan = LedgerPlanner.Plan(Row(), Hash, runningCaseId: null, AsOf, openingThreshold: 0m);

        var open = Assert.IsType<OpenCase>(Assert.Single(plan.Messages).Message);
        Assert.Equal("100235-2026-11", open.CaseId);
        Assert.Equal("100235-2026-11", plan.CurrentCaseId);
        Assert.Equal(1378.20m, open.Balance);
        Assert.Equal("WON", open.PropertyType);
        Assert.Equal(2, open.LateMonthsInLast12);
        Assert.Equal("ledger:0123456789abcdef:100235:open", open.MessageId);
    }

    [Theory]
    // On the threshold: not above it, so no case.
    [InlineData(100.00, 100.00, false)]
    // A cent above: a case.
    [InlineData(100.01, 100.00, true)]
    // Credit or zero never opens a case, even with a zero threshold.
    [InlineData(0.00, 0.00, false)]
    [InlineData(-25.00, 0.00, false)]
    public void Plan_BalanceAgainstThreshold_OpensOnlyAbove(double balance, double threshold, bool opens)
    {
        var plan = LedgerPlanner.Plan(Row(balance: (decimal)balance), Hash, null, AsOf, (decimal)threshold);

        Assert.Equal(opens, plan.Messages.Any(m => m.Message is OpenCase));
        Assert.Equal(opens, plan.CurrentCaseId is not null);
    }

    [Fact]
    public void Plan_RunningCase_OneMonthMessageThatRestatesTheErpBalanceAndUpdatesFacts()
    {
        var plan = LedgerPlanner.Plan(Row(balance: 0m, directDebit: true), Hash, "100235-2026-10", AsOf, 0m);

        var planned = Assert.Single(plan.Messages);
        Assert.Equal("100235-2026-10", planned.CaseId);
        var month = Assert.IsType<RecordLedgerMonth>(planned.Message);
        Assert.Equal("ledger:0123456789abcdef:100235:month", month.MessageId);
        Assert.Equal(0m, month.Balance.Balance);
        Assert.Equal(AsOf, month.Balance.AsOf);
        Assert.True(month.Facts.DirectDebit);
        Assert.False(month.Facts.Departing);
        Assert.Null(month.Departure);
        // The parts keep the ids they had as separate messages: the events' causation ids stay the same.
        Assert.Equal(["ledger:0123456789abcdef:100235:restate", "ledger:0123456789abcdef:100235:facts"], month.Parts.Select(p => p.MessageId));
        Assert.Equal("100235-2026-10", plan.CurrentCaseId);
    }

    [Fact]
    public void Plan_EndDateWithRunningCase_RecordsTheDepartureInTheMonthMessage()
    {
        var end = new DateOnly(2026, 8, 31);
        var plan = LedgerPlanner.Plan(Row(end: end), Hash, "100235-2026-10", AsOf, 0m);

        var month = Assert.IsType<RecordLedgerMonth>(Assert.Single(plan.Messages).Message);
        Assert.Equal(end, month.Departure!.On);
        Assert.Equal("ledger:0123456789abcdef:100235:departure", month.Departure.MessageId);
        Assert.True(month.Facts.Departing);
    }

    [Fact]
    public void Plan_EndDateWithArrearsAndNoCase_OpensThenRecordsTheDeparture()
    {
        var plan = LedgerPlanner.Plan(Row(end: new DateOnly(2026, 8, 31)), Hash, null, AsOf, 0m);

        Assert.Collection(plan.Messages,
            m => Assert.IsType<OpenCase>(m.Message),
            m => Assert.IsType<RecordTenantDeparture>(m.Message));
    }

    [Theory]
    // Each non-home type is passed on by its ERP code; the policy routes it.
    [InlineData(LedgerPropertyType.Commercial, "BOG")]
    [InlineData(LedgerPropertyType.SocialPurpose, "MOG")]
    [InlineData(LedgerPropertyType.Care, "ZOG")]
    public void Plan_NonHomeProperty_PassesTheCodeOn(LedgerPropertyType type, string code)
    {
        var plan = LedgerPlanner.Plan(Row(type: type), Hash, null, AsOf, 0m);

        Assert.Equal(code, Assert.IsType<OpenCase>(plan.Messages[0].Message).PropertyType);
    }

    [Fact]
    public void Plan_SameFileTwice_GivesTheSameMessageIds()
    {
        var first = LedgerPlanner.Plan(Row(), Hash, "100235-2026-10", AsOf, 0m);
        var second = LedgerPlanner.Plan(Row(), Hash, "100235-2026-10", AsOf, 0m);
        var otherFile = LedgerPlanner.Plan(Row(), "fedcba9876543210fedcba", "100235-2026-10", AsOf, 0m);

        Assert.Equal(first.Messages.Select(m => m.Message.MessageId), second.Messages.Select(m => m.Message.MessageId));
        Assert.DoesNotContain(first.Messages[0].Message.MessageId, otherFile.Messages.Select(m => m.Message.MessageId));
    }

    [Theory]
    // The oldest bucket holding money decides how far back the oldest due date lies.
    [InlineData(0, 0, 0, 10, "2026-08-06")]
    [InlineData(0, 0, 10, 0, "2026-09-05")]
    [InlineData(0, 10, 0, 0, "2026-10-05")]
    // Only the current bucket: this month's rent, due on the first.
    [InlineData(10, 0, 0, 0, "2026-11-01")]
    public void OldestUnpaidDueDate_FromAgeing_UsesTheOldestFilledBucket(int d0, int d31, int d61, int d90, string expected)
    {
        var row = Row(ageing: new LedgerAgeing(d0, d31, d61, d90));

        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), LedgerPlanner.OldestUnpaidDueDate(row, AsOf));
    }

    [Fact]
    public void OldestUnpaidDueDate_WithoutAgeing_CountsBackTheMonthsTheBalanceCovers()
    {
        // 1378.20 is two months of 689.10: the first of last month.
        Assert.Equal(new DateOnly(2026, 10, 1), LedgerPlanner.OldestUnpaidDueDate(Row(), AsOf));
    }
}
