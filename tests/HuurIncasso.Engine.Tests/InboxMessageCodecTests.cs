namespace HuurIncasso.Engine.Tests;

public sealed class InboxMessageCodecTests
{
    [Fact]
    public void EncodeThenDecode_ReturnsTheSameMessage()
    {
        var message = new InboxMessage("case-1", "bank-entry-77", """{"$type":"deposit","amount":12.5}""");
        Assert.True(InboxMessageCodec.TryDecode(InboxMessageCodec.Encode(message), out var decoded, out var error));
        Assert.Equal(message, decoded);
        Assert.Null(error);
    }

    [Fact]
    public void EncodeThenDecode_Timer_KeepsTheDueInstant()
    {
        var due = new DateTimeOffset(2026, 12, 5, 5, 0, 0, TimeSpan.Zero);
        var message = new InboxMessage("case-1", "timer-1", "", due);
        Assert.True(InboxMessageCodec.TryDecode(InboxMessageCodec.Encode(message), out var decoded, out _));
        Assert.True(decoded!.IsTimer);
        Assert.Equal(due, decoded.TimerDue);
    }

    [Theory]
    [InlineData("not json", "not JSON")] // garbage on the queue
    [InlineData("""{"key":"k"}""", "caseId")] // no case
    [InlineData("""{"caseId":"c"}""", "key")] // no idempotency key
    public void TryDecode_Invalid_SaysWhy(string text, string expected)
    {
        Assert.False(InboxMessageCodec.TryDecode(text, out var message, out var error));
        Assert.Null(message);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
