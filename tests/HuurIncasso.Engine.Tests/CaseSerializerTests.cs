using HuurIncasso.Testing.Engine;

namespace HuurIncasso.Engine.Tests;

public sealed class CaseSerializerTests
{
    private static CaseSerializer<AccountState, AccountMessage, AccountEvent> KeepingObjects() => new(null, reuseWrittenObjects: true, keepObjects: true);

    [Fact]
    public void KeepObjects_StateAndEvent_ReadBackAsTheSameObjectsWithoutJson()
    {
        var serializer = KeepingObjects();
        var state = new AccountState("a1", "v1", 12.5m, 3, [], 0, 0, false);
        var @event = new Deposited(10m);

        var stateText = serializer.SerializeState(state);
        var eventText = serializer.SerializeEvent(@event);

        Assert.True(serializer.KeepsObjects);
        Assert.StartsWith(CaseSerializer<AccountState, AccountMessage, AccountEvent>.ReferencePrefix, stateText, StringComparison.Ordinal);
        Assert.StartsWith(CaseSerializer<AccountState, AccountMessage, AccountEvent>.ReferencePrefix, eventText, StringComparison.Ordinal);
        Assert.NotEqual(stateText, eventText);
        Assert.Same(state, serializer.DeserializeState(stateText));
        Assert.Same(@event, serializer.DeserializeEvent(eventText));
    }

    [Fact]
    public void KeepObjectsWithoutEvents_Event_AReferenceThatReadsBackAsNothing()
    {
        var serializer = new CaseSerializer<AccountState, AccountMessage, AccountEvent>(null, reuseWrittenObjects: true, keepObjects: true) { KeepsEvents = false };

        var text = serializer.SerializeEvent(new Deposited(10m));

        Assert.StartsWith(CaseSerializer<AccountState, AccountMessage, AccountEvent>.ReferencePrefix, text, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => serializer.DeserializeEvent(text));
    }

    [Fact]
    public void KeepObjects_Message_AReferenceThatACopyOfTheTextCanRead()
    {
        var serializer = KeepingObjects();
        var message = new Deposit(10m);

        var text = serializer.SerializeMessage(message);
        var copy = new string(text.AsSpan());

        Assert.StartsWith(CaseSerializer<AccountState, AccountMessage, AccountEvent>.ReferencePrefix, text, StringComparison.Ordinal);
        Assert.NotSame(text, copy);
        Assert.Same(message, serializer.DeserializeMessage(text));
        Assert.Same(message, serializer.DeserializeMessage(copy));
    }

    [Fact]
    public void KeepObjects_MessageReference_ThroughTheInboxText_ReadsBack()
    {
        var serializer = KeepingObjects();
        var message = new Withdraw(4m);
        var text = InboxMessageCodec.Encode(new InboxMessage("a1", "k1", serializer.SerializeMessage(message)));

        Assert.True(InboxMessageCodec.TryDecode(text, out var decoded, out _));
        Assert.Same(message, serializer.DeserializeMessage(decoded!.Body));
    }

    [Fact]
    public void KeepObjects_MessageReference_NotReadAsAnEvent()
    {
        var serializer = KeepingObjects();
        var text = serializer.SerializeMessage(new Deposit(1m));

        Assert.Throws<InvalidOperationException>(() => serializer.DeserializeEvent(text));
    }

    [Fact]
    public void KeepObjects_JsonText_StillReadAsJson()
    {
        var json = new CaseSerializer<AccountState, AccountMessage, AccountEvent>().SerializeMessage(new Withdraw(3m));

        Assert.Equal(new Withdraw(3m), KeepingObjects().DeserializeMessage(json));
    }

    [Fact]
    public void KeepObjects_ReferenceOfAnotherSerializer_ClearErrorNamingTheText()
    {
        var reference = KeepingObjects().SerializeState(new AccountState("a1", "v1", 0m, 0, [], 0, 0, false));
        var other = KeepingObjects();

        var state = Assert.Throws<InvalidOperationException>(() => other.DeserializeState(reference));
        var message = Assert.Throws<InvalidCaseMessageException>(() => other.DeserializeMessage(reference));

        Assert.Contains(reference, state.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(AccountState), state.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(AccountMessage), message.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeepObjects_EventReferenceOfAnotherSerializer_NotReadAsItsEvent()
    {
        // Events are kept by number: the same number in another serializer is another event.
        var first = KeepingObjects();
        var other = KeepingObjects();
        var reference = first.SerializeEvent(new Deposited(1m));
        other.SerializeEvent(new Deposited(2m));

        var error = Assert.Throws<InvalidOperationException>(() => other.DeserializeEvent(reference));

        Assert.Contains(reference, error.Message, StringComparison.Ordinal);
        Assert.Equal(new Deposited(1m), first.DeserializeEvent(reference));
    }

    [Fact]
    public void KeepObjects_ReferenceToAnotherType_NotReadAsThatType()
    {
        var serializer = KeepingObjects();
        var eventText = serializer.SerializeEvent(new Deposited(1m));

        Assert.Throws<InvalidOperationException>(() => serializer.DeserializeState(eventText));
        Assert.Throws<InvalidCaseMessageException>(() => serializer.DeserializeMessage(eventText));
    }

    [Fact]
    public void Default_WritesJson()
    {
        var text = new CaseSerializer<AccountState, AccountMessage, AccountEvent>().SerializeMessage(new Deposit(2m));

        Assert.StartsWith("{", text, StringComparison.Ordinal);
    }
}
