using FsCheck;
using FsCheck.Fluent;
using HuurIncasso.Domain.Payments;

namespace HuurIncasso.Domain.Tests.Payments;

public sealed class IbanTests
{
    [Theory]
    // The worked example of BANKING.md.
    [InlineData("NL91ABNA0417164300")]
    // As printed on a bank card: spaces and lower case are how people type it.
    [InlineData("nl91 abna 0417 1643 00")]
    // Belgium, 16 characters.
    [InlineData("BE68539007547034")]
    // Germany, 22 characters.
    [InlineData("DE89370400440532013000")]
    // France, 27 characters with letters inside the account part.
    [InlineData("FR1420041010050500013M02606")]
    // Luxembourg, 20 characters.
    [InlineData("LU280019400644750000")]
    // United Kingdom, 22 characters.
    [InlineData("GB29NWBK60161331926819")]
    // Norway, the shortest SEPA IBAN (15).
    [InlineData("NO9386011117947")]
    // Malta, the longest SEPA IBAN (31).
    [InlineData("MT84MALT011000012345MTLCAST001S")]
    public void Check_ValidIban_IsValid(string input)
    {
        Assert.True(Iban.Check(input).IsValid, Iban.Check(input).Reason);
        Assert.True(Iban.IsValid(input));
        Assert.True(Iban.TryParse(input, out var iban));
        Assert.Equal(input.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant(), iban.Value);
    }

    [Theory]
    // Nothing typed.
    [InlineData("", ReferenceFailure.Empty)]
    [InlineData("   ", ReferenceFailure.Empty)]
    // A dash is not part of an IBAN.
    [InlineData("NL91-ABNA-0417-1643-00", ReferenceFailure.InvalidCharacters)]
    // Last digit changed: the check digits catch it.
    [InlineData("NL91ABNA0417164301", ReferenceFailure.CheckDigitMismatch)]
    // Two adjacent digits swapped.
    [InlineData("NL91ABNA0417163400", ReferenceFailure.CheckDigitMismatch)]
    // One character short for NL.
    [InlineData("NL91ABNA041716430", ReferenceFailure.WrongLength)]
    // A Dutch IBAN's bank code is four letters.
    [InlineData("NL9112340417164300", ReferenceFailure.InvalidCharacters)]
    // US is not a SEPA country (and has no IBAN).
    [InlineData("US64SVBKUS6S3300958879", ReferenceFailure.UnknownCountry)]
    // Starts with digits instead of a country code.
    [InlineData("9191ABNA0417164300", ReferenceFailure.WrongPrefix)]
    // Belgian length is 16, this has 17.
    [InlineData("BE685390075470341", ReferenceFailure.WrongLength)]
    public void Check_InvalidIban_SaysWhy(string input, ReferenceFailure expected)
    {
        var check = Iban.Check(input);

        Assert.Equal(expected, check.Failure);
        Assert.False(check.IsValid);
        Assert.False(string.IsNullOrWhiteSpace(check.Reason));
        Assert.False(string.IsNullOrWhiteSpace(check.ReasonDutch));
    }

    [Fact]
    public void Check_Null_IsEmpty()
    {
        Assert.Equal(ReferenceFailure.Empty, Iban.Check(null).Failure);
        Assert.False(Iban.IsValid(null));
    }

    [Fact]
    public void Check_WrongCountryLength_ReasonNamesCountryAndLengths()
    {
        var check = Iban.Check("DE8937040044053201300");

        Assert.Contains("DE", check.ReasonDutch, StringComparison.Ordinal);
        Assert.Contains("22", check.ReasonDutch, StringComparison.Ordinal);
        Assert.Contains("21", check.ReasonDutch, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatExceptionWithReason()
    {
        var exception = Assert.Throws<FormatException>(() => Iban.Parse("NL91ABNA0417164301"));

        Assert.Contains("check digits", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_HasEmptyParts()
    {
        // A default struct (an unset field) must not throw when shown.
        Assert.Equal(string.Empty, default(Iban).CountryCode);
        Assert.Equal(string.Empty, default(Iban).ToString());
    }

    [Fact]
    public void CountryCode_IsFirstTwoLetters()
    {
        Assert.Equal("BE", Iban.Parse("BE68539007547034").CountryCode);
    }

    [Fact]
    public void ToPrintString_GroupsOfFour()
    {
        Assert.Equal("NL91 ABNA 0417 1643 00", Iban.Parse("NL91ABNA0417164300").ToPrintString());
    }

    [Fact]
    public void Equality_SameAccountTypedDifferently_IsEqual()
    {
        Assert.Equal(Iban.Parse("nl91abna0417164300"), Iban.Parse("NL91 ABNA 0417 1643 00"));
    }

    [Fact]
    public void Check_AnySingleDigitChangeInAccount_IsRefused()
    {
        // Mod 97 catches every single substitution: the property that makes IBAN typos visible.
        var property = Prop.ForAll(
            Gen.Choose(8, 17).ToArbitrary(),
            Gen.Choose(1, 9).ToArbitrary(),
            (position, delta) =>
            {
                var chars = "NL91ABNA0417164300".ToCharArray();
                chars[position] = (char)('0' + ((chars[position] - '0' + delta) % 10));
                return !Iban.IsValid(new string(chars));
            });

        Check.QuickThrowOnFailure(property);
    }
}
