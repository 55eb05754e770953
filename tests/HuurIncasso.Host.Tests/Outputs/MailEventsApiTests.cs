using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Engine;
using HuurIncasso.Integrations.Mail;
using HuurIncasso.Testing;
using Microsoft.Extensions.DependencyInjection;
using static HuurIncasso.Host.Tests.Web.AuthTests;

namespace HuurIncasso.Host.Tests.Outputs;

/// <summary>SendGrid's signed event webhook over real HTTP, with a key made here as SendGrid would make one.</summary>
public sealed class MailEventsApiTests(AzuriteFixture azurite)
{
    private static readonly ECDsa SendGridKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private Task<RunningHost> StartAsync() => RunningHost.StartAsync(azurite,
        "--Engine:IdlePollDelay=00:00:00.100",
        $"--Mail:EventWebhookPublicKey={Convert.ToBase64String(SendGridKey.ExportSubjectPublicKeyInfo())}");

    private static HttpRequestMessage Signed(string body, ECDsa? key = null, string? timestamp = null)
    {
        timestamp ??= DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/mail/events") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(SendGridEventSignature.TimestampHeader, timestamp);
        request.Headers.Add(SendGridEventSignature.SignatureHeader, SendGridEventSignature.Sign(key ?? SendGridKey, timestamp, Encoding.UTF8.GetBytes(body)));
        return request;
    }

    private static string Event(string id, string kind, string caseId, string effectId, string template, string? reason = null) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["email"] = "j.devries@example.org",
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["event"] = kind,
            ["sg_event_id"] = id,
            ["sg_message_id"] = "sg-" + id,
            ["reason"] = reason,
            ["case_id"] = caseId,
            ["effect_id"] = effectId,
            ["template"] = template,
        });

    private static async Task<IReadOnlyList<MailEventRecorded>> RecordedAsync(RunningHost host, string caseId, Func<IReadOnlyList<MailEventRecorded>, bool> until)
    {
        var client = host.Services.GetRequiredService<CaseClient<CaseState, CaseMessage, CaseEvent>>();
        for (var i = 0; i < 150; i++)
        {
            var recorded = (await client.GetEventsAsync(caseId, TestContext.Current.CancellationToken)).OfType<MailEventRecorded>().ToList();
            if (until(recorded))
            {
                return recorded;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"The mail events of {caseId} did not arrive.");
    }

    [Fact]
    public async Task Post_SignedBounceOfANotice_IsOnTheCaseWithAnUrgentTask_AndAReplayChangesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartAsync();
        await OpenCaseAsync(host, "M-1");
        var body = "[" + string.Join(',',
            Event("ev-bounce", "bounce", "M-1", "M-1:0000000012:0", "formal-notice", "550 5.1.1 mailbox unknown"),
            Event("ev-processed", "processed", "M-1", "M-1:0000000012:0", "formal-notice"),
            """{"email":"x@example.org","timestamp":1765094400,"event":"delivered","sg_event_id":"ev-not-ours"}""") + "]";

        using var first = await host.Anonymous.SendAsync(Signed(body), ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var result = await first.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(3, result.GetProperty("received").GetInt32());
        Assert.Equal(1, result.GetProperty("recorded").GetInt32());
        Assert.Equal(2, result.GetProperty("ignored").GetInt32());
        var recorded = Assert.Single(await RecordedAsync(host, "M-1", r => r.Count > 0));
        Assert.Equal(MailEventKind.Bounced, recorded.Kind);
        Assert.Equal("M-1:0000000012:0", recorded.EffectId);
        Assert.Equal("sendgrid:ev-bounce", recorded.CausationId);
        var client = host.Services.GetRequiredService<CaseClient<CaseState, CaseMessage, CaseEvent>>();
        var effects = (await client.GetAsync("M-1", includeTimeline: true, ct))!.Effects;
        var task = Assert.Single(effects, e => e.Kind == "personTask" && e.Payload.Contains("kwam niet aan", StringComparison.Ordinal));
        Assert.Contains("\"urgent\":true", task.Payload, StringComparison.Ordinal);

        // SendGrid posts the same events again (a retry, or someone replaying the request).
        using var replay = await host.Anonymous.SendAsync(Signed(body), ct);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        // A later event, so we know the inbox got past the replay.
        using var later = await host.Anonymous.SendAsync(Signed("[" + Event("ev-delivered-2", "delivered", "M-1", "M-1:0000000004:0", "herinnering") + "]"), ct);
        var all = await RecordedAsync(host, "M-1", r => r.Any(e => e.EffectId == "M-1:0000000004:0"));
        await InboxEmptyAsync(host);

        Assert.Single((await client.GetEventsAsync("M-1", ct)).OfType<MailEventRecorded>(), e => e.Kind == MailEventKind.Bounced);
        Assert.Single((await client.GetAsync("M-1", includeTimeline: true, ct))!.Effects, e => e.Kind == "personTask" && e.Payload.Contains("kwam niet aan", StringComparison.Ordinal));
        Assert.Equal(2, all.Count);
    }

    [Theory]
    // Signed with a key that is not SendGrid's.
    [InlineData("other-key")]
    // One character of the body changed after signing.
    [InlineData("tampered")]
    // No signature headers at all.
    [InlineData("unsigned")]
    public async Task Post_BadSignature_Is401AndNothingIsRecorded(string variant)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartAsync();
        await OpenCaseAsync(host, "M-2");
        var body = "[" + Event("ev-x", "bounce", "M-2", "M-2:0000000004:0", "herinnering") + "]";
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = variant switch
        {
            "other-key" => Signed(body, other),
            "unsigned" => new HttpRequestMessage(HttpMethod.Post, "/api/mail/events") { Content = new StringContent(body, Encoding.UTF8, "application/json") },
            _ => Signed(body),
        };
        if (variant == "tampered")
        {
            var signature = request.Headers.GetValues(SendGridEventSignature.SignatureHeader).Single();
            var timestamp = request.Headers.GetValues(SendGridEventSignature.TimestampHeader).Single();
            request = new HttpRequestMessage(HttpMethod.Post, "/api/mail/events") { Content = new StringContent(body.Replace("bounce", "open", StringComparison.Ordinal), Encoding.UTF8, "application/json") };
            request.Headers.Add(SendGridEventSignature.SignatureHeader, signature);
            request.Headers.Add(SendGridEventSignature.TimestampHeader, timestamp);
        }

        using var response = await host.Anonymous.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await InboxEmptyAsync(host);
        Assert.Empty((await host.Services.GetRequiredService<CaseClient<CaseState, CaseMessage, CaseEvent>>().GetEventsAsync("M-2", ct)).OfType<MailEventRecorded>());
    }

    [Theory]
    // Not JSON.
    [InlineData("geen json", "not JSON")]
    // One event instead of SendGrid's array.
    [InlineData("""{"event":"bounce","sg_event_id":"a","timestamp":1}""", "JSON array")]
    // An event without the id that makes it count once.
    [InlineData("""[{"event":"bounce","timestamp":1,"case_id":"M-3","effect_id":"e"}]""", "sg_event_id")]
    public async Task Post_SignedButMalformed_Is400SayingWhat(string body, string expected)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartAsync();

        using var response = await host.Anonymous.SendAsync(Signed(body), ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task InboxEmptyAsync(RunningHost host)
    {
        var clients = host.Services.GetRequiredService<StorageClients>();
        var queue = clients.Queues.GetQueueClient(clients.Names.InboxQueue);
        for (var i = 0; i < 100; i++)
        {
            var properties = await queue.GetPropertiesAsync(TestContext.Current.CancellationToken);
            if (properties.Value.ApproximateMessagesCount == 0)
            {
                // The last message may still be in hand; one more poll interval lets it finish.
                await Task.Delay(500, TestContext.Current.CancellationToken);
                return;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
