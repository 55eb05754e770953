using HuurIncasso.Testing;
using static HuurIncasso.Host.Tests.CommandLineRunner;

namespace HuurIncasso.Host.Tests;

public sealed class PolicyCommandTests
{
    [Theory]
    // The default: seed 004's monthly ladder.
    [InlineData("policy/default.yaml", "OK: 2026.1 ")]
    // Seed 003's handover at the end of month 2.
    [InlineData("policy/examples/fast-handover.yaml", "OK: 2026.1-snel ")]
    public async Task Check_ShippedPolicy_PrintsOkAndExits0(string path, string expected)
    {
        var (exit, output, error) = await RunAsync("policy", "check", RepositoryRoot.Path(path.Split('/')));

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.StartsWith(expected, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_BrokenPolicy_PrintsEachErrorWithFileAndLineAndExits1()
    {
        var text = File.ReadAllText(RepositoryRoot.Path("policy", "default.yaml"))
            .Replace("    wait: 3d\n", "    wait: 10 dagen\n", StringComparison.Ordinal)
            .Replace("  maxInstalments: 12\n", "  maxInstalments: 18\n", StringComparison.Ordinal);
        var path = Path.Combine(Path.GetTempPath(), $"beleid-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, text, TestContext.Current.CancellationToken);
        try
        {
            var (exit, output, error) = await RunAsync("policy", "check", path);

            Assert.Equal(1, exit);
            Assert.Equal("", output);
            var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var waitLine = text[..text.IndexOf("wait: 10 dagen", StringComparison.Ordinal)].Count(c => c == '\n') + 1;
            Assert.Contains($"{path}:{waitLine}: ladder[1].wait: '10 dagen' is geen duur (schrijf bijvoorbeeld 5d of 2w)", lines);
            Assert.Contains(lines, l => l.StartsWith($"{path}:", StringComparison.Ordinal) && l.Contains("arrangements.maxInstalments: 18 termijnen", StringComparison.Ordinal));
            Assert.Equal("3 fout(en) in " + path, lines[^1].TrimEnd());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Check_SmsChannel_IsRefusedWithFileAndLine()
    {
        // No SMS provider is set up: the check says so instead of every SMS failing at run time.
        var text = File.ReadAllText(RepositoryRoot.Path("policy", "default.yaml"))
            .Replace("    channels: [mail, letter]\n", "    channels: [sms, letter]\n", StringComparison.Ordinal);
        var path = Path.Combine(Path.GetTempPath(), $"beleid-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, text, TestContext.Current.CancellationToken);
        try
        {
            var (exit, _, error) = await RunAsync("policy", "check", path);

            Assert.Equal(1, exit);
            var line = text[..text.IndexOf("channels: [sms, letter]", StringComparison.Ordinal)].Count(c => c == '\n') + 1;
            Assert.Contains($"{path}:{line}: ladder[0].channels: sms kan nog niet", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Check_MissingFile_IsAUsageErrorExit2()
    {
        var (exit, _, error) = await RunAsync("policy", "check", "/nonexistent/beleid.yaml");

        Assert.Equal(2, exit);
        Assert.Contains("bestand niet gevonden", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_WithoutFile_IsAUsageErrorExit2()
    {
        var (exit, _, error) = await RunAsync("policy", "check");

        Assert.Equal(2, exit);
        Assert.Contains("FILE", error, StringComparison.Ordinal);
    }
}
