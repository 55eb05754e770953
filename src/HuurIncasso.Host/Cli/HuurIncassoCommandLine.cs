using System.CommandLine;

namespace HuurIncasso.Host.Cli;

/// <summary>
/// The command line. Each command lives in its own class with a <c>Create</c> method; this
/// class only lists them, so adding a command is one line here.
/// </summary>
public static class HuurIncassoCommandLine
{
    /// <summary>Exit code for a call whose words are off (unknown command, bad option).</summary>
    public const int UsageError = 2;

    /// <summary>Parses <paramref name="args"/> and runs the command. Returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        var root = Build();
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync(parseError.Message).ConfigureAwait(false);
            }

            await error.WriteLineAsync().ConfigureAwait(false);
            await root.Parse("--help").InvokeAsync(new InvocationConfiguration { Output = error }, cancellationToken).ConfigureAwait(false);
            return UsageError;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken).ConfigureAwait(false);
    }

    private static RootCommand Build()
    {
        var root = new RootCommand("HuurIncasso: de huurincasso van een woningcorporatie. Zonder opdracht start de webhost.");
        var serve = ServeCommand.Create();
        root.Subcommands.Add(serve);
        root.Subcommands.Add(WikCommand.Create());
        root.Subcommands.Add(PolicyCommand.Create());
        root.Subcommands.Add(BankCommand.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(FunctionsCommand.Create());
        root.SetAction((_, ct) => ServeCommand.RunAsync([], ct));
        return root;
    }
}
