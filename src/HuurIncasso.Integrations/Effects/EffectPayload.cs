using System.Text.Json;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Engine;

namespace HuurIncasso.Integrations.Effects;

/// <summary>Reads the case effect out of an outbox <see cref="Effect"/> (JSON in <see cref="CaseJson"/> form, with "type").</summary>
public static class EffectPayload
{
    /// <summary>The payload as <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidEffectPayloadException">The payload is not JSON of that effect type.</exception>
    public static T Read<T>(Effect effect)
        where T : CaseEffect
    {
        ArgumentNullException.ThrowIfNull(effect);
        CaseEffect? value;
        try
        {
            value = JsonSerializer.Deserialize<CaseEffect>(effect.Payload, CaseJson.Options);
        }
        catch (JsonException ex)
        {
            throw new InvalidEffectPayloadException(effect.Id, effect.Kind, $"not a case effect: {ex.Message}", ex);
        }

        return value as T
            ?? throw new InvalidEffectPayloadException(effect.Id, effect.Kind, $"expected a {typeof(T).Name}, got {value?.GetType().Name ?? "null"}");
    }
}

/// <summary>An outbox effect whose payload is not what its kind promises; retrying will not help.</summary>
public sealed class InvalidEffectPayloadException(string effectId, string kind, string problem, Exception? inner = null)
    : Exception($"Effect {effectId} (kind '{kind}'): {problem}", inner)
{
    /// <summary>The effect.</summary>
    public string EffectId { get; } = effectId;
}
