using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using HuurIncasso.Azure.Storage;

namespace HuurIncasso.Integrations.Documents;

/// <summary>
/// The documents container: letters, print batches, exports, dossiers. Every name is
/// deterministic (see <see cref="DocumentNames"/>), so writing again after a retry replaces
/// the same blob instead of adding a second document. Thread-safe.
/// </summary>
public sealed class DocumentStore(StorageClients clients)
{
    private readonly BlobContainerClient _container = clients.Blobs.GetBlobContainerClient(clients.Names.DocumentsContainer);
    private int _created;

    /// <summary>The container, for callers that need more than this class offers.</summary>
    public BlobContainerClient Container => _container;

    /// <summary>Writes (or overwrites) a document.</summary>
    public async Task WriteAsync(string name, BinaryData content, string contentType, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(content);
        if (Interlocked.Exchange(ref _created, 1) == 0)
        {
            // Provisioning at start normally made it; one call per process.
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        await _container.GetBlobClient(name).UploadAsync(
            content,
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a document, or null when it does not exist.</summary>
    public async Task<BinaryData?> ReadAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await _container.GetBlobClient(name).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return result.Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>The names under <paramref name="prefix"/>, in name order.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var names = new List<string>();
        try
        {
            await foreach (var item in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken).ConfigureAwait(false))
            {
                names.Add(item.Name);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return [];
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }
}
