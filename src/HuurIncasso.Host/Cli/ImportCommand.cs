using System.CommandLine;
using Azure;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Host.Inputs;
using HuurIncasso.Host.Web;
using Microsoft.Extensions.Options;

namespace HuurIncasso.Host.Cli;

/// <summary>
/// <c>huurincasso import ledger FILE [--Storage:ConnectionString=...]</c>: imports the ERP's ledger
/// export like the monthly timer does. Rejected rows make the exit code 1, but the good rows are imported.
/// </summary>
internal static class ImportCommand
{
    /// <summary>Exit code when the file is missing, unreadable, or has rejected rows.</summary>
    public const int Rejected = 1;

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "Het grootboekbestand (CSV) uit het ERP." };
        var ledger = new Command("ledger", "Verwerk een grootboekbestand: contracten bijwerken, zaken openen en saldi bijwerken.");
        ledger.Arguments.Add(file);
        // Everything else goes to the host's configuration (e.g. --Storage:ConnectionString=..., --Storage:Prefix=x).
        ledger.TreatUnmatchedTokensAsErrors = false;
        ledger.SetAction((result, ct) => ImportLedgerAsync(
            result.GetValue(file)!, [.. result.UnmatchedTokens], result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, ct));

        var import = new Command("import", "Bestanden inlezen.");
        import.Subcommands.Add(ledger);
        return import;
    }

    public static async Task<int> ImportLedgerAsync(FileInfo file, string[] hostArgs, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!file.Exists)
        {
            await error.WriteLineAsync($"Fout: bestand '{file.FullName}' bestaat niet.").ConfigureAwait(false);
            return Rejected;
        }

        // The host's services without starting it: the same settings, storage and inbox as `serve`.
        await using var app = HuurIncassoWebHost.Build(hostArgs);
        LedgerImportResult result;
        try
        {
            await StorageProvisioner.EnsureCreatedAsync(app.Services.GetRequiredService<StorageClients>(), cancellationToken).ConfigureAwait(false);
            var importer = app.Services.GetRequiredService<LedgerImportService>();
            await using var stream = file.OpenRead();
            result = await importer.ImportAsync(stream, file.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (OptionsValidationException ex)
        {
            // Nothing was imported: the import needs the same settings as the host.
            await error.WriteLineAsync($"Fout in de instellingen; er is niets ingelezen. {string.Join(" ", ex.Failures)}").ConfigureAwait(false);
            return Rejected;
        }
        catch (Exception ex) when (ex is RequestFailedException or AggregateException { InnerException: RequestFailedException })
        {
            await error.WriteLineAsync($"De opslag antwoordt niet (Storage:ConnectionString of de endpoints); er is niets ingelezen. {ex.GetBaseException().Message}").ConfigureAwait(false);
            return Rejected;
        }

        if (result.AlreadyProcessed)
        {
            await output.WriteLineAsync($"Dit bestand is al verwerkt op {result.ImportedAt.ToLocalTime():dd-MM-yyyy HH:mm}. Er is niets veranderd.").ConfigureAwait(false);
            return 0;
        }

        if (!result.FileRejected)
        {
            await output.WriteLineAsync($"Bestand {result.FileName} verwerkt.").ConfigureAwait(false);
            await output.WriteLineAsync($"  Regels gelezen:      {result.Rows}").ConfigureAwait(false);
            await output.WriteLineAsync($"  Goedgekeurd:         {result.Accepted}").ConfigureAwait(false);
            await output.WriteLineAsync($"  Afgekeurd:           {result.Rejected}").ConfigureAwait(false);
            await output.WriteLineAsync($"  Zaken geopend:       {result.CasesOpened}").ConfigureAwait(false);
            await output.WriteLineAsync($"  Saldi bijgewerkt:    {result.CasesRestated}").ConfigureAwait(false);
            await output.WriteLineAsync($"  Vertrekkende huurders: {result.Departures}").ConfigureAwait(false);
            await output.WriteLineAsync($"  Opgeslagen als:      {result.RawBlob}").ConfigureAwait(false);
        }

        if (result.Errors.Count == 0)
        {
            return 0;
        }

        await error.WriteLineAsync(result.FileRejected
            ? "Het bestand kan niet worden gelezen:"
            : $"{result.Rejected} regels zijn afgekeurd (de goede regels zijn wel verwerkt). Afgekeurde regels staan in {result.RejectionBlob}:").ConfigureAwait(false);
        foreach (var e in result.Errors)
        {
            await error.WriteLineAsync(e.Column.Length == 0 ? $"  regel {e.Line}: {e.Message}" : $"  regel {e.Line}, kolom {e.Column}: {e.Message}").ConfigureAwait(false);
        }

        return Rejected;
    }
}
