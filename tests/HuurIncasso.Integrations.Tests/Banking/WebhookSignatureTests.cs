using System.Text;
using HuurIncasso.Integrations.Banking;
using Microsoft.Extensions.Time.Testing;

namespace HuurIncasso.Integrations.Tests.Banking;

public sealed class WebhookSignatureTests
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const string Body = """{"test": 2432232314}""";
    private static readonly DateTimeOffset Sent = DateTimeOffset.FromUnixTimeSeconds(1614265330);

    [Fact]
    public void Sign_StandardWebhooksExample_GivesPublishedSignature()
    {
        // The example of the Standard Webhooks specification: interoperable with other senders.
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", WebhookSignature.Sign(Id, Sent, Body, Secret));
    }

    [Fact]
    public void Verify_Signed_IsValidAndReturnsId()
    {
        var verifier = new WebhookSignature([Secret]);
        var signature = WebhookSignature.Sign(Id, Sent, Body, Secret);

        var result = verifier.Verify(Id, "1614265330", signature, Body, Sent.AddSeconds(30));

        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(Id, result.MessageId);
    }

    [Fact]
    public void Verify_ChangedBody_Mismatch()
    {
        var verifier = new WebhookSignature([Secret]);
        var signature = WebhookSignature.Sign(Id, Sent, Body, Secret);

        var result = verifier.Verify(Id, "1614265330", signature, Body.Replace("2432232314", "2432232315", StringComparison.Ordinal), Sent);

        Assert.Equal(WebhookFailure.SignatureMismatch, result.Failure);
    }

    [Fact]
    public void Verify_ChangedTimestampHeader_Mismatch()
    {
        // The timestamp is signed: shifting it to pass the window must break the signature.
        var verifier = new WebhookSignature([Secret]);
        var signature = WebhookSignature.Sign(Id, Sent, Body, Secret);

        var result = verifier.Verify(Id, "1614265331", signature, Body, Sent);

        Assert.Equal(WebhookFailure.SignatureMismatch, result.Failure);
    }

    [Fact]
    public void Verify_SeveralSignaturesOneValid_IsValid()
    {
        var verifier = new WebhookSignature([Secret]);
        var other = WebhookSignature.Sign(Id, Sent, Body, "whsec_" + Convert.ToBase64String(new byte[24]));
        var header = $"v1a,ignored {other} {WebhookSignature.Sign(Id, Sent, Body, Secret)}";

        Assert.True(verifier.Verify(Id, "1614265330", header, Body, Sent).IsValid);
    }

    [Fact]
    public void Verify_RotatedSecrets_BothAccepted()
    {
        const string previous = "an-old-raw-secret";
        var verifier = new WebhookSignature([Secret, previous]);

        Assert.True(verifier.Verify(Id, "1614265330", WebhookSignature.Sign(Id, Sent, Body, previous), Body, Sent).IsValid);
        Assert.True(verifier.Verify(Id, "1614265330", WebhookSignature.Sign(Id, Sent, Body, Secret), Body, Sent).IsValid);
        Assert.False(verifier.Verify(Id, "1614265330", WebhookSignature.Sign(Id, Sent, Body, "a-third-secret"), Body, Sent).IsValid);
    }

    [Fact]
    public void Verify_RawSecret_IsUtf8BytesNotBase64()
    {
        // "whsec_" marks base64; without it the text itself is the key.
        var raw = WebhookSignature.Sign(Id, Sent, Body, "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

        Assert.NotEqual(WebhookSignature.Sign(Id, Sent, Body, Secret), raw);
    }

    [Theory]
    // Exactly at the edge is still accepted; one second past is not.
    [InlineData(300, WebhookFailure.None)]
    [InlineData(301, WebhookFailure.TimestampTooOld)]
    [InlineData(-300, WebhookFailure.None)]
    [InlineData(-301, WebhookFailure.TimestampInFuture)]
    public void Verify_Tolerance_FiveMinutesEitherWay(int secondsLater, WebhookFailure expected)
    {
        var verifier = new WebhookSignature([Secret]);
        var time = new FakeTimeProvider(Sent.AddSeconds(secondsLater));
        var body = Encoding.UTF8.GetBytes(Body);

        var result = verifier.Verify(Id, "1614265330", WebhookSignature.Sign(Id, Sent, body, Secret), body, time);

        Assert.Equal(expected, result.Failure);
    }

    [Theory]
    // Each header missing, a timestamp that is no number, a header without v1.
    [InlineData(null, "1614265330", "v1,AAAA", WebhookFailure.MissingHeader)]
    [InlineData(Id, null, "v1,AAAA", WebhookFailure.MissingHeader)]
    [InlineData(Id, "1614265330", null, WebhookFailure.MissingHeader)]
    [InlineData(Id, "2021-02-25T15:02:10Z", "v1,AAAA", WebhookFailure.InvalidTimestamp)]
    [InlineData(Id, "-5", "v1,AAAA", WebhookFailure.InvalidTimestamp)]
    [InlineData(Id, "1614265330", "v2,AAAA", WebhookFailure.NoSupportedSignature)]
    // Malformed base64 never matches and never throws.
    [InlineData(Id, "1614265330", "v1,!!!notbase64", WebhookFailure.SignatureMismatch)]
    public void Verify_BadHeaders_SaysWhy(string? id, string? timestamp, string? signature, WebhookFailure expected)
    {
        var result = new WebhookSignature([Secret]).Verify(id, timestamp, signature, Body, Sent);

        Assert.Equal(expected, result.Failure);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
    }

    [Fact]
    public void Constructor_NoOrThreeSecrets_Throws()
    {
        Assert.Throws<ArgumentException>(() => new WebhookSignature([]));
        Assert.Throws<ArgumentException>(() => new WebhookSignature(["a", "b", "c"]));
        Assert.Throws<ArgumentException>(() => new WebhookSignature(["whsec_!!"]));
    }

    [Fact]
    public void NewSecret_RoundTrips()
    {
        var secret = WebhookSignature.NewSecret();

        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.True(new WebhookSignature([secret]).Verify(Id, "1614265330", WebhookSignature.Sign(Id, Sent, Body, secret), Body, Sent).IsValid);
    }
}
