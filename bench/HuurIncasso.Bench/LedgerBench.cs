using System.Text;
using HuurIncasso.Integrations.Ledger;

namespace HuurIncasso.Bench;

/// <summary>Reading the ERP's debtor export: the first half of monthly processing.</summary>
public static class LedgerBench
{
    public static IEnumerable<BenchResult> Run(int runs)
    {
        foreach (var rows in new[] { 10_000, 50_000 })
        {
            var file = MakeFile(rows);
            var rates = new List<double>();
            var seconds = new List<double>();
            var heap = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var valid = 0;
                var (s, mib) = BenchReport.Measure(() =>
                {
                    using var reader = LedgerCsvReader.Open(new MemoryStream(file), "bench.csv");
                    foreach (var record in reader.ReadRecords())
                    {
                        if (record.IsValid) valid++;
                    }
                });
                if (valid != rows) throw new InvalidOperationException($"expected {rows} valid rows, read {valid}");
                seconds.Add(s);
                heap.Add(mib);
                rates.Add(rows / s);
            }

            yield return BenchReport.From($"ledger read, {rows:N0} rows", "s", seconds, $"{file.Length / 1024.0 / 1024.0:0.0} MiB file");
            yield return BenchReport.From($"ledger read, {rows:N0} rows", "rows/s", rates);
            yield return BenchReport.From($"ledger read, {rows:N0} rows, heap growth", "MiB", heap);
        }
    }

    private static byte[] MakeFile(int rows)
    {
        var builder = new StringBuilder("contractnummer;huurder;adres;postcode;woonplaats;email;geboortedatum;ingangsdatum;objecttype;huur;saldo;openstaand_0_30;openstaand_31_60;automatische_incasso;machtigingskenmerk;iban\n");
        var random = new Random(42);
        for (var i = 0; i < rows; i++)
        {
            var rent = 450 + random.Next(0, 45000) / 100m;
            var months = random.Next(0, 100) < 5 ? random.Next(1, 3) : 0;
            var balance = rent * months;
            var due0 = months > 0 ? rent : 0;
            var directDebit = random.Next(0, 100) < 75;
            builder.Append(Dutch($"{100000 + i};Huurder {i};Straat {i % 300};3532 AB;Utrecht;h{i}@example.nl;01-01-1980;01-01-2015;woning;{rent:0.00};{balance:0.00};{due0:0.00};{balance - due0:0.00};{(directDebit ? "ja" : "nee")};{(directDebit ? $"MND-{i}" : "")};NL91ABNA0417164300\n"));
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    // Amounts with a decimal comma, as a Dutch ERP writes them.
    private static string Dutch(FormattableString s) => s.ToString(System.Globalization.CultureInfo.GetCultureInfo("nl-NL"));
}
