using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace HuurIncasso.Domain.Payments;

/// <summary>
/// A Dutch payment reference (betalingskenmerk, Currence): 7 digits without a check digit,
/// 9 to 14 digits (check digit, length code, 7 to 12 digits) or 16 digits (check digit and 15
/// digits). The check digit is a weighted mod 11 over the digits after it.
/// </summary>
public readonly record struct Betalingskenmerk
{
    /// <summary>The largest contract number that fits the 16-digit layout of <see cref="Generate"/>.</summary>
    public const long MaxContractNumber = 99_999_999_999;

    /// <summary>The largest sequence number that fits the 16-digit layout of <see cref="Generate"/>.</summary>
    public const int MaxSequence = 9_999;

    // Currence: weights from the rightmost digit leftwards, repeating.
    private static readonly int[] Weights = [2, 4, 8, 5, 10, 9, 7, 3, 6, 1];

    private Betalingskenmerk(string value) => Value = value;

    /// <summary>The digits, without spaces.</summary>
    public string Value { get; }

    /// <summary>
    /// Makes the 16-digit reference for a contract: check digit, then the contract number in 11
    /// digits, then <paramref name="sequence"/> in 4 digits (for example a period like 2611, or
    /// 0 for the contract's standing reference).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A number does not fit its digits.</exception>
    public static Betalingskenmerk Generate(long contractNumber, int sequence = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(contractNumber);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(contractNumber, MaxContractNumber);
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sequence, MaxSequence);

        var body = string.Create(CultureInfo.InvariantCulture, $"{contractNumber:D11}{sequence:D4}");
        return new Betalingskenmerk(string.Concat(CheckDigit(body).ToString(CultureInfo.InvariantCulture), body));
    }

    /// <summary>Parses a reference as typed (spaces allowed).</summary>
    public static bool TryParse([NotNullWhen(true)] string? input, out Betalingskenmerk reference)
    {
        var check = Check(input, out var compact);
        reference = check.IsValid ? new Betalingskenmerk(compact) : default;
        return check.IsValid;
    }

    /// <summary>Parses a reference as typed.</summary>
    /// <exception cref="FormatException">Not a valid betalingskenmerk; the message says why.</exception>
    public static Betalingskenmerk Parse(string input)
    {
        var check = Check(input, out var compact);
        return check.IsValid ? new Betalingskenmerk(compact) : throw new FormatException($"'{input}' is not a valid betalingskenmerk: {check.Reason}");
    }

    /// <summary>True when <paramref name="input"/> is a valid betalingskenmerk.</summary>
    public static bool IsValid([NotNullWhen(true)] string? input) => Check(input, out _).IsValid;

    /// <summary>Checks <paramref name="input"/> and says what is wrong with it, if anything.</summary>
    public static ReferenceCheck Check(string? input) => Check(input, out _);

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;

    /// <summary>The Currence check digit over <paramref name="digits"/> (everything after the check digit).</summary>
    /// <exception cref="ArgumentException"><paramref name="digits"/> holds something other than digits.</exception>
    public static int CheckDigit(ReadOnlySpan<char> digits)
    {
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                throw new ArgumentException("A betalingskenmerk holds only digits.", nameof(digits));
            }
        }

        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var digit = digits[digits.Length - 1 - i] - '0';
            sum += digit * Weights[i % Weights.Length];
        }

        var check = 11 - (sum % 11);
        return check switch
        {
            10 => 1,
            11 => 0,
            _ => check,
        };
    }

    private static ReferenceCheck Check(string? input, out string compact)
    {
        compact = string.IsNullOrWhiteSpace(input) ? string.Empty : Mod97.Compact(input);
        if (compact.Length == 0)
        {
            return ReferenceCheck.Fail(ReferenceFailure.Empty, "the payment reference is empty", "het betalingskenmerk is leeg");
        }

        foreach (var c in compact)
        {
            if (!char.IsAsciiDigit(c))
            {
                return ReferenceCheck.Fail(ReferenceFailure.InvalidCharacters,
                    "a betalingskenmerk holds only digits",
                    "een betalingskenmerk bestaat alleen uit cijfers");
            }
        }

        switch (compact.Length)
        {
            case 7:
                // The short form has no check digit: any seven digits are valid.
                return ReferenceCheck.Valid;
            case >= 9 and <= 14:
                var expectedLengthCode = (compact.Length - 2) % 10;
                if (compact[1] - '0' != expectedLengthCode)
                {
                    return ReferenceCheck.Fail(ReferenceFailure.LengthCodeMismatch,
                        $"the second digit (length code) must be {expectedLengthCode} for {compact.Length} digits",
                        $"het tweede cijfer (lengtecode) moet {expectedLengthCode} zijn bij {compact.Length} cijfers");
                }

                break;
            case 16:
                break;
            default:
                return ReferenceCheck.Fail(ReferenceFailure.WrongLength,
                    $"a betalingskenmerk has 7, 9 to 14, or 16 digits, not {compact.Length}",
                    $"een betalingskenmerk heeft 7, 9 tot en met 14, of 16 cijfers, niet {compact.Length}");
        }

        if (compact[0] - '0' != CheckDigit(compact.AsSpan(1)))
        {
            return ReferenceCheck.Fail(ReferenceFailure.CheckDigitMismatch,
                "the check digit (first digit) does not match: probably a typing error",
                "het controlecijfer (eerste cijfer) klopt niet: waarschijnlijk een tikfout");
        }

        return ReferenceCheck.Valid;
    }
}
