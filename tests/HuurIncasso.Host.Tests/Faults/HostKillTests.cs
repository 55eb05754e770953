using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using HuurIncasso.Host.Inputs;
using HuurIncasso.Host.Tests.Inputs;
using HuurIncasso.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HuurIncasso.Host.Tests.Faults;

/// <summary>
/// SIGKILL of the real <c>huurincasso</c> process in the middle of work, then a restart on the
/// same storage: nothing lost, nothing doubled, no mail twice.
/// </summary>
public sealed class HostKillTests(AzuriteFixture azurite)
{
    private static string[] HostSettings(MailSink sink, params string[] extra) =>
    [
        .. sink.HostArgs,
        $"--Bank:WebhookSecrets:0={InputsFixtures.Secret}",
        "--Engine:IdlePollDelay=00:00:00.100",
        "--Engine:SweepInterval=00:00:00.500",
        "--Engine:EffectSweepAge=00:00:02",
        "--Engine:LeaseTime=00:00:05",
        "--Engine:RetryBackoff=00:00:00.200",
        .. extra,
    ];

    [Fact]
    public async Task KilledDuringAWebhookBurst_TheBankRetries_EveryPaymentAppliedOnceAndNoMailTwice()
    {
        var ct = TestContext.Current.CancellationToken;
        const int Contracts = 24;
        const int FirstContract = 820000;
        await using var sink = await MailSink.StartAsync();
        var prefix = AzuriteFixture.UniquePrefix();
        var settings = HostSettings(sink, "--Ledger:Schedule=off");

        FaultData.Step("burst: start host");
        var host = await HostProcess.StartAsync(azurite.ConnectionString, prefix, settings, ct);
        FaultData.Step("burst: host listens");
        Deliveries deliveries;
        List<FaultData.Payment> payments;
        try
        {
            var admin = await host.LoginAsync("beheer", ct);
            using (var import = await admin.PostAsync("/api/ledger/imports?fileName=grootboek.csv", new StringContent(FaultData.Ledger(FirstContract, Contracts), Encoding.UTF8, "text/csv"), ct))
            {
                Assert.Equal(HttpStatusCode.OK, import.StatusCode);
            }

            var (json, camt) = FaultData.Instalments(FirstContract, Contracts);
            payments = [.. json, .. camt];
            deliveries = new Deliveries(json, camt, perDelivery: 2, firstSequence: 1);

            FaultData.Step("burst: imported");
            var burst = deliveries.SendAsync(host.Anonymous, null, parallel: 4, ct);
            await FaultData.WaitUntilAsync(() => Task.FromResult(deliveries.Succeeded >= deliveries.Count / 3 || burst.IsCompleted ? null : "burst under way"), TimeSpan.FromSeconds(60), ct);
            host.Kill();
            FaultData.Step($"burst: killed after {deliveries.Succeeded} of {deliveries.Count}");
            await burst;
        }
        finally
        {
            await host.DisposeAsync();
        }

        Assert.True(deliveries.Succeeded < deliveries.Count, "The kill came after the whole burst: nothing was interrupted.");

        host = await HostProcess.StartAsync(azurite.ConnectionString, prefix, settings, ct);
        try
        {
            // The bank delivers again what got no 200, and (as banks do now and then) what did.
            FaultData.Step("burst: restarted");
            await deliveries.SendAsync(host.Anonymous, null, parallel: 4, ct);
            Assert.Empty(deliveries.NotSucceeded);
            FaultData.Step("burst: redelivered");
            var admin = await host.LoginAsync("beheer", ct);

            await PaymentChecks.AssertEveryPaymentAppliedOnceAsync(admin, azurite.ConnectionString, prefix, payments, InputsFixtures.CaseIdOf, ct);
            FaultData.Step("burst: payments checked");
            await PaymentChecks.AssertMailsSettledOnceAsync(admin, sink, azurite.ConnectionString, prefix,
                Enumerable.Range(0, Contracts).Select(i => InputsFixtures.CaseIdOf(FaultData.ContractId(FirstContract, i))), ct);
        }
        catch (Exception) when (Dump(host))
        {
            throw;
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task KilledTwiceDuringTheMonthlyRun_TheNextStartFinishesIt_SameResultAsARunWithoutKill()
    {
        var ct = TestContext.Current.CancellationToken;
        const int Contracts = 24;
        const int FirstContract = 830000;
        var ledger = FaultData.Ledger(FirstContract, Contracts);
        var caseIds = Enumerable.Range(0, Contracts).Select(i => InputsFixtures.CaseIdOf(FaultData.ContractId(FirstContract, i))).ToList();

        // The reference: the same file, the same kind of host, no kill.
        await using var referenceSink = await MailSink.StartAsync();
        var referencePrefix = AzuriteFixture.UniquePrefix();
        FaultData.Step("monthly: reference run");
        var reference = await RunUninterruptedAsync(referenceSink, referencePrefix, ledger, caseIds, ct);
        FaultData.Step("monthly: reference done");

        // The monthly run: the file waits in incoming/, the host starts after the scheduled time and catches up.
        await using var sink = await MailSink.StartAsync();
        var prefix = AzuriteFixture.UniquePrefix();
        var imports = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(prefix + "imports");
        await imports.CreateIfNotExistsAsync(cancellationToken: ct);
        await imports.GetBlobClient("incoming/grootboek.csv").UploadAsync(BinaryData.FromString(ledger), ct);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(ledger)));
        var settings = HostSettings(sink, "--Ledger:Parallelism=2");

        // Kill 1: while the import runs (its raw copy is stored, its result is not).
        var host = await HostProcess.StartAsync(azurite.ConnectionString, prefix, settings, ct);
        await FaultData.WaitUntilAsync(async () => await imports.GetBlobClient($"ledger/{hash}.csv").ExistsAsync(ct) ? null : "import not started", TimeSpan.FromSeconds(60), ct);
        host.Kill();
        FaultData.Step("monthly: kill 1");
        var cutShort = !await imports.GetBlobClient(LedgerImportService.ResultBlobName(hash)).ExistsAsync(ct);
        await host.DisposeAsync();

        // Kill 2: while the cases send their reminders.
        host = await HostProcess.StartAsync(azurite.ConnectionString, prefix, settings, ct);
        await FaultData.WaitUntilAsync(() => Task.FromResult(sink.Received.Count >= Contracts / 3 ? null : $"{sink.Received.Count} mails so far"), TimeSpan.FromSeconds(60), ct);
        host.Kill();
        FaultData.Step("monthly: kill 2");
        await host.DisposeAsync();

        host = await HostProcess.StartAsync(azurite.ConnectionString, prefix, settings, ct);
        try
        {
            Assert.True(cutShort, "The first kill came after the import had finished: the monthly run was not interrupted.");
            var admin = await host.LoginAsync("beheer", ct);
            await FaultData.WaitUntilAsync(async () => await imports.GetBlobClient(LedgerImportService.ResultBlobName(hash)).ExistsAsync(ct) ? null : "import not finished", TimeSpan.FromSeconds(60), ct);
            FaultData.Step("monthly: import finished");
            var uncertain = await PaymentChecks.AssertMailsSettledOnceAsync(admin, sink, azurite.ConnectionString, prefix, caseIds, ct);
            var killed = await ResultAsync(admin, azurite.ConnectionString, prefix, caseIds, ct);
            FaultData.Step("monthly: settled");

            foreach (var caseId in caseIds)
            {
                Assert.Equal(reference.Cases[caseId], killed.Cases[caseId]);
            }

            Assert.Equal(reference.Letters, killed.Letters);
            // The same mails, by message key. One the kill left "may have gone out" is not sent again by itself:
            // the provider has it once or not at all (which of the two, a person checks in SendGrid).
            Assert.Equal(reference.MailKeys, killed.MailKeys);
            Assert.InRange(sink.Received.Count, reference.MailKeys.Count - uncertain, reference.MailKeys.Count);
            var import = (await imports.GetBlobClient(LedgerImportService.ResultBlobName(hash)).DownloadContentAsync(ct)).Value.Content.ToObjectFromJson<JsonElement>();
            Assert.Equal(Contracts, import.GetProperty("accepted").GetInt32());
        }
        catch (Exception) when (Dump(host))
        {
            throw;
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>What a monthly run leaves behind, comparable between two storage prefixes.</summary>
    private sealed record RunResult(Dictionary<string, string> Cases, List<string> Letters, HashSet<string> MailKeys);

    private async Task<RunResult> RunUninterruptedAsync(MailSink sink, string prefix, string ledger, List<string> caseIds, CancellationToken ct)
    {
        var host = await HostProcess.StartAsync(azurite.ConnectionString, prefix, HostSettings(sink, "--Ledger:Schedule=off"), ct);
        try
        {
            var admin = await host.LoginAsync("beheer", ct);
            using (var import = await admin.PostAsync("/api/ledger/imports?fileName=grootboek.csv", new StringContent(ledger, Encoding.UTF8, "text/csv"), ct))
            {
                Assert.Equal(HttpStatusCode.OK, import.StatusCode);
            }

            Assert.Equal(0, await PaymentChecks.AssertMailsSettledOnceAsync(admin, sink, azurite.ConnectionString, prefix, caseIds, ct));
            return await ResultAsync(admin, azurite.ConnectionString, prefix, caseIds, ct);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    private static async Task<RunResult> ResultAsync(HttpClient admin, string connectionString, string prefix, List<string> caseIds, CancellationToken ct)
    {
        var cases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var caseId in caseIds)
        {
            var view = (await FaultData.GetCaseAsync(admin, caseId, ct))!.Value;
            // Status, stage, the state (balance, steps, segment) and the timeline's event types in order: a doubled or lost event shows.
            cases[caseId] = string.Join(" | ",
                view.GetProperty("status").GetString(),
                view.GetProperty("stage").GetString(),
                view.GetProperty("state").GetRawText(),
                string.Join(",", FaultData.EventTypes(view)));
        }

        var documents = new BlobServiceClient(connectionString).GetBlobContainerClient(prefix + "documents");
        var letters = new List<string>();
        await foreach (var blob in documents.GetBlobsAsync(global::Azure.Storage.Blobs.Models.BlobTraits.None, global::Azure.Storage.Blobs.Models.BlobStates.None, "letters/", ct)) letters.Add(blob.Name);
        var mailKeys = (await FaultData.RowsAsync(connectionString, prefix, "sentmail", ct)).Select(r => r.RowKey).ToHashSet(StringComparer.Ordinal);
        return new RunResult(cases, [.. letters.Order(StringComparer.Ordinal)], mailKeys);
    }

    private static bool Dump(HostProcess host)
    {
        TestContext.Current.TestOutputHelper?.WriteLine("Host output:\n" + host.Output);
        return false;
    }
}
