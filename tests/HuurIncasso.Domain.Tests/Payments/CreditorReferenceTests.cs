using FsCheck;
using FsCheck.Fluent;
using HuurIncasso.Domain.Payments;

namespace HuurIncasso.Domain.Tests.Payments;

public sealed class CreditorReferenceTests
{
    [Theory]
    // Worked example of BANKING.md.
    [InlineData("RF18539007547034")]
    // Same reference in the printed form, grouped and lower case.
    [InlineData("rf18 5390 0754 7034")]
    // Letters in the base: the ISO 11649 example.
    [InlineData("RF712348231")]
    // Shortest: a one-character base.
    [InlineData("RF741")]
    public void Check_Valid_IsValid(string input)
    {
        Assert.True(CreditorReference.Check(input).IsValid, CreditorReference.Check(input).Reason);
    }

    [Theory]
    // Check digits changed.
    [InlineData("RF19539007547034", ReferenceFailure.CheckDigitMismatch)]
    // Base changed.
    [InlineData("RF18539007547035", ReferenceFailure.CheckDigitMismatch)]
    // Not an RF reference at all.
    [InlineData("5000056789012345", ReferenceFailure.WrongPrefix)]
    // Check digits must be digits.
    [InlineData("RFAB539007547034", ReferenceFailure.InvalidCharacters)]
    // Punctuation is not allowed in the base.
    [InlineData("RF18-539007547034", ReferenceFailure.InvalidCharacters)]
    // No base.
    [InlineData("RF18", ReferenceFailure.WrongLength)]
    // 22 characters of base: one too many.
    [InlineData("RF001234567890123456789012", ReferenceFailure.WrongLength)]
    [InlineData(" ", ReferenceFailure.Empty)]
    public void Check_Invalid_SaysWhy(string input, ReferenceFailure expected)
    {
        var check = CreditorReference.Check(input);

        Assert.Equal(expected, check.Failure);
        Assert.False(string.IsNullOrWhiteSpace(check.ReasonDutch));
    }

    [Fact]
    public void Generate_WorkedBase_GivesWorkedReference()
    {
        Assert.Equal("RF18539007547034", CreditorReference.Generate("539007547034").Value);
    }

    [Fact]
    public void Generate_LowerCaseBaseWithSpaces_IsCompacted()
    {
        var reference = CreditorReference.Generate("2348 231");

        Assert.Equal("RF712348231", reference.Value);
        Assert.Equal("2348231", reference.Base);
    }

    [Theory]
    // Empty, too long, punctuation.
    [InlineData("")]
    [InlineData("1234567890123456789012")]
    [InlineData("12-34")]
    public void Generate_BadBase_Throws(string referenceBase)
    {
        Assert.Throws<ArgumentException>(() => CreditorReference.Generate(referenceBase));
    }

    [Fact]
    public void Generate_AnyAlphanumericBase_IsValid()
    {
        var alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".ToCharArray();
        var bases = Gen.Choose(1, CreditorReference.MaxBaseLength)
            .SelectMany(length => Gen.ArrayOf(Gen.Elements(alphabet), length))
            .Select(chars => new string(chars));

        Check.QuickThrowOnFailure(Prop.ForAll(bases.ToArbitrary(), b => CreditorReference.IsValid(CreditorReference.Generate(b).Value)));
    }
}
