using HuurIncasso.Azure.Storage;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers HuurIncasso's Azure storage in a host.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="StorageOptions"/> at start, registers the clients as
    /// singletons and one health check per storage service (tags: storage).
    /// </summary>
    public static IServiceCollection AddHuurIncassoStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddSingleton(sp => new StorageClients(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton(sp => sp.GetRequiredService<StorageClients>().Names);
        services.AddHealthChecks()
            .AddCheck<TableStorageHealthCheck>("table", tags: ["storage"])
            .AddCheck<QueueStorageHealthCheck>("queue", tags: ["storage"])
            .AddCheck<BlobStorageHealthCheck>("blob", tags: ["storage"]);
        return services;
    }
}
