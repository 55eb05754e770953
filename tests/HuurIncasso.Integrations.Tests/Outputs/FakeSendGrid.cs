using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using HuurIncasso.Testing;

namespace HuurIncasso.Integrations.Tests.Outputs;

/// <summary>
/// A local stand-in for SendGrid's v3 API on 127.0.0.1: records every request the real
/// SendGrid client sends and answers 202 with an X-Message-Id (or the status set in
/// <see cref="NextStatus"/>).
/// </summary>
internal sealed class FakeSendGrid : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public FakeSendGrid()
    {
        // HttpListener takes no port 0: a port that was free a moment ago, from below the range
        // where other tests' sockets land; another one if it was taken after all.
        for (var attempt = 1; ; attempt++)
        {
            Host = new Uri($"http://127.0.0.1:{LoopbackPorts.FreeBelowEphemeralRange(1)[0]}/");
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add(Host.ToString());
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }

        _loop = Task.Run(LoopAsync);
    }

    public Uri Host { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>The status of the next answers; 202 (accepted) by default.</summary>
    public HttpStatusCode NextStatus { get; set; } = HttpStatusCode.Accepted;

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            Requests.Enqueue(new RecordedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.Headers["Authorization"] ?? "", body));
            context.Response.StatusCode = (int)NextStatus;
            if (NextStatus == HttpStatusCode.Accepted)
            {
                context.Response.Headers["X-Message-Id"] = "sg-" + Requests.Count;
            }

            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}

internal sealed record RecordedRequest(string Method, string Path, string Authorization, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}
