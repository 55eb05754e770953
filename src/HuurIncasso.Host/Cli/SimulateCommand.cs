using System.CommandLine;
using System.Globalization;
using System.Runtime;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Host.Cases;
using HuurIncasso.Host.Simulation;

namespace HuurIncasso.Host.Cli;

/// <summary>
/// <c>huurincasso simulate --contracts N --months M --seed S [--policy F] [--compare F1 F2] [--json]</c>:
/// runs a synthetic portfolio through the arrears cases and prints the policy's figures.
/// </summary>
internal static class SimulateCommand
{
    /// <summary>Exit code when a policy file cannot be used.</summary>
    public const int PolicyErrors = 1;

    /// <summary>Exit code when an independent check failed: a handover without a visit or a step after payment.</summary>
    public const int ChecksFailed = 3;

    public static Command Create()
    {
        var contracts = new Option<int>("--contracts") { Description = "Aantal huurcontracten in de proefportefeuille.", DefaultValueFactory = _ => 1000 };
        var months = new Option<int>("--months") { Description = "Aantal maanden (1 tot en met 120).", DefaultValueFactory = _ => 12 };
        var seed = new Option<int>("--seed") { Description = "Startgetal: dezelfde seed geeft dezelfde portefeuille en dezelfde uitkomst.", DefaultValueFactory = _ => 1 };
        var policy = new Option<FileInfo?>("--policy") { Description = "Beleidsbestand (YAML). Zonder: het nieuwste geldende beleid uit de map policy naast het programma." };
        var compare = new Option<FileInfo[]>("--compare")
        {
            Description = "Vergelijk twee beleidsbestanden op dezelfde portefeuille.",
            Arity = new ArgumentArity(2, 2),
            AllowMultipleArgumentsPerToken = true,
        };
        var json = new Option<bool>("--json") { Description = "Schrijf de cijfers als JSON." };
        var command = new Command("simulate", "Simuleer een proefportefeuille met het incassobeleid en toon de cijfers per maand.")
        {
            contracts,
            months,
            seed,
            policy,
            compare,
            json,
        };
        command.SetAction((parse, ct) => RunAsync(
            new Request(parse.GetValue(contracts), parse.GetValue(months), parse.GetValue(seed), parse.GetValue(policy), parse.GetValue(compare), parse.GetValue(json)),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            ct));
        return command;
    }

    internal sealed record Request(int Contracts, int Months, int Seed, FileInfo? Policy, FileInfo[]? Compare, bool Json);

    public static async Task<int> RunAsync(Request request, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (request.Contracts is < 1 or > 1_000_000)
        {
            await error.WriteLineAsync($"--contracts {request.Contracts}: kies een aantal van 1 tot en met 1.000.000.").ConfigureAwait(false);
            return HuurIncassoCommandLine.UsageError;
        }

        if (request.Months is < 1 or > 120)
        {
            await error.WriteLineAsync($"--months {request.Months}: kies een aantal van 1 tot en met 120.").ConfigureAwait(false);
            return HuurIncassoCommandLine.UsageError;
        }

        if (request.Policy is not null && request.Compare is { Length: > 0 })
        {
            await error.WriteLineAsync("Gebruik --policy of --compare, niet allebei.").ConfigureAwait(false);
            return HuurIncassoCommandLine.UsageError;
        }

        CollectionPolicy[] policies;
        try
        {
            policies = request.Compare is { Length: > 0 } files
                ? [.. files.Select(f => Single(f))]
                : [request.Policy is { } file ? Single(file) : PolicyCatalog.Load(PolicyCatalog.DefaultFolder).ForNewCases(DateOnly.FromDateTime(DateTime.UtcNow))];
        }
        catch (PolicyCatalogException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return PolicyErrors;
        }

        var start = PortfolioSimulation.StartFor(policies);
        var settings = new SimulationSettings(request.Contracts, request.Months, request.Seed, start);
        var results = await InBatchGcMode(async () =>
        {
            var each = new List<SimulationResult>();
            foreach (var p in policies)
            {
                each.Add(await PortfolioSimulation.RunAsync(p, settings, cancellationToken).ConfigureAwait(false));
            }

            return each;
        }).ConfigureAwait(false);

        var text = (results.Count, request.Json) switch
        {
            (2, true) => SimulationReport.CompareJson(results[0], results[1]),
            (2, false) => SimulationReport.CompareText(results[0], results[1]),
            (_, true) => SimulationReport.Json(results[0]),
            _ => SimulationReport.Text(results[0]),
        };
        await output.WriteLineAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
        if (!request.Json)
        {
            var seconds = results.Sum(r => r.Elapsed.TotalSeconds);
            await output.WriteLineAsync(string.Create(CultureInfo.GetCultureInfo("nl-NL"), $"Rekentijd: {seconds:0.0} s.")).ConfigureAwait(false);
        }

        var failed = results.Any(r => r.Total.HandoversWithoutVisit > 0 || r.Total.EscalationsAfterPayment > 0);
        return failed ? ChecksFailed : 0;
    }

    private static CollectionPolicy Single(FileInfo file) => PolicyCatalog.LoadFiles([file.FullName]).Versions[0];

    /// <summary>
    /// Runs <paramref name="work"/> with the GC in batch mode. A run of the command line waits for
    /// nobody, so it wants throughput, not short pauses: background collections cost CPU on a busy
    /// machine and here buy nothing. The bench runs its simulations the same way.
    /// </summary>
    internal static async Task<T> InBatchGcMode<T>(Func<Task<T>> work)
    {
        var latency = GCSettings.LatencyMode;
        GCSettings.LatencyMode = GCLatencyMode.Batch;
        try
        {
            return await work().ConfigureAwait(false);
        }
        finally
        {
            GCSettings.LatencyMode = latency;
        }
    }
}
