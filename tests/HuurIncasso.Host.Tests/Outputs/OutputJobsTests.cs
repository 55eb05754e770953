using System.Text.Json;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Engine;
using HuurIncasso.Host.Outputs;
using HuurIncasso.Host.Scheduling;
using HuurIncasso.Integrations.Documents;
using HuurIncasso.Integrations.Tenants;
using HuurIncasso.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HuurIncasso.Host.Tests.Outputs;

/// <summary>The output jobs in the real host, run through the runner as the worker or a Functions timer would.</summary>
public sealed class OutputJobsTests(AzuriteFixture azurite)
{
    // Monday 7 December 2026, 08:30 in Amsterdam.
    private static readonly DateTimeOffset Monday = new(2026, 12, 7, 7, 30, 0, TimeSpan.Zero);

    private Task<RunningHost> StartAsync() => RunningHost.StartAsync(azurite,
        "--Documents:PrintBatchSchedule=off", "--Documents:EarlySignalSchedule=off", "--Documents:ReferralExportsSchedule=off", "--Documents:DailyExportsSchedule=off");

    private static async Task HandleAsync(RunningHost host, CaseEffect caseEffect, string caseId, long sequence, int index, DateTimeOffset createdAt)
    {
        var id = Effect.MakeId(caseId, sequence, index);
        var kind = HuurIncasso.Host.Cases.ArrearsCaseWorkflow.KindOf(caseEffect);
        var effect = new Effect(id, caseId, sequence, index, kind, JsonSerializer.Serialize(caseEffect with { EffectId = id, CaseId = caseId }, CaseJson.Options), createdAt);
        await host.Services.GetServices<IEffectHandler>().Single(h => h.Kind == kind).HandleAsync(effect, TestContext.Current.CancellationToken);
    }

    private static async Task TenantAsync(RunningHost host, string caseId, string name) =>
        await host.Services.GetRequiredService<ITenantDirectory>().SetAsync(
            new TenantContact(caseId, "C-" + caseId, name, "Lindelaan 12", "3511 XY", "Utrecht", null, "06 12345678", new DateOnly(1980, 3, 4)), TestContext.Current.CancellationToken);

    [Fact]
    public void ScheduledJobs_TheOutputJobsAreRegisteredWithTheirSettingsAndDefaults()
    {
        var services = new ServiceCollection().AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(
            new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.AddHuurIncassoScheduling(runWorkers: false);
        services.AddHuurIncassoOutputJobs();
        using var provider = services.BuildServiceProvider();
        var jobs = provider.GetRequiredService<ScheduledJobs>();

        Assert.Equal(
            [("print-batch", "Documents:PrintBatchSchedule", "0 16 * * 1-5"), ("early-signal-list", "Documents:EarlySignalSchedule", "0 6 24 * *"),
             ("referral-exports", "Documents:ReferralExportsSchedule", "0 1 * * *"), ("daily-exports", "Documents:DailyExportsSchedule", "15 1 * * *")],
            jobs.All.Select(j => (j.Name, j.ScheduleSetting, jobs.ScheduleOf(j))));
        // Friday 11 December 16:00 in Amsterdam, then Monday: no batch on the weekend.
        Assert.Equal(new DateTimeOffset(2026, 12, 14, 15, 0, 0, TimeSpan.Zero), CronSchedule.NextOccurrence("0 16 * * 1-5", new DateTimeOffset(2026, 12, 11, 15, 0, 1, TimeSpan.Zero)));
        // The early-signal list is made on the 24th at 06:00, before the 25th.
        Assert.Equal(new DateTimeOffset(2026, 12, 24, 5, 0, 0, TimeSpan.Zero), CronSchedule.NextOccurrence("0 6 24 * *", Monday));
    }

    [Fact]
    public async Task PrintBatch_RunTwice_OneBatchAtItsDayName_WeekendLettersGoOnMonday()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartAsync();
        await TenantAsync(host, "J-1", "J. de Vries");
        var reminder = new TenantMessage(Channel.Letter, "herinnering", 612.40m, System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add("stap", "Reminder"));
        // Saturday 5 and Monday 7 December.
        await HandleAsync(host, reminder, "J-1", 3, 1, Monday.AddDays(-2));
        await HandleAsync(host, reminder, "J-1", 8, 1, Monday);
        var runner = host.Services.GetRequiredService<ScheduledJobRunner>();
        var at = new DateTimeOffset(2026, 12, 7, 15, 0, 0, TimeSpan.Zero);

        var first = await runner.RunExclusiveAsync(PrintBatchJob.Name, at, ct);
        var second = await runner.RunExclusiveAsync(PrintBatchJob.Name, at, ct);

        Assert.True(first.Ran);
        Assert.Equal("print batch 2026-12-07: 2 letter(s), 4 page(s), 1 from earlier days", first.Summary);
        Assert.Equal(first.Summary, second.Summary);
        var documents = host.Services.GetRequiredService<DocumentStore>();
        Assert.Equal(["print/2026-12-07.csv", "print/2026-12-07.items.json", "print/2026-12-07.pdf"],
            (await documents.ListAsync("print/", ct)).Where(n => !n.Contains("/items/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task EarlySignalAndReferralJobs_OneFilePerPeriodAndPartner_RunTwiceSameRows()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartAsync();
        await TenantAsync(host, "J-2", "J. de Vries");
        await TenantAsync(host, "J-3", "A. Jansen");
        await HandleAsync(host, new PartnerReferral(Partner.EarlySignal, 612.40m, 1), "J-2", 8, 0, Monday);
        await HandleAsync(host, new PartnerReferral(Partner.EarlySignal, 1300.00m, 2), "J-3", 9, 0, Monday.AddDays(3));
        await HandleAsync(host, new PartnerReferral(Partner.CreditBank, 1300.00m, 2), "J-3", 11, 0, Monday);
        await HandleAsync(host, new PartnerReferral(Partner.DebtCounselling, 1300.00m, 2), "J-3", 12, 0, Monday);
        var runner = host.Services.GetRequiredService<ScheduledJobRunner>();
        var documents = host.Services.GetRequiredService<DocumentStore>();

        var signal = await runner.RunExclusiveAsync(EarlySignalListJob.Name, new DateTimeOffset(2026, 12, 24, 5, 0, 0, TimeSpan.Zero), ct);
        var signalAgain = await runner.RunExclusiveAsync(EarlySignalListJob.Name, new DateTimeOffset(2026, 12, 24, 5, 0, 0, TimeSpan.Zero), ct);
        // 01:00 on Tuesday: Monday's lists.
        var referrals = await runner.RunExclusiveAsync(ReferralExportsJob.Name, new DateTimeOffset(2026, 12, 8, 0, 0, 0, TimeSpan.Zero), ct);
        var referralsAgain = await runner.RunExclusiveAsync(ReferralExportsJob.Name, new DateTimeOffset(2026, 12, 8, 0, 0, 0, TimeSpan.Zero), ct);

        Assert.Equal("early-signal/2026-12.csv: 2 tenant(s)", signal.Summary);
        Assert.Equal(signal.Summary, signalAgain.Summary);
        Assert.Equal("referrals/credit-bank/2026-12-07.csv: 1, referrals/public-health/2026-12-07.csv: 0, referrals/debt-counselling/2026-12-07.csv: 1", referrals.Summary);
        Assert.Equal(referrals.Summary, referralsAgain.Summary);
        var list = (await documents.ReadAsync("early-signal/2026-12.csv", ct))!.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, list.Length);
        // Who was signalled, with what the decree asks: contact details and the amount.
        Assert.StartsWith("name;street;postalCode;city;dateOfBirth;phone;email;arrears;monthsInArrears;contractNumber", list[0], StringComparison.Ordinal);
        Assert.Equal("J. de Vries;Lindelaan 12;3511 XY;Utrecht;1980-03-04;06 12345678;;612.40;1;C-J-2", list[1]);
        Assert.Equal(["early-signal/2026-12.csv", "early-signal/2026-12.items.json"], (await documents.ListAsync("early-signal/", ct)).Where(n => !n.Contains("/items/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task DailyExports_LedgerPostingOfYesterday_OneCsvLine()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartAsync();
        await TenantAsync(host, "J-4", "J. de Vries");
        await HandleAsync(host, new LedgerPosting("collection-costs", 187.50m, 0m), "J-4", 30, 0, Monday);

        var run = await host.Services.GetRequiredService<ScheduledJobRunner>().RunExclusiveAsync(DailyExportsJob.Name, new DateTimeOffset(2026, 12, 8, 0, 15, 0, TimeSpan.Zero), ct);

        Assert.Equal("exports/agencyUpdate/2026-12-07.csv: 0, exports/ledgerPosting/2026-12-07.csv: 1, exports/recollection/2026-12-07.csv: 0", run.Summary);
    }
}
