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

    [Theory]
    // Just after the 5th at 06:00 (05:00 UTC in winter): that run.
    [InlineData("2026-11-05T05:00:01Z", "2026-11-05T05:00:00Z")]
    // Late in the month: still the 5th.
    [InlineData("2026-11-23T12:00:00Z", "2026-11-05T05:00:00Z")]
    // Before the 5th: last month's (04:00 UTC in summer time... October 5th is still summer time).
    [InlineData("2026-11-04T12:00:00Z", "2026-10-05T04:00:00Z")]
    public void PreviousOccurrence_DefaultSchedule_IsTheLastFifthAtSixInAmsterdam(string now, string expected)
    {
        var previous = CronSchedule.PreviousOccurrence(LedgerOptions.DefaultSchedule, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), previous);
    }

    [Fact]
    public async Task RunExclusive_AnOccurrenceFinishedBefore_IsNotRunAgain_ButARunByHandIs()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await InputsFixtures.StartHostAsync(azurite, "--Ledger:Schedule=off");
        var clients = host.Services.GetRequiredService<StorageClients>();
        var container = clients.Blobs.GetBlobContainerClient(clients.Names.ImportsContainer);
        await container.GetBlobClient("incoming/grootboek-2026-11.csv").UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(InputsFixtures.Ledger)), ct);
        var runner = host.Services.GetRequiredService<ScheduledJobRunner>();
        var occurrence = new DateTimeOffset(2026, 11, 5, 5, 0, 0, TimeSpan.Zero);

        var first = await runner.RunExclusiveAsync(MonthlyLedgerJob.Name, occurrence, ct);
        var again = await runner.RunExclusiveAsync(MonthlyLedgerJob.Name, occurrence, ct);
        var earlier = await runner.RunExclusiveAsync(MonthlyLedgerJob.Name, occurrence.AddMonths(-1), ct);
        var byHand = await runner.RunExclusiveAsync(MonthlyLedgerJob.Name, cancellationToken: ct);

        Assert.True(first.Ran);
        Assert.False(first.AlreadyDone);
        Assert.True(again.AlreadyDone);
        Assert.False(again.Ran);
        Assert.True(earlier.AlreadyDone);
        Assert.True(byHand.Ran);
        Assert.Equal("incoming/grootboek-2026-11.csv was processed before; nothing changed", byHand.Summary);
    }

    [Fact]
    public async Task Start_MissedMonthlyRun_IsCaughtUpWithoutWaitingForNextMonth()
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = AzuriteFixture.UniquePrefix();
        var clients = new StorageClients(new StorageOptions { ConnectionString = azurite.ConnectionString, Prefix = prefix });
        await StorageProvisioner.EnsureCreatedAsync(clients, ct);
        var container = clients.Blobs.GetBlobContainerClient(clients.Names.ImportsContainer);
        await container.GetBlobClient("incoming/grootboek-2026-11.csv").UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(InputsFixtures.Ledger)), ct);

        // Every minute, so the last occurrence is less than a minute ago and was run by nobody.
        await using var host = await InputsFixtures.StartHostAsync(azurite, $"--Storage:Prefix={prefix}", "--Ledger:Schedule=* * * * *");

        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        var imported = false;
        while (!imported && DateTimeOffset.UtcNow < deadline)
        {
            await foreach (var blob in container.GetBlobsAsync(global::Azure.Storage.Blobs.Models.BlobTraits.None, global::Azure.Storage.Blobs.Models.BlobStates.None, LedgerImportService.BlobPrefix, ct))
            {
                imported |= blob.Name.EndsWith(".result.json", StringComparison.Ordinal);
            }

            if (!imported) await Task.Delay(250, ct);
        }

        Assert.True(imported, "the host imported the file of the missed run at start");
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
