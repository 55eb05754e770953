using System.Text.Json;
using System.Text.Json.Serialization;

namespace HuurIncasso.Domain.Cases;

/// <summary>
/// The JSON form of messages, events, effects and state, as the engine stores them. Enums are
/// written by name so that stored cases survive a reordering of an enum.
/// </summary>
public static class CaseJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
