using Azure.Data.Tables;
using HuurIncasso.Azure.Engine;

namespace HuurIncasso.Azure.Tests.Engine;

public sealed class TableBatchTests
{
    private static TableTransactionAction Add(string partition, string row, string? payload = null) =>
        new(TableTransactionActionType.Add, new TableEntity(partition, row) { ["Data"] = payload ?? "x" });

    [Fact]
    public void EnsureValid_OnePartition_Passes()
    {
        TableBatch.EnsureValid([Add("case-1", "state"), Add("case-1", "evt-0000000001"), Add("case-1", "msg-k")]);
    }

    [Fact]
    public void EnsureValid_TwoPartitions_ThrowsNamingTheStrayAction()
    {
        // Azurite accepts such a batch (Azurite issue 1215), Azure refuses it: we refuse it everywhere.
        var ex = Assert.Throws<ArgumentException>(() => TableBatch.EnsureValid([Add("case-1", "state"), Add("case-1", "evt-1"), Add("case-2", "evt-1")]));
        Assert.Contains("action 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'case-2'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'case-1'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureValid_MoreThan100Actions_Throws()
    {
        var actions = Enumerable.Range(0, 101).Select(i => Add("c", $"evt-{i:D10}")).ToList();
        var ex = Assert.Throws<ArgumentException>(() => TableBatch.EnsureValid(actions));
        Assert.Contains("101", ex.Message, StringComparison.Ordinal);
        TableBatch.EnsureValid(actions[..100]); // exactly 100 is allowed
    }

    [Fact]
    public void EnsureValid_Over4MB_Throws()
    {
        var big = new string('a', 30_000); // ~60 KB as UTF-16, 70 of them exceed 4 MB
        var actions = Enumerable.Range(0, 70).Select(i => Add("c", $"evt-{i:D10}", big)).ToList();
        var ex = Assert.Throws<ArgumentException>(() => TableBatch.EnsureValid(actions));
        Assert.Contains("4 MB", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureValid_Empty_Throws()
    {
        Assert.Throws<ArgumentException>(() => TableBatch.EnsureValid([]));
    }
}
