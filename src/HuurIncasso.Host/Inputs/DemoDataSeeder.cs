using HuurIncasso.Host.Storage;

namespace HuurIncasso.Host.Inputs;

/// <summary>
/// On a developer's machine (<c>Demo:SeedWhenEmpty</c>), imports the documented example
/// ledger once when storage holds no contracts yet, through the same import as production,
/// so the worklist, case pages and letters have something to show. The import is idempotent
/// by the file's hash, so a restart never doubles anything.
/// </summary>
internal sealed partial class DemoDataSeeder(
    StorageReadiness readiness, ContractRegister register, LedgerImportService importer, ILogger<DemoDataSeeder> logger) : BackgroundService
{
    public static string DemoLedger => Path.Combine(AppContext.BaseDirectory, "samples", "ledger-example.csv");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.WhenReadyAsync(stoppingToken).ConfigureAwait(false);
        if ((await register.ListAsync(stoppingToken).ConfigureAwait(false)).Count > 0)
        {
            return;
        }

        await using var stream = File.OpenRead(DemoLedger);
        var result = await importer.ImportAsync(stream, "demo-grootboek.csv", stoppingToken).ConfigureAwait(false);
        LogSeeded(logger, result.Accepted, result.CasesOpened);
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Storage was empty: imported the demo ledger ({Rows} contracts, {Cases} cases opened).")]
    private static partial void LogSeeded(ILogger logger, int rows, int cases);
}
