using System.Net;
using Azure.Storage.Blobs;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Engine;
using HuurIncasso.Integrations.Mail;
using HuurIncasso.Integrations.Tenants;
using HuurIncasso.Testing;

namespace HuurIncasso.Integrations.Tests.Outputs;

public sealed class MailTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Committed = new(2026, 12, 7, 7, 30, 0, TimeSpan.Zero);

    private static Effect Reminder(string caseId, long sequence = 4) =>
        Samples.ToEffect(new TenantMessage(Channel.Mail, "herinnering", 612.40m, Samples.Data(("stap", "Reminder"))), caseId, sequence, 0, Committed);

    [Fact]
    public async Task HandleAsync_MailWithSendGridKey_PostsOneV3MailSendWithTheEffectInCustomArgs()
    {
        await using var sendGrid = new FakeSendGrid();
        using var transport = OutputHarness.SendGrid(sendGrid);
        var h = new OutputHarness(azurite, transport);
        await h.Tenants.SetAsync(Samples.Tenant("case-sg"), TestContext.Current.CancellationToken);
        var effect = Reminder("case-sg");

        await h.Handler.HandleAsync(effect, TestContext.Current.CancellationToken);

        var request = Assert.Single(sendGrid.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v3/mail/send", request.Path);
        Assert.Equal("Bearer SG.test-key", request.Authorization);
        var json = request.Json;
        Assert.Equal("huurincasso@voorbeeld.nl", json.GetProperty("from").GetProperty("email").GetString());
        Assert.Equal("Woonstichting Voorbeeld", json.GetProperty("from").GetProperty("name").GetString());
        var personalization = json.GetProperty("personalizations")[0];
        Assert.Equal("j.devries@example.org", personalization.GetProperty("to")[0].GetProperty("email").GetString());
        Assert.Equal(effect.Id, personalization.GetProperty("custom_args").GetProperty("effect_id").GetString());
        // The case id comes back on every event of the webhook, so a bounce finds its case.
        Assert.Equal("case-sg", personalization.GetProperty("custom_args").GetProperty("case_id").GetString());
        Assert.Equal(OutgoingMail.MessageKeyOf(effect.Id), personalization.GetProperty("custom_args").GetProperty("message_key").GetString());
        Assert.Equal("herinnering", personalization.GetProperty("custom_args").GetProperty("template").GetString());
        Assert.Equal("Herinnering: uw huur is nog niet betaald", personalization.GetProperty("subject").GetString());
        var contents = json.GetProperty("content").EnumerateArray().ToDictionary(c => c.GetProperty("type").GetString()!, c => c.GetProperty("value").GetString()!);
        Assert.Contains("€ 612,40", contents["text/plain"], StringComparison.Ordinal);
        Assert.Contains("<p>Beste J. de Vries,</p>", contents["text/html"], StringComparison.Ordinal);

        var logged = await h.SentLog.FindAsync("case-sg", effect.Id, TestContext.Current.CancellationToken);
        Assert.Equal(SentMailStatus.Sent, logged?.Status);
        Assert.Equal("sg-1", logged?.ProviderMessageId);
    }

    [Fact]
    public async Task HandleAsync_SameEffectTwice_SendsOneMail()
    {
        await using var sendGrid = new FakeSendGrid();
        using var transport = OutputHarness.SendGrid(sendGrid);
        var h = new OutputHarness(azurite, transport);
        await h.Tenants.SetAsync(Samples.Tenant("case-twice"), TestContext.Current.CancellationToken);
        var effect = Reminder("case-twice");

        await h.Handler.HandleAsync(effect, TestContext.Current.CancellationToken);
        await h.Handler.HandleAsync(effect, TestContext.Current.CancellationToken);

        Assert.Single(sendGrid.Requests);
    }

    [Fact]
    public async Task HandleAsync_FirstAttempt_RecordsIntentWithoutReadingTheLogFirst_RetryReadsIt()
    {
        await using var sendGrid = new FakeSendGrid();
        using var transport = OutputHarness.SendGrid(sendGrid);
        var h = new OutputHarness(azurite, transport);
        var ct = TestContext.Current.CancellationToken;
        await h.Tenants.SetAsync(Samples.Tenant("case-cost"), ct);
        var effect = Reminder("case-cost");

        await h.SentLog.FindAsync("case-cost", "another-effect", ct); // makes the sent log's table, which the first use does
        // What looking up the tenant's contact costs on its own (the handler does that once too).
        var lookup = h.Clients.Transactions.Snapshot();
        await h.Tenants.FindAsync("case-cost", ct);
        var before = h.Clients.Transactions.Snapshot();
        var tenantReads = before.GetValueOrDefault("table read") - lookup.GetValueOrDefault("table read");
        await h.Handler.HandleAsync(effect, ct);
        var first = h.Clients.Transactions.Snapshot();
        await h.Handler.HandleAsync(effect with { Attempts = 1 }, ct);
        var retry = h.Clients.Transactions.Snapshot();

        // First attempt: no read of the sent log; the intent is an insert, the outcome an update.
        Assert.Equal(tenantReads, first.GetValueOrDefault("table read") - before.GetValueOrDefault("table read"));
        Assert.Equal(1, first.GetValueOrDefault("table insert") - before.GetValueOrDefault("table insert"));
        // A retry reads the log first, finds the mail sent, and stops there.
        Assert.Equal(1, retry.GetValueOrDefault("table read") - first.GetValueOrDefault("table read"));
        Assert.Equal(0, retry.GetValueOrDefault("table insert") - first.GetValueOrDefault("table insert"));
        Assert.Single(sendGrid.Requests);
    }

    [Fact]
    public async Task HandleAsync_CrashAfterSendBeforeTheLogWrite_NeverSendsAgainAndAsksAPerson()
    {
        await using var sendGrid = new FakeSendGrid();
        using var sendGridTransport = OutputHarness.SendGrid(sendGrid);
        var crashing = new CrashAfterSend(sendGridTransport);
        var h = new OutputHarness(azurite, crashing);
        await h.Tenants.SetAsync(Samples.Tenant("case-crash"), TestContext.Current.CancellationToken);
        var effect = Reminder("case-crash");

        await Assert.ThrowsAsync<IOException>(() => h.Handler.HandleAsync(effect, TestContext.Current.CancellationToken));
        var retry = await Assert.ThrowsAsync<MailDeliveryUncertainException>(() => h.Handler.HandleAsync(effect, TestContext.Current.CancellationToken));

        Assert.Single(sendGrid.Requests);
        Assert.Equal(1, crashing.Calls);
        Assert.Equal(OutgoingMail.MessageKeyOf(effect.Id), retry.MessageKey);

        // A person found the mail in SendGrid's activity and says so: from then on it is done.
        Assert.True(await h.SentLog.ResolveAsync("case-crash", effect.Id, wasSent: true, TestContext.Current.CancellationToken));
        await h.Handler.HandleAsync(effect, TestContext.Current.CancellationToken);
        Assert.Single(sendGrid.Requests);
    }

    [Fact]
    public async Task HandleAsync_TimeoutBeforeSendGridGotIt_PersonSaysNotSent_NextAttemptSendsOnce()
    {
        await using var sendGrid = new FakeSendGrid();
        using var sendGridTransport = OutputHarness.SendGrid(sendGrid);
        var h = new OutputHarness(azurite, new TimeoutBeforeSend(sendGridTransport));
        await h.Tenants.SetAsync(Samples.Tenant("case-timeout"), TestContext.Current.CancellationToken);
        var effect = Reminder("case-timeout");

        await Assert.ThrowsAsync<TimeoutException>(() => h.Handler.HandleAsync(effect, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<MailDeliveryUncertainException>(() => h.Handler.HandleAsync(effect, TestContext.Current.CancellationToken));
        Assert.Empty(sendGrid.Requests);

        // SendGrid's activity shows no mail with this message key: the person marks it not sent.
        Assert.True(await h.SentLog.ResolveAsync("case-timeout", effect.Id, wasSent: false, TestContext.Current.CancellationToken));
        await h.Handler.HandleAsync(effect, TestContext.Current.CancellationToken);
        await h.Handler.HandleAsync(effect, TestContext.Current.CancellationToken);

        Assert.Single(sendGrid.Requests);
        Assert.False(await h.SentLog.ResolveAsync("case-timeout", effect.Id, wasSent: false, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task HandleAsync_SendGridRefuses_ForgetsTheIntentSoTheRetrySendsOnce()
    {
        await using var sendGrid = new FakeSendGrid { NextStatus = HttpStatusCode.InternalServerError };
        using var transport = OutputHarness.SendGrid(sendGrid);
        var h = new OutputHarness(azurite, transport);
        await h.Tenants.SetAsync(Samples.Tenant("case-refused"), TestContext.Current.CancellationToken);
        var effect = Reminder("case-refused");

        await Assert.ThrowsAsync<MailNotSentException>(() => h.Handler.HandleAsync(effect, TestContext.Current.CancellationToken));
        Assert.Null(await h.SentLog.FindAsync("case-refused", effect.Id, TestContext.Current.CancellationToken));

        sendGrid.NextStatus = HttpStatusCode.Accepted;
        await h.Handler.HandleAsync(effect, TestContext.Current.CancellationToken);
        await h.Handler.HandleAsync(effect, TestContext.Current.CancellationToken);

        Assert.Equal(2, sendGrid.Requests.Count); // one refused, one accepted
        Assert.Equal(SentMailStatus.Sent, (await h.SentLog.FindAsync("case-refused", effect.Id, TestContext.Current.CancellationToken))?.Status);
    }

    [Fact]
    public async Task HandleAsync_NoApiKey_CapturesTheMailInOneBlobEvenAfterACrash()
    {
        var h0 = new OutputHarness(azurite);
        var crashing = new CrashAfterSend(new CaptureMailTransport(h0.Clients, h0.Time));
        var h = new OutputHarness(azurite, crashing);
        await h.Tenants.SetAsync(Samples.Tenant("case-capture"), TestContext.Current.CancellationToken);
        var effect = Reminder("case-capture");

        await Assert.ThrowsAsync<IOException>(() => h.Handler.HandleAsync(effect, TestContext.Current.CancellationToken));
        await h.Handler.HandleAsync(effect, TestContext.Current.CancellationToken);
        await h.Handler.HandleAsync(effect, TestContext.Current.CancellationToken);

        // The capture transport is idempotent: the unfinished attempt is simply repeated, onto the same blob.
        Assert.Equal(2, crashing.Calls);
        var container = h0.Clients.Blobs.GetBlobContainerClient(h0.Clients.Names.MailCaptureContainer);
        var blobs = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(global::Azure.Storage.Blobs.Models.BlobTraits.None, global::Azure.Storage.Blobs.Models.BlobStates.None, "case-capture/", TestContext.Current.CancellationToken))
        {
            blobs.Add(blob.Name);
        }

        Assert.Equal([CaptureMailTransport.BlobName("case-capture", OutgoingMail.MessageKeyOf(effect.Id))], blobs);
        var captured = (await container.GetBlobClient(blobs[0]).DownloadContentAsync(TestContext.Current.CancellationToken)).Value.Content.ToObjectFromJson<CapturedMail>(new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        Assert.Equal("j.devries@example.org", captured!.To);
        Assert.Contains("€ 612,40", captured.Text, StringComparison.Ordinal);
        Assert.Equal(SentMailStatus.Sent, (await h.SentLog.FindAsync("case-capture", effect.Id, TestContext.Current.CancellationToken))?.Status);
        var listed = Assert.Single(await new CaptureMailTransport(h0.Clients, h0.Time).ListAsync("case-capture", TestContext.Current.CancellationToken));
        Assert.Equal(effect.Id, listed.EffectId);
    }

    [Fact]
    public void Html_TextWithMarkupAndBullets_IsEscapedAndListed()
    {
        var mail = new OutgoingMail("e:1", "c", "t", "a@b.nl", "<b>X</b>", "S", "Beste <b>X</b>,\n\n- een & twee\n- drie");

        var html = mail.Html();

        Assert.Contains("<p>Beste &lt;b&gt;X&lt;/b&gt;,</p>", html, StringComparison.Ordinal);
        Assert.Contains("<ul><li>een &amp; twee</li><li>drie</li></ul>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_TenantWithoutEmail_RecordsSkippedAndSendsNothing()
    {
        await using var sendGrid = new FakeSendGrid();
        using var transport = OutputHarness.SendGrid(sendGrid);
        var h = new OutputHarness(azurite, transport);
        await h.Tenants.SetAsync(Samples.Tenant("case-nomail", email: null), TestContext.Current.CancellationToken);
        var effect = Reminder("case-nomail");

        await h.Handler.HandleAsync(effect, TestContext.Current.CancellationToken);

        Assert.Empty(sendGrid.Requests);
        Assert.Equal(SentMailStatus.Skipped, (await h.SentLog.FindAsync("case-nomail", effect.Id, TestContext.Current.CancellationToken))?.Status);
    }

    [Fact]
    public async Task HandleAsync_UnknownTenant_ThrowsAndRecordsNoIntent()
    {
        var h = new OutputHarness(azurite);
        var effect = Reminder("case-unknown");

        var ex = await Assert.ThrowsAsync<TenantContactMissingException>(() => h.Handler.HandleAsync(effect, TestContext.Current.CancellationToken));

        Assert.Equal("case-unknown", ex.CaseId);
        Assert.Null(await h.SentLog.FindAsync("case-unknown", effect.Id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TableTenantDirectory_SetThenFind_GivesTheSameContact()
    {
        var h = new OutputHarness(azurite);
        await h.Clients.Tables.GetTableClient(h.Clients.Names.TenantsTable).CreateIfNotExistsAsync(TestContext.Current.CancellationToken);
        var directory = new TableTenantDirectory(h.Clients);
        var contact = Samples.Tenant("case-table");

        await directory.SetAsync(contact, TestContext.Current.CancellationToken);

        Assert.Equal(contact, await directory.FindAsync("case-table", TestContext.Current.CancellationToken));
        Assert.Null(await directory.FindAsync("case-other", TestContext.Current.CancellationToken));
    }
}
