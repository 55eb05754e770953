using System.Text.Json;
using System.Text.Json.Serialization;

namespace HuurIncasso.Engine;

/// <summary>The text form of an <see cref="InboxMessage"/> on a queue: one small JSON object.</summary>
public static class InboxMessageCodec
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The message as JSON text.</summary>
    public static string Encode(InboxMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return JsonSerializer.Serialize(new Wire(message.CaseId, message.IdempotencyKey, message.Body, message.TimerDue), Options);
    }

    /// <summary>Reads a message; on failure says why in <paramref name="error"/>.</summary>
    public static bool TryDecode(string text, out InboxMessage? message, out string? error)
    {
        message = null;
        try
        {
            var wire = JsonSerializer.Deserialize<Wire>(text, Options);
            if (wire is null || string.IsNullOrWhiteSpace(wire.CaseId) || string.IsNullOrWhiteSpace(wire.Key))
            {
                error = "The inbox message lacks 'caseId' or 'key'.";
                return false;
            }

            message = new InboxMessage(wire.CaseId, wire.Key, wire.Body ?? "", wire.Due);
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            error = $"The inbox message is not JSON (line {ex.LineNumber}, position {ex.BytePositionInLine}): {ex.Message}";
            return false;
        }
    }

    private sealed record Wire(string CaseId, string Key, string? Body, DateTimeOffset? Due);
}
