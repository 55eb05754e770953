using FsCheck;
using FsCheck.Fluent;
using HuurIncasso.Domain.Payments;

namespace HuurIncasso.Domain.Tests.Payments;

public sealed class BetalingskenmerkTests
{
    [Theory]
    // Worked example of BANKING.md: 16 digits, A = 215, C = 5.
    [InlineData("5000056789012345")]
    // Worked example of BANKING.md: 9 digits, check 2, length code 7, seven digits.
    [InlineData("271234567")]
    // Seven digits carry no check digit at all.
    [InlineData("1234567")]
    // As a tenant types it, in groups.
    [InlineData("5000 0567 8901 2345")]
    public void Check_Valid_IsValid(string input)
    {
        Assert.True(Betalingskenmerk.Check(input).IsValid, Betalingskenmerk.Check(input).Reason);
        Assert.True(Betalingskenmerk.TryParse(input, out var reference));
        Assert.Equal(input.Replace(" ", "", StringComparison.Ordinal), reference.Value);
    }

    [Theory]
    // The worked 16-digit example with its check digit changed.
    [InlineData("4000056789012345", ReferenceFailure.CheckDigitMismatch)]
    // The worked 16-digit example with one digit of the body changed.
    [InlineData("5000056789012346", ReferenceFailure.CheckDigitMismatch)]
    // The worked 9-digit example with its check digit changed.
    [InlineData("371234567", ReferenceFailure.CheckDigitMismatch)]
    // Nine digits need length code 7; 8 would mean 10 digits.
    [InlineData("281234567", ReferenceFailure.LengthCodeMismatch)]
    // Eight and fifteen digits are lengths Currence does not have.
    [InlineData("12345678", ReferenceFailure.WrongLength)]
    [InlineData("123456789012345", ReferenceFailure.WrongLength)]
    // Too short and too long.
    [InlineData("123456", ReferenceFailure.WrongLength)]
    [InlineData("12345678901234567", ReferenceFailure.WrongLength)]
    // Letters are not allowed.
    [InlineData("50000567890123A5", ReferenceFailure.InvalidCharacters)]
    [InlineData("", ReferenceFailure.Empty)]
    public void Check_Invalid_SaysWhy(string input, ReferenceFailure expected)
    {
        var check = Betalingskenmerk.Check(input);

        Assert.Equal(expected, check.Failure);
        Assert.False(string.IsNullOrWhiteSpace(check.ReasonDutch));
    }

    [Theory]
    // Length codes 7, 8, 9, 0, 1, 2 for 7..12 digits after the code; the check includes the code.
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    public void Check_MiddleLengthsWithRightLengthCodeAndCheckDigit_IsValid(int length)
    {
        var lengthCode = (length - 2) % 10;
        var digits = string.Concat(lengthCode.ToString(System.Globalization.CultureInfo.InvariantCulture), new string('3', length - 2));
        var check = Betalingskenmerk.CheckDigit(digits);

        Assert.True(Betalingskenmerk.IsValid($"{check}{digits}"));
        Assert.False(Betalingskenmerk.IsValid($"{(check + 1) % 10}{digits}"));
    }

    [Fact]
    public void Generate_ContractNumber_SixteenDigitsContractThenSequence()
    {
        var reference = Betalingskenmerk.Generate(56789, 2345);

        // Body 00000056789 2345; the check digit is computed, not copied.
        Assert.Equal(16, reference.Value.Length);
        Assert.EndsWith("000000567892345", reference.Value, StringComparison.Ordinal);
        Assert.True(Betalingskenmerk.IsValid(reference.Value));
    }

    [Fact]
    public void Generate_BodyOfWorkedExample_GivesWorkedCheckDigit()
    {
        // 5000056789012345 has body 000056789012345 = contract 00005678901, sequence 2345.
        Assert.Equal("5000056789012345", Betalingskenmerk.Generate(5678901, 2345).Value);
    }

    [Theory]
    // Negative and too-large numbers do not fit the 11 + 4 digit layout.
    [InlineData(-1L, 0)]
    [InlineData(100_000_000_000L, 0)]
    [InlineData(1L, -1)]
    [InlineData(1L, 10_000)]
    public void Generate_OutOfRange_Throws(long contract, int sequence)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Betalingskenmerk.Generate(contract, sequence));
    }

    [Fact]
    public void Generate_AnyContract_IsValidAndUnique()
    {
        var property = Prop.ForAll(
            Gen.Choose(0, int.MaxValue).Select(n => (long)n * 31).ToArbitrary(),
            Gen.Choose(0, Betalingskenmerk.MaxSequence).ToArbitrary(),
            (contract, sequence) =>
            {
                var reference = Betalingskenmerk.Generate(contract, sequence);
                var other = Betalingskenmerk.Generate(contract + 1, sequence);
                return Betalingskenmerk.IsValid(reference.Value) && reference != other;
            });

        Check.QuickThrowOnFailure(property);
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => Betalingskenmerk.Parse("4000056789012345"));
    }
}
