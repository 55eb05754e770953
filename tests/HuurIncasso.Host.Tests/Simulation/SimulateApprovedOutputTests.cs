using System.Text.Json;
using HuurIncasso.Testing;
using static HuurIncasso.Host.Tests.CommandLineRunner;

namespace HuurIncasso.Host.Tests.Simulation;

/// <summary>
/// Pins the figures of small simulations to files approved before the simulation was made
/// faster: a speed-up of the engine, the synthetic facts or the figures must not change one
/// number. A deliberate change of the simulation's model means approving new files (the test
/// writes what it got next to the approved file as <c>*.received.json</c>).
/// </summary>
public sealed class SimulateApprovedOutputTests
{
    private static readonly string DefaultPolicy = RepositoryRoot.Path("policy", "default.yaml");
    private static readonly string FastPolicy = RepositoryRoot.Path("policy", "examples", "fast-handover.yaml");

    [Fact]
    public async Task Simulate_500ContractsTwelveMonthsSeed7_SameFiguresAsApproved()
    {
        var (exit, output, error) = await RunAsync("simulate", "--contracts", "500", "--months", "12", "--seed", "7", "--policy", DefaultPolicy, "--json");

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        AssertApproved("default-500x12-seed7.json", output);
        AssertInvariantsHold(JsonDocument.Parse(output).RootElement);
    }

    [Fact]
    // 15 months: across a new year, so the standing orders' lag after the next July increase
    // and a second year of payment history are in the pinned figures too.
    public async Task Simulate_Compare800ContractsFifteenMonthsSeed11_SameFiguresAsApproved()
    {
        var (exit, output, error) = await RunAsync("simulate", "--contracts", "800", "--months", "15", "--seed", "11", "--compare", DefaultPolicy, FastPolicy, "--json");

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        AssertApproved("compare-800x15-seed11.json", output);
        using var json = JsonDocument.Parse(output);
        AssertInvariantsHold(json.RootElement.GetProperty("a"));
        AssertInvariantsHold(json.RootElement.GetProperty("b"));
    }

    private static void AssertApproved(string name, string output)
    {
        var approvedPath = RepositoryRoot.Path("tests", "HuurIncasso.Host.Tests", "Simulation", "Approved", name);
        var approved = File.ReadAllText(approvedPath).ReplaceLineEndings("\n");
        var received = output.ReplaceLineEndings("\n");
        if (approved != received)
        {
            File.WriteAllText(Path.ChangeExtension(approvedPath, ".received.json"), received);
        }

        Assert.Equal(approved, received);
    }

    private static void AssertInvariantsHold(JsonElement figures)
    {
        // The approved figures must have run the ladder to its end, or they pin little.
        Assert.True(figures.GetProperty("handovers").GetInt32() > 0);
        Assert.Equal(0, figures.GetProperty("handoversWithoutVisit").GetInt32());
        Assert.Equal(0, figures.GetProperty("escalationsAfterPayment").GetInt32());
        foreach (var month in figures.GetProperty("perMonth").EnumerateArray())
        {
            Assert.Equal(0, month.GetProperty("handoversWithoutVisit").GetInt32() + month.GetProperty("escalationsAfterPayment").GetInt32());
        }
    }
}
