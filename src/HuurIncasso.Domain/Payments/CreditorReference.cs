using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace HuurIncasso.Domain.Payments;

/// <summary>
/// An ISO 11649 structured creditor reference: <c>RF</c>, two check digits and 1 to 21
/// letters or digits, valid when the mod 97 of the rearranged reference is 1.
/// </summary>
public readonly record struct CreditorReference
{
    /// <summary>The most characters the base (after RF and the check digits) may have.</summary>
    public const int MaxBaseLength = 21;

    private CreditorReference(string value) => Value = value;

    /// <summary>The reference in electronic form, e.g. <c>RF18539007547034</c>.</summary>
    public string Value { get; }

    /// <summary>What comes after RF and the check digits.</summary>
    public string Base => Value is null ? string.Empty : Value[4..];

    /// <summary>Makes the RF reference for <paramref name="referenceBase"/> (letters and digits, spaces ignored).</summary>
    /// <exception cref="ArgumentException">The base is empty, too long, or holds other characters.</exception>
    public static CreditorReference Generate(string referenceBase)
    {
        ArgumentNullException.ThrowIfNull(referenceBase);
        var compact = Mod97.Compact(referenceBase);
        if (compact.Length is 0 or > MaxBaseLength)
        {
            throw new ArgumentException($"An RF reference base has 1 to {MaxBaseLength} characters, not {compact.Length}.", nameof(referenceBase));
        }

        if (!Mod97.IsUpperAlphanumeric(compact))
        {
            throw new ArgumentException("An RF reference base holds only letters and digits.", nameof(referenceBase));
        }

        var check = 98 - Mod97.Remainder(compact + "RF00");
        return new CreditorReference(string.Create(CultureInfo.InvariantCulture, $"RF{check:D2}{compact}"));
    }

    /// <summary>Parses a reference as typed (spaces and lower case allowed).</summary>
    public static bool TryParse([NotNullWhen(true)] string? input, out CreditorReference reference)
    {
        var check = Check(input, out var compact);
        reference = check.IsValid ? new CreditorReference(compact) : default;
        return check.IsValid;
    }

    /// <summary>Parses a reference as typed.</summary>
    /// <exception cref="FormatException">Not a valid RF reference; the message says why.</exception>
    public static CreditorReference Parse(string input)
    {
        var check = Check(input, out var compact);
        return check.IsValid ? new CreditorReference(compact) : throw new FormatException($"'{input}' is not a valid RF reference: {check.Reason}");
    }

    /// <summary>True when <paramref name="input"/> is a valid RF reference.</summary>
    public static bool IsValid([NotNullWhen(true)] string? input) => Check(input, out _).IsValid;

    /// <summary>Checks <paramref name="input"/> and says what is wrong with it, if anything.</summary>
    public static ReferenceCheck Check(string? input) => Check(input, out _);

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;

    private static ReferenceCheck Check(string? input, out string compact)
    {
        compact = string.IsNullOrWhiteSpace(input) ? string.Empty : Mod97.Compact(input);
        if (compact.Length == 0)
        {
            return ReferenceCheck.Fail(ReferenceFailure.Empty, "the RF reference is empty", "de RF-referentie is leeg");
        }

        if (!compact.StartsWith("RF", StringComparison.Ordinal))
        {
            return ReferenceCheck.Fail(ReferenceFailure.WrongPrefix, "an RF reference starts with RF", "een RF-referentie begint met RF");
        }

        if (!Mod97.IsUpperAlphanumeric(compact))
        {
            return ReferenceCheck.Fail(ReferenceFailure.InvalidCharacters,
                "an RF reference holds only letters and digits",
                "een RF-referentie bevat alleen letters en cijfers");
        }

        if (compact.Length is < 5 or > 4 + MaxBaseLength)
        {
            return ReferenceCheck.Fail(ReferenceFailure.WrongLength,
                $"an RF reference has 5 to {4 + MaxBaseLength} characters, not {compact.Length}",
                $"een RF-referentie heeft 5 tot en met {4 + MaxBaseLength} tekens, niet {compact.Length}");
        }

        if (!char.IsAsciiDigit(compact[2]) || !char.IsAsciiDigit(compact[3]))
        {
            return ReferenceCheck.Fail(ReferenceFailure.InvalidCharacters,
                "the two characters after RF are check digits",
                "de twee tekens na RF zijn controlecijfers");
        }

        if (Mod97.Remainder(string.Concat(compact.AsSpan(4), compact.AsSpan(0, 4))) != 1)
        {
            return ReferenceCheck.Fail(ReferenceFailure.CheckDigitMismatch,
                "the check digits do not match (mod 97 is not 1): probably a typing error",
                "de controlecijfers kloppen niet: waarschijnlijk een tikfout");
        }

        return ReferenceCheck.Valid;
    }
}
