using HuurIncasso.Bench;

// Figures a corporation can plan on. Printed and written as JSON, never asserted:
// these machines are shared and noisy, so each figure is the median of several runs.
// `--only ledger,engine` runs some groups; every group is one line in `Groups` below.
if (args is [CoreBench.ChildArgument, ..])
{
    return await CoreBench.ChildAsync();
}

var jsonPath = args.SkipWhile(a => a != "--json").Skip(1).FirstOrDefault() ?? Path.Combine("artifacts", "bench", "results.json");
var runs = int.TryParse(args.SkipWhile(a => a != "--runs").Skip(1).FirstOrDefault(), out var r) ? r : 5;
if (args.SkipWhile(a => a != "--ledger-rows").Skip(1).FirstOrDefault() is { } ledgerRows)
{
    // e.g. `--ledger-rows 10000` while iterating; default 10,000 and 50,000.
    LedgerBench.RowCounts = LedgerBench.ParseRowCounts(ledgerRows);
}

LedgerBench.AzuriteInMemory = args.Contains("--azurite-memory");
if (int.TryParse(args.SkipWhile(a => a != "--drain-processors").Skip(1).FirstOrDefault(), out var processors)) LedgerBench.DrainProcessors = processors;
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault()?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

var groups = new (string Name, Func<int, IEnumerable<BenchResult>> Run)[]
{
    ("ledger", LedgerBench.Run),
    ("core", CoreBench.Run),
    ("engine", EngineBench.Run),
    ("webhook", WebhookBench.Run),
};

var unknown = only?.Except(groups.Select(g => g.Name), StringComparer.OrdinalIgnoreCase).ToArray() ?? [];
if (unknown.Length > 0)
{
    Console.Error.WriteLine($"--only: unknown group(s) {string.Join(", ", unknown)}; known: {string.Join(", ", groups.Select(g => g.Name))}");
    return 2;
}

var results = new List<BenchResult>();
foreach (var group in groups.Where(g => only is null || only.Contains(g.Name, StringComparer.OrdinalIgnoreCase)))
{
    Console.Error.WriteLine($"bench: {group.Name} …");
    results.AddRange(group.Run(runs));
}

BenchReport.Print(results, Console.Out);
BenchReport.WriteJson(results, jsonPath);
Console.WriteLine($"\nJSON: {Path.GetFullPath(jsonPath)}");
return 0;
