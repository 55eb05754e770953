using System.Text;
using HuurIncasso.Integrations.Banking;

namespace HuurIncasso.Integrations.Tests.Banking;

public sealed class BankStatementReaderTests
{
    [Theory]
    // Recognised by content, not by the file name.
    [InlineData("camt053-v02.xml", BankSource.Camt053)]
    [InlineData("camt053-v08.xml", BankSource.Camt053)]
    [InlineData("camt054-v02.xml", BankSource.Camt054)]
    [InlineData("camt054-v08.xml", BankSource.Camt054)]
    [InlineData("events.json", BankSource.JsonEvent)]
    public void Read_Fixture_DetectsFormat(string name, BankSource expected)
    {
        using var stream = File.OpenRead(Fixture.PathOf(name));

        var file = BankStatementReader.Read(stream, name);

        Assert.Equal(expected, file.Format);
        Assert.NotEmpty(file.Transactions);
    }

    [Fact]
    public void Read_Utf8WithBom_Works()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(File.ReadAllBytes(Fixture.PathOf("camt053-v02.xml"))).ToArray();

        var file = BankStatementReader.Read(new MemoryStream(bytes));

        Assert.Equal(9, file.Transactions.Count);
        Assert.Equal("A. Yılmaz", file.Transactions[3].DebtorName);
    }

    [Fact]
    public void Read_Latin1Bytes_FallsBackAndFlags()
    {
        // One bank sends Latin-1 bytes in a file that claims UTF-8: read it, and say so.
        var xml = File.ReadAllText(Fixture.PathOf("camt054-v02.xml")).Replace("Bakker P", "Bakker-Müller P", StringComparison.Ordinal);
        var bytes = Encoding.Latin1.GetBytes(xml);

        var file = BankStatementReader.Read(new MemoryStream(bytes));

        Assert.Equal("Bakker-Müller P", file.Transactions[1].DebtorName);
        Assert.All(file.Transactions, t => Assert.True(t.HasFlag(BankDataFlagCode.EncodingFallback)));
    }

    [Theory]
    // An honest declaration is followed and not flagged.
    [InlineData("ISO-8859-1")]
    [InlineData("windows-1252")]
    public void Read_DeclaredSingleByteEncoding_DecodedWithoutFlag(string encodingName)
    {
        var xml = File.ReadAllText(Fixture.PathOf("camt054-v02.xml"))
            .Replace("encoding=\"UTF-8\"", $"encoding=\"{encodingName}\"", StringComparison.Ordinal)
            .Replace("Bakker P", "Bakker-Müller P", StringComparison.Ordinal);
        var bytes = CodePagesEncodingProvider.Instance.GetEncoding(encodingName)?.GetBytes(xml) ?? Encoding.Latin1.GetBytes(xml);

        var file = BankStatementReader.Read(new MemoryStream(bytes));

        Assert.Equal("Bakker-Müller P", file.Transactions[1].DebtorName);
        Assert.All(file.Transactions, t => Assert.False(t.HasFlag(BankDataFlagCode.EncodingFallback)));
    }

    [Theory]
    // Neither XML nor JSON.
    [InlineData(":61:2611201120C725,50NTRFNONREF")]
    // Nothing at all.
    [InlineData("   ")]
    public void Read_UnknownContent_Throws(string content)
    {
        var exception = Assert.Throws<BankFormatException>(() => BankStatementReader.Read(content, "statement.sta"));

        Assert.False(string.IsNullOrWhiteSpace(exception.ProblemDutch));
    }

    [Fact]
    public void Read_StreamLargerThanLimit_RefusedBeforeParsing()
    {
        using var stream = File.OpenRead(Fixture.PathOf("camt053-v02.xml"));

        var exception = Assert.Throws<BankFormatException>(() => BankStatementReader.Read(stream, maxBytes: 1024));

        Assert.Contains("1024", exception.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Malformed_ThrowsBankFormatException()
    {
        using var stream = File.OpenRead(Fixture.PathOf("camt053-malformed.xml"));

        var exception = Assert.Throws<BankFormatException>(() => BankStatementReader.Read(stream, "camt053-malformed.xml"));

        Assert.Equal(11, exception.LineNumber);
    }
}
