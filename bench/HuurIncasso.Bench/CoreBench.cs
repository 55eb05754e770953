using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Host.Cli;
using HuurIncasso.Host.Simulation;
using HuurIncasso.Testing;

namespace HuurIncasso.Bench;

/// <summary>
/// The pure core's decisions per second on one core, and the whole simulation of issue #9
/// (50,000 contracts for 12 months): seconds and peak memory, each run in a fresh process so
/// that its peak is its own.
/// </summary>
public static class CoreBench
{
    /// <summary>The argument that makes this executable one simulation run for <see cref="Run"/>.</summary>
    public const string ChildArgument = "--simulate-child";

    private const int Contracts = 50_000;
    private const int Months = 12;
    private const int Seed = 1;

    private static CollectionPolicy Policy => PolicyCatalog.LoadFiles([RepositoryRoot.Path("policy", "default.yaml")]).Versions[0];

    public static IEnumerable<BenchResult> Run(int runs)
    {
        foreach (var result in Decisions(runs))
        {
            yield return result;
        }

        // A run takes seconds: three are enough for a median and keep the group within minutes.
        var simulations = Enumerable.Range(0, Math.Clamp(runs, 1, 3)).Select(_ => SimulateInChild()).ToList();
        var name = $"simulate {Contracts:N0} x {Months} months";
        var note = $"seed {Seed}, policy/default.yaml, {simulations[0].Messages:N0} messages handled";
        yield return BenchReport.From($"{name}, wall", "s", [.. simulations.Select(s => s.Seconds)], note);
        yield return BenchReport.From($"{name}, CPU", "s", [.. simulations.Select(s => s.CpuSeconds)]);
        yield return BenchReport.From($"{name}, peak working set", "MiB", [.. simulations.Select(s => s.PeakWorkingSetMiB)]);
        yield return BenchReport.From($"{name}, peak GC heap", "MiB", [.. simulations.Select(s => s.PeakHeapMiB)]);
        yield return BenchReport.From($"{name}, GC pauses", "s", [.. simulations.Select(s => s.GcPauseSeconds)]);
    }

    /// <summary>One simulation in this process; prints its figures as one JSON line for the parent.</summary>
    public static async Task<int> ChildAsync()
    {
        var policy = Policy;
        var settings = new SimulationSettings(Contracts, Months, Seed, PortfolioSimulation.StartFor(policy));
        long peakHeap = 0;
        using var sampler = new Timer(_ => InterlockedMax(ref peakHeap, GC.GetTotalMemory(false)), null, 0, 50);
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var pauses = GC.GetTotalPauseDuration();
        var stopwatch = Stopwatch.StartNew();
        var result = await SimulateCommand.InBatchGcMode(() => PortfolioSimulation.RunAsync(policy, settings)).ConfigureAwait(false);
        stopwatch.Stop();
        InterlockedMax(ref peakHeap, GC.GetTotalMemory(false));
        process.Refresh();
        if (result.Total.HandoversWithoutVisit != 0 || result.Total.EscalationsAfterPayment != 0)
        {
            await Console.Error.WriteLineAsync("the simulation broke its invariants (handover without visit, or escalation after payment)").ConfigureAwait(false);
            return 3;
        }

        var figures = new ChildFigures(
            stopwatch.Elapsed.TotalSeconds,
            (process.TotalProcessorTime - cpu).TotalSeconds,
            process.PeakWorkingSet64 / (1024.0 * 1024.0),
            Interlocked.Read(ref peakHeap) / (1024.0 * 1024.0),
            (GC.GetTotalPauseDuration() - pauses).TotalSeconds,
            result.MessagesHandled);
        Console.WriteLine(JsonSerializer.Serialize(figures));
        return 0;
    }

    /// <summary>
    /// Decide and Apply on what a simulation really asks of the core: every decision's input of a
    /// 3,000-contract year is recorded once, then replayed against the same states.
    /// </summary>
    private static IEnumerable<BenchResult> Decisions(int runs)
    {
        var policy = Policy;
        var recorded = new List<(CaseState State, CaseMessage Message, DateTimeOffset Now)>();
        PortfolioSimulation.RunAsync(policy, new SimulationSettings(3_000, Months, Seed, PortfolioSimulation.StartFor(policy)), (s, m, n) => recorded.Add((s, m, n)))
            .GetAwaiter().GetResult();

        var events = Replay(recorded, policy);
        var rates = new List<double>();
        var cpuRates = new List<double>();
        using var process = Process.GetCurrentProcess();
        for (var i = 0; i < runs; i++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var stopwatch = Stopwatch.StartNew();
            var again = Replay(recorded, policy);
            stopwatch.Stop();
            process.Refresh();
            if (again != events)
            {
                throw new InvalidOperationException($"the replay decided {again} events, the first one {events}");
            }

            rates.Add(recorded.Count / stopwatch.Elapsed.TotalSeconds);
            cpuRates.Add(recorded.Count / (process.TotalProcessorTime - cpu).TotalSeconds);
        }

        var kinds = recorded.GroupBy(r => r.Message.GetType().Name).OrderByDescending(g => g.Count()).Take(4)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {100.0 * g.Count() / recorded.Count:0}%"));
        yield return BenchReport.From("core Decide+Apply, one thread", "decisions/s", rates,
            $"{recorded.Count:N0} recorded decisions ({string.Join(", ", kinds)}, …), {events:N0} events");

        // On a shared machine the wall clock counts other processes' turns too; CPU time does not (GC included).
        yield return BenchReport.From("core Decide+Apply, per CPU second", "decisions/s", cpuRates);
    }

    private static int Replay(List<(CaseState State, CaseMessage Message, DateTimeOffset Now)> recorded, CollectionPolicy policy)
    {
        var events = 0;
        foreach (var (state, message, now) in recorded)
        {
            var after = state;
            foreach (var @event in CaseCore.Decide(state, message, now, policy))
            {
                after = CaseCore.Apply(after, @event);
                events++;
            }
        }

        return events;
    }

    private static ChildFigures SimulateInChild()
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path to start the simulation from.");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(CoreBench).Assembly.Location);
        }

        start.ArgumentList.Add(ChildArgument);
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {self}.");
        var output = child.StandardOutput.ReadToEndAsync();
        var error = child.StandardError.ReadToEndAsync();
        child.WaitForExit();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"The simulation run exited with {child.ExitCode}: {error.Result}");
        }

        return JsonSerializer.Deserialize<ChildFigures>(output.Result.Trim().Split('\n')[^1])
            ?? throw new InvalidOperationException($"The simulation run printed no figures: {output.Result}");
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private sealed record ChildFigures(double Seconds, double CpuSeconds, double PeakWorkingSetMiB, double PeakHeapMiB, double GcPauseSeconds, long Messages);
}
