using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HuurIncasso.Host.Tests.Faults;

/// <summary>
/// Stands in for SendGrid's v3 mail/send on loopback (SendGrid itself cannot be reached here) and
/// counts every mail it is handed by its message key. The mail capture container cannot show a
/// double send (a repeat overwrites the same blob); this can.
/// </summary>
internal sealed partial class MailSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _received = new(StringComparer.Ordinal);

    private MailSink(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    /// <summary>How often each message key was handed over.</summary>
    public IReadOnlyDictionary<string, int> Received => new Dictionary<string, int>(_received, StringComparer.Ordinal);

    /// <summary>The host settings that send mail here (a SendGrid key makes the host use SendGrid).</summary>
    public string[] HostArgs => ["--Mail:SendGridApiKey=SG.test-key", $"--Mail:SendGridHost={Address}", "--Mail:From=huur@voorbeeld.example"];

    public static async Task<MailSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var sink = new MailSink(app);
        app.MapPost("/v3/mail/send", async (HttpRequest request, HttpResponse response) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            var key = MessageKey().Match(body);
            if (!key.Success) return Results.BadRequest("no message_key");
            sink._received.AddOrUpdate(key.Groups[1].Value, 1, (_, n) => n + 1);
            response.Headers["X-Message-Id"] = "sink-" + Guid.NewGuid().ToString("N");
            return Results.StatusCode(202);
        });
        await app.StartAsync();
        sink.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return sink;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [GeneratedRegex("\"message_key\"\\s*:\\s*\"([^\"]+)\"")]
    private static partial Regex MessageKey();
}
