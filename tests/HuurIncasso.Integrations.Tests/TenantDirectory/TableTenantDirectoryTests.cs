using Azure.Data.Tables;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Integrations.Tenants;
using HuurIncasso.Testing;

namespace HuurIncasso.Integrations.Tests.TenantDirectory;

public sealed class TableTenantDirectoryTests(AzuriteFixture azurite)
{
    private StorageClients NewClients() =>
        new(new StorageOptions { ConnectionString = azurite.ConnectionString, Prefix = AzuriteFixture.UniquePrefix() });

    [Fact]
    public async Task SetManyAsync_250Contacts_WritesThreeBatchesAndEachIsFound()
    {
        var ct = TestContext.Current.CancellationToken;
        var clients = NewClients();
        await clients.Tables.GetTableClient(clients.Names.TenantsTable).CreateIfNotExistsAsync(ct);
        var directory = new TableTenantDirectory(clients);
        var contacts = Enumerable.Range(0, 250).Select(i => Contact($"case-{i}", $"Huurder {i}")).ToList();

        await directory.SetManyAsync(contacts, ct);

        Assert.Equal(3, clients.Transactions.Snapshot().GetValueOrDefault("table batch"));
        foreach (var i in new[] { 0, 99, 100, 249 })
        {
            Assert.Equal(contacts[i], await directory.FindAsync($"case-{i}", ct));
        }
    }

    [Fact]
    public async Task SetManyAsync_OneCaseTwice_KeepsTheLast()
    {
        // A batch may not hold one row twice; the later line of the file is the one that counts.
        // No table yet either: the directory makes it itself.
        var ct = TestContext.Current.CancellationToken;
        var directory = new TableTenantDirectory(NewClients());

        await directory.SetManyAsync([Contact("case-1", "Oud"), Contact("case-2", "Ander"), Contact("case-1", "Nieuw")], ct);

        Assert.Equal("Nieuw", (await directory.FindAsync("case-1", ct))?.Name);
        Assert.Equal("Ander", (await directory.FindAsync("case-2", ct))?.Name);
    }

    [Fact]
    public async Task FindAsync_RowOfTheFirstLayout_IsStillFoundUntilRewritten()
    {
        // Before contacts shared one partition each case had its own (partition = case id, row "contact").
        var ct = TestContext.Current.CancellationToken;
        var clients = NewClients();
        var table = clients.Tables.GetTableClient(clients.Names.TenantsTable);
        await table.CreateIfNotExistsAsync(ct);
        await table.AddEntityAsync(new TableEntity("case-old", "contact") { ["ContractNumber"] = "C-1", ["Name"] = "Oud", ["Street"] = "Lindelaan 1", ["PostalCode"] = "3511 XY", ["City"] = "Utrecht" }, ct);
        var directory = new TableTenantDirectory(clients);

        var before = await directory.FindAsync("case-old", ct);
        await directory.SetAsync(Contact("case-old", "Nieuw"), ct);

        Assert.Equal(new TenantContact("case-old", "C-1", "Oud", "Lindelaan 1", "3511 XY", "Utrecht"), before);
        Assert.Equal("Nieuw", (await directory.FindAsync("case-old", ct))?.Name);
        Assert.Null(await directory.FindAsync("case-none", ct));
    }

    private static TenantContact Contact(string caseId, string name) =>
        new(caseId, "C-" + caseId, name, "Lindelaan 12", "3511 XY", "Utrecht", "huurder@example.org", null, new DateOnly(1980, 3, 4));
}
