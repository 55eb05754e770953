using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace HuurIncasso.Domain.Payments;

/// <summary>
/// An International Bank Account Number in electronic form (no spaces, upper case), checked
/// for its country's length and the ISO 7064 mod 97 check digits.
/// </summary>
/// <remarks>
/// Only countries of the SEPA scheme are known: rent is collected in euros, and an account
/// outside SEPA cannot pay by SEPA credit transfer or direct debit anyway.
/// </remarks>
public readonly record struct Iban
{
    /// <summary>IBAN length per country of the SEPA scheme (EPC list of SEPA countries).</summary>
    private static readonly FrozenDictionary<string, int> LengthByCountry = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["AD"] = 24,
        ["AL"] = 28,
        ["AT"] = 20,
        ["BE"] = 16,
        ["BG"] = 22,
        ["CH"] = 21,
        ["CY"] = 28,
        ["CZ"] = 24,
        ["DE"] = 22,
        ["DK"] = 18,
        ["EE"] = 20,
        ["ES"] = 24,
        ["FI"] = 18,
        ["FR"] = 27,
        ["GB"] = 22,
        ["GI"] = 23,
        ["GR"] = 27,
        ["HR"] = 21,
        ["HU"] = 28,
        ["IE"] = 22,
        ["IS"] = 26,
        ["IT"] = 27,
        ["LI"] = 21,
        ["LT"] = 20,
        ["LU"] = 20,
        ["LV"] = 21,
        ["MC"] = 27,
        ["MD"] = 24,
        ["ME"] = 22,
        ["MK"] = 19,
        ["MT"] = 31,
        ["NL"] = 18,
        ["NO"] = 15,
        ["PL"] = 28,
        ["PT"] = 25,
        ["RO"] = 24,
        ["SE"] = 24,
        ["SI"] = 19,
        ["SK"] = 24,
        ["SM"] = 27,
        ["VA"] = 22,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private Iban(string value) => Value = value;

    /// <summary>The IBAN in electronic form, e.g. <c>NL91ABNA0417164300</c>.</summary>
    public string Value { get; }

    /// <summary>The two-letter country code.</summary>
    public string CountryCode => Value is null ? string.Empty : Value[..2];

    /// <summary>Parses an IBAN as typed (spaces and lower case allowed).</summary>
    public static bool TryParse([NotNullWhen(true)] string? input, out Iban iban)
    {
        var check = Check(input, out var compact);
        iban = check.IsValid ? new Iban(compact) : default;
        return check.IsValid;
    }

    /// <summary>Parses an IBAN as typed.</summary>
    /// <exception cref="FormatException">The text is not a valid IBAN; the message says why.</exception>
    public static Iban Parse(string input)
    {
        var check = Check(input, out var compact);
        return check.IsValid ? new Iban(compact) : throw new FormatException($"'{input}' is not a valid IBAN: {check.Reason}");
    }

    /// <summary>True when <paramref name="input"/> is a valid IBAN of a known country.</summary>
    public static bool IsValid([NotNullWhen(true)] string? input) => Check(input, out _).IsValid;

    /// <summary>Checks <paramref name="input"/> and says what is wrong with it, if anything.</summary>
    public static ReferenceCheck Check(string? input) => Check(input, out _);

    /// <summary>Spaces removed and upper-cased: how IBANs are compared and stored.</summary>
    public static string Normalize(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Mod97.Compact(input);
    }

    /// <summary>The paper form in groups of four, e.g. <c>NL91 ABNA 0417 1643 00</c>.</summary>
    public string ToPrintString()
    {
        var value = Value ?? string.Empty;
        return string.Join(' ', value.Chunk(4).Select(chunk => new string(chunk)));
    }

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;

    private static ReferenceCheck Check(string? input, out string compact)
    {
        compact = string.IsNullOrWhiteSpace(input) ? string.Empty : Mod97.Compact(input);
        if (compact.Length == 0)
        {
            return ReferenceCheck.Fail(ReferenceFailure.Empty, "the IBAN is empty", "het IBAN is leeg");
        }

        if (!Mod97.IsUpperAlphanumeric(compact))
        {
            return ReferenceCheck.Fail(ReferenceFailure.InvalidCharacters,
                "an IBAN holds only letters and digits",
                "een IBAN bevat alleen letters en cijfers");
        }

        if (compact.Length < 4 || !char.IsAsciiLetterUpper(compact[0]) || !char.IsAsciiLetterUpper(compact[1])
            || !char.IsAsciiDigit(compact[2]) || !char.IsAsciiDigit(compact[3]))
        {
            return ReferenceCheck.Fail(ReferenceFailure.WrongPrefix,
                "an IBAN starts with a two-letter country code and two check digits",
                "een IBAN begint met twee letters voor het land en twee controlecijfers");
        }

        var country = compact[..2];
        if (!LengthByCountry.TryGetValue(country, out var expectedLength))
        {
            return ReferenceCheck.Fail(ReferenceFailure.UnknownCountry,
                $"country code {country} is not a SEPA country",
                $"landcode {country} is geen SEPA-land");
        }

        if (compact.Length != expectedLength)
        {
            return ReferenceCheck.Fail(ReferenceFailure.WrongLength,
                $"an IBAN of {country} has {expectedLength} characters, this one has {compact.Length}",
                $"een IBAN uit {country} heeft {expectedLength} tekens, dit heeft er {compact.Length}");
        }

        if (country == "NL" && !IsDutchAccountStructure(compact))
        {
            return ReferenceCheck.Fail(ReferenceFailure.InvalidCharacters,
                "a Dutch IBAN has a four-letter bank code and a ten-digit account number",
                "een Nederlands IBAN heeft een bankcode van vier letters en een rekeningnummer van tien cijfers");
        }

        // ISO 13616: move country code and check digits to the end; the whole must be 1 mod 97.
        var remainder = Mod97.Remainder(string.Concat(compact.AsSpan(4), compact.AsSpan(0, 4)));
        if (remainder != 1)
        {
            return ReferenceCheck.Fail(ReferenceFailure.CheckDigitMismatch,
                "the check digits do not match (mod 97 is not 1): probably a typing error",
                "de controlecijfers kloppen niet: waarschijnlijk een tikfout");
        }

        return ReferenceCheck.Valid;
    }

    private static bool IsDutchAccountStructure(string compact)
    {
        for (var i = 4; i < 8; i++)
        {
            if (!char.IsAsciiLetterUpper(compact[i]))
            {
                return false;
            }
        }

        for (var i = 8; i < 18; i++)
        {
            if (!char.IsAsciiDigit(compact[i]))
            {
                return false;
            }
        }

        return true;
    }
}
