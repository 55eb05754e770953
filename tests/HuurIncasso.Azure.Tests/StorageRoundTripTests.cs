using Azure;
using Azure.Data.Tables;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Testing;

namespace HuurIncasso.Azure.Tests;

public sealed class StorageRoundTripTests(AzuriteFixture azurite)
{
    private StorageClients NewClients() =>
        new(new StorageOptions { ConnectionString = azurite.ConnectionString, Prefix = AzuriteFixture.UniquePrefix() });

    [Fact]
    public async Task EnsureCreated_CreatesEveryTableQueueAndContainer_AndIsIdempotent()
    {
        var ct = TestContext.Current.CancellationToken;
        var clients = NewClients();

        await StorageProvisioner.EnsureCreatedAsync(clients, ct);
        await StorageProvisioner.EnsureCreatedAsync(clients, ct); // a second start must not fail

        var tables = new List<string>();
        await foreach (var t in clients.Tables.QueryAsync(t => t.Name.CompareTo(clients.Names.Prefix) >= 0, cancellationToken: ct))
        {
            if (t.Name.StartsWith(clients.Names.Prefix, StringComparison.Ordinal)) tables.Add(t.Name);
        }

        Assert.Equal(clients.Names.Tables.Order(), tables.Order());
        foreach (var queue in clients.Names.Queues)
        {
            Assert.True(await clients.Queues.GetQueueClient(queue).ExistsAsync(ct), $"queue {queue} missing");
        }

        foreach (var container in clients.Names.Containers)
        {
            Assert.True(await clients.Blobs.GetBlobContainerClient(container).ExistsAsync(ct), $"container {container} missing");
        }
    }

    [Fact]
    public async Task TableQueueAndBlob_WriteThenRead_ReturnWhatWasWritten()
    {
        var ct = TestContext.Current.CancellationToken;
        var clients = NewClients();
        await StorageProvisioner.EnsureCreatedAsync(clients, ct);

        var table = clients.Tables.GetTableClient(clients.Names.CasesTable);
        await table.AddEntityAsync(new TableEntity("case-1", "state") { ["Stage"] = "Reminder", ["Arrears"] = 812.45 }, ct);
        var row = await table.GetEntityAsync<TableEntity>("case-1", "state", cancellationToken: ct);
        Assert.Equal("Reminder", row.Value.GetString("Stage"));
        Assert.Equal(812.45, row.Value.GetDouble("Arrears"));

        var queue = clients.Queues.GetQueueClient(clients.Names.InboxQueue);
        await queue.SendMessageAsync("payment-received:case-1", ct);
        var received = await queue.ReceiveMessageAsync(cancellationToken: ct);
        Assert.Equal("payment-received:case-1", received.Value.MessageText);
        await queue.DeleteMessageAsync(received.Value.MessageId, received.Value.PopReceipt, ct);

        var blob = clients.Blobs.GetBlobContainerClient(clients.Names.ImportsContainer).GetBlobClient("ledger/2026-11.csv");
        await blob.UploadAsync(BinaryData.FromString("contract;saldo\n1001;812,45\n"), ct);
        var content = await blob.DownloadContentAsync(ct);
        Assert.Equal("contract;saldo\n1001;812,45\n", content.Value.Content.ToString());
    }

    [Fact]
    public async Task UpdateEntity_WithStaleETag_FailsWith412()
    {
        // The engine's exactly-once guarantee rests on this: a writer holding an old ETag loses.
        var ct = TestContext.Current.CancellationToken;
        var clients = NewClients();
        await StorageProvisioner.EnsureCreatedAsync(clients, ct);
        var table = clients.Tables.GetTableClient(clients.Names.CasesTable);
        await table.AddEntityAsync(new TableEntity("c", "state") { ["Version"] = 1 }, ct);
        var first = (await table.GetEntityAsync<TableEntity>("c", "state", cancellationToken: ct)).Value;
        first["Version"] = 2;
        await table.UpdateEntityAsync(first, first.ETag, TableUpdateMode.Replace, ct);

        first["Version"] = 3;
        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => table.UpdateEntityAsync(first, first.ETag, TableUpdateMode.Replace, ct));
        Assert.Equal(412, ex.Status);
    }
}
