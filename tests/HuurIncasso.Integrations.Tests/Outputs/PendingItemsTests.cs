using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Integrations.Documents;
using HuurIncasso.Integrations.Effects;
using HuurIncasso.Integrations.Exports;
using HuurIncasso.Testing;
using Microsoft.Extensions.Options;

namespace HuurIncasso.Integrations.Tests.Outputs;

/// <summary>Letters and referrals that arrive after their period's list left go out with the next list, once.</summary>
public sealed class PendingItemsTests(AzuriteFixture azurite)
{
    // Monday 7 December 2026, 08:30 and 17:30 in Amsterdam; Tuesday 8 December 08:30.
    private static readonly DateTimeOffset MondayMorning = new(2026, 12, 7, 7, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset MondayEvening = new(2026, 12, 7, 16, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset TuesdayMorning = new(2026, 12, 8, 7, 30, 0, TimeSpan.Zero);
    private static readonly DateOnly Monday = new(2026, 12, 7);
    private static readonly DateOnly Tuesday = new(2026, 12, 8);

    private static TenantMessage Reminder => new(Channel.Letter, "herinnering", 612.40m, Samples.Data(("stap", "Reminder")));

    [Fact]
    public async Task BuildPendingAsync_LetterAfterTheDaysBatch_GoesWithTheNextBatchOnce()
    {
        var h = new OutputHarness(azurite, now: MondayEvening);
        await h.Tenants.SetAsync(Samples.Tenant("case-a"), TestContext.Current.CancellationToken);
        var builder = new PrintBatchBuilder(h.Documents, Options.Create(Samples.DocumentsOptions));
        await h.Handler.HandleAsync(Samples.ToEffect(Reminder, "case-a", 3, 1, MondayMorning), TestContext.Current.CancellationToken);
        var monday = await builder.BuildPendingAsync(Monday, 7, TestContext.Current.CancellationToken);
        // Written after Monday's batch left the building.
        await h.Handler.HandleAsync(Samples.ToEffect(Reminder, "case-a", 7, 1, MondayEvening), TestContext.Current.CancellationToken);
        await h.Handler.HandleAsync(Samples.ToEffect(Reminder, "case-a", 9, 1, TuesdayMorning), TestContext.Current.CancellationToken);

        var tuesday = await builder.BuildPendingAsync(Tuesday, 7, TestContext.Current.CancellationToken);
        var again = await builder.BuildPendingAsync(Tuesday, 7, TestContext.Current.CancellationToken);

        Assert.Equal(1, monday!.Letters);
        Assert.Equal(2, tuesday!.Letters);
        Assert.Equal(1, tuesday.CarriedOver);
        Assert.Equal(0, tuesday.LateNotices);
        Assert.Equal(tuesday, again);
        var manifest = (await h.Documents.ReadAsync("print/2026-12-08.csv", TestContext.Current.CancellationToken))!.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(";letterDate", manifest[0], StringComparison.Ordinal);
        Assert.StartsWith("letters/case-a/0000000007-1.pdf;", manifest[1], StringComparison.Ordinal);
        Assert.EndsWith(";2026-12-07", manifest[1], StringComparison.Ordinal);
        Assert.StartsWith("letters/case-a/0000000009-1.pdf;", manifest[2], StringComparison.Ordinal);
        // Monday's batch is not touched by Tuesday's run.
        Assert.Equal(2, (await h.Documents.ReadAsync("print/2026-12-07.csv", TestContext.Current.CancellationToken))!.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task BuildPendingAsync_NothingNew_IsNull()
    {
        var h = new OutputHarness(azurite);

        Assert.Null(await new PrintBatchBuilder(h.Documents, Options.Create(Samples.DocumentsOptions)).BuildPendingAsync(Tuesday, 7, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task BuildEarlySignalListAsync_SignalAfterLastMonthsList_IsInThisMonthsListOnly()
    {
        var h = new OutputHarness(azurite);
        await h.Tenants.SetAsync(Samples.Tenant("case-1"), TestContext.Current.CancellationToken);
        await h.Tenants.SetAsync(Samples.Tenant("case-2") with { Name = "A. Jansen", ContractNumber = "C-7" }, TestContext.Current.CancellationToken);
        await h.Tenants.SetAsync(Samples.Tenant("case-3") with { Name = "B. Smit", ContractNumber = "C-8" }, TestContext.Current.CancellationToken);
        var handler = new PartnerReferralHandler(h.Tenants, h.Documents);
        var options = Samples.DocumentsOptions;
        options.EarlySignalFields = ["contractNumber", "name"];
        var lists = new ExportListBuilder(h.Documents, Options.Create(options));
        await handler.HandleAsync(Samples.ToEffect(new PartnerReferral(Partner.EarlySignal, 612.40m, 1), "case-1", 8, 0, new DateTimeOffset(2026, 11, 10, 8, 0, 0, TimeSpan.Zero)), TestContext.Current.CancellationToken);
        var november = await lists.BuildEarlySignalListAsync(new DateOnly(2026, 11, 24), TestContext.Current.CancellationToken);
        // Signalled on 27 November, after November's list went to the municipality on the 24th.
        await handler.HandleAsync(Samples.ToEffect(new PartnerReferral(Partner.EarlySignal, 1300.00m, 2), "case-2", 9, 0, new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero)), TestContext.Current.CancellationToken);
        await handler.HandleAsync(Samples.ToEffect(new PartnerReferral(Partner.EarlySignal, 800.00m, 1), "case-3", 4, 0, new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero)), TestContext.Current.CancellationToken);

        var december = await lists.BuildEarlySignalListAsync(new DateOnly(2026, 12, 24), TestContext.Current.CancellationToken);

        Assert.Equal(("early-signal/2026-11.csv", 1), november);
        Assert.Equal(("early-signal/2026-12.csv", 2), december);
        Assert.Equal("contractNumber;name\r\nC-7;A. Jansen\r\nC-8;B. Smit\r\n", (await h.Documents.ReadAsync("early-signal/2026-12.csv", TestContext.Current.CancellationToken))!.ToString());
        Assert.Equal("contractNumber;name\r\nC-100234;J. de Vries\r\n", (await h.Documents.ReadAsync("early-signal/2026-11.csv", TestContext.Current.CancellationToken))!.ToString());
    }
}
