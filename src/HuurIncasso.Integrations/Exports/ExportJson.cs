using System.Text.Json;
using System.Text.Json.Serialization;

namespace HuurIncasso.Integrations.Exports;

/// <summary>JSON of export items and dossiers: camelCase, enums by name, indented for people.</summary>
internal static class ExportJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
