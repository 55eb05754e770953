using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HuurIncasso.Integrations.Banking;

/// <summary>Why a webhook request was refused.</summary>
public enum WebhookFailure
{
    /// <summary>Nothing wrong: the signature is valid.</summary>
    None,

    /// <summary>A <c>webhook-id</c>, <c>webhook-timestamp</c> or <c>webhook-signature</c> header is missing.</summary>
    MissingHeader,

    /// <summary>The timestamp is not a whole number of seconds since 1970.</summary>
    InvalidTimestamp,

    /// <summary>The timestamp is older than the tolerance: possibly a replay.</summary>
    TimestampTooOld,

    /// <summary>The timestamp is further in the future than the tolerance.</summary>
    TimestampInFuture,

    /// <summary>The signature header holds no <c>v1,</c> signature.</summary>
    NoSupportedSignature,

    /// <summary>No signature matches any of the configured secrets.</summary>
    SignatureMismatch,
}

/// <summary>The outcome of <see cref="WebhookSignature.Verify(string?, string?, string?, ReadOnlySpan{byte}, DateTimeOffset)"/>.</summary>
/// <param name="Failure">What was wrong, or <see cref="WebhookFailure.None"/>.</param>
/// <param name="Reason">Why, in English (safe to log: holds no secret).</param>
/// <param name="MessageId">The <c>webhook-id</c>, the idempotency key of the delivery.</param>
public readonly record struct WebhookVerification(WebhookFailure Failure, string Reason, string? MessageId)
{
    /// <summary>True when the signature is valid and fresh.</summary>
    public bool IsValid => Failure == WebhookFailure.None;
}

/// <summary>
/// Signs and verifies webhook deliveries the Standard Webhooks way: HMAC-SHA256 over
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c>, sent as <c>webhook-signature: v1,&lt;base64&gt;</c>
/// (several space-separated signatures allowed). Holds one or two secrets, so a secret can be
/// rotated without downtime. Immutable and thread-safe.
/// </summary>
public sealed class WebhookSignature
{
    /// <summary>Header with the delivery id.</summary>
    public const string IdHeader = "webhook-id";

    /// <summary>Header with the Unix timestamp in seconds.</summary>
    public const string TimestampHeader = "webhook-timestamp";

    /// <summary>Header with the signatures.</summary>
    public const string SignatureHeader = "webhook-signature";

    /// <summary>The tolerance when none is given: five minutes either way.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    private const string SecretPrefix = "whsec_";
    private readonly byte[][] _keys;

    /// <summary>Creates a verifier.</summary>
    /// <param name="secrets">One or two secrets (current and previous), each <c>whsec_&lt;base64&gt;</c> or raw text.</param>
    /// <param name="tolerance">How far the timestamp may be from now; default five minutes.</param>
    /// <exception cref="ArgumentException">No secret, more than two, an empty one, or bad base64 after <c>whsec_</c>.</exception>
    public WebhookSignature(IReadOnlyList<string> secrets, TimeSpan? tolerance = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (secrets.Count is 0 or > 2)
        {
            throw new ArgumentException($"Give one or two webhook secrets (current and previous), not {secrets.Count}.", nameof(secrets));
        }

        _keys = [.. secrets.Select(KeyOf)];
        Tolerance = tolerance ?? DefaultTolerance;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Tolerance, TimeSpan.Zero, nameof(tolerance));
    }

    /// <summary>How far the timestamp may be from now.</summary>
    public TimeSpan Tolerance { get; }

    /// <summary>The signature header value for a delivery, e.g. <c>v1,K5oZ...</c>.</summary>
    /// <exception cref="ArgumentException">Empty id or a bad secret.</exception>
    public static string Sign(string id, DateTimeOffset timestamp, ReadOnlySpan<byte> body, string secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var hash = Compute(KeyOf(secret), id, timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), body);
        return "v1," + Convert.ToBase64String(hash);
    }

    /// <summary>The signature header value for a UTF-8 text body.</summary>
    public static string Sign(string id, DateTimeOffset timestamp, string body, string secret)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Sign(id, timestamp, Encoding.UTF8.GetBytes(body), secret);
    }

    /// <summary>A fresh random secret in the <c>whsec_</c> form, for setting up a sender.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>Verifies a delivery against the raw body bytes.</summary>
    /// <param name="id">The <c>webhook-id</c> header.</param>
    /// <param name="timestamp">The <c>webhook-timestamp</c> header.</param>
    /// <param name="signature">The <c>webhook-signature</c> header.</param>
    /// <param name="body">The raw request body, exactly as received.</param>
    /// <param name="now">The current instant.</param>
    public WebhookVerification Verify(string? id, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return Fail(WebhookFailure.MissingHeader, $"header {IdHeader} is missing", id);
        }

        if (string.IsNullOrWhiteSpace(timestamp))
        {
            return Fail(WebhookFailure.MissingHeader, $"header {TimestampHeader} is missing", id);
        }

        if (string.IsNullOrWhiteSpace(signature))
        {
            return Fail(WebhookFailure.MissingHeader, $"header {SignatureHeader} is missing", id);
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return Fail(WebhookFailure.InvalidTimestamp, $"header {TimestampHeader} is not a Unix time in seconds", id);
        }

        var sent = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (now - sent > Tolerance)
        {
            return Fail(WebhookFailure.TimestampTooOld, $"the timestamp is {(now - sent).TotalSeconds:0} s old, more than the {Tolerance.TotalSeconds:0} s allowed", id);
        }

        if (sent - now > Tolerance)
        {
            return Fail(WebhookFailure.TimestampInFuture, $"the timestamp is {(sent - now).TotalSeconds:0} s in the future, more than the {Tolerance.TotalSeconds:0} s allowed", id);
        }

        var candidates = new List<byte[]>();
        foreach (var part in signature.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!part.StartsWith("v1,", StringComparison.Ordinal))
            {
                continue;
            }

            var decoded = new byte[32];
            if (Convert.TryFromBase64String(part[3..], decoded, out var written) && written == decoded.Length)
            {
                candidates.Add(decoded);
            }
            else
            {
                // A malformed v1 signature can never match; keep it so "mismatch" is the answer.
                candidates.Add([]);
            }
        }

        if (candidates.Count == 0)
        {
            return Fail(WebhookFailure.NoSupportedSignature, $"header {SignatureHeader} holds no v1 signature", id);
        }

        var matched = false;
        foreach (var key in _keys)
        {
            var expected = Compute(key, id, timestamp, body);
            foreach (var candidate in candidates)
            {
                // Constant time, and no early exit, so timing tells nothing about the secret.
                matched |= CryptographicOperations.FixedTimeEquals(expected, candidate);
            }
        }

        return matched
            ? new WebhookVerification(WebhookFailure.None, "valid", id)
            : Fail(WebhookFailure.SignatureMismatch, "no signature matches: wrong secret, or the body was changed", id);
    }

    /// <summary>Verifies a delivery with a UTF-8 text body.</summary>
    public WebhookVerification Verify(string? id, string? timestamp, string? signature, string body, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Verify(id, timestamp, signature, Encoding.UTF8.GetBytes(body), now);
    }

    /// <summary>Verifies a delivery, taking now from <paramref name="timeProvider"/>.</summary>
    public WebhookVerification Verify(string? id, string? timestamp, string? signature, ReadOnlySpan<byte> body, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return Verify(id, timestamp, signature, body, timeProvider.GetUtcNow());
    }

    private static WebhookVerification Fail(WebhookFailure failure, string reason, string? id) => new(failure, reason, id);

    private static byte[] Compute(byte[] key, string id, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return HMACSHA256.HashData(key, content);
    }

    private static byte[] KeyOf(string secret)
    {
        if (string.IsNullOrWhiteSpace(secret))
        {
            throw new ArgumentException("A webhook secret is empty.", nameof(secret));
        }

        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            return Encoding.UTF8.GetBytes(secret);
        }

        try
        {
            var key = Convert.FromBase64String(secret[SecretPrefix.Length..]);
            return key.Length > 0 ? key : throw new ArgumentException("A whsec_ webhook secret holds no key bytes.", nameof(secret));
        }
        catch (FormatException exception)
        {
            throw new ArgumentException("A webhook secret starting with whsec_ must continue in base64.", nameof(secret), exception);
        }
    }
}
