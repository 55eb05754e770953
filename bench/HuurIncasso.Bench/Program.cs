using HuurIncasso.Bench;

// Figures a corporation can plan on. Printed and written as JSON, never asserted:
// these machines are shared and noisy, so each figure is the median of several runs.
var jsonPath = args.SkipWhile(a => a != "--json").Skip(1).FirstOrDefault() ?? Path.Combine("artifacts", "bench", "results.json");
var runs = int.TryParse(args.SkipWhile(a => a != "--runs").Skip(1).FirstOrDefault(), out var r) ? r : 5;

var results = new List<BenchResult>();
results.AddRange(LedgerBench.Run(runs));

BenchReport.Print(results, Console.Out);
BenchReport.WriteJson(results, jsonPath);
Console.WriteLine($"\nJSON: {Path.GetFullPath(jsonPath)}");
