using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace HuurIncasso.Azure.Storage;

/// <summary>
/// Where HuurIncasso keeps its state. Either a connection string (Azurite, or a key-based
/// account) or the three service endpoints with <c>DefaultAzureCredential</c> (managed
/// identity in production), following the Azure SDK's conventions.
/// </summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Storage";

    /// <summary>The Azurite default, so a developer needs no settings at all.</summary>
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    /// <summary>A storage connection string. Ignored when the endpoints are set.</summary>
    public string? ConnectionString { get; set; } = DevelopmentStorage;

    /// <summary>Table service endpoint, e.g. <c>https://account.table.core.windows.net</c>.</summary>
    public Uri? TableEndpoint { get; set; }

    /// <summary>Queue service endpoint, e.g. <c>https://account.queue.core.windows.net</c>.</summary>
    public Uri? QueueEndpoint { get; set; }

    /// <summary>Blob service endpoint, e.g. <c>https://account.blob.core.windows.net</c>.</summary>
    public Uri? BlobEndpoint { get; set; }

    /// <summary>
    /// Put in front of every table, queue and container name, so that several
    /// installations (or test runs) can share one account. Lower-case letters and digits.
    /// </summary>
    [RegularExpression("^[a-z][a-z0-9]{0,15}$|^$", ErrorMessage = "Storage:Prefix must be empty or 1-16 lower-case letters and digits, starting with a letter.")]
    public string Prefix { get; set; } = "";

    /// <summary>True when the three endpoints are used with an Entra ID credential.</summary>
    public bool UsesEndpoints => TableEndpoint is not null || QueueEndpoint is not null || BlobEndpoint is not null;
}

/// <summary>Rules across fields that data annotations cannot express.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.UsesEndpoints)
        {
            var missing = new List<string>();
            if (options.TableEndpoint is null) missing.Add("Storage:TableEndpoint");
            if (options.QueueEndpoint is null) missing.Add("Storage:QueueEndpoint");
            if (options.BlobEndpoint is null) missing.Add("Storage:BlobEndpoint");
            return missing.Count == 0
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"When one storage endpoint is set, all three are needed; missing: {string.Join(", ", missing)}.");
        }

        return string.IsNullOrWhiteSpace(options.ConnectionString)
            ? ValidateOptionsResult.Fail("Set Storage:ConnectionString, or Storage:TableEndpoint, Storage:QueueEndpoint and Storage:BlobEndpoint.")
            : ValidateOptionsResult.Success;
    }
}
