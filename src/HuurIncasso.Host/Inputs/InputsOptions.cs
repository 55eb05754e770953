using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace HuurIncasso.Host.Inputs;

/// <summary>Bank feed settings (<c>Bank</c> section).</summary>
public sealed class BankOptions
{
    /// <summary>One or two Standard Webhooks secrets (current, previous). Without any, the webhook refuses every delivery.</summary>
    public List<string> WebhookSecrets { get; set; } = [];

    /// <summary>The largest body the webhook accepts; larger gets 413. Default 5 MB.</summary>
    [Range(1, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 5 * 1024 * 1024;
}

internal sealed class BankOptionsValidator : IValidateOptions<BankOptions>
{
    public ValidateOptionsResult Validate(string? name, BankOptions options)
    {
        if (options.WebhookSecrets.Count > 2)
        {
            return ValidateOptionsResult.Fail($"Bank:WebhookSecrets: give one or two secrets (current and previous), not {options.WebhookSecrets.Count}.");
        }

        try
        {
            if (options.WebhookSecrets.Count > 0) _ = new Integrations.Banking.WebhookSignature(options.WebhookSecrets);
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"Bank:WebhookSecrets: {ex.Message}");
        }

        return ValidateOptionsResult.Success;
    }
}

internal sealed class LedgerOptionsValidator : IValidateOptions<LedgerOptions>
{
    public ValidateOptionsResult Validate(string? name, LedgerOptions options)
    {
        var problems = new List<string>();
        if (options.OpeningThreshold < 0m) problems.Add("Ledger:OpeningThreshold may not be negative.");
        if (options.Parallelism is < 1 or > 256) problems.Add("Ledger:Parallelism must be between 1 and 256.");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>
/// The monthly ledger run (scheduled job <c>monthly-ledger</c>, <c>Ledger:Schedule</c>): imports
/// the newest file in the imports container's <c>incoming/</c> folder. Importing a file twice
/// changes nothing, so a run after a crash or by hand is safe.
/// </summary>
internal sealed class MonthlyLedgerJob(LedgerImportService importer) : Scheduling.IScheduledJob
{
    public const string Name = "monthly-ledger";

    public async Task<string> RunAsync(DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        var result = await importer.ImportNewestIncomingAsync(cancellationToken).ConfigureAwait(false);
        return result switch
        {
            null => "no ledger file in incoming/",
            { AlreadyProcessed: true } => $"{result.FileName} was processed before; nothing changed",
            _ => $"{result.FileName}: {result.Accepted} of {result.Rows} rows accepted, {result.CasesOpened} cases opened",
        };
    }
}
