using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HuurIncasso.Domain.Cases;

namespace HuurIncasso.Integrations.Mail;

/// <summary>
/// Verifies SendGrid's Signed Event Webhook: an ECDSA signature (P-256, SHA-256, DER, base64)
/// over the timestamp header followed by the raw body, checked with the public key SendGrid
/// shows under Mail Settings (base64 DER SubjectPublicKeyInfo, or the same in PEM). No time
/// window is enforced: SendGrid retries a failed post for up to a day and documents no limit,
/// and a replay is harmless because every event is applied once by its <c>sg_event_id</c>.
/// Immutable and thread-safe.
/// </summary>
public sealed class SendGridEventSignature
{
    /// <summary>Header with the base64 DER signature.</summary>
    public const string SignatureHeader = "X-Twilio-Email-Event-Webhook-Signature";

    /// <summary>Header with the Unix timestamp (seconds) that is signed with the body.</summary>
    public const string TimestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp";

    private readonly ECParameters _key;

    /// <summary>Creates a verifier for <paramref name="publicKey"/>.</summary>
    /// <exception cref="FormatException">The key is not a P-256 public key in base64 DER or PEM.</exception>
    public SendGridEventSignature(string publicKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(publicKey);
        using var ecdsa = ECDsa.Create();
        try
        {
            if (publicKey.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                ecdsa.ImportFromPem(publicKey);
            }
            else
            {
                ecdsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKey.Trim()), out _);
            }
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
        {
            throw new FormatException("is not an ECDSA public key in base64 (DER) or PEM, as SendGrid shows it under Mail Settings, Signed Event Webhook.", ex);
        }

        var parameters = ecdsa.ExportParameters(includePrivateParameters: false);
        if (parameters.Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new FormatException($"is a key on curve {parameters.Curve.Oid?.FriendlyName ?? "?"}; SendGrid signs with P-256.");
        }

        _key = parameters;
    }

    /// <summary>Checks the two headers against <paramref name="body"/>, byte for byte as received.</summary>
    /// <returns>Null when valid, otherwise why not (English, holds no secret).</returns>
    public string? Verify(string? signature, string? timestamp, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrWhiteSpace(signature) || string.IsNullOrWhiteSpace(timestamp))
        {
            return $"the {SignatureHeader} and {TimestampHeader} headers are both required";
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return $"{TimestampHeader} '{timestamp}' is not a Unix time in seconds";
        }

        byte[] der;
        try
        {
            der = Convert.FromBase64String(signature.Trim());
        }
        catch (FormatException)
        {
            return $"{SignatureHeader} is not base64";
        }

        using var ecdsa = ECDsa.Create(_key);
        var signed = Signed(timestamp, body);
        // Bytes that are no DER signature simply do not verify.
        return ecdsa.VerifyData(signed, der, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence) ? null : "the signature does not match the body and timestamp";
    }

    /// <summary>Signs as SendGrid does (for tests and tooling that play SendGrid).</summary>
    public static string Sign(ECDsa privateKey, string timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(timestamp);
        return Convert.ToBase64String(privateKey.SignData(Signed(timestamp, body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    private static byte[] Signed(string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp);
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return signed;
    }
}

/// <summary>
/// One event of SendGrid's event webhook. <see cref="CaseId"/>, <see cref="EffectId"/> and
/// <see cref="Template"/> are the custom_args our mails carry (see <see cref="SendGridMailTransport"/>);
/// they are absent for mails someone else sent with the same account.
/// </summary>
public sealed record SendGridEvent(
    string EventId,
    string Event,
    DateTimeOffset Timestamp,
    string? CaseId,
    string? EffectId,
    string? Template,
    string? Reason)
{
    /// <summary>
    /// What the case keeps of this event, or null for events it does not keep (processed, click,
    /// unsubscribe and the like). A "bounce" of type "blocked" is kept as a bounce too: the mail did not arrive.
    /// </summary>
    public MailEventKind? Kind => Event switch
    {
        "delivered" => MailEventKind.Delivered,
        "deferred" => MailEventKind.Deferred,
        "bounce" => MailEventKind.Bounced,
        "dropped" => MailEventKind.Dropped,
        "open" => MailEventKind.Opened,
        "spamreport" => MailEventKind.SpamReported,
        _ => null,
    };

    /// <summary>True when the mail was ours: it carries the case and effect it belongs to.</summary>
    public bool IsOurs => !string.IsNullOrWhiteSpace(CaseId) && !string.IsNullOrWhiteSpace(EffectId);

    /// <summary>
    /// Reads the webhook's body: a JSON array of event objects, each with <c>sg_event_id</c>,
    /// <c>event</c> and <c>timestamp</c> (Unix seconds).
    /// </summary>
    /// <exception cref="MailEventFormatException">The body is no such array; the message names the event and the field.</exception>
    public static IReadOnlyList<SendGridEvent> ParseArray(ReadOnlySpan<byte> body)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(body);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw new MailEventFormatException($"the body is not JSON: {ex.Message}", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new MailEventFormatException($"the body must be a JSON array of events, not {document.RootElement.ValueKind}");
            }

            var events = new List<SendGridEvent>();
            var i = 0;
            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    throw new MailEventFormatException($"event [{i}] is not an object");
                }

                var id = RequiredString(item, "sg_event_id", i);
                var kind = RequiredString(item, "event", i);
                if (!item.TryGetProperty("timestamp", out var ts) || ts.ValueKind != JsonValueKind.Number || !ts.TryGetInt64(out var seconds))
                {
                    throw new MailEventFormatException($"event [{i}] ({id}): 'timestamp' must be a whole number of seconds since 1970");
                }

                events.Add(new SendGridEvent(
                    id, kind, DateTimeOffset.FromUnixTimeSeconds(seconds),
                    OptionalString(item, "case_id"), OptionalString(item, "effect_id"), OptionalString(item, "template"),
                    OptionalString(item, "reason") ?? OptionalString(item, "response")));
                i++;
            }

            return events;
        }
    }

    private static string RequiredString(JsonElement item, string name, int index) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!
            : throw new MailEventFormatException($"event [{index}]: '{name}' is missing or not text");

    private static string? OptionalString(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>The event webhook's body is not what SendGrid sends; the message says where.</summary>
public sealed class MailEventFormatException(string problem, Exception? inner = null) : Exception(problem, inner);
