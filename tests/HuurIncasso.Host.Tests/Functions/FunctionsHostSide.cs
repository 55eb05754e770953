using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Host.Functions;
using HuurIncasso.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace HuurIncasso.Host.Tests.Functions;

/// <summary>
/// The Functions host's side of the custom-handler protocol, as the tests need it: a real host
/// started in custom-handler mode, invocations posted as <c>{Data, Metadata}</c> to
/// <c>POST /{function}</c>, and the queue triggers played by receiving from the real queue on
/// Azurite, posting the message, and deleting it on success (as the Functions host does).
/// </summary>
internal sealed class FunctionsHostSide : IAsyncDisposable
{
    private FunctionsHostSide(RunningHost host)
    {
        Host = host;
        Names = host.Services.GetRequiredService<StorageNames>();
        var clients = host.Services.GetRequiredService<StorageClients>();
        Inbox = clients.Queues.GetQueueClient(Names.InboxQueue);
        Effects = clients.Queues.GetQueueClient(Names.EffectsQueue);
        Poison = clients.Queues.GetQueueClient(Names.PoisonQueue);
        Invoker = new HttpClient { BaseAddress = host.Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public RunningHost Host { get; }

    public StorageNames Names { get; }

    public QueueClient Inbox { get; }

    public QueueClient Effects { get; }

    public QueueClient Poison { get; }

    /// <summary>A client without cookies, like the Functions host's own.</summary>
    public HttpClient Invoker { get; }

    public static readonly string[] CustomHandlerArgs = [$"--{FunctionsHosting.PortSetting}=0", $"--{FunctionsHosting.TimeZoneSetting}={FunctionsHosting.TimeZone}"];

    public static async Task<FunctionsHostSide> StartAsync(AzuriteFixture azurite, Action<WebApplicationBuilder>? configure = null, params string[] extraArgs) =>
        new(await RunningHost.StartAsync(azurite.ConnectionString, waitForStorage: true, configure, [.. CustomHandlerArgs, .. extraArgs]));

    /// <summary>Posts one invocation as the Functions host does and returns the status and the parsed answer.</summary>
    public async Task<(HttpStatusCode Status, JsonObject Body)> InvokeAsync(string function, JsonObject data, JsonObject? metadata = null)
    {
        var payload = new JsonObject { ["Data"] = data.DeepClone(), ["Metadata"] = metadata?.DeepClone() ?? new JsonObject() };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + function)
        {
            Content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(FunctionsHosting.InvocationIdHeader, Guid.NewGuid().ToString());
        request.Headers.Add("X-Azure-Functions-HostVersion", "4.1040.300.0");
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Azure-Functions-Host", "4.1040.300.0"));
        using var response = await Invoker.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, JsonNode.Parse(text) as JsonObject ?? throw new InvalidOperationException($"Not a JSON object: {text}"));
    }

    /// <summary>A timer invocation's payload, shaped like the Functions host's TimerInfo.</summary>
    public static JsonObject TimerData(DateTimeOffset last, DateTimeOffset next) => new()
    {
        [FunctionTable.TimerBinding] = new JsonObject
        {
            ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
            ["ScheduleStatus"] = new JsonObject { ["Last"] = last.ToString("O"), ["Next"] = next.ToString("O"), ["LastUpdated"] = last.ToString("O") },
            ["IsPastDue"] = false,
        },
    };

    /// <summary>
    /// Queue-trigger metadata as the Functions host sends it: plain strings come JSON-encoded a
    /// second time by its serializer, numbers sometimes as strings.
    /// </summary>
    public static JsonObject QueueMetadata(string id, string popReceipt, long dequeueCount, string function) => new()
    {
        ["DequeueCount"] = dequeueCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Id"] = JsonSerializer.Serialize(id),
        ["PopReceipt"] = JsonSerializer.Serialize(popReceipt),
        ["InsertionTime"] = DateTimeOffset.UtcNow.ToString("O"),
        ["NextVisibleTime"] = DateTimeOffset.UtcNow.AddMinutes(10).ToString("O"),
        ["sys"] = new JsonObject { ["MethodName"] = function, ["UtcNow"] = DateTimeOffset.UtcNow.ToString("O"), ["RandGuid"] = Guid.NewGuid().ToString() },
    };

    /// <summary>
    /// Plays the queue triggers until both queues are empty: every inbox message to
    /// <c>case-inbox</c> (its <c>effects</c> output onto the effects queue, as the output binding
    /// does), every effects message to <c>effect-dispatch</c>. Returns the answers, in order.
    /// </summary>
    public async Task<List<(string Function, HttpStatusCode Status, JsonObject Body)>> DrainAsync(int maxRounds = 50)
    {
        var ct = TestContext.Current.CancellationToken;
        var answers = new List<(string, HttpStatusCode, JsonObject)>();
        for (var round = 0; round < maxRounds; round++)
        {
            var taken = 0;
            foreach (var (queue, function, binding) in new[] { (Inbox, FunctionTable.CaseInboxName, FunctionTable.MessageBinding), (Effects, FunctionTable.EffectDispatchName, FunctionTable.DispatchBinding) })
            {
                var messages = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5), ct)).Value;
                taken += messages.Length;
                foreach (var message in messages)
                {
                    var (status, body) = await InvokeAsync(function, new JsonObject { [binding] = JsonSerializer.Serialize(message.Body.ToString()) },
                        QueueMetadata(message.MessageId, message.PopReceipt, message.DequeueCount, function));
                    answers.Add((function, status, body));
                    if (status != HttpStatusCode.OK)
                    {
                        throw new InvalidOperationException($"{function} answered {status}: {body.ToJsonString()}");
                    }

                    if (body["Outputs"]?[FunctionTable.EffectsBinding]?.GetValue<string>() is { } effects)
                    {
                        await Effects.SendMessageAsync(effects, ct);
                    }

                    try
                    {
                        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                    }
                    catch (global::Azure.RequestFailedException ex) when (ex.Status == 404)
                    {
                        // The handler moved it to the poison queue itself; the Functions host ignores this too.
                    }
                }
            }

            if (taken == 0)
            {
                return answers;
            }
        }

        throw new InvalidOperationException($"The queues were not empty after {maxRounds} rounds.");
    }

    public async ValueTask DisposeAsync()
    {
        Invoker.Dispose();
        await Host.DisposeAsync();
    }
}
