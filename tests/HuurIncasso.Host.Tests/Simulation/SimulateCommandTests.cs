using System.Text.Json;
using HuurIncasso.Host.Cli;
using HuurIncasso.Testing;
using static HuurIncasso.Host.Tests.CommandLineRunner;

namespace HuurIncasso.Host.Tests.Simulation;

public sealed class SimulateCommandTests
{
    private static readonly string DefaultPolicy = RepositoryRoot.Path("policy", "default.yaml");
    private static readonly string FastPolicy = RepositoryRoot.Path("policy", "examples", "fast-handover.yaml");

    [Fact]
    public async Task Simulate_Json_HasTheFiguresTheBenchmarkReads()
    {
        var (exit, output, error) = await RunAsync("simulate", "--contracts", "200", "--months", "3", "--seed", "5", "--policy", DefaultPolicy, "--json");

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        foreach (var name in new[] { "casesOpened", "casesClosedPaid", "handovers", "handoversWithoutVisit", "escalationsAfterPayment", "arrangementsAgreed", "arrangementsBroken", "earlySignals", "tenantsInArrears", "arrearsPercent", "averageArrears" })
        {
            Assert.True(root.TryGetProperty(name, out var value), name);
            Assert.Equal(JsonValueKind.Number, value.ValueKind);
        }

        Assert.Equal("2026.1", root.GetProperty("policy").GetString());
        Assert.Equal(200, root.GetProperty("contracts").GetInt32());
        Assert.Equal(3, root.GetProperty("perMonth").GetArrayLength());
        Assert.True(root.GetProperty("casesOpened").GetInt32() > 0);
    }

    [Fact]
    public async Task Simulate_Plain_DutchTablePerMonthAndTotal()
    {
        var (exit, output, _) = await RunAsync("simulate", "--contracts", "200", "--months", "2", "--seed", "5", "--policy", DefaultPolicy);

        Assert.Equal(0, exit);
        Assert.Contains("Zaken geopend", output, StringComparison.Ordinal);
        Assert.Contains("2026-01", output, StringComparison.Ordinal);
        Assert.Contains("2026-02", output, StringComparison.Ordinal);
        Assert.Contains("totaal", output, StringComparison.Ordinal);
        Assert.Contains("geen overdracht zonder huisbezoek en geen stap na betaling", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_CompareJson_BothPoliciesOnTheSamePortfolio()
    {
        var (exit, output, error) = await RunAsync("simulate", "--contracts", "200", "--months", "3", "--seed", "5", "--compare", DefaultPolicy, FastPolicy, "--json");

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        using var json = JsonDocument.Parse(output);
        var a = json.RootElement.GetProperty("a");
        var b = json.RootElement.GetProperty("b");
        Assert.Equal("2026.1", a.GetProperty("policy").GetString());
        Assert.Equal("2026.1-snel", b.GetProperty("policy").GetString());

        // Same portfolio: the ledger's own count of tenants in arrears is the same under both policies.
        Assert.Equal(a.GetProperty("ledgerTenantsInArrears").GetInt32(), b.GetProperty("ledgerTenantsInArrears").GetInt32());
    }

    [Fact]
    public async Task Simulate_ComparePlain_SideBySide()
    {
        var (exit, output, _) = await RunAsync("simulate", "--contracts", "150", "--months", "2", "--compare", DefaultPolicy, FastPolicy);

        Assert.Equal(0, exit);
        Assert.Contains("A: beleid 2026.1", output, StringComparison.Ordinal);
        Assert.Contains("B: beleid 2026.1-snel", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_BrokenPolicyFile_NamesFileAndLine()
    {
        var file = Path.Combine(Path.GetTempPath(), $"kapot-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(DefaultPolicy, TestContext.Current.CancellationToken)).Replace("graceDays: 3", "graceDays: drie", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        try
        {
            var (exit, output, error) = await RunAsync("simulate", "--contracts", "10", "--policy", file);

            Assert.Equal(SimulateCommand.PolicyErrors, exit);
            Assert.Equal("", output);
            Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(file)}:\d+: arrangements.graceDays", error);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    // No months to simulate.
    [InlineData("--months", "0")]
    // No contracts.
    [InlineData("--contracts", "0")]
    // A policy file that is not there.
    [InlineData("--policy", "/geen/beleid.yaml")]
    public async Task Simulate_BadOption_ClearErrorAndNoFigures(string option, string value)
    {
        var (exit, output, error) = await RunAsync("simulate", option, value);

        Assert.NotEqual(0, exit);
        Assert.Equal("", output);
        Assert.Contains(value, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_PolicyAndCompareTogether_UsageError()
    {
        var (exit, _, error) = await RunAsync("simulate", "--policy", DefaultPolicy, "--compare", DefaultPolicy, FastPolicy);

        Assert.Equal(HuurIncassoCommandLine.UsageError, exit);
        Assert.Contains("--compare", error, StringComparison.Ordinal);
    }
}
