using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HuurIncasso.Host.Scheduling;
using Microsoft.Extensions.Options;

namespace HuurIncasso.Host.Functions;

/// <summary>
/// Standalone (the default: own timers and queue pollers) or behind the Azure Functions host as
/// a custom handler, which then owns the triggers and posts every invocation to this process.
/// </summary>
public static class FunctionsHosting
{
    /// <summary>Set by the Functions host for its custom handler: the port to listen on (127.0.0.1).</summary>
    public const string PortSetting = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>The time zone the Functions host reads timer schedules in; the jobs' cron is Amsterdam time.</summary>
    public const string TimeZoneSetting = "WEBSITE_TIME_ZONE";

    /// <summary>The only value of <see cref="TimeZoneSetting"/> that keeps 06:00 at 06:00 across daylight saving.</summary>
    public const string TimeZone = "Europe/Amsterdam";

    /// <summary>Every request of the Functions host carries the invocation's id.</summary>
    public const string InvocationIdHeader = "X-Azure-Functions-InvocationId";

    /// <summary>
    /// The Functions host adds this header to every HTTP request it proxies from the outside
    /// (<c>enableProxyingHttpRequest</c>) and never to its own invocations, so an outside
    /// request to <c>/case-inbox</c> cannot pass for one.
    /// </summary>
    public const string ProxiedRequestHeader = "x-ms-invocation-id";

    /// <summary>The port when running behind the Functions host, null when standalone.</summary>
    /// <exception cref="InvalidOperationException">The setting is not a port number.</exception>
    public static int? Port(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[PortSetting];
        if (string.IsNullOrWhiteSpace(value)) return null;
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535
            ? port
            : throw new InvalidOperationException($"{PortSetting} must be a port number (0-65535), not '{value}'.");
    }

    /// <summary>Writes <c>{directory}/{name}/function.json</c> for every function of <paramref name="table"/>; returns the files.</summary>
    public static IReadOnlyList<string> WriteFunctionJson(FunctionTable table, string directory)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var written = new List<string>();
        foreach (var function in table.All)
        {
            var folder = Path.Combine(directory, function.Name);
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, "function.json");
            File.WriteAllText(file, FunctionJsonText(function));
            written.Add(file);
        }

        return written;
    }

    /// <summary>The exact text written to a function's <c>function.json</c>.</summary>
    public static string FunctionJsonText(FunctionDefinition function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return function.ToFunctionJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}

/// <summary>Only a carrier, so the custom-handler settings are checked once at start.</summary>
internal sealed class FunctionsHostingCheck;

/// <summary>
/// Behind the Functions host: the timer schedules must be read in Amsterdam time, and the
/// function.json files published next to the executable must be the ones the table gives with
/// today's settings (a schedule or prefix changed after publishing would otherwise be ignored).
/// </summary>
internal sealed class FunctionsHostingValidator(IConfiguration configuration, IServiceProvider services) : IValidateOptions<FunctionsHostingCheck>
{
    public ValidateOptionsResult Validate(string? name, FunctionsHostingCheck options)
    {
        if (FunctionsHosting.Port(configuration) is null)
        {
            return ValidateOptionsResult.Success;
        }

        var problems = new List<string>();
        var zone = configuration[FunctionsHosting.TimeZoneSetting];
        if (!string.Equals(zone, FunctionsHosting.TimeZone, StringComparison.Ordinal))
        {
            problems.Add($"{FunctionsHosting.TimeZoneSetting} must be '{FunctionsHosting.TimeZone}' behind the Functions host (now '{zone}'): "
                + "the timer triggers read the jobs' cron schedules in that zone, as the standalone host does.");
        }

        var root = AppContext.BaseDirectory;
        if (File.Exists(Path.Combine(root, "host.json")))
        {
            var table = services.GetRequiredService<FunctionTable>();
            foreach (var function in table.All)
            {
                var file = Path.Combine(root, function.Name, "function.json");
                if (!File.Exists(file))
                {
                    problems.Add($"{file} is missing: publish again (infra/publish.sh) so the Functions host knows function '{function.Name}'.");
                }
                else if (!JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(file)), function.ToFunctionJson()))
                {
                    problems.Add($"{file} differs from what today's settings give ({FunctionsHosting.FunctionJsonText(function).ReplaceLineEndings(" ")}): "
                        + "a schedule or Storage:Prefix changed after publishing; publish again with the same settings.");
                }
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
