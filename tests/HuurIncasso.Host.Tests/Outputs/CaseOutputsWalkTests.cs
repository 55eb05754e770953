using System.Collections.Concurrent;
using System.Text.Json;
using HuurIncasso.Azure.Engine;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Engine;
using HuurIncasso.Host.Cases;
using HuurIncasso.Integrations.Documents;
using HuurIncasso.Integrations.Effects;
using HuurIncasso.Integrations.Mail;
using HuurIncasso.Integrations.Tenants;
using HuurIncasso.Integrations.Tests.Outputs;
using HuurIncasso.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HuurIncasso.Host.Tests.Outputs;

/// <summary>
/// One case from the reminder to the handover on the Azure engine and Azurite, with the real
/// output handlers and SendGrid's client pointed at a local listener: every letter, mail, list
/// item and dossier file exists exactly once, also after a crash right after SendGrid took a
/// mail and after every effect is performed a second time.
/// </summary>
public sealed class CaseOutputsWalkTests(AzuriteFixture azurite)
{
    private const string CaseId = "W-1";
    private static readonly Actor Consultant = new("ans", Role.Consultant);
    private static readonly Actor OtherConsultant = new("bram", Role.Consultant);
    private static readonly Actor TeamLead = new("tess", Role.TeamLead);

    [Fact]
    public async Task ReminderToHandover_EveryDocumentOnce_NoMailTwiceAfterACrash()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sendGrid = new FakeSendGrid();
        var w = await Walk.StartAsync(azurite, sendGrid, new DateOnly(2026, 2, 2));
        await w.SendAsync(new OpenCase(CaseId, "K-100", "H-100", 800m, "WON", new DateOnly(2015, 6, 1), DirectDebit: false, LateMonthsInLast12: 0, 800m, new DateOnly(2026, 2, 1)) { MessageId = "ledger:open" });

        // Month 1: reminder by mail and letter. The process dies right after SendGrid took the mail.
        await w.RunUntilAsync(new DateOnly(2026, 2, 7));
        Assert.Equal(1, w.Transport.Crashes);
        var reminderMail = (await w.EffectsAsync()).Single(e => e.Kind == "tenantMessage" && e.Payload.Contains("\"channel\":\"Mail\"", StringComparison.Ordinal));
        Assert.Equal(SentMailStatus.Sending, (await w.SentLog.FindAsync(CaseId, reminderMail.Id, ct))!.Status);
        // The retries since did not send again; a person finds the mail in SendGrid's activity.
        Assert.Single(sendGrid.Requests);
        Assert.True(await w.SentLog.ResolveAsync(CaseId, reminderMail.Id, wasSent: true, ct));

        await w.RunUntilAsync(new DateOnly(2026, 2, 17));
        await w.SendAsync(new RecordCallOutcome(Consultant, Reached: true, AdviceGiven: true, PointedToDebtCounselling: true) { MessageId = "call-1" });
        await w.RunUntilAsync(new DateOnly(2026, 3, 1));
        await w.SendAsync(new ChargeRent(new DateOnly(2026, 3, 1), 800m) { MessageId = "rent-03" });

        // Month 2: referrals, the arrangement offer by mail, then an arrangement that is not kept.
        await w.RunUntilAsync(new DateOnly(2026, 3, 16));
        await w.SendAsync(new AgreeArrangement(Consultant, 4, new DateOnly(2026, 3, 20)) { MessageId = "arrangement-1" });
        await w.RunUntilAsync(new DateOnly(2026, 3, 25));
        await w.SendAsync(new ReviewMissedInstalment(TeamLead, KeepArrangement: false) { MessageId = "review-1" });
        await w.SendAsync(new RecordVisitOutcome(Consultant, Met: false, AdviceGiven: false, PointedToDebtCounselling: false) { MessageId = "visit-1" });
        await w.SendAsync(new RequestPause(Consultant, PauseKind.Deferral, new DateOnly(2026, 4, 10), "wacht op toeslag") { MessageId = "pause-1" });
        await w.SendAsync(new ApprovePause(OtherConsultant) { MessageId = "pause-1-ok" });

        // Month 3: after the pause, debt counselling, the 14-day notice, costs, and the handover proposal.
        await w.SendAsync(new ChargeRent(new DateOnly(2026, 4, 1), 800m) { MessageId = "rent-04" });
        await w.RunUntilAsync(new DateOnly(2026, 5, 15));
        Assert.Equal("overdracht", (await w.StateAsync()).ProposedStep);
        await w.SendAsync(new ApproveStep(TeamLead, "overdracht") { MessageId = "handover-ok" });
        await w.RunUntilAsync(new DateOnly(2026, 5, 16));
        Assert.Equal(Domain.Cases.CaseStatus.HandedOver, (await w.StateAsync()).Status);

        await AssertEveryDocumentOnceAsync(w, sendGrid);

        // Every effect performed a second time, as a sweep after a crash would: nothing new.
        foreach (var effect in (await w.EffectsAsync()).Where(e => e.Kind != EngineEffectKinds.Timer))
        {
            if (effect.Payload.Contains("\"template\":\"formal-notice\"", StringComparison.Ordinal))
            {
                // A notice is never printed after its posting day: its deadline would be too early.
                await Assert.ThrowsAsync<FormalNoticeRejectedException>(() => w.Handler(effect.Kind).HandleAsync(effect, ct));
                continue;
            }

            await w.Handler(effect.Kind).HandleAsync(effect, ct);
        }

        await AssertEveryDocumentOnceAsync(w, sendGrid);
        Assert.All(await w.EffectsAsync(), e => Assert.Equal(EffectStatus.Done, e.Status));
        Assert.Contains(w.Recorded("personTask"), id => id.StartsWith(CaseId + ":", StringComparison.Ordinal));
    }

    private static async Task AssertEveryDocumentOnceAsync(Walk w, FakeSendGrid sendGrid)
    {
        var ct = TestContext.Current.CancellationToken;
        string[] letters = ["herinnering", "arrangement-confirmation", "arrangement-broken", "pause-confirmation", "formal-notice", "handover-announcement"];

        // Letters: one PDF each, each once in a print item.
        var pdfs = await w.Documents.ListAsync($"letters/{CaseId}/", ct);
        Assert.Equal(letters.Length, pdfs.Count);
        var printed = new List<PrintItem>();
        foreach (var name in (await w.Documents.ListAsync("print/", ct)).Where(n => n.Contains($"/items/{CaseId}/", StringComparison.Ordinal)))
        {
            printed.Add((await w.Documents.ReadAsync(name, ct))!.ToObjectFromJson<PrintItem>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!);
        }

        Assert.Equal(letters.Order(StringComparer.Ordinal), printed.Select(p => p.Template).Order(StringComparer.Ordinal));
        Assert.Equal(pdfs, printed.Select(p => p.Letter).Order(StringComparer.Ordinal));

        // Mails: the reminder and the arrangement offer, one v3 request each, with the case in custom_args.
        var requests = sendGrid.Requests.ToList();
        Assert.Equal(["herinnering", "regeling-aanbieden"], requests.Select(r => Args(r).GetProperty("template").GetString()).Order(StringComparer.Ordinal));
        Assert.All(requests, r => Assert.Equal(CaseId, Args(r).GetProperty("case_id").GetString()));
        Assert.Equal(2, requests.Select(r => Args(r).GetProperty("effect_id").GetString()).Distinct().Count());
        Assert.All(await w.SentLog.ListAsync(CaseId, ct), e => Assert.Equal(SentMailStatus.Sent, e.Status));

        // The early signal and the three referrals, one item each.
        Assert.Single(await w.Documents.ListAsync("early-signal/2026-02/items/W-1/", ct));
        foreach (var partner in new[] { "credit-bank", "public-health", "debt-counselling" })
        {
            Assert.Single((await w.Documents.ListAsync($"referrals/{partner}/", ct)), n => n.Contains($"/items/{CaseId}/", StringComparison.Ordinal));
        }

        // The collection costs for the ERP, once.
        Assert.Single((await w.Documents.ListAsync("exports/ledgerPosting/", ct)), n => n.Contains($"/items/{CaseId}/", StringComparison.Ordinal));

        // The dossier: JSON, CSV and PDF, listing every letter, the announcement too (it is written first).
        var dossier = await w.Documents.ListAsync($"handover/{CaseId}/", ct);
        Assert.Equal(["csv", "json", "pdf"], dossier.Select(n => n[(n.LastIndexOf('.') + 1)..]));
        using var json = JsonDocument.Parse((await w.Documents.ReadAsync(dossier[1], ct))!.ToMemory());
        Assert.Equal("INC", json.RootElement.GetProperty("soort").GetProperty("code").GetString());
        Assert.Equal(pdfs, json.RootElement.GetProperty("huurIncasso").GetProperty("brieven").EnumerateArray().Select(b => b.GetString()!));
        Assert.Equal(2, json.RootElement.GetProperty("huurIncasso").GetProperty("mails").GetArrayLength());
    }

    private static JsonElement Args(RecordedRequest request) => request.Json.GetProperty("personalizations")[0].GetProperty("custom_args");

    /// <summary>The arrears workflow on the Azure engine with a fake clock and the real output handlers.</summary>
    private sealed class Walk
    {
        private readonly Dictionary<string, IEffectHandler> _handlers;

        private Walk(AzureCaseEngine<CaseState, CaseMessage, CaseEvent> engine, FakeTimeProvider clock, CrashAfterFirstSend transport, DocumentStore documents, SentMailLog sentLog, IEnumerable<IEffectHandler> handlers)
        {
            Engine = engine;
            Clock = clock;
            Transport = transport;
            Documents = documents;
            SentLog = sentLog;
            _handlers = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);
        }

        public AzureCaseEngine<CaseState, CaseMessage, CaseEvent> Engine { get; }

        public FakeTimeProvider Clock { get; }

        public CrashAfterFirstSend Transport { get; }

        public DocumentStore Documents { get; }

        public SentMailLog SentLog { get; }

        public static async Task<Walk> StartAsync(AzuriteFixture azurite, FakeSendGrid sendGrid, DateOnly start)
        {
            var clients = new StorageClients(new StorageOptions { ConnectionString = azurite.ConnectionString, Prefix = AzuriteFixture.UniquePrefix() });
            await StorageProvisioner.EnsureCreatedAsync(clients, TestContext.Current.CancellationToken);
            var clock = new FakeTimeProvider(CaseCore.TimerInstant(start).AddHours(3));
            var corporation = Samples.Corporation;
            var documentsOptions = Samples.DocumentsOptions;
            var tenants = new InMemoryTenantDirectory();
            await tenants.SetAsync(Samples.Tenant(CaseId), TestContext.Current.CancellationToken);
            var documents = new DocumentStore(clients);
            var sentLog = new SentMailLog(clients, clock);
            var transport = new CrashAfterFirstSend(new SendGridMailTransport(
                new MailOptions { SendGridApiKey = "SG.test-key", SendGridHost = sendGrid.Host, From = "huurincasso@voorbeeld.nl" }, corporation));
            IEffectHandler[] handlers =
            [
                new TenantMessageHandler(new TemplateRenderer(Path.Combine(AppContext.BaseDirectory, "templates")), tenants, transport, sentLog, documents,
                    Options.Create(corporation), Options.Create(documentsOptions), clock),
                new PartnerReferralHandler(tenants, documents),
                new HandoverDossierHandler(tenants, documents, sentLog, Options.Create(corporation), Options.Create(documentsOptions)),
                .. ExportRecordHandler.Kinds.Select(k => new ExportRecordHandler(k, tenants, documents)),
                new Recorder("personTask"),
                new Recorder("cancelOpenTasks"),
            ];
            var catalog = PolicyCatalog.LoadFiles([RepositoryRoot.Path("policy", "default.yaml")]);
            var options = new EngineOptions { RetryBackoff = TimeSpan.Zero, MaxDeliveries = 3, LeaseTime = TimeSpan.FromSeconds(30), EffectSweepAge = TimeSpan.Zero };
            var engine = new AzureCaseEngine<CaseState, CaseMessage, CaseEvent>(clients, new ArrearsCaseWorkflow(catalog, clock), handlers, clock, options, ArrearsCaseWorkflow.CreateSerializer());
            return new Walk(engine, clock, transport, documents, sentLog, handlers);
        }

        public IEffectHandler Handler(string kind) => _handlers[kind];

        public IReadOnlyCollection<string> Recorded(string kind) => ((Recorder)_handlers[kind]).Handled;

        public async Task SendAsync(CaseMessage message)
        {
            await Engine.Client.SendAsync(CaseId, message.MessageId, message, cancellationToken: TestContext.Current.CancellationToken);
            await RunUntilIdleAsync();
        }

        /// <summary>Moves the clock from timer to timer up to 09:00 on <paramref name="last"/>, letting the engine work at each.</summary>
        public async Task RunUntilAsync(DateOnly last)
        {
            var target = CaseCore.TimerInstant(last).AddHours(3);
            for (var guard = 0; guard < 200 && (await StateAsync()).WaitingUntil is { } due && due <= target; guard++)
            {
                Clock.SetUtcNow(due > Clock.GetUtcNow() ? due : Clock.GetUtcNow().AddMinutes(1));
                await RunUntilIdleAsync();
            }

            Clock.SetUtcNow(target > Clock.GetUtcNow() ? target : Clock.GetUtcNow());
            await RunUntilIdleAsync();
        }

        public async Task<CaseState> StateAsync() => (await Engine.Client.GetStateAsync(CaseId, TestContext.Current.CancellationToken))!;

        public Task<IReadOnlyList<Effect>> EffectsAsync() => Engine.Store.ReadEffectsAsync(CaseId, TestContext.Current.CancellationToken);

        private async Task RunUntilIdleAsync()
        {
            var ct = TestContext.Current.CancellationToken;
            while (true)
            {
                var work = await Engine.Processor.ProcessBatchAsync(ct);
                work += await Engine.TimerSweeper.SweepAsync(ct);
                if (work == 0)
                {
                    // Effects a crash left pending are redone by the sweep, as in production.
                    await Engine.Dispatcher.SweepAsync(Clock.GetUtcNow(), ct);
                    if (await Engine.Processor.ProcessBatchAsync(ct) == 0 && await Engine.TimerSweeper.SweepAsync(ct) == 0)
                    {
                        return;
                    }
                }
            }
        }
    }

    /// <summary>SendGrid takes the first mail, then the process dies before the handler can write the sent log.</summary>
    private sealed class CrashAfterFirstSend(SendGridMailTransport inner) : IMailTransport
    {
        public int Crashes { get; private set; }

        public bool IsIdempotent => inner.IsIdempotent;

        public async Task<MailReceipt> SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
        {
            var receipt = await inner.SendAsync(mail, cancellationToken);
            if (Crashes == 0)
            {
                Crashes++;
                throw new IOException("process died after SendGrid accepted the mail");
            }

            return receipt;
        }
    }

    private sealed class Recorder(string kind) : IEffectHandler
    {
        public ConcurrentBag<string> Handled { get; } = [];

        public string Kind => kind;

        public Task HandleAsync(Effect effect, CancellationToken cancellationToken = default)
        {
            Handled.Add(effect.Id);
            return Task.CompletedTask;
        }
    }
}
