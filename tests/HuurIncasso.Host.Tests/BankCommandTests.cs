using System.Globalization;
using System.Text.Json;
using HuurIncasso.Host.Cli;
using HuurIncasso.Testing;
using static HuurIncasso.Host.Tests.CommandLineRunner;

namespace HuurIncasso.Host.Tests;

public sealed class BankCommandTests
{
    private static readonly string[] RequiredFields =
        ["amount", "direction", "reversal", "bookingDate", "bankReference", "endToEndId", "mandateId", "reference", "remittance", "debtorName", "debtorIban", "reasonCode", "flags"];

    [Fact]
    public async Task BankParse_JsonV02_ArrayWithEveryRequiredField()
    {
        var (exit, output, error) = await RunAsync("bank", "parse", FixturePath("camt053-v02.xml"), "--json");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        using var document = JsonDocument.Parse(output);
        var items = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(9, items.Count);
        foreach (var item in items)
        {
            foreach (var field in RequiredFields)
            {
                Assert.True(item.TryGetProperty(field, out _), $"field {field} is missing");
            }

            Assert.True(item.GetProperty("amount").GetDecimal() > 0m);
            Assert.Contains(item.GetProperty("direction").GetString(), new[] { "credit", "debit" });
            Assert.True(DateOnly.TryParseExact(item.GetProperty("bookingDate").GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _));
        }

        var first = items[0];
        Assert.Equal(725.50m, first.GetProperty("amount").GetDecimal());
        Assert.Equal("1000001200012611", first.GetProperty("reference").GetString());
        Assert.Equal("HI-REF-0001", first.GetProperty("bankReference").GetString());
        Assert.Equal("NL44RABO0123456789", first.GetProperty("debtorIban").GetString());
        var firstReturn = items[6];
        Assert.True(firstReturn.GetProperty("reversal").GetBoolean());
        Assert.Equal("debit", firstReturn.GetProperty("direction").GetString());
        Assert.Equal("AM04", firstReturn.GetProperty("reasonCode").GetString());
        Assert.Equal("HI-MDT-12000600", firstReturn.GetProperty("mandateId").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("reasonCode").ValueKind);
    }

    [Theory]
    // Every readable fixture gives a JSON array of the same number of transactions the reader finds.
    [InlineData("camt053-v08.xml", 4)]
    [InlineData("camt054-v02.xml", 2)]
    [InlineData("camt054-v08.xml", 2)]
    [InlineData("camt053-bad-data.xml", 5)]
    [InlineData("events.json", 2)]
    public async Task BankParse_JsonOtherFixtures_OneItemPerTransaction(string fixture, int count)
    {
        var (exit, output, _) = await RunAsync("bank", "parse", FixturePath(fixture), "--json");

        Assert.Equal(0, exit);
        using var document = JsonDocument.Parse(output);
        Assert.Equal(count, document.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task BankParse_JsonBadData_FlagsListed()
    {
        var (_, output, _) = await RunAsync("bank", "parse", FixturePath("camt053-bad-data.xml"), "--json");

        using var document = JsonDocument.Parse(output);
        var codes = document.RootElement[0].GetProperty("flags").EnumerateArray().Select(f => f.GetProperty("code").GetString()).ToList();
        Assert.Equal(["invalidDebtorIban", "invalidReference"], codes);
    }

    [Fact]
    public async Task BankParse_Table_DutchColumnsAmountsAndWarnings()
    {
        var (exit, output, _) = await RunAsync("bank", "parse", FixturePath("camt053-bad-data.xml"));

        Assert.Equal(0, exit);
        Assert.Contains("Datum", output, StringComparison.Ordinal);
        Assert.Contains("Bedrag", output, StringComparison.Ordinal);
        Assert.Contains("725,50", output, StringComparison.Ordinal);
        Assert.Contains("let op: IBAN van de betaler klopt niet", output, StringComparison.Ordinal);
        Assert.Contains("let op: betalingskenmerk klopt niet", output, StringComparison.Ordinal);
        Assert.Contains("met waarschuwing: 5", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BankParse_TableReversals_ShowReasonAndStorno()
    {
        var (_, output, _) = await RunAsync("bank", "parse", FixturePath("camt053-v02.xml"));

        var returnLine = Assert.Single(output.Split('\n'), line => line.Contains("AM04", StringComparison.Ordinal));
        Assert.Contains(" af ", returnLine, StringComparison.Ordinal);
        Assert.Contains(" ja ", returnLine, StringComparison.Ordinal);
        Assert.Contains("Totaal bij: € 4.914,25; totaal af: € 1.397,25", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BankParse_MissingFile_DutchErrorExit1()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bestaat-niet-{Guid.NewGuid():N}.xml");

        var (exit, output, error) = await RunAsync("bank", "parse", path, "--json");

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains(path, error, StringComparison.Ordinal);
        Assert.Contains("bestaat niet", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BankParse_MalformedXml_DutchErrorWithFileAndLineExit1()
    {
        var (exit, output, error) = await RunAsync("bank", "parse", FixturePath("camt053-malformed.xml"));

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("camt053-malformed.xml", error, StringComparison.Ordinal);
        Assert.Contains("regel 11", error, StringComparison.Ordinal);
        Assert.StartsWith("Fout:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BankParse_Dtd_RefusedExit1()
    {
        var (exit, _, error) = await RunAsync("bank", "parse", FixturePath("camt053-dtd.xml"), "--json");

        Assert.Equal(1, exit);
        Assert.Contains("DTD", error, StringComparison.Ordinal);
        Assert.Contains("regel 2", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BankParse_BadJsonEvent_NamesFieldExit1()
    {
        var path = Path.Combine(Path.GetTempPath(), $"events-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """[{"id":"a","bookingDate":"2026-11-20","amount":1,"direction":"sideways"}]""", TestContext.Current.CancellationToken);
        try
        {
            var (exit, _, error) = await RunAsync("bank", "parse", path);

            Assert.Equal(1, exit);
            Assert.Contains("veld [0].direction", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task BankParse_NoFileArgument_UsageError()
    {
        var (exit, _, error) = await RunAsync("bank", "parse");

        Assert.Equal(HuurIncassoCommandLine.UsageError, exit);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public async Task Help_ListsBank()
    {
        var (exit, output, _) = await RunAsync("--help");

        Assert.Equal(0, exit);
        Assert.Contains("bank", output, StringComparison.Ordinal);
    }

    private static string FixturePath(string name) =>
        RepositoryRoot.Path("tests", "HuurIncasso.Integrations.Tests", "Fixtures", name);
}
