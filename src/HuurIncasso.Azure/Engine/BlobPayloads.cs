using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace HuurIncasso.Azure.Engine;

/// <summary>
/// Keeps payloads too large for a table property (64 KB) in Blob storage. The blob name
/// holds the content hash, so an attempt that lost a conflict can never overwrite the
/// payload of the attempt that won.
/// </summary>
internal sealed class BlobPayloads(BlobContainerClient container)
{
    /// <summary>Strings longer than this (UTF-16 chars) go to Blob; a table property holds 32 K chars.</summary>
    public const int InlineLimit = 30_000;

    public async Task<string> PutAsync(string caseId, string rowKey, string payload, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        var name = $"{caseId}/{rowKey}-{Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]}";
        try
        {
            await container.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(bytes), overwrite: false, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Same name, same content: written before.
        }

        return name;
    }

    public async Task<string> GetAsync(string name, CancellationToken cancellationToken)
    {
        var content = await container.GetBlobClient(name).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
        return content.Value.Content.ToString();
    }

    public async Task DeleteCaseAsync(string caseId, CancellationToken cancellationToken)
    {
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, caseId + "/", cancellationToken).ConfigureAwait(false))
        {
            await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}
