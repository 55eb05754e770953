using HuurIncasso.Azure.Storage;

namespace HuurIncasso.Azure.Tests;

public sealed class StorageOptionsValidatorTests
{
    private readonly StorageOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_UseDevelopmentStorage()
    {
        var options = new StorageOptions();
        Assert.Equal(StorageOptions.DevelopmentStorage, options.ConnectionString);
        Assert.True(_validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_OneEndpointOnly_NamesTheMissingSettings()
    {
        var result = _validator.Validate(null, new StorageOptions { TableEndpoint = new Uri("https://acc.table.core.windows.net") });
        Assert.True(result.Failed);
        Assert.Contains("Storage:QueueEndpoint", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Storage:BlobEndpoint", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("Storage:TableEndpoint", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoConnectionStringAndNoEndpoints_Fails()
    {
        var result = _validator.Validate(null, new StorageOptions { ConnectionString = " " });
        Assert.True(result.Failed);
        Assert.Contains("Storage:ConnectionString", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AllThreeEndpoints_Succeeds()
    {
        var result = _validator.Validate(null, new StorageOptions
        {
            ConnectionString = null,
            TableEndpoint = new Uri("https://acc.table.core.windows.net"),
            QueueEndpoint = new Uri("https://acc.queue.core.windows.net"),
            BlobEndpoint = new Uri("https://acc.blob.core.windows.net"),
        });
        Assert.True(result.Succeeded);
    }
}
