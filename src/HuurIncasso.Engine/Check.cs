using System.Runtime.CompilerServices;

namespace HuurIncasso.Engine;

/// <summary>Guard clauses, in one place so that each names the argument it checks.</summary>
public static class Check
{
    /// <summary>Throws when <paramref name="value"/> is null.</summary>
    public static T NotNull<T>(T? value, [CallerArgumentExpression(nameof(value))] string? name = null)
        where T : class =>
        value ?? throw new ArgumentNullException(name);

    /// <summary>Throws when <paramref name="value"/> is null, empty or white space.</summary>
    public static string NotEmpty(string? value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("A value is required here.", name);
        }

        return value;
    }

    /// <summary>Throws when <paramref name="value"/> is not positive.</summary>
    public static int Positive(int value, [CallerArgumentExpression(nameof(value))] string? name = null) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, "Must be greater than zero.");

    /// <summary>Throws when <paramref name="value"/> is not positive.</summary>
    public static TimeSpan Positive(TimeSpan value, [CallerArgumentExpression(nameof(value))] string? name = null) =>
        value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(name, value, "Must be greater than zero.");

    /// <summary>
    /// A case id becomes a table partition key and part of blob names: it must be 1-200
    /// characters without '/', '\', '#', '?' or control characters.
    /// </summary>
    public static string CaseId(string? value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        NotEmpty(value, name);
        if (value!.Length > 200 || value.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c)))
        {
            throw new ArgumentException("A case id must be 1-200 characters without '/', '\\', '#', '?' or control characters.", name);
        }

        return value;
    }
}
