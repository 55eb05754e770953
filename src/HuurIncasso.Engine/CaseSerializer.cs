using System.Text.Json;

namespace HuurIncasso.Engine;

/// <summary>
/// Turns a workflow's state, messages and events into JSON and back with System.Text.Json.
/// Polymorphic hierarchies round-trip when their base types carry
/// <c>[JsonPolymorphic]</c>/<c>[JsonDerivedType]</c>. Thread-safe.
/// </summary>
public sealed class CaseSerializer<TState, TMessage, TEvent>
{
    /// <summary>Uses <paramref name="options"/>, or the web defaults (camelCase).</summary>
    public CaseSerializer(JsonSerializerOptions? options = null)
    {
        Options = options ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);
    }

    /// <summary>The options in use.</summary>
    public JsonSerializerOptions Options { get; }

    /// <summary>The state as JSON.</summary>
    public string SerializeState(TState state) => JsonSerializer.Serialize(state, Options);

    /// <summary>The state from JSON.</summary>
    /// <exception cref="InvalidOperationException">The stored state does not read as <typeparamref name="TState"/>.</exception>
    public TState DeserializeState(string json)
    {
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
    public string SerializeMessage(TMessage message) => JsonSerializer.Serialize(message, Options);

    /// <summary>A message from JSON.</summary>
    /// <exception cref="InvalidCaseMessageException">The text is not a <typeparamref name="TMessage"/>.</exception>
    public TMessage DeserializeMessage(string json)
    {
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
    public string SerializeEvent(TEvent @event) => JsonSerializer.Serialize(@event, Options);

    /// <summary>An event from JSON.</summary>
    public TEvent DeserializeEvent(string json) =>
        JsonSerializer.Deserialize<TEvent>(json, Options) ?? throw new InvalidOperationException("A stored event is null.");

    /// <summary>The event's type name as shown in the timeline.</summary>
    public string TypeName(TEvent @event) => @event?.GetType().Name ?? typeof(TEvent).Name;
}
