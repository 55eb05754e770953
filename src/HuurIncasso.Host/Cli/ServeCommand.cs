using System.CommandLine;
using HuurIncasso.Host.Web;

namespace HuurIncasso.Host.Cli;

/// <summary><c>huurincasso serve</c>: the web host with its workers.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Start de webhost (standaard http://127.0.0.1:5080) met de achtergrondtaken.");
        // Everything after `serve` goes to the host as configuration (e.g. --urls, --Storage:Prefix=x).
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => RunAsync([.. parse.UnmatchedTokens], ct));
        return command;
    }

    public static async Task<int> RunAsync(string[] hostArgs, CancellationToken cancellationToken)
    {
        var app = HuurIncassoWebHost.Build(hostArgs);
        await app.RunAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
