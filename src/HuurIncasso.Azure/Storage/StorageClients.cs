using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace HuurIncasso.Azure.Storage;

/// <summary>
/// The three Azure service clients, made once from <see cref="StorageOptions"/>. The SDK
/// clients are thread-safe, so one instance serves the whole process.
/// </summary>
public sealed class StorageClients
{
    /// <summary>Creates the clients; a connection string wins unless endpoints are set.</summary>
    public StorageClients(StorageOptions options, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Names = new StorageNames(options.Prefix);

        var tableOptions = new TableClientOptions();
        // Base64, as host.json's extensions.queues.messageEncoding: the same queue text
        // works standalone and behind the Functions host.
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        var blobOptions = new BlobClientOptions();
        ConfigureRetry(tableOptions.Retry);
        ConfigureRetry(queueOptions.Retry);
        ConfigureRetry(blobOptions.Retry);
        tableOptions.AddPolicy(Transactions.PolicyFor("table"), HttpPipelinePosition.PerRetry);
        queueOptions.AddPolicy(Transactions.PolicyFor("queue"), HttpPipelinePosition.PerRetry);
        blobOptions.AddPolicy(Transactions.PolicyFor("blob"), HttpPipelinePosition.PerRetry);

        if (options.UsesEndpoints)
        {
            credential ??= new DefaultAzureCredential();
            Tables = new TableServiceClient(options.TableEndpoint!, credential, tableOptions);
            Queues = new QueueServiceClient(options.QueueEndpoint!, credential, queueOptions);
            Blobs = new BlobServiceClient(options.BlobEndpoint!, credential, blobOptions);
        }
        else
        {
            var connectionString = options.ConnectionString!;
            Tables = new TableServiceClient(connectionString, tableOptions);
            Queues = new QueueServiceClient(connectionString, queueOptions);
            Blobs = new BlobServiceClient(connectionString, blobOptions);
        }
    }

    /// <summary>The table service.</summary>
    public TableServiceClient Tables { get; }

    /// <summary>The queue service.</summary>
    public QueueServiceClient Queues { get; }

    /// <summary>The blob service.</summary>
    public BlobServiceClient Blobs { get; }

    /// <summary>Every storage request these clients sent (each retry counts: Azure bills it).</summary>
    public StorageTransactionCounter Transactions { get; } = new();

    /// <summary>The names of every table, queue and container.</summary>
    public StorageNames Names { get; }

    // Short, bounded retries: the host's own loops retry whole operations, and a health
    // probe must answer within seconds when the emulator is down.
    private static void ConfigureRetry(RetryOptions retry)
    {
        retry.Mode = RetryMode.Exponential;
        retry.MaxRetries = 3;
        retry.Delay = TimeSpan.FromMilliseconds(200);
        retry.MaxDelay = TimeSpan.FromSeconds(2);
        retry.NetworkTimeout = TimeSpan.FromSeconds(10);
    }
}
