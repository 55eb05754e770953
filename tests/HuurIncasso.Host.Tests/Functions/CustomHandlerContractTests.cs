using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HuurIncasso.Azure.Engine;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Engine;
using HuurIncasso.Host.Functions;
using HuurIncasso.Host.Inputs;
using HuurIncasso.Host.Tests.Inputs;
using HuurIncasso.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HuurIncasso.Host.Tests.Functions;

/// <summary>
/// Real custom-handler invocations (timer, queue, HTTP) posted to the host started with
/// FUNCTIONS_CUSTOMHANDLER_PORT, on Azurite: the answers follow the protocol and the work is done.
/// </summary>
public sealed class CustomHandlerContractTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task TimerThenQueueInvocations_MonthlyLedgerOpensCasesAndEffectsArePerformed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var functions = await FunctionsHostSide.StartAsync(azurite);
        var clients = functions.Host.Services.GetRequiredService<StorageClients>();
        await clients.Blobs.GetBlobContainerClient(clients.Names.ImportsContainer).GetBlobClient("incoming/grootboek.csv")
            .UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(InputsFixtures.Ledger)), ct);

        var (status, answer) = await functions.InvokeAsync(MonthlyLedgerJob.Name, FunctionsHostSide.TimerData(DateTimeOffset.UtcNow.AddMonths(-1), DateTimeOffset.UtcNow));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("monthly-ledger: incoming/grootboek.csv: 4 of 5 rows accepted, 3 cases opened", Assert.Single(answer["Logs"]!.AsArray())!.GetValue<string>());
        Assert.Empty(answer["Outputs"]!.AsObject());
        Assert.Null(answer["ReturnValue"]);
        // Nothing in this process polls the inbox: the messages wait for the queue trigger.
        var waiting = (await functions.Inbox.PeekMessagesAsync(32, ct)).Value;
        Assert.NotEmpty(waiting);

        var answers = await functions.DrainAsync();

        var inbox = answers.Where(a => a.Function == FunctionTable.CaseInboxName).ToList();
        Assert.Equal(waiting.Length, inbox.Count);
        Assert.All(inbox, a => Assert.DoesNotContain(a.Body["Logs"]!.AsArray(), l => !l!.GetValue<string>().StartsWith("case ", StringComparison.Ordinal)));
        var dispatched = answers.Where(a => a.Function == FunctionTable.EffectDispatchName).ToList();
        Assert.Equal(inbox.Count(a => a.Body["Outputs"]!.AsObject().ContainsKey(FunctionTable.EffectsBinding)), dispatched.Count);
        Assert.NotEmpty(dispatched);
        var engine = functions.Host.Services.GetRequiredService<AzureCaseEngine<CaseState, CaseMessage, CaseEvent>>();
        foreach (var contract in new[] { "300101", "300102", "300103" })
        {
            var caseId = InputsFixtures.CaseIdOf(contract);
            var state = await engine.Client.GetStateAsync(caseId, ct);
            Assert.Equal(HuurIncasso.Domain.Cases.CaseStatus.Open, state!.Status);
            var effects = await engine.Store.ReadEffectsAsync(caseId, ct);
            Assert.NotEmpty(effects);
            Assert.All(effects, e => Assert.Equal(EffectStatus.Done, e.Status));
        }
    }

    [Fact]
    public async Task QueueInvocation_EffectsOutputNamesTheCommittedEffects_AndASecondDeliveryIsADuplicate()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var functions = await FunctionsHostSide.StartAsync(azurite);
        var engine = functions.Host.Services.GetRequiredService<AzureCaseEngine<CaseState, CaseMessage, CaseEvent>>();
        await functions.Host.Services.GetRequiredService<HuurIncasso.Integrations.Tenants.ITenantDirectory>().SetAsync(
            new("zaak-fn-1", "contract-zaak-fn-1", "J. Visser", "Lindelaan 1", "3532 AB", "Utrecht", "j.visser@example.nl"), ct);
        var text = InboxMessageCodec.Encode(new InboxMessage("zaak-fn-1", "open", JsonSerializer.Serialize<CaseMessage>(OpenCase("zaak-fn-1"), CaseJson.Options)));
        await functions.Inbox.SendMessageAsync(text, ct);
        var received = (await functions.Inbox.ReceiveMessageAsync(TimeSpan.FromMinutes(5), ct)).Value;
        // The documented sample's form: the message text as a plain JSON string.
        var data = new JsonObject { [FunctionTable.MessageBinding] = received.Body.ToString() };
        var metadata = FunctionsHostSide.QueueMetadata(received.MessageId, received.PopReceipt, received.DequeueCount, FunctionTable.CaseInboxName);

        var (status, first) = await functions.InvokeAsync(FunctionTable.CaseInboxName, data, metadata);
        var (againStatus, again) = await functions.InvokeAsync(FunctionTable.CaseInboxName, data, metadata);

        Assert.Equal(HttpStatusCode.OK, status);
        var output = JsonNode.Parse(first["Outputs"]![FunctionTable.EffectsBinding]!.GetValue<string>())!;
        Assert.Equal("zaak-fn-1", output["caseId"]!.GetValue<string>());
        var committed = await engine.Store.ReadEffectsAsync("zaak-fn-1", ct);
        Assert.Equal(committed.Select(e => e.Id), output["effects"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.All(committed, e => Assert.Equal(EffectStatus.Pending, e.Status));
        Assert.Equal(HttpStatusCode.OK, againStatus);
        Assert.Equal("case zaak-fn-1: Duplicate, 0 effects", Assert.Single(again["Logs"]!.AsArray())!.GetValue<string>());
        Assert.False(again["Outputs"]!.AsObject().ContainsKey(FunctionTable.EffectsBinding));

        var (dispatchStatus, dispatch) = await functions.InvokeAsync(FunctionTable.EffectDispatchName,
            new JsonObject { [FunctionTable.DispatchBinding] = JsonSerializer.Serialize(output.ToJsonString()) });
        var (redoStatus, redo) = await functions.InvokeAsync(FunctionTable.EffectDispatchName,
            new JsonObject { [FunctionTable.DispatchBinding] = JsonSerializer.Serialize(output.ToJsonString()) });

        Assert.Equal(HttpStatusCode.OK, dispatchStatus);
        Assert.Equal($"case zaak-fn-1: {committed.Count} of {committed.Count} effects performed (0 were done already)", dispatch["Logs"]![0]!.GetValue<string>());
        Assert.All(await engine.Store.ReadEffectsAsync("zaak-fn-1", ct), e => Assert.Equal(EffectStatus.Done, e.Status));
        Assert.Equal(HttpStatusCode.OK, redoStatus);
        Assert.Equal($"case zaak-fn-1: 0 of {committed.Count} effects performed ({committed.Count} were done already)", redo["Logs"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task QueueInvocation_FailingMessage_Non2xxUntilTheLastDeliveryThenPoisonedWithTheError()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var functions = await FunctionsHostSide.StartAsync(azurite);
        // The core refuses to open a case without arrears: this message fails every time.
        var text = InboxMessageCodec.Encode(new InboxMessage("zaak-fn-2", "open", JsonSerializer.Serialize<CaseMessage>(OpenCase("zaak-fn-2") with { Balance = 0m }, CaseJson.Options)));
        await functions.Inbox.SendMessageAsync(text, ct);
        var received = (await functions.Inbox.ReceiveMessageAsync(TimeSpan.FromMinutes(5), ct)).Value;
        var data = new JsonObject { [FunctionTable.MessageBinding] = JsonSerializer.Serialize(received.Body.ToString()) };

        var (early, earlyBody) = await functions.InvokeAsync(FunctionTable.CaseInboxName, data,
            FunctionsHostSide.QueueMetadata(received.MessageId, received.PopReceipt, 1, FunctionTable.CaseInboxName));
        var (last, lastBody) = await functions.InvokeAsync(FunctionTable.CaseInboxName, data,
            FunctionsHostSide.QueueMetadata(received.MessageId, received.PopReceipt, new EngineOptions().MaxDeliveries, FunctionTable.CaseInboxName));

        Assert.Equal(HttpStatusCode.InternalServerError, early);
        Assert.Equal("case-inbox failed: ArgumentOutOfRangeException", earlyBody["Logs"]![0]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, last);
        Assert.Equal("case zaak-fn-2: to the poison queue after 5 deliveries", lastBody["Logs"]![0]!.GetValue<string>());
        var poisoned = Assert.Single(await functions.Host.Services.GetRequiredService<IInbox>().ListPoisonedAsync(10, ct));
        Assert.Equal("zaak-fn-2", poisoned.CaseId);
        Assert.Equal(text, poisoned.RawText);
        Assert.Contains("System.ArgumentOutOfRangeException", poisoned.Error, StringComparison.Ordinal);
        Assert.Empty((await functions.Inbox.PeekMessagesAsync(1, ct)).Value);
    }

    [Fact]
    public async Task QueueInvocation_UnreadableMessage_PoisonedAtOnceWithTheReason()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var functions = await FunctionsHostSide.StartAsync(azurite);
        await functions.Inbox.SendMessageAsync("geen json", ct);
        var received = (await functions.Inbox.ReceiveMessageAsync(TimeSpan.FromMinutes(5), ct)).Value;

        var (status, body) = await functions.InvokeAsync(FunctionTable.CaseInboxName,
            new JsonObject { [FunctionTable.MessageBinding] = JsonSerializer.Serialize("geen json") },
            FunctionsHostSide.QueueMetadata(received.MessageId, received.PopReceipt, received.DequeueCount, FunctionTable.CaseInboxName));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("case (unreadable): to the poison queue after 1 deliveries", body["Logs"]![0]!.GetValue<string>());
        var poisoned = Assert.Single(await functions.Host.Services.GetRequiredService<IInbox>().ListPoisonedAsync(10, ct));
        Assert.Equal("geen json", poisoned.RawText);
        Assert.StartsWith("The inbox message is not JSON", poisoned.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimerInvocations_Sweeps_AnswerWithTheirCounts()
    {
        await using var functions = await FunctionsHostSide.StartAsync(azurite);

        var (timerStatus, timers) = await functions.InvokeAsync(FunctionTable.TimerSweepName, FunctionsHostSide.TimerData(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow));
        var (outboxStatus, outbox) = await functions.InvokeAsync(FunctionTable.OutboxSweepName, FunctionsHostSide.TimerData(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow));

        Assert.Equal(HttpStatusCode.OK, timerStatus);
        Assert.Equal("0 due timers sent to the inbox", timers["Logs"]![0]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, outboxStatus);
        Assert.Equal("0 pending effects performed", outbox["Logs"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task HttpInvocation_PayloadForm_GoesThroughTheAppWithItsSignIn()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var functions = await FunctionsHostSide.StartAsync(azurite);
        var cookies = functions.Host.CookieHeader(functions.Host.Client);
        JsonObject Request(string? cookie) => new()
        {
            [FunctionTable.RequestBinding] = new JsonObject
            {
                ["Url"] = "https://huurincasso.example/api/worklist?role=consultant",
                ["Method"] = "GET",
                ["Query"] = "{\"role\":\"consultant\"}",
                ["Headers"] = cookie is null
                    ? new JsonObject { ["Accept"] = new JsonArray("application/json") }
                    : new JsonObject { ["Accept"] = new JsonArray("application/json"), ["Cookie"] = new JsonArray(cookie) },
                ["Params"] = new JsonObject { ["path"] = "worklist" },
                ["Body"] = null,
                ["Identities"] = new JsonArray(),
            },
        };

        var (anonymousStatus, anonymous) = await functions.InvokeAsync(FunctionTable.ConsultantApiName, Request(null));
        var (signedInStatus, signedIn) = await functions.InvokeAsync(FunctionTable.ConsultantApiName, Request(cookies));

        Assert.Equal(HttpStatusCode.OK, anonymousStatus);
        Assert.Equal(401, anonymous["Outputs"]![FunctionTable.ResponseBinding]!["statusCode"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, signedInStatus);
        var res = signedIn["Outputs"]![FunctionTable.ResponseBinding]!;
        Assert.Equal(200, res["statusCode"]!.GetValue<int>());
        Assert.StartsWith("application/json", res["headers"]!["Content-Type"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(res["body"]!.GetValue<string>()).RootElement.ValueKind);
        _ = ct;
    }

    [Fact]
    public async Task HttpProxied_SamePathAsOutside_AndAnOutsideRequestCannotPassForAnInvocation()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var functions = await FunctionsHostSide.StartAsync(azurite);
        await functions.Inbox.SendMessageAsync("{\"caseId\":\"x\",\"key\":\"k\"}", ct);

        // What the Functions host proxies (enableProxyingHttpRequest): the outside request, own path, plus its headers.
        using var health = new HttpRequestMessage(HttpMethod.Get, "/health");
        health.Headers.Add(FunctionsHosting.InvocationIdHeader, Guid.NewGuid().ToString());
        health.Headers.Add(FunctionsHosting.ProxiedRequestHeader, Guid.NewGuid().ToString());
        using var healthAnswer = await functions.Invoker.SendAsync(health, ct);
        // Someone outside posting to /case-inbox through the catch-all UI function.
        using var forged = new HttpRequestMessage(HttpMethod.Post, "/" + FunctionTable.CaseInboxName)
        {
            Content = JsonContent.Create(new { Data = new { message = "{\"caseId\":\"x\",\"key\":\"k\"}" }, Metadata = new { } }),
        };
        forged.Headers.Add(FunctionsHosting.InvocationIdHeader, Guid.NewGuid().ToString());
        forged.Headers.Add(FunctionsHosting.ProxiedRequestHeader, Guid.NewGuid().ToString());
        using var forgedAnswer = await functions.Invoker.SendAsync(forged, ct);

        Assert.Equal(HttpStatusCode.OK, healthAnswer.StatusCode);
        // The app answered it as any page request; the inbox handler never saw it.
        Assert.DoesNotContain("\"Outputs\"", await forgedAnswer.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Empty(await functions.Host.Services.GetRequiredService<IInbox>().ListPoisonedAsync(10, ct));
        Assert.Single((await functions.Inbox.PeekMessagesAsync(32, ct)).Value);
    }

    [Fact]
    public async Task CustomHandlerMode_RunsNoTimersOrPollersOfItsOwn_StandaloneDoes()
    {
        await using var functions = await FunctionsHostSide.StartAsync(azurite);
        await using var standalone = await RunningHost.StartAsync(azurite);
        static string[] Workers(RunningHost host) =>
            [.. host.Services.GetServices<IHostedService>().Select(s => s.GetType().Name).Where(n => n.EndsWith("Worker", StringComparison.Ordinal)).Order()];

        Assert.Empty(Workers(functions.Host));
        Assert.Equal(["CaseInboxWorker", "CaseSweepWorker", "ScheduledJobsWorker"], Workers(standalone));
        Assert.Equal("127.0.0.1", functions.Host.Address.Host);
    }

    [Fact]
    public async Task Start_CustomHandlerWithoutAmsterdamTime_FailsNamingTheSetting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var host = await RunningHost.StartAsync(azurite.ConnectionString, waitForStorage: true, configure: null, $"--{FunctionsHosting.PortSetting}=0");
        });

        Assert.Contains("WEBSITE_TIME_ZONE must be 'Europe/Amsterdam' behind the Functions host", error.ToString(), StringComparison.Ordinal);
    }

    private static OpenCase OpenCase(string caseId) =>
        new(caseId, "contract-" + caseId, "huurder-1", 800m, "WON", new DateOnly(2015, 1, 1), false, 0, 800m, DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-20))) { MessageId = "open" };
}
