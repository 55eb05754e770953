using System.Globalization;
using System.Text;
using System.Text.Json;
using HuurIncasso.Azure.Engine;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Engine;
using HuurIncasso.Host.Scheduling;
using HuurIncasso.Host.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace HuurIncasso.Host.Functions;

/// <summary>
/// Answers the Functions host's invocations (<c>POST /{function}</c> with <c>{Data, Metadata}</c>).
/// A 2xx answer means done; anything else makes the Functions host count a failure, which for a
/// queue trigger means the message comes back after <c>visibilityTimeout</c> and goes to the
/// poison queue after <c>maxDequeueCount</c> deliveries (host.json).
/// </summary>
internal sealed partial class FunctionInvoker(
    ScheduledJobRunner jobs,
    AzureCaseEngine<CaseState, CaseMessage, CaseEvent> engine,
    StorageReadiness readiness,
    IServer server,
    ILogger<FunctionInvoker> logger)
{
    private static readonly TimeSpan StorageWait = TimeSpan.FromSeconds(30);

    // A fresh handler per process: the app answers itself on 127.0.0.1, without cookies or redirects.
    private static readonly HttpClient Loopback = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = Timeout.InfiniteTimeSpan };

    public async Task InvokeAsync(FunctionDefinition function, HttpContext context)
    {
        var ct = context.RequestAborted;
        var response = new InvocationResponse();
        int status;
        try
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var request = InvocationRequest.Parse(await reader.ReadToEndAsync(ct).ConfigureAwait(false));
            await readiness.WhenReadyAsync(ct).WaitAsync(StorageWait, ct).ConfigureAwait(false);
            status = function.Role switch
            {
                FunctionRole.ScheduledJob => await RunJobAsync(function, response, ct).ConfigureAwait(false),
                FunctionRole.TimerSweep => await SweepTimersAsync(response, ct).ConfigureAwait(false),
                FunctionRole.OutboxSweep => await SweepOutboxAsync(response, ct).ConfigureAwait(false),
                FunctionRole.CaseInbox => await HandleInboxMessageAsync(function.Shard, request, response, ct).ConfigureAwait(false),
                FunctionRole.EffectDispatch => await DispatchEffectsAsync(request, response, ct).ConfigureAwait(false),
                FunctionRole.Http => await ForwardHttpAsync(request, response, context, ct).ConfigureAwait(false),
                _ => throw new InvalidOperationException($"Function {function.Name} has no handler for role {function.Role}."),
            };
        }
        catch (FormatException ex)
        {
            status = StatusCodes.Status400BadRequest;
            response.Logs.Add($"{function.Name}: {ex.Message}");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // The type only: messages of our own code never carry personal data, other libraries' might.
            LogFailed(logger, function.Name, ex);
            status = StatusCodes.Status500InternalServerError;
            response.Logs.Add($"{function.Name} failed: {ex.GetType().Name}");
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(response, InvocationResponse.Json), ct).ConfigureAwait(false);
    }

    private async Task<int> RunJobAsync(FunctionDefinition function, InvocationResponse response, CancellationToken ct)
    {
        var run = await jobs.RunExclusiveAsync(function.Job!, cancellationToken: ct).ConfigureAwait(false);
        response.Logs.Add($"{run.Job}: {run.Summary}");
        return StatusCodes.Status200OK;
    }

    private async Task<int> SweepTimersAsync(InvocationResponse response, CancellationToken ct)
    {
        var fired = await engine.TimerSweeper.SweepAsync(ct).ConfigureAwait(false);
        response.Logs.Add(string.Create(CultureInfo.InvariantCulture, $"{fired} due timers sent to the inbox"));
        return StatusCodes.Status200OK;
    }

    private async Task<int> SweepOutboxAsync(InvocationResponse response, CancellationToken ct)
    {
        var performed = await engine.Dispatcher.SweepAsync(ct).ConfigureAwait(false);
        response.Logs.Add(string.Create(CultureInfo.InvariantCulture, $"{performed} pending effects performed"));
        return StatusCodes.Status200OK;
    }

    /// <summary>
    /// One inbox message through the engine's own decision path (<see cref="ICaseMessageHandler.HandleAsync"/>):
    /// the same exactly-once commit as standalone. The effects are not performed here but named
    /// in the <c>effects</c> output, which the Functions host puts on the effects queue.
    /// </summary>
    private async Task<int> HandleInboxMessageAsync(int shard, InvocationRequest request, InvocationResponse response, CancellationToken ct)
    {
        var text = request.Data(FunctionTable.MessageBinding)
            ?? throw new FormatException($"Data.{FunctionTable.MessageBinding} (the queue message) is missing.");
        var id = request.Metadata("Id");
        var receipt = request.Metadata("PopReceipt");
        var deliveries = request.MetadataNumber("DequeueCount") ?? 1;
        if (!InboxMessageCodec.TryDecode(text, out var message, out var error))
        {
            // Unreadable never gets better: to the poison queue with the reason at once, as standalone.
            return await PoisonAsync(new InboxLease(null, id ?? "", deliveries, receipt ?? "", text, error) { Shard = shard }, error!, response, ct).ConfigureAwait(false);
        }

        HandleResult result;
        try
        {
            result = await engine.Engine.HandleAsync(message!, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && (ex is InvalidCaseMessageException || deliveries >= engine.Options.MaxDeliveries))
        {
            // The last delivery: the poison queue gets the error too, which the Functions host's own move would lose.
            var reason = ex.GetType().FullName + ": " + ex.Message;
            return await PoisonAsync(new InboxLease(message, id ?? "", deliveries, receipt ?? "", text) { Shard = shard }, reason, response, ct).ConfigureAwait(false);
        }

        response.Logs.Add(string.Create(CultureInfo.InvariantCulture, $"case {message!.CaseId}: {result.Outcome}, {result.Effects.Count} effects"));
        if (result.Effects.Count > 0)
        {
            response.Outputs[FunctionTable.EffectsBinding] = JsonSerializer.Serialize(
                new EffectDispatch(message.CaseId, [.. result.Effects.Select(e => e.Id)]), EffectDispatch.Json);
        }

        return StatusCodes.Status200OK;
    }

    private async Task<int> PoisonAsync(InboxLease lease, string reason, InvocationResponse response, CancellationToken ct)
    {
        if (lease.Id.Length == 0 || lease.Receipt.Length == 0)
        {
            // Without the message's id the Functions host must move it itself: fail until it does.
            response.Logs.Add("message cannot be handled and has no Id/PopReceipt metadata to move it to the poison queue: " + reason);
            return StatusCodes.Status500InternalServerError;
        }

        await engine.Inbox.PoisonAsync(lease, reason, ct).ConfigureAwait(false);
        response.Logs.Add(string.Create(CultureInfo.InvariantCulture, $"case {lease.Message?.CaseId ?? "(unreadable)"}: to the poison queue after {lease.DequeueCount} deliveries"));
        return StatusCodes.Status200OK;
    }

    /// <summary>
    /// Performs the effects named in one effects-queue message that are still pending. A handler
    /// that fails is recorded on the effect (attempts, error) and retried by the outbox sweep, as
    /// standalone; only a failure to read or record fails the invocation.
    /// </summary>
    private async Task<int> DispatchEffectsAsync(InvocationRequest request, InvocationResponse response, CancellationToken ct)
    {
        var text = request.Data(FunctionTable.DispatchBinding)
            ?? throw new FormatException($"Data.{FunctionTable.DispatchBinding} (the queue message) is missing.");
        EffectDispatch? dispatch;
        try
        {
            dispatch = JsonSerializer.Deserialize<EffectDispatch>(text, EffectDispatch.Json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The effects message is not JSON: {ex.Message}", ex);
        }

        if (dispatch is null || string.IsNullOrWhiteSpace(dispatch.CaseId) || dispatch.Effects is null)
        {
            throw new FormatException("The effects message lacks 'caseId' or 'effects'.");
        }

        var wanted = dispatch.Effects.ToHashSet(StringComparer.Ordinal);
        var pending = (await engine.Store.ReadEffectsAsync(dispatch.CaseId, ct).ConfigureAwait(false))
            .Where(e => wanted.Contains(e.Id) && e.Status == EffectStatus.Pending)
            .OrderBy(e => e.Sequence).ThenBy(e => e.Index)
            .ToList();
        await engine.Dispatcher.DispatchAsync(dispatch.CaseId, pending, ct).ConfigureAwait(false);
        response.Logs.Add(string.Create(CultureInfo.InvariantCulture, $"case {dispatch.CaseId}: {pending.Count} of {wanted.Count} effects performed ({wanted.Count - pending.Count} were done already)"));
        return StatusCodes.Status200OK;
    }

    /// <summary>
    /// The HTTP trigger in the payload form (when the Functions host does not proxy the request):
    /// the request in <c>Data.req</c> goes through this app on 127.0.0.1, so sign-in, antiforgery
    /// and routing are the same, and the answer goes back as <c>Outputs.res</c>. Text bodies only;
    /// with proxying on (host.json) the request never takes this path.
    /// </summary>
    private async Task<int> ForwardHttpAsync(InvocationRequest request, InvocationResponse response, HttpContext context, CancellationToken ct)
    {
        var req = request.DataObject(FunctionTable.RequestBinding)
            ?? throw new FormatException($"Data.{FunctionTable.RequestBinding} (the HTTP request) is missing.");
        var url = String(req, "Url") ?? throw new FormatException("Data.req.Url is missing.");
        var target = new Uri(url, UriKind.RelativeOrAbsolute);
        var pathAndQuery = target.IsAbsoluteUri ? target.PathAndQuery : url;
        var self = server.Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var message = new HttpRequestMessage(new HttpMethod(String(req, "Method") ?? "GET"), new Uri(new Uri(self), pathAndQuery));
        var body = String(req, "Body");
        if (!string.IsNullOrEmpty(body))
        {
            message.Content = new StringContent(body, Encoding.UTF8);
            message.Content.Headers.ContentType = null;
        }

        if (Find(req, "Headers") is { ValueKind: JsonValueKind.Object } headers)
        {
            foreach (var header in headers.EnumerateObject())
            {
                if (header.NameEquals("Host") || header.NameEquals("Content-Length") || header.Name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) continue;
                var values = header.Value.ValueKind == JsonValueKind.Array
                    ? header.Value.EnumerateArray().Select(v => v.GetString() ?? "").ToArray()
                    : [header.Value.ToString()];
                if (!message.Headers.TryAddWithoutValidation(header.Name, values))
                {
                    message.Content?.Headers.TryAddWithoutValidation(header.Name, values);
                }
            }
        }

        // Marked as outside traffic: a request for /case-inbox in Data.req must not pass for an invocation.
        message.Headers.Remove(FunctionsHosting.ProxiedRequestHeader);
        message.Headers.TryAddWithoutValidation(FunctionsHosting.ProxiedRequestHeader, context.Request.Headers[FunctionsHosting.InvocationIdHeader].ToString());
        using var answer = await Loopback.SendAsync(message, ct).ConfigureAwait(false);
        var answerHeaders = answer.Headers.Concat(answer.Content.Headers)
            .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => string.Join(", ", g.SelectMany(h => h.Value)), StringComparer.OrdinalIgnoreCase);
        response.Outputs[FunctionTable.ResponseBinding] = new Dictionary<string, object?>
        {
            ["statusCode"] = (int)answer.StatusCode,
            ["headers"] = answerHeaders,
            ["body"] = await answer.Content.ReadAsStringAsync(ct).ConfigureAwait(false),
        };
        return StatusCodes.Status200OK;
    }

    private static JsonElement? Find(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase)) return property.Value;
        }

        return null;
    }

    private static string? String(JsonElement element, string name) => Find(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    [LoggerMessage(EventId = 950, Level = LogLevel.Error, Message = "Function {Function} failed.")]
    private static partial void LogFailed(ILogger logger, string function, Exception exception);
}
