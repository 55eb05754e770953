namespace HuurIncasso.Domain.Payments;

/// <summary>
/// ISO 7064 MOD 97-10 over an alphanumeric string (letters A=10 .. Z=35), computed piecewise
/// so that a 34-character IBAN never needs a big integer.
/// </summary>
internal static class Mod97
{
    /// <summary>The remainder; the caller has ensured only 0-9 and A-Z are present.</summary>
    public static int Remainder(ReadOnlySpan<char> value)
    {
        var remainder = 0;
        foreach (var c in value)
        {
            if (c is >= '0' and <= '9')
            {
                remainder = ((remainder * 10) + (c - '0')) % 97;
            }
            else
            {
                remainder = ((remainder * 100) + (c - 'A' + 10)) % 97;
            }
        }

        return remainder;
    }

    /// <summary>Letters are valid as well as digits, upper case only.</summary>
    public static bool IsUpperAlphanumeric(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'A' and <= 'Z')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Removes every white-space character and upper-cases the rest (invariant).</summary>
    public static string Compact(string value)
    {
        var buffer = new char[value.Length];
        var length = 0;
        foreach (var c in value)
        {
            if (!char.IsWhiteSpace(c))
            {
                buffer[length++] = char.ToUpperInvariant(c);
            }
        }

        return new string(buffer, 0, length);
    }
}
