using System.CommandLine;
using System.Globalization;
using HuurIncasso.Domain.Policies;

namespace HuurIncasso.Host.Cli;

/// <summary><c>huurincasso policy check FILE</c>: loads a policy file and reports every error with its line.</summary>
internal static class PolicyCommand
{
    /// <summary>Exit code when the policy has errors.</summary>
    public const int PolicyErrors = 1;

    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "Het beleidsbestand (YAML), bijvoorbeeld policy/default.yaml." };
        var check = new Command("check", "Controleer een beleidsbestand. Toont 'OK' of elke fout met het regelnummer.");
        check.Arguments.Add(file);
        check.SetAction((parse, _) => Task.FromResult(Check(parse.GetValue(file)!, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error)));

        var policy = new Command("policy", "Werken met het incassobeleid.");
        policy.Subcommands.Add(check);
        return policy;
    }

    public static int Check(FileInfo file, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!file.Exists)
        {
            error.WriteLine($"{file.FullName}: bestand niet gevonden");
            return HuurIncassoCommandLine.UsageError;
        }

        var name = file.ToString();
        var result = PolicyLoader.Load(file.FullName) with { FileName = name };
        if (result.Policy is { } p && result.IsValid)
        {
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"OK: {p.Version} (geldig vanaf {p.ValidFrom:yyyy-MM-dd}), {p.Ladder.Length} stappen, {p.Plans.Length} plannen, {p.Segments.Length} segmenten"));
            return 0;
        }

        foreach (var line in result.FormattedErrors)
        {
            error.WriteLine(line);
        }

        error.WriteLine($"{result.Errors.Count} fout(en) in {name}");
        return PolicyErrors;
    }
}
