using System.Text;
using Azure.Storage.Blobs.Specialized;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Host.Inputs;
using HuurIncasso.Host.Scheduling;
using HuurIncasso.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HuurIncasso.Host.Tests.Inputs;

public sealed class LedgerScheduleTests(AzuriteFixture azurite)
{
    [Theory]
    // Winter: 06:00 in Amsterdam is 05:00 UTC.
    [InlineData("2026-11-23T12:00:00Z", "2026-12-05T05:00:00Z")]
    // Summer: 06:00 in Amsterdam is 04:00 UTC.
    [InlineData("2026-06-06T00:00:00Z", "2026-07-05T04:00:00Z")]
    // On the 5th after the run: the next month.
    [InlineData("2026-11-05T05:00:01Z", "2026-12-05T05:00:00Z")]
    public void NextOccurrence_DefaultSchedule_IsTheFifthAtSixInAmsterdam(string after, string expected)
    {
        var next = CronSchedule.NextOccurrence(new LedgerOptions().Schedule, DateTimeOffset.Parse(after, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Fact]
    public async Task RunOnce_LeaseHeldByAnotherHost_SkipsThenImportsTheNewestIncomingFileWhenFree()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await InputsFixtures.StartHostAsync(azurite, "--Ledger:Schedule=off");
        var clients = host.Services.GetRequiredService<StorageClients>();
        var container = clients.Blobs.GetBlobContainerClient(clients.Names.ImportsContainer);
        await container.GetBlobClient("incoming/oud.csv").UploadAsync(BinaryData.FromString(InputsFixtures.Ledger.Split('\n')[0] + "\n"), ct);
        await Task.Delay(1100, ct);
        await container.GetBlobClient("incoming/grootboek-2026-11.csv").UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(InputsFixtures.Ledger)), ct);
        var runner = host.Services.GetRequiredService<ScheduledJobRunner>();

        var lockBlob = clients.Blobs.GetBlobContainerClient(clients.Names.LocksContainer).GetBlobClient(MonthlyLedgerJob.Name);
        await lockBlob.UploadAsync(BinaryData.FromString("lock"), overwrite: true, ct);
        var other = lockBlob.GetBlobLeaseClient();
        await other.AcquireAsync(TimeSpan.FromSeconds(15), cancellationToken: ct);
        var skipped = await runner.RunExclusiveAsync(MonthlyLedgerJob.Name, cancellationToken: ct);
        await other.ReleaseAsync(cancellationToken: ct);
        var imported = await runner.RunExclusiveAsync(MonthlyLedgerJob.Name, cancellationToken: ct);
        var again = await runner.RunExclusiveAsync(MonthlyLedgerJob.Name, cancellationToken: ct);

        Assert.False(skipped.Ran);
        Assert.True(imported.Ran);
        Assert.Equal("incoming/grootboek-2026-11.csv: 4 of 5 rows accepted, 3 cases opened", imported.Summary);
        Assert.Equal("incoming/grootboek-2026-11.csv was processed before; nothing changed", again.Summary);
    }

    [Fact]
    public void ScheduledJobs_ListTheMonthlyLedgerRunWithItsSetting()
    {
        var services = new ServiceCollection().AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Ledger:Schedule"] = "off" }).Build());
        services.AddHuurIncassoScheduling(runWorkers: false);
        services.AddScheduledJob<MonthlyLedgerJob>(MonthlyLedgerJob.Name, "Ledger:Schedule", LedgerOptions.DefaultSchedule, "test");
        using var provider = services.BuildServiceProvider();
        var jobs = provider.GetRequiredService<ScheduledJobs>();

        var job = Assert.Single(jobs.All);
        Assert.Equal("off", jobs.ScheduleOf(job));
        Assert.False(jobs.IsEnabled(job));
        Assert.Equal("0 0 6 5 * *", CronSchedule.ToNcrontab(LedgerOptions.DefaultSchedule));
    }

    [Fact]
    public async Task Start_ScheduleThatIsNoCron_FailsNamingTheSetting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var host = await InputsFixtures.StartHostAsync(azurite, "--Ledger:Schedule=elke maand");
        });

        Assert.Contains("Ledger:Schedule: 'elke maand' is not a cron expression", error.ToString(), StringComparison.Ordinal);
    }
}
