namespace HuurIncasso.Domain.Payments;

/// <summary>Why a payment identifier (IBAN, betalingskenmerk, RF reference) was refused.</summary>
public enum ReferenceFailure
{
    /// <summary>Nothing wrong: the identifier is valid.</summary>
    None,

    /// <summary>Empty or only white space.</summary>
    Empty,

    /// <summary>Holds a character the format does not allow.</summary>
    InvalidCharacters,

    /// <summary>A length the format does not have.</summary>
    WrongLength,

    /// <summary>The IBAN's country code is not in the table of known IBAN countries.</summary>
    UnknownCountry,

    /// <summary>The RF reference does not start with "RF", or an IBAN not with a country code.</summary>
    WrongPrefix,

    /// <summary>The length code of a 9-14 digit betalingskenmerk does not match its length.</summary>
    LengthCodeMismatch,

    /// <summary>The check digit(s) do not match the rest.</summary>
    CheckDigitMismatch,
}

/// <summary>
/// The outcome of checking a payment identifier: valid, or the reason it is not, in English
/// (for logs and developers) and in Dutch (for consultants).
/// </summary>
public readonly record struct ReferenceCheck(ReferenceFailure Failure, string Reason, string ReasonDutch)
{
    /// <summary>The check passed.</summary>
    public static ReferenceCheck Valid { get; } = new(ReferenceFailure.None, "valid", "geldig");

    /// <summary>True when <see cref="Failure"/> is <see cref="ReferenceFailure.None"/>.</summary>
    public bool IsValid => Failure == ReferenceFailure.None;

    internal static ReferenceCheck Fail(ReferenceFailure failure, string reason, string reasonDutch) =>
        new(failure, reason, reasonDutch);

    /// <inheritdoc/>
    public override string ToString() => IsValid ? Reason : $"{Failure}: {Reason}";
}
