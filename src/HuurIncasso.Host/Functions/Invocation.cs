using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HuurIncasso.Host.Functions;

/// <summary>
/// The body the Functions host posts for one invocation: <c>{"Data": {binding: value},
/// "Metadata": {name: value}}</c>. The host writes trigger values the way its serializer
/// happens to (a queue message as a JSON string, sometimes encoded twice; numbers now and then
/// as strings), so the readers here accept each of those forms.
/// </summary>
internal sealed class InvocationRequest
{
    private readonly JsonElement _data;
    private readonly JsonElement _metadata;

    private InvocationRequest(JsonElement data, JsonElement metadata)
    {
        _data = data;
        _metadata = metadata;
    }

    /// <exception cref="FormatException">The body is not a JSON object.</exception>
    public static InvocationRequest Parse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("The invocation body is not a JSON object with Data and Metadata.");
            }

            var root = document.RootElement.Clone();
            return new InvocationRequest(Member(root, "Data") ?? default, Member(root, "Metadata") ?? default);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The invocation body is not JSON (line {ex.LineNumber}, position {ex.BytePositionInLine}).", ex);
        }
    }

    /// <summary>The value of binding <paramref name="name"/> as text: a string as is, an object or array as its JSON.</summary>
    public string? Data(string name) => Text(Member(_data, name));

    /// <summary>The binding <paramref name="name"/> as JSON (an HTTP request object), parsing it when it came as a string.</summary>
    public JsonElement? DataObject(string name)
    {
        var member = Member(_data, name);
        if (member is { ValueKind: JsonValueKind.Object }) return member;
        if (Text(member) is { } text && text.TrimStart().StartsWith('{'))
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }

        return null;
    }

    /// <summary>Trigger metadata <paramref name="name"/> (e.g. <c>Id</c>, <c>PopReceipt</c>) as text.</summary>
    public string? Metadata(string name) => Text(Member(_metadata, name));

    /// <summary>Trigger metadata <paramref name="name"/> as a whole number (e.g. <c>DequeueCount</c>).</summary>
    public long? MetadataNumber(string name) =>
        long.TryParse(Metadata(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static JsonElement? Member(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object) return null;
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase)) return property.Value;
        }

        return null;
    }

    private static string? Text(JsonElement? element) => element switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } e => Unquote(e.GetString()!),
        { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        { } e => e.GetRawText(),
    };

    // The host serialises a plain string value with JSON.NET, which adds a second pair of quotes.
    private static string Unquote(string text)
    {
        if (text.Length < 2 || text[0] != '"' || text[^1] != '"') return text;
        try
        {
            return JsonSerializer.Deserialize<string>(text) ?? text;
        }
        catch (JsonException)
        {
            return text;
        }
    }
}

/// <summary>
/// The answer to one invocation: <c>Outputs</c> by output binding name, <c>Logs</c> (lines the
/// Functions host writes into the invocation's log) and <c>ReturnValue</c> (for a <c>$return</c>
/// binding; none of ours has one).
/// </summary>
internal sealed class InvocationResponse
{
    public static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    [JsonPropertyName("Outputs")]
    public Dictionary<string, object?> Outputs { get; } = new(StringComparer.Ordinal);

    [JsonPropertyName("Logs")]
    public List<string> Logs { get; } = [];

    [JsonPropertyName("ReturnValue")]
    public object? ReturnValue { get; set; }
}

/// <summary>The message on the effects queue: which effects of which case one handled message left.</summary>
/// <param name="CaseId">The case.</param>
/// <param name="Effects">The effect ids (<c>{case}:{sequence}:{index}</c>), in order.</param>
internal sealed record EffectDispatch(string CaseId, IReadOnlyList<string> Effects)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
