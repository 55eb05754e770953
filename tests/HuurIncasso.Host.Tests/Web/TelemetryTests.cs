using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HuurIncasso.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static HuurIncasso.Host.Tests.Inputs.InputsFixtures;

namespace HuurIncasso.Host.Tests.Web;

/// <summary>
/// What the host tells the outside world while it works: OpenTelemetry exports to a real
/// OTLP/HTTP receiver on 127.0.0.1, and logs, both without a tenant's personal data.
/// </summary>
public sealed class TelemetryTests(AzuriteFixture azurite)
{
    // What the ledger and bank statement of the flow below say about the tenants.
    private static readonly string[] PersonalData =
    [
        "J. Visser", "K. Smit", "L. de Boer", "Visser", "Lindelaan", "3532 AB", "j.visser@example.nl",
        "NL91ABNA0417164300", "NL20INGB0001234567", "NL44RABO0123456789",
    ];

    [Fact]
    public async Task Otlp_EndToEndFlow_ExportsEngineSpansAndMetrics_WithoutPersonalData()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpReceiver.StartAsync(ct);
        await using var host = await StartHostAsync(azurite,
            $"--Telemetry:OtlpEndpoint={receiver.Address}",
            "--Telemetry:OtlpProtocol=http/protobuf",
            "--Telemetry:MetricExportIntervalMs=500",
            "--OTEL_BSP_SCHEDULE_DELAY=500");

        await RunFlowAsync(host, ct);

        // Protobuf keeps strings as UTF-8 bytes: the span and instrument names can be found as they are.
        await WaitForAsync(() => receiver.Contains("/v1/traces", "case.handle") && receiver.Contains("/v1/traces", "case.effects"), ct, receiver.Describe);
        await WaitForAsync(() => new[]
        {
            "huurincasso.engine.messages", "huurincasso.engine.handle.duration", "huurincasso.engine.effects",
            "huurincasso.engine.effect.latency", "huurincasso.engine.message.storage_requests", "huurincasso.storage.requests",
        }.All(name => receiver.Contains("/v1/metrics", name)), ct, receiver.Describe);
        Assert.True(receiver.Contains("/v1/traces", "huurincasso"), "the service name is on the resource");
        foreach (var fact in PersonalData)
        {
            Assert.False(receiver.ContainsAnywhere(fact), $"an OTLP export contains '{fact}'");
        }
    }

    [Fact]
    public async Task Otlp_NotConfigured_NoOpenTelemetryProviderIsRegistered()
    {
        await using var host = await StartHostAsync(azurite);
        Assert.Null(host.Services.GetService<OpenTelemetry.Trace.TracerProvider>());
        Assert.Null(host.Services.GetService<OpenTelemetry.Metrics.MeterProvider>());
    }

    [Fact]
    public async Task Logs_EndToEndFlowAtDebugLevel_NeverContainATenantsNameIbanOrAddress()
    {
        var ct = TestContext.Current.CancellationToken;
        var logs = new CapturingLoggerProvider();
        await using var host = await RunningHost.StartAsync(azurite.ConnectionString, waitForStorage: true,
            configure: b => b.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug),
            "--Engine:IdlePollDelay=00:00:00.100", $"--Bank:WebhookSecrets:0={Secret}", "--Logging:LogLevel:Default=Debug");

        await RunFlowAsync(host, ct);

        var lines = logs.Lines;
        // The capture works and saw the engine and the inputs at work, so the check below means something.
        Assert.Contains(lines, l => l.StartsWith("HuurIncasso.Engine.CaseEngine", StringComparison.Ordinal) && l.Contains(CaseIdOf("300101"), StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("HuurIncasso.Host.Inputs.LedgerImportService", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("HuurIncasso.Integrations.Effects", StringComparison.Ordinal)); // the mail and letter handlers, which do hold the tenant's facts
        foreach (var fact in PersonalData)
        {
            var leak = lines.FirstOrDefault(l => l.Contains(fact, StringComparison.OrdinalIgnoreCase));
            Assert.True(leak is null, $"a log line contains '{fact}': {leak}");
        }
    }

    // The ledger opens cases for three tenants; the bank statement pays two of them.
    private static async Task RunFlowAsync(RunningHost host, CancellationToken ct)
    {
        using (var import = await Inputs.TestSignIn.SendAsync(host, LedgerUpload(Ledger), ct))
        {
            Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        }

        var statement = Camt053(1,
            CreditWithReference("TEL-1", 700m, "7000000000300101", "J. Visser", "NL44RABO0123456789"),
            DirectDebit("TEL-2", 650m, "MND-300102", "TEL-DD-300102"));
        using (var posted = await Inputs.TestSignIn.SendAsync(host, Signed(statement, "application/xml"), ct))
        {
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        await WaitForAsync(async () =>
        {
            using var response = await host.Client.GetAsync($"/api/cases/{CaseIdOf("300101")}", ct);
            return response.IsSuccessStatusCode
                && (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("status").GetString() == "Completed";
        }, ct, () => "case 300101 did not complete");
    }

    private static Task WaitForAsync(Func<bool> condition, CancellationToken ct, Func<string> describe) =>
        WaitForAsync(() => Task.FromResult(condition()), ct, describe);

    private static async Task WaitForAsync(Func<Task<bool>> condition, CancellationToken ct, Func<string> describe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Not within 60 s: " + describe());
            }

            await Task.Delay(200, ct);
        }
    }

    /// <summary>An OTLP/HTTP receiver: keeps every request body by path.</summary>
    private sealed class OtlpReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<(string Path, byte[] Body)> _received;

        private OtlpReceiver(WebApplication app, ConcurrentQueue<(string, byte[])> received, string address)
        {
            _app = app;
            _received = received;
            Address = address;
        }

        public string Address { get; }

        public static async Task<OtlpReceiver> StartAsync(CancellationToken ct)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var received = new ConcurrentQueue<(string, byte[])>();
            app.MapPost("/v1/{signal}", async (HttpContext context) =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body, context.RequestAborted);
                received.Enqueue((context.Request.Path.Value!, body.ToArray()));
                context.Response.ContentType = "application/x-protobuf";
            });
            await app.StartAsync(ct);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            return new OtlpReceiver(app, received, address);
        }

        public bool Contains(string path, string text) =>
            _received.Any(r => r.Path == path && r.Body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0);

        public bool ContainsAnywhere(string text) => _received.Any(r => r.Body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0);

        public string Describe() =>
            "received: " + string.Join(", ", _received.GroupBy(r => r.Path).Select(g => $"{g.Key} ×{g.Count()}"));

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>Keeps every formatted log line with its category and exception.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                // The structured values too, as a log sink would keep them.
                var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
                lines.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {values} {exception}");
            }
        }
    }
}
