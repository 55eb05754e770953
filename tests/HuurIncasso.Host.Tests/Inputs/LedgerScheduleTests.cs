using System.Text;
using Azure.Storage.Blobs.Specialized;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Host.Inputs;
using HuurIncasso.Testing;
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
        var next = LedgerScheduleWorker.NextOccurrence(new LedgerOptions().Schedule, DateTimeOffset.Parse(after, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Fact]
    public async Task RunOnce_LeaseHeldByAnotherHost_SkipsThenImportsTheNewestIncomingFileWhenFree()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await InputsFixtures.StartHostAsync(azurite, "--Ledger:ScheduleEnabled=false");
        var clients = host.Services.GetRequiredService<StorageClients>();
        var container = clients.Blobs.GetBlobContainerClient(clients.Names.ImportsContainer);
        await container.GetBlobClient("incoming/oud.csv").UploadAsync(BinaryData.FromString(InputsFixtures.Ledger.Split('\n')[0] + "\n"), ct);
        await Task.Delay(1100, ct);
        await container.GetBlobClient("incoming/grootboek-2026-11.csv").UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(InputsFixtures.Ledger)), ct);
        var worker = host.Services.GetServices<IHostedService>().OfType<LedgerScheduleWorker>().Single();

        var lockBlob = container.GetBlobClient(LedgerImportService.BlobPrefix + "schedule.lock");
        await lockBlob.UploadAsync(BinaryData.FromString("lock"), overwrite: true, ct);
        var other = lockBlob.GetBlobLeaseClient();
        await other.AcquireAsync(TimeSpan.FromSeconds(15), cancellationToken: ct);
        var skipped = await worker.RunOnceAsync(ct);
        await other.ReleaseAsync(cancellationToken: ct);
        var imported = await worker.RunOnceAsync(ct);

        Assert.Null(skipped);
        Assert.NotNull(imported);
        Assert.Equal("incoming/grootboek-2026-11.csv", imported.FileName);
        Assert.Equal(3, imported.CasesOpened);
    }
}
