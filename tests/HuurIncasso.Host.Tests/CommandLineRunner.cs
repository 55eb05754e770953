using HuurIncasso.Host.Cli;

namespace HuurIncasso.Host.Tests;

/// <summary>Runs the real command line in-process and captures what it prints, for the command tests.</summary>
internal static class CommandLineRunner
{
    public static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await HuurIncassoCommandLine.RunAsync(args, output, error, TestContext.Current.CancellationToken);
        return (exit, output.ToString(), error.ToString());
    }
}
