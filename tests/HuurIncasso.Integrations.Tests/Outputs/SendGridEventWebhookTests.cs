using System.Security.Cryptography;
using System.Text;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Integrations.Mail;
using Microsoft.Extensions.Options;

namespace HuurIncasso.Integrations.Tests.Outputs;

public sealed class SendGridEventWebhookTests
{
    // Shaped like SendGrid's own examples: our custom_args sit next to SendGrid's fields.
    private const string Body = """
        [{"email":"j.devries@example.org","timestamp":1765094400,"event":"delivered","sg_event_id":"ZGVsaXZlcmVkLTE","sg_message_id":"sg-1.filter","response":"250 OK","case_id":"case-1","effect_id":"case-1:0000000004:0","template":"herinnering","message_key":"hi-1"},
         {"email":"j.devries@example.org","timestamp":1765094500,"event":"bounce","type":"bounce","sg_event_id":"Ym91bmNlLTE","reason":"550 5.1.1 mailbox unknown","status":"5.1.1","case_id":"case-1","effect_id":"case-1:0000000006:0","template":"formal-notice"},
         {"email":"someone@example.org","timestamp":1765094600,"event":"processed","sg_event_id":"cHJvY2Vzc2VkLTE"}]
        """;

    private static readonly ECDsa Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private static string PublicKey => Convert.ToBase64String(Key.ExportSubjectPublicKeyInfo());

    [Fact]
    public void Verify_SignedAsSendGridSigns_IsValid()
    {
        var body = Encoding.UTF8.GetBytes(Body);
        var signature = SendGridEventSignature.Sign(Key, "1765094700", body);

        Assert.Null(new SendGridEventSignature(PublicKey).Verify(signature, "1765094700", body));
        // The same key given in PEM form, as some dashboards copy it.
        Assert.Null(new SendGridEventSignature(Key.ExportSubjectPublicKeyInfoPem()).Verify(signature, "1765094700", body));
    }

    [Theory]
    // One byte of the body changed.
    [InlineData("body")]
    // The timestamp is signed with the body: another timestamp fails.
    [InlineData("timestamp")]
    // Signed by someone else's key.
    [InlineData("key")]
    public void Verify_AnythingChanged_IsRefused(string what)
    {
        var body = Encoding.UTF8.GetBytes(Body);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signature = SendGridEventSignature.Sign(what == "key" ? other : Key, "1765094700", body);
        if (what == "body")
        {
            body[10] ^= 1;
        }

        var reason = new SendGridEventSignature(PublicKey).Verify(signature, what == "timestamp" ? "1765094701" : "1765094700", body);

        Assert.Equal("the signature does not match the body and timestamp", reason);
    }

    [Theory]
    // No signature header at all.
    [InlineData(null, "1765094700", "headers are both required")]
    // A timestamp that is no number.
    [InlineData("c2ln", "gisteren", "is not a Unix time")]
    // Not base64.
    [InlineData("%%%", "1765094700", "is not base64")]
    // Base64, but no DER signature inside: it matches nothing.
    [InlineData("c2ln", "1765094700", "does not match")]
    public void Verify_MalformedHeaders_SaysWhat(string? signature, string timestamp, string expected)
    {
        var reason = new SendGridEventSignature(PublicKey).Verify(signature, timestamp, Encoding.UTF8.GetBytes(Body));

        Assert.Contains(expected, reason, StringComparison.Ordinal);
    }

    [Theory]
    // Not a key at all.
    [InlineData("geen-sleutel", "is not an ECDSA public key")]
    // A P-384 key: SendGrid signs with P-256.
    [InlineData("p384", "SendGrid signs with P-256")]
    public void MailOptions_BadEventWebhookKey_FailsNamingTheSetting(string key, string expected)
    {
        if (key == "p384")
        {
            using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
            key = Convert.ToBase64String(p384.ExportSubjectPublicKeyInfo());
        }

        var result = new MailOptionsValidator().Validate(null, new MailOptions { EventWebhookPublicKey = key });

        Assert.True(result.Failed);
        Assert.Contains("Mail:EventWebhookPublicKey", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseArray_SendGridBody_ReadsOurCustomArgsAndWhatTheCaseKeeps()
    {
        var events = SendGridEvent.ParseArray(Encoding.UTF8.GetBytes(Body));

        Assert.Equal(3, events.Count);
        Assert.Equal(new SendGridEvent("ZGVsaXZlcmVkLTE", "delivered", DateTimeOffset.FromUnixTimeSeconds(1765094400), "case-1", "case-1:0000000004:0", "herinnering", "250 OK"), events[0]);
        Assert.Equal(MailEventKind.Delivered, events[0].Kind);
        Assert.Equal(MailEventKind.Bounced, events[1].Kind);
        Assert.Equal("550 5.1.1 mailbox unknown", events[1].Reason);
        // "processed" is not kept, and this mail was not ours.
        Assert.Null(events[2].Kind);
        Assert.False(events[2].IsOurs);
    }

    [Theory]
    // Not JSON.
    [InlineData("niet json", "not JSON")]
    // One object instead of an array.
    [InlineData("""{"event":"delivered"}""", "must be a JSON array")]
    // The id that makes an event count once is missing.
    [InlineData("""[{"event":"delivered","timestamp":1}]""", "event [0]: 'sg_event_id' is missing")]
    // A timestamp as text.
    [InlineData("""[{"event":"open","sg_event_id":"x","timestamp":"1765094400"}]""", "event [0] (x): 'timestamp'")]
    public void ParseArray_NotWhatSendGridSends_SaysWhere(string body, string expected)
    {
        var ex = Assert.Throws<MailEventFormatException>(() => SendGridEvent.ParseArray(Encoding.UTF8.GetBytes(body)));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
