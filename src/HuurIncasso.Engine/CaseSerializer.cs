using System.Globalization;
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
    private long _references;

    // With keepObjects, events are kept by number instead (their store keeps them for good anyway):
    // no weak table's lock and no dependent GC handle per event. Segments are made on first use.
    private const int SegmentBits = 16;
    private static long s_instances;
    private readonly object?[]?[] _kept = new object?[1 << 10][];
    private readonly Lock _segmentLock = new();
    private readonly string _keptPrefix;

    // Not a number this serializer hands out, so it never reads back as an object.
    private readonly string _droppedEvent;

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
        _keptPrefix = string.Create(CultureInfo.InvariantCulture, $"{ReferencePrefix}{Interlocked.Increment(ref s_instances)}.");
        _droppedEvent = _keptPrefix + "dropped";
    }

    /// <summary>
    /// With <paramref name="keepObjects"/>, a serializer that writes no JSON for states and events:
    /// each becomes a short reference text (<see cref="ReferencePrefix"/> and a number) that reads
    /// back as the very object for as long as that string is kept. Only for an in-memory store that
    /// lives and dies with this serializer and is read by nothing else (a simulation): its records
    /// and inbox entries then hold no JSON to show. Messages and events are kept by number (a copy
    /// of their text reads back too), states in a weak table. Only for immutable states, messages
    /// and events.
    /// </summary>
    /// <param name="options">The JSON options for what is still written or read as JSON.</param>
    /// <param name="reuseWrittenObjects">As in the other constructor; implied by <paramref name="keepObjects"/>.</param>
    /// <param name="keepObjects">Write references to the objects instead of JSON.</param>
    public CaseSerializer(JsonSerializerOptions? options, bool reuseWrittenObjects, bool keepObjects)
        : this(options, reuseWrittenObjects || keepObjects)
    {
        KeepsObjects = keepObjects;
    }

    /// <summary>
    /// With <see cref="KeepsObjects"/>, false writes every event as the same reference, which reads
    /// back as nothing: for a store that does not keep events (see
    /// <see cref="InMemory.InMemoryCaseStore(bool)"/>), so that this serializer does not keep them
    /// alive either. Ignored without <see cref="KeepsObjects"/>.
    /// </summary>
    public bool KeepsEvents { get; init; } = true;

    /// <summary>What a reference text written with <c>keepObjects</c> starts with; JSON never does.</summary>
    public const string ReferencePrefix = "@object:";

    /// <summary>True when this serializer writes references to objects instead of JSON (see the constructor with <c>keepObjects</c>).</summary>
    public bool KeepsObjects { get; }

    /// <summary>The options in use.</summary>
    public JsonSerializerOptions Options { get; }

    /// <summary>The state as JSON.</summary>
    public string SerializeState(TState state) => Write(state);

    /// <summary>The state from JSON.</summary>
    /// <exception cref="InvalidOperationException">The stored state does not read as <typeparamref name="TState"/>.</exception>
    public TState DeserializeState(string json)
    {
        if (Recall<TState>(json, out var known))
        {
            return known;
        }

        if (IsUnknownReference(json))
        {
            throw new InvalidOperationException(UnknownReference<TState>(json));
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

    /// <summary>A message as JSON, or with <c>keepObjects</c> as a reference kept by number.</summary>
    /// <remarks>
    /// A message travels as text (an inbox entry's, a poisoned message's): a reference by number
    /// still reads back from a copy of that text, for as long as this serializer lives, which a
    /// reference by the string's identity would not.
    /// </remarks>
    public string SerializeMessage(TMessage message) =>
        KeepsObjects && message is not null ? Keep(message) : Remember(JsonSerializer.Serialize(message, Options), message);

    /// <summary>A message from JSON.</summary>
    /// <exception cref="InvalidCaseMessageException">The text is not a <typeparamref name="TMessage"/>.</exception>
    public TMessage DeserializeMessage(string json)
    {
        if (Recall<TMessage>(json, out var known))
        {
            return known;
        }

        if (IsUnknownReference(json))
        {
            throw new InvalidCaseMessageException(UnknownReference<TMessage>(json));
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
    public string SerializeEvent(TEvent @event) =>
        KeepsObjects && @event is not null ? (KeepsEvents ? Keep(@event) : _droppedEvent) : Write(@event);

    /// <summary>An event from JSON.</summary>
    public TEvent DeserializeEvent(string json) =>
        Recall<TEvent>(json, out var known) ? known
            : IsUnknownReference(json) ? throw new InvalidOperationException(UnknownReference<TEvent>(json))
            : JsonSerializer.Deserialize<TEvent>(json, Options) ?? throw new InvalidOperationException("A stored event is null.");

    /// <summary>The event's type name as shown in the timeline.</summary>
    public string TypeName(TEvent @event) => @event?.GetType().Name ?? typeof(TEvent).Name;

    private string Write<T>(T value)
    {
        if (!KeepsObjects || value is null)
        {
            return Remember(JsonSerializer.Serialize(value, Options), value);
        }

        var reference = string.Create(CultureInfo.InvariantCulture, $"{ReferencePrefix}{Interlocked.Increment(ref _references)}");
        _written!.Add(reference, value);
        return reference;
    }

    /// <summary>A reference to <paramref name="value"/> that reads back for as long as this serializer lives.</summary>
    private string Keep(object value)
    {
        var number = Interlocked.Increment(ref _references);
        var segment = number >> SegmentBits;
        if (segment >= _kept.Length)
        {
            // More than the table holds (some 67 million): the weak table still works, only slower.
            return Write(value);
        }

        var slots = Volatile.Read(ref _kept[segment]);
        if (slots is null)
        {
            lock (_segmentLock)
            {
                slots = _kept[segment] ??= new object?[1 << SegmentBits];
            }
        }

        // Published to readers by whatever hands the text over (a store's lock, a task).
        slots[number & ((1 << SegmentBits) - 1)] = value;
        return string.Create(CultureInfo.InvariantCulture, $"{_keptPrefix}{number}");
    }

    private bool RecallKept(string text, out object? value)
    {
        value = null;
        if (!text.StartsWith(_keptPrefix, StringComparison.Ordinal)
            || !long.TryParse(text.AsSpan(_keptPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var segment = number >> SegmentBits;
        var slots = segment < _kept.Length ? Volatile.Read(ref _kept[segment]) : null;
        value = slots?[number & ((1 << SegmentBits) - 1)];
        return value is not null;
    }

    /// <summary>A reference this serializer did not write (another serializer's, or of another type): there is nothing to read it from.</summary>
    private bool IsUnknownReference(string json) => KeepsObjects && json is not null && json.StartsWith(ReferencePrefix, StringComparison.Ordinal);

    private static string UnknownReference<T>(string json) =>
        $"'{json}' is not a {typeof(T).Name} written by this in-memory serializer; it keeps no JSON to read instead.";

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
        if (KeepsObjects && json is not null && RecallKept(json, out var kept))
        {
            if (kept is T keptTyped)
            {
                value = keptTyped;
                return true;
            }

            value = default!;
            return false;
        }

        if (_written is not null && json is not null && _written.TryGetValue(json, out var known) && known is T typed)
        {
            value = typed;
            return true;
        }

        value = default!;
        return false;
    }
}
