using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HuurIncasso.Host.Functions;
using HuurIncasso.Host.Scheduling;
using HuurIncasso.Host.Web;
using HuurIncasso.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HuurIncasso.Host.Tests.Functions;

/// <summary>
/// The settings the code reads, compared with local.settings.sample.json and with the app
/// settings infra/main.bicep gives the Function App. The code's side is found, not listed: every
/// options class bound in the host (its section and properties), every literal key read from
/// IConfiguration in src/, and every scheduled job's schedule setting. A failure names the keys.
/// </summary>
public sealed partial class AppSettingsTests
{
    /// <summary>Read by the Functions host, App Service or ASP.NET Core, not by HuurIncasso's code.</summary>
    private static readonly Dictionary<string, string> Platform = new(StringComparer.OrdinalIgnoreCase)
    {
        ["FUNCTIONS_WORKER_RUNTIME"] = "custom: the Functions host starts host.json's customHandler",
        ["FUNCTIONS_EXTENSION_VERSION"] = "Functions runtime ~4",
        ["AzureWebJobsStorage"] = "the Functions host's storage and the queue triggers' connection (local: Azurite)",
        ["AzureWebJobsStorage:accountName"] = "the same, with the managed identity (Azure)",
        ["WEBSITE_CONTENTAZUREFILECONNECTIONSTRING"] = "Elastic Premium content share",
        ["WEBSITE_CONTENTSHARE"] = "Elastic Premium content share",
        ["WEBSITE_RUN_FROM_PACKAGE"] = "run the deployed zip as is",
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "the Functions host's telemetry",
        ["MICROSOFT_PROVIDER_AUTHENTICATION_SECRET"] = "Easy Auth's client secret",
        ["ASPNETCORE_ENVIRONMENT"] = "ASP.NET Core's environment (Development locally: appsettings.Development.json, local users)",
    };

    /// <summary>Read by the code, but not something to put in local.settings.json.</summary>
    private static readonly Dictionary<string, string> NotInSample = new(StringComparer.OrdinalIgnoreCase)
    {
        ["urls"] = "standalone only; behind the Functions host the port is FUNCTIONS_CUSTOMHANDLER_PORT",
        [FunctionsHosting.PortSetting] = "set by the Functions host for its custom handler",
    };

    /// <summary>What the app cannot run well without in Azure, beyond the options' [Required] properties.</summary>
    private static readonly string[] ProductionMustHave =
    [
        "Storage:TableEndpoint", "Storage:QueueEndpoint", "Storage:BlobEndpoint", "Auth:EasyAuth:Enabled", "Auth:Entra:TenantId",
        "Auth:Entra:Audience", "Bank:WebhookSecrets", "Mail:SendGridApiKey", "Mail:From", FunctionsHosting.TimeZoneSetting,
    ];

    // Compiled once for the class: the Bicep compiler takes seconds to start.
    private static readonly Lazy<Task<JsonNode>> Template = new(() => BicepBuildAsync(RepositoryRoot.Path("infra", "main.bicep")));

    [Fact]
    public void LocalSettingsSample_HoldsEverySettingTheCodeReads_AndNoOther()
    {
        var code = CodeSettings();
        var values = JsonNode.Parse(File.ReadAllText(RepositoryRoot.Path("local.settings.sample.json")))!["Values"]!.AsObject();
        var sample = values.Select(v => Colon(v.Key)).ToList();

        var unused = sample.Where(k => !code.Covers(k) && !Platform.ContainsKey(k)).ToList();
        var missing = code.Keys.Where(k => !NotInSample.ContainsKey(k) && !sample.Any(s => Same(s, k) || s.StartsWith(k + ":", StringComparison.OrdinalIgnoreCase))).ToList();

        Assert.True(unused.Count == 0, "local.settings.sample.json has settings nothing reads: " + string.Join(", ", unused.Select(Underscores)));
        Assert.True(missing.Count == 0, "local.settings.sample.json lacks settings the code reads: " + string.Join(", ", missing.Select(Underscores)));
        Assert.Equal("custom", values["FUNCTIONS_WORKER_RUNTIME"]!.GetValue<string>());
        Assert.Equal(FunctionsHosting.TimeZone, values[FunctionsHosting.TimeZoneSetting]!.GetValue<string>());
    }

    [Fact]
    public async Task Bicep_SetsOnlySettingsSomethingReads_AndEverySettingProductionNeeds()
    {
        var code = CodeSettings();
        var template = await Template.Value;
        var site = template["resources"]!.AsArray().Single(r => r!["type"]!.GetValue<string>() == "Microsoft.Web/sites")!;
        var set = site["properties"]!["siteConfig"]!["appSettings"]!.AsArray().Select(s => Colon(s!["name"]!.GetValue<string>())).ToList();

        var unused = set.Where(k => !code.Covers(k) && !Platform.ContainsKey(k)).ToList();
        var needed = code.Required.Concat(ProductionMustHave).Distinct(StringComparer.OrdinalIgnoreCase)
            .Where(k => !set.Any(s => Same(s, k) || s.StartsWith(k + ":", StringComparison.OrdinalIgnoreCase))).ToList();

        Assert.True(unused.Count == 0, "infra/main.bicep sets app settings nothing reads: " + string.Join(", ", unused.Select(Underscores)));
        Assert.True(needed.Count == 0, "infra/main.bicep does not set settings the app needs in Azure: " + string.Join(", ", needed.Select(Underscores)));
        Assert.Contains("FUNCTIONS_WORKER_RUNTIME", set);
        Assert.Equal(set.Count, set.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public async Task Bicep_StorageIsPrivateWithTls12_SecretsAreKeyVaultReferences_EasyAuthUsesEntra()
    {
        var template = await Template.Value;
        var resources = template["resources"]!.AsArray().Select(r => r!).ToList();
        JsonNode Single(string type) => resources.Single(r => r["type"]!.GetValue<string>() == type);

        var storage = Single("Microsoft.Storage/storageAccounts")["properties"]!;
        Assert.Equal("TLS1_2", storage["minimumTlsVersion"]!.GetValue<string>());
        Assert.False(storage["allowBlobPublicAccess"]!.GetValue<bool>());
        var settings = Single("Microsoft.Web/sites")["properties"]!["siteConfig"]!["appSettings"]!.AsArray()
            .ToDictionary(s => s!["name"]!.GetValue<string>(), s => s!["value"]!.ToJsonString());
        foreach (var secret in new[] { "Mail__SendGridApiKey", "Bank__WebhookSecrets__0", "MICROSOFT_PROVIDER_AUTHENTICATION_SECRET", "Documents__PdfSharpLicense" })
        {
            Assert.Contains("@Microsoft.KeyVault(SecretUri=", settings[secret], StringComparison.Ordinal);
        }

        Assert.True(Single("Microsoft.KeyVault/vaults")["properties"]!["enableRbacAuthorization"]!.GetValue<bool>());
        // Blob Data Owner, Queue and Table Data Contributor on the account; Secrets User on the vault.
        var text = template.ToJsonString();
        Assert.All(["b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "4633458b-17de-408a-b874-0445c86b69e6"],
            role => Assert.Contains(role, text, StringComparison.Ordinal));
        var auth = Single("Microsoft.Web/sites/config")["properties"]!;
        Assert.True(auth["identityProviders"]!["azureActiveDirectory"]!["enabled"]!.GetValue<bool>());
        Assert.Equal(["/api/bank/webhook", "/health"], auth["globalValidation"]!["excludedPaths"]!.AsArray().Select(p => p!.GetValue<string>()));
        var plan = Single("Microsoft.Web/serverfarms");
        Assert.Equal("ElasticPremium", plan["sku"]!["tier"]!.GetValue<string>());
        Assert.True(plan["properties"]!["reserved"]!.GetValue<bool>(), "Linux");
        Assert.NotNull(Single("Microsoft.Insights/components"));

        var parameters = await BicepBuildAsync(RepositoryRoot.Path("infra", "main.bicepparam"), "build-params");
        var values = JsonNode.Parse(parameters["parametersJson"]!.GetValue<string>())!["parameters"]!.AsObject();
        Assert.Equal("Europe/Amsterdam", settings["WEBSITE_TIME_ZONE"].Trim('"'));
        Assert.True(values.ContainsKey("corporation"));
    }

    private sealed record Settings(SortedSet<string> Keys, HashSet<string> Prefixes, HashSet<string> Required)
    {
        public bool Covers(string key) =>
            Keys.Any(k => Same(k, key)) || Prefixes.Any(p => key.StartsWith(p + ":", StringComparison.OrdinalIgnoreCase));
    }

    private static Settings CodeSettings()
    {
        IServiceCollection? services = null;
        var app = HuurIncassoWebHost.Build([], b => services = b.Services);
        var keys = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        var prefixes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var required = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        // Every options class bound to a configuration section, by the change-token source the binding registers.
        var optionTypes = services!.Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IOptionsChangeTokenSource<>))
            .Select(d => d.ServiceType.GetGenericArguments()[0])
            .Where(t => t.Assembly.GetName().Name!.StartsWith("huurincasso", StringComparison.OrdinalIgnoreCase))
            .Distinct().ToList();
        Assert.NotEmpty(optionTypes);
        foreach (var type in optionTypes)
        {
            var defaults = type.GetConstructor(Type.EmptyTypes) is not null ? Activator.CreateInstance(type) : null;
            foreach (var section in SectionsOf(type, app.Services))
            {
                foreach (var property in type.GetProperties(BindingFlags.Instance | BindingFlags.Public).Where(p => p.SetMethod?.IsPublic == true))
                {
                    var key = $"{section}:{property.Name}";
                    keys.Add(key);
                    if (property.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(property.PropertyType)) prefixes.Add(key);
                    // Required and without a default: nothing works until it is set.
                    if (property.GetCustomAttribute<RequiredAttribute>() is not null && property.GetValue(defaults) is null or "") required.Add(key);
                }
            }
        }

        // Every literal key read straight from IConfiguration in src/.
        foreach (var file in Directory.EnumerateFiles(RepositoryRoot.Path("src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            foreach (Match m in IndexerRead().Matches(text)) keys.Add(m.Groups[1].Value);
            foreach (Match m in GetValueRead().Matches(text)) keys.Add(m.Groups[1].Value);
            foreach (Match m in SectionRead().Matches(text))
            {
                keys.Add(m.Groups[1].Value);
                prefixes.Add(m.Groups[1].Value);
            }
        }

        // Read through constants rather than literals.
        keys.Add(FunctionsHosting.PortSetting);
        keys.Add(FunctionsHosting.TimeZoneSetting);
        foreach (var job in app.Services.GetRequiredService<ScheduledJobs>().All) keys.Add(job.ScheduleSetting);
        return new Settings(keys, prefixes, required);
    }

    /// <summary>
    /// The sections <paramref name="type"/> is bound to: <c>Bind(section)</c> leaves the section in
    /// its change-token source, <c>BindConfiguration(path)</c> keeps the path in its configure delegate.
    /// </summary>
    private static IEnumerable<string> SectionsOf(Type type, IServiceProvider services)
    {
        var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var source in services.GetServices(typeof(IOptionsChangeTokenSource<>).MakeGenericType(type)))
        {
            if (source!.GetType().GetField("_config", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(source) is IConfigurationSection section)
            {
                found.Add(section.Path);
            }
        }

        foreach (var configure in services.GetServices(typeof(IConfigureOptions<>).MakeGenericType(type)))
        {
            var action = configure!.GetType().GetProperty("Action")?.GetValue(configure) as Delegate;
            foreach (var field in action?.Target?.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic) ?? [])
            {
                if (field.FieldType == typeof(string) && field.Name.Contains("SectionPath", StringComparison.OrdinalIgnoreCase) && field.GetValue(action!.Target) is string path)
                {
                    found.Add(path);
                }
            }
        }

        Assert.True(found.Count > 0, $"Options {type.Name} is bound, but its section could not be found: the test needs a new way to read it.");
        return found;
    }

    private static async Task<JsonNode> BicepBuildAsync(string file, string verb = "build")
    {
        var ct = CancellationToken.None;
        var bicep = typeof(AppSettingsTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!.Replace('\\', '/');
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(bicep) & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(bicep, File.GetUnixFileMode(bicep) | UnixFileMode.UserExecute);
        }

        using var process = Process.Start(new ProcessStartInfo(bicep) { ArgumentList = { verb, file, "--stdout" }, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEndAsync(ct);
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        Assert.True(process.ExitCode == 0, $"bicep {verb} {file}: {await error}");
        return JsonNode.Parse(output)!;
    }

    private static string Colon(string key) => key.Replace("__", ":", StringComparison.Ordinal);

    private static string Underscores(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(""""(?:configuration|config|Configuration)\s*\[\s*"([^"]+)"\s*\]"""")]
    private static partial Regex IndexerRead();

    [GeneratedRegex(""""\.GetValue(?:<[^>]+>)?\(\s*"([^"]+)"""")]
    private static partial Regex GetValueRead();

    [GeneratedRegex(""""GetSection\(\s*"([^"]+)"\s*\)"""")]
    private static partial Regex SectionRead();
}
