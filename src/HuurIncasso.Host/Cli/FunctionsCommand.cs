using System.CommandLine;
using HuurIncasso.Host.Functions;
using HuurIncasso.Host.Scheduling;
using HuurIncasso.Host.Web;
using Microsoft.Extensions.Options;

namespace HuurIncasso.Host.Cli;

/// <summary>
/// <c>huurincasso functions write DIR</c> writes <c>DIR/{function}/function.json</c> for every
/// function of the <see cref="FunctionTable"/> (the publish script does this);
/// <c>huurincasso functions list</c> shows the table. Both read the same settings as the host
/// (schedules, <c>Storage:Prefix</c>), e.g. <c>--Segmentation:Schedule="0 3 * * *"</c>.
/// </summary>
internal static class FunctionsCommand
{
    /// <summary>Exit code for settings that give no valid table (a schedule that is no cron).</summary>
    public const int BadSettings = 1;

    public static Command Create()
    {
        var directory = new Argument<DirectoryInfo>("map") { Description = "De map van de Function App (naast host.json)." };
        var write = new Command("write", "Schrijf function.json voor elke functie (timers, wachtrijen, HTTP) in MAP/{functie}/.");
        write.Arguments.Add(directory);
        write.TreatUnmatchedTokensAsErrors = false;
        write.SetAction((result, _) => Task.FromResult(Run(
            [.. result.UnmatchedTokens], result.InvocationConfiguration.Output, result.InvocationConfiguration.Error,
            (table, output) =>
            {
                var files = FunctionsHosting.WriteFunctionJson(table, result.GetValue(directory)!.FullName);
                output.WriteLine($"{files.Count} functies geschreven in {result.GetValue(directory)!.FullName}.");
            })));

        var list = new Command("list", "Toon de functies met hun trigger.");
        list.TreatUnmatchedTokensAsErrors = false;
        list.SetAction((result, _) => Task.FromResult(Run(
            [.. result.UnmatchedTokens], result.InvocationConfiguration.Output, result.InvocationConfiguration.Error,
            (table, output) =>
            {
                foreach (var function in table.All)
                {
                    output.WriteLine($"{function.Name,-24} {Describe(function.Trigger),-40} {function.Description}");
                }
            })));

        var functions = new Command("functions", "De Azure Functions van deze app (custom handler).");
        functions.Subcommands.Add(write);
        functions.Subcommands.Add(list);
        return functions;
    }

    private static int Run(string[] hostArgs, TextWriter output, TextWriter error, Action<FunctionTable, TextWriter> action)
    {
        try
        {
            // The host's services without starting it: the same settings give the same table as at run time.
            var app = HuurIncassoWebHost.Build(hostArgs);
            _ = app.Services.GetRequiredService<IOptions<ScheduledJobsCheck>>().Value;
            action(app.Services.GetRequiredService<FunctionTable>(), output);
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            error.WriteLine($"Fout in de instellingen; er is niets geschreven. {string.Join(" ", ex.Failures)}");
            return BadSettings;
        }
    }

    private static string Describe(FunctionBinding trigger) => trigger switch
    {
        TimerTriggerBinding t => $"timer {t.Schedule}",
        QueueTriggerBinding q => $"queue {q.QueueName}",
        HttpTriggerBinding h => $"http /{h.Route}",
        _ => trigger.GetType().Name,
    };
}
