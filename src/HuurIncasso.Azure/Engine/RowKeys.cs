using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HuurIncasso.Azure.Engine;

/// <summary>The row keys of a case partition: state, events, outbox, markers, parked messages.</summary>
internal static class RowKeys
{
    public const string State = "state";
    public const string EventPrefix = "evt-";
    public const string OutboxPrefix = "out-";
    public const string MarkerPrefix = "msg-";
    public const string ParkedPrefix = "park-";

    /// <summary>
    /// Written with every parked message; the commit that creates a case adds it, so the add fails
    /// exactly when a message was parked first (outside the "park-" range on purpose).
    /// </summary>
    public const string ParkedFlag = "parked";

    public static string Event(long sequence) => EventPrefix + sequence.ToString("D10", CultureInfo.InvariantCulture);

    public static string Outbox(long sequence, int index) =>
        OutboxPrefix + sequence.ToString("D10", CultureInfo.InvariantCulture) + "-" + index.ToString("D3", CultureInfo.InvariantCulture);

    public static string Marker(string idempotencyKey) => MarkerPrefix + Safe(idempotencyKey);

    public static string Parked(string idempotencyKey) => ParkedPrefix + Safe(idempotencyKey);

    /// <summary>The end of a prefix range: the prefix with its last character incremented.</summary>
    public static string End(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);

    // A key that is not a valid row key (forbidden characters, too long) is replaced by its
    // hash: markers need uniqueness, not readability.
    private static string Safe(string key) =>
        key.Length <= 200 && !key.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c))
            ? key
            : "h-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
