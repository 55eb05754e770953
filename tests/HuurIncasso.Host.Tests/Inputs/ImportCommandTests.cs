using HuurIncasso.Testing;
using static HuurIncasso.Host.Tests.CommandLineRunner;

namespace HuurIncasso.Host.Tests.Inputs;

public sealed class ImportCommandTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ImportLedger_FileWithARejectedRow_ImportsTheRestExitsOneAndNamesLineAndColumn()
    {
        var ct = TestContext.Current.CancellationToken;
        var file = Path.Combine(Path.GetTempPath(), $"grootboek-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, InputsFixtures.Ledger, ct);
        var prefix = AzuriteFixture.UniquePrefix();
        try
        {
            var (exit, output, error) = await RunAsync(["import", "ledger", file, $"--Storage:ConnectionString={azurite.ConnectionString}", $"--Storage:Prefix={prefix}", .. RunningHost.DemoCorporation]);

            Assert.Equal(1, exit);
            Assert.Contains("Goedgekeurd:         4", output, StringComparison.Ordinal);
            Assert.Contains("Zaken geopend:       3", output, StringComparison.Ordinal);
            Assert.Contains("de goede regels zijn wel verwerkt", error, StringComparison.Ordinal);
            Assert.Contains("regel 6, kolom huur", error, StringComparison.Ordinal);

            // The same file again: recognised, nothing changes, nothing to fix.
            var (againExit, againOutput, _) = await RunAsync(["import", "ledger", file, $"--Storage:ConnectionString={azurite.ConnectionString}", $"--Storage:Prefix={prefix}", .. RunningHost.DemoCorporation]);
            Assert.Equal(0, againExit);
            Assert.Contains("al verwerkt", againOutput, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ImportLedger_MissingFile_ExitsOneWithTheName()
    {
        var (exit, _, error) = await RunAsync("import", "ledger", "/nonexistent/grootboek.csv");

        Assert.Equal(1, exit);
        Assert.Contains("grootboek.csv", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportLedger_WithoutTheCorporationSettings_SaysWhichSettingAndImportsNothing()
    {
        // The import runs the host's own services, so it needs the host's settings; a missing one is named, not thrown.
        var file = RepositoryRoot.Path("samples", "ledger-example.csv");

        var (exit, output, error) = await RunAsync("import", "ledger", file, $"--Storage:ConnectionString={azurite.ConnectionString}", $"--Storage:Prefix={AzuriteFixture.UniquePrefix()}");

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.StartsWith("Fout in de instellingen; er is niets ingelezen.", error, StringComparison.Ordinal);
        Assert.Contains("Documents:PdfSharpLicense", error, StringComparison.Ordinal);
    }
}
