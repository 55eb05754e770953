using HuurIncasso.Host.Cli;

namespace HuurIncasso.Host.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public async Task Run_UnknownCommand_PrintsUsageAndExits2()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await HuurIncassoCommandLine.RunAsync(["frobnicate"], output, error, TestContext.Current.CancellationToken);

        Assert.Equal(2, exit);
        Assert.Contains("frobnicate", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Usage:", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("serve", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Help_ListsServeAndExits0()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await HuurIncassoCommandLine.RunAsync(["--help"], output, error, TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        Assert.Contains("serve", output.ToString(), StringComparison.Ordinal);
    }
}
