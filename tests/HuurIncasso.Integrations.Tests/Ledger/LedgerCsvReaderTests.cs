using System.Text;
using HuurIncasso.Integrations.Ledger;
using HuurIncasso.Testing;

namespace HuurIncasso.Integrations.Tests.Ledger;

public sealed class LedgerCsvReaderTests
{
    private const string Header = "contractnummer;huurder;adres;ingangsdatum;objecttype;huur;saldo;automatische_incasso;machtigingskenmerk";

    private static List<LedgerRecord> Read(string content, string fileName = "ledger.csv", Encoding? encoding = null)
    {
        var bytes = (encoding ?? new UTF8Encoding(false)).GetBytes(content);
        if (encoding is UTF8Encoding utf8 && utf8.GetPreamble().Length > 0) bytes = [.. utf8.GetPreamble(), .. bytes];
        using var reader = LedgerCsvReader.Open(new MemoryStream(bytes), fileName);
        return reader.ReadRecords().ToList();
    }

    [Fact]
    public void ReadRecords_DocumentedExample_ReadsEveryRowWithItsFacts()
    {
        using var stream = File.OpenRead(RepositoryRoot.Path("samples", "ledger-example.csv"));
        using var reader = LedgerCsvReader.Open(stream, "ledger-example.csv");
        var records = reader.ReadRecords().ToList();

        Assert.All(records, r => Assert.True(r.IsValid, string.Join("; ", r.Errors)));
        Assert.Equal(5, records.Count);
        var yilmaz = records[1].Row!;
        Assert.Equal("100235", yilmaz.ContractId);
        Assert.Equal(["A. Yilmaz", "B. Yilmaz"], yilmaz.TenantNames);
        Assert.Equal(689.10m, yilmaz.MonthlyRent);
        Assert.Equal(1378.20m, yilmaz.BalanceDue);
        Assert.Equal(new LedgerAgeing(689.10m, 689.10m, 0, 0), yilmaz.Ageing);
        Assert.Equal(new DateOnly(1975, 11, 2), yilmaz.DateOfBirth);
        Assert.False(yilmaz.DirectDebit);
        Assert.Equal("5000056789012345", yilmaz.PaymentReference);
        Assert.Equal(3, yilmaz.Line);
        Assert.Equal(LedgerPropertyType.Commercial, records[3].Row!.PropertyType);
        Assert.Equal(new DateOnly(2026, 8, 31), records[4].Row!.ContractEnd);
        Assert.Equal(["NL91ABNA0417164300"], records[0].Row!.Ibans);
    }

    [Fact]
    public void ReadRecords_CommaSeparatedWithQuotedDecimalCommaAndBom_ReadsAmounts()
    {
        // Excel in a Dutch locale writes ';', but ERPs often write ',' and then must quote decimal commas.
        var content = "contractnummer,huurder,adres,ingangsdatum,objecttype,huur,saldo,automatische_incasso,machtigingskenmerk\n" +
                      "1,\"Vries, J. de\",Laan 1,2020-01-01,woning,\"712,45\",\"1.424,90\",nee,\n";
        var records = Read(content, encoding: new UTF8Encoding(true));

        var row = Assert.Single(records).Row!;
        Assert.Equal("Vries, J. de", row.TenantNames[0]);
        Assert.Equal(712.45m, row.MonthlyRent);
        Assert.Equal(1424.90m, row.BalanceDue);
    }

    [Fact]
    public void ReadRecords_BadFields_NameLineAndColumnAndKeepGoodRows()
    {
        var content = Header + "\n" +
                      "1;A;Laan 1;01-01-2020;woning;700,00;0;nee;\n" +
                      "2;B;Laan 2;31-02-2020;woning;zeven;0;nee;\n" +
                      "3;C;Laan 3;01-01-2020;garage;700,00;0;ja;\n" +
                      "4;D;Laan 4;01-01-2020;woning;700,00;700,00;nee;\n";

        var records = Read(content);

        Assert.Equal(4, records.Count);
        Assert.True(records[0].IsValid);
        Assert.True(records[3].IsValid);
        var bad = records[1].Errors;
        Assert.Contains(bad, e => e.Line == 3 && e.Column == "ingangsdatum" && e.Message.Contains("'31-02-2020' is geen datum", StringComparison.Ordinal));
        Assert.Contains(bad, e => e.Line == 3 && e.Column == "huur" && e.Message.Contains("'zeven' is geen bedrag", StringComparison.Ordinal));
        var bad2 = records[2].Errors;
        Assert.Contains(bad2, e => e.Line == 4 && e.Column == "objecttype");
        Assert.Contains(bad2, e => e.Line == 4 && e.Column == "machtigingskenmerk"); // direct debit without a mandate
        Assert.Equal("3;C;Laan 3;01-01-2020;garage;700,00;0;ja;", bad2[0].RawRecord);
        Assert.Equal("regel 3, kolom huur: 'zeven' is geen bedrag", bad.Single(e => e.Column == "huur").ToString());
    }

    [Fact]
    public void ReadRecords_AgeingThatDoesNotAddUp_IsAnError()
    {
        var content = "contractnummer;huurder;adres;ingangsdatum;objecttype;huur;saldo;openstaand_0_30;openstaand_31_60;automatische_incasso\n" +
                      "1;A;Laan 1;01-01-2020;woning;700;1400;700;600;nee\n";

        var error = Assert.Single(Assert.Single(Read(content)).Errors);

        Assert.Equal("openstaand_0_30", error.Column);
        Assert.Contains("€ 1.300,00", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_MissingRequiredColumn_ThrowsWithFileLineAndColumn()
    {
        var content = "contractnummer;huurder;adres;ingangsdatum;objecttype;saldo;automatische_incasso\n1;A;Laan 1;01-01-2020;woning;0;nee\n";

        var ex = Assert.Throws<LedgerFormatException>(() => Read(content, "november.csv"));

        Assert.Equal("november.csv", ex.FileName);
        Assert.Equal(1, ex.Line);
        Assert.Equal("huur", ex.Column);
        Assert.StartsWith("november.csv, regel 1, kolom huur: verplichte kolom ontbreekt", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_EmptyFile_ThrowsLedgerFormatException()
    {
        Assert.Throws<LedgerFormatException>(() => Read(""));
    }

    [Fact]
    public void RejectionFile_FixedAndSentAgain_ImportsTheFixedRows()
    {
        // What was rejected can be sent again: the rejection file is itself a valid import once fixed.
        var content = Header + "\n1;A;Laan 1;01-01-2020;woning;700;0;nee;\n2;B;Laan 2;01-01-2020;woning;zeven;0;nee;\n";
        using var reader = LedgerCsvReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(content)), "ledger.csv");
        var records = reader.ReadRecords().ToList();
        var rejectionBytes = LedgerRejectionFile.ToBytes(reader.Header, reader.Separator, records.Where(r => !r.IsValid));
        var rejection = Encoding.UTF8.GetString(rejectionBytes).TrimStart('\uFEFF');

        Assert.Equal(Header + ";fout\n2;B;Laan 2;01-01-2020;woning;zeven;0;nee;;regel 3, kolom huur: 'zeven' is geen bedrag\n", rejection);

        var fixedFile = rejection.Replace("zeven", "700", StringComparison.Ordinal);
        var again = Read(fixedFile);
        var row = Assert.Single(again).Row;
        Assert.NotNull(row);
        Assert.Equal("2", row.ContractId);

        // A second rejection of the same row replaces its old error rather than stacking columns.
        // (sent again unfixed, the row now stands on line 2 of the rejection file).
        using var reader2 = LedgerCsvReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(rejection)), "fout.csv");
        var records2 = reader2.ReadRecords().ToList();
        var rejection2 = Encoding.UTF8.GetString(LedgerRejectionFile.ToBytes(reader2.Header, reader2.Separator, records2)).TrimStart('\uFEFF');
        Assert.Equal(Header + ";fout\n2;B;Laan 2;01-01-2020;woning;zeven;0;nee;;regel 2, kolom huur: 'zeven' is geen bedrag\n", rejection2);
    }

    [Fact]
    public void UnknownColumns_AreListedAndIgnored()
    {
        var content = Header + ";complex\n1;A;Laan 1;01-01-2020;woning;700;0;nee;;C12\n";
        using var reader = LedgerCsvReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(content)), "ledger.csv");

        Assert.Equal(["complex"], reader.UnknownColumns);
        Assert.True(Assert.Single(reader.ReadRecords()).IsValid);
    }

    [Fact]
    public void ReadRecords_ManyRows_Streams()
    {
        var builder = new StringBuilder(Header).Append('\n');
        for (var i = 0; i < 20_000; i++) builder.Append(i).Append(";T;Laan;01-01-2020;woning;700,00;0,00;nee;\n");

        var records = Read(builder.ToString());

        Assert.Equal(20_000, records.Count);
        Assert.Equal(20_001, records[^1].Row!.Line);
    }
}
