namespace HuurIncasso.Azure.Storage;

/// <summary>Creates every table, queue and container that does not exist yet.</summary>
public static class StorageProvisioner
{
    /// <summary>Idempotent: existing resources are left as they are.</summary>
    public static async Task EnsureCreatedAsync(StorageClients clients, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clients);
        var names = clients.Names;
        var work = new List<Task>();
        foreach (var table in names.Tables)
        {
            work.Add(clients.Tables.GetTableClient(table).CreateIfNotExistsAsync(cancellationToken));
        }

        foreach (var queue in names.Queues)
        {
            work.Add(clients.Queues.GetQueueClient(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken));
        }

        foreach (var container in names.Containers)
        {
            work.Add(clients.Blobs.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken: cancellationToken));
        }

        await Task.WhenAll(work).ConfigureAwait(false);
    }
}
