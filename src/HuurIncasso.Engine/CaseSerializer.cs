using System.Runtime.CompilerServices;
using System.Text.Json;

namespace HuurIncasso.Engine;

/// <summary>
/// Turns a workflow's state, messages and events into JSON and back with System.Text.Json.
/// Polymorphic hierarchies round-trip when their base types carry
/// <c>[JsonPolymorphic]</c>/<c>[JsonDerivedType]</c>. Thread-safe.
/// </summary>
public sealed class CaseSerializer<TState, TMessage, TEvent>
{
    // Keyed by the identity of the JSON string this serializer wrote: a store that keeps that
    // very string in memory gets the object back without parsing; text read from storage is
    // another string and is parsed as usual. Entries live as long as their string.
    private readonly ConditionalWeakTable<string, object>? _written;

    /// <summary>Uses <paramref name="options"/>, or the web defaults (camelCase).</summary>
    /// <param name="options">The JSON options.</param>
    /// <param name="reuseWrittenObjects">
    /// For in-memory stores (tests, simulation): reading back a string this serializer wrote
    /// returns the object it was written from instead of parsing it. Only for immutable
    /// states, messages and events, which workflows must use anyway.
    /// </param>
    public CaseSerializer(JsonSerializerOptions? options = null, bool reuseWrittenObjects = false)
    {
        Options = options ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);
        _written = reuseWrittenObjects ? new ConditionalWeakTable<string, object>() : null;
    }

    /// <summary>The options in use.</summary>
    public JsonSerializerOptions Options { get; }

    /// <summary>The state as JSON.</summary>
    public string SerializeState(TState state) => Remember(JsonSerializer.Serialize(state, Options), state);

    /// <summary>The state from JSON.</summary>
    /// <exception cref="InvalidOperationException">The stored state does not read as <typeparamref name="TState"/>.</exception>
    public TState DeserializeState(string json)
    {
        if (Recall<TState>(json, out var known))
        {
            return known;
        }

        try
        {
            return JsonSerializer.Deserialize<TState>(json, Options) ?? throw new InvalidOperationException("The stored case state is null.");
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"The stored case state does not read as {typeof(TState).Name}: {ex.Message}", ex);
        }
    }

    /// <summary>A message as JSON.</summary>
    public string SerializeMessage(TMessage message) => Remember(JsonSerializer.Serialize(message, Options), message);

    /// <summary>A message from JSON.</summary>
    /// <exception cref="InvalidCaseMessageException">The text is not a <typeparamref name="TMessage"/>.</exception>
    public TMessage DeserializeMessage(string json)
    {
        if (Recall<TMessage>(json, out var known))
        {
            return known;
        }

        try
        {
            return JsonSerializer.Deserialize<TMessage>(json, Options) ?? throw new InvalidCaseMessageException("The message body is null.");
        }
        catch (JsonException ex)
        {
            throw new InvalidCaseMessageException($"The message body is not a {typeof(TMessage).Name} (line {ex.LineNumber}, position {ex.BytePositionInLine}, path {ex.Path}): {ex.Message}", ex);
        }
    }

    /// <summary>An event as JSON.</summary>
    public string SerializeEvent(TEvent @event) => Remember(JsonSerializer.Serialize(@event, Options), @event);

    /// <summary>An event from JSON.</summary>
    public TEvent DeserializeEvent(string json) =>
        Recall<TEvent>(json, out var known)
            ? known
            : JsonSerializer.Deserialize<TEvent>(json, Options) ?? throw new InvalidOperationException("A stored event is null.");

    /// <summary>The event's type name as shown in the timeline.</summary>
    public string TypeName(TEvent @event) => @event?.GetType().Name ?? typeof(TEvent).Name;

    private string Remember<T>(string json, T value)
    {
        if (_written is not null && value is not null)
        {
            _written.AddOrUpdate(json, value);
        }

        return json;
    }

    private bool Recall<T>(string json, out T value)
    {
        if (_written is not null && json is not null && _written.TryGetValue(json, out var known) && known is T typed)
        {
            value = typed;
            return true;
        }

        value = default!;
        return false;
    }
}
