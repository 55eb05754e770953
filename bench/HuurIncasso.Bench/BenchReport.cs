using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace HuurIncasso.Bench;

/// <summary>One measured figure: the median of <see cref="Samples"/> and what it is per unit.</summary>
public sealed record BenchResult(string Name, string Unit, double Median, double Min, double Max, int Samples, string? Note = null);

public static class BenchReport
{
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static BenchResult From(string name, string unit, IReadOnlyList<double> samples, string? note = null) =>
        new(name, unit, Median(samples), samples.Min(), samples.Max(), samples.Count, note);

    public static string Machine =>
        $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.FrameworkDescription}, " +
        $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024 * 1024.0):0.#} GiB";

    public static void Print(IReadOnlyList<BenchResult> results, TextWriter output)
    {
        output.WriteLine($"machine: {Machine}");
        output.WriteLine();
        output.WriteLine($"| {"figure",-48} | {"median",12} | {"min",12} | {"max",12} | {"unit",-10} | runs |");
        output.WriteLine($"|{new string('-', 50)}|{new string('-', 14)}|{new string('-', 14)}|{new string('-', 14)}|{new string('-', 12)}|------|");
        foreach (var r in results)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Name,-48} | {r.Median,12:0.###} | {r.Min,12:0.###} | {r.Max,12:0.###} | {r.Unit,-10} | {r.Samples,4} |"));
            if (r.Note is not null) output.WriteLine($"|   {r.Note}");
        }
    }

    public static void WriteJson(IReadOnlyList<BenchResult> results, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var doc = new { machine = Machine, measuredAt = DateTimeOffset.UtcNow, results };
        File.WriteAllText(path, JsonSerializer.Serialize(doc, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
    }

    /// <summary>Runs <paramref name="action"/> and returns the elapsed seconds and the peak managed heap growth in MiB.</summary>
    public static (double Seconds, double PeakMiB) Measure(Action action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        var stopwatch = Stopwatch.StartNew();
        action();
        stopwatch.Stop();
        var peak = Math.Max(0, GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes - before);
        return (stopwatch.Elapsed.TotalSeconds, peak / (1024.0 * 1024.0));
    }
}
