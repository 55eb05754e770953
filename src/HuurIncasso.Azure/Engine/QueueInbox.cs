using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Engine;

namespace HuurIncasso.Azure.Engine;

/// <summary>
/// The inbox on Azure Queue storage (base64 text, as host.json sets it for the Functions
/// host): competing consumers, leases by visibility timeout and pop receipt, and a poison
/// queue that keeps the message text with its error. Messages never expire. Thread-safe.
/// </summary>
public sealed class QueueInbox : IInbox
{
    /// <summary>Queue messages hold 64 KB; base64 takes a third more, so the text must stay below this.</summary>
    public const int MaxMessageChars = 46_000;

    private static readonly TimeSpan NeverExpire = TimeSpan.FromSeconds(-1);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly QueueClient _inbox;
    private readonly QueueClient _poison;
    private readonly TimeProvider _time;
    private readonly TimeSpan _leaseTime;

    /// <summary>Uses the inbox and poison queues of <paramref name="clients"/>.</summary>
    public QueueInbox(StorageClients clients, TimeProvider time, EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(options);
        _inbox = clients.Queues.GetQueueClient(clients.Names.InboxQueue);
        _poison = clients.Queues.GetQueueClient(clients.Names.PoisonQueue);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _leaseTime = options.LeaseTime;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The message is too large for a queue; keep large data in Blob and send a reference.</exception>
    public Task SendAsync(InboxMessage message, TimeSpan? delay = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SendTextAsync(InboxMessageCodec.Encode(message), delay, cancellationToken);
    }

    /// <summary>Sends raw text (tests use this to send what no producer would).</summary>
    public async Task SendTextAsync(string text, TimeSpan? delay = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxMessageChars)
        {
            throw new ArgumentException($"An inbox message holds at most {MaxMessageChars} characters; this one has {text.Length}. Keep large data in Blob storage and send a reference.", nameof(text));
        }

        await _inbox.SendMessageAsync(text, delay, NeverExpire, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<InboxLease>> ReceiveAsync(int max, CancellationToken cancellationToken = default)
    {
        var received = await _inbox.ReceiveMessagesAsync(Math.Clamp(max, 1, 32), _leaseTime, cancellationToken).ConfigureAwait(false);
        return [.. received.Value.Select(m =>
        {
            var text = m.Body.ToString();
            InboxMessageCodec.TryDecode(text, out var message, out var error);
            return new InboxLease(message, m.MessageId, m.DequeueCount, m.PopReceipt, text, error);
        })];
    }

    /// <inheritdoc />
    public async Task CompleteAsync(InboxLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        try
        {
            await _inbox.DeleteMessageAsync(lease.Id, lease.Receipt, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 400)
        {
            // The lease ran out and another consumer holds the message: it will find it a duplicate.
        }
    }

    /// <inheritdoc />
    public async Task AbandonAsync(InboxLease lease, TimeSpan retryAfter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        try
        {
            await _inbox.UpdateMessageAsync(lease.Id, lease.Receipt, visibilityTimeout: retryAfter, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 400)
        {
            // The lease ran out already: the message is visible again anyway.
        }
    }

    /// <inheritdoc />
    public async Task<InboxLease> RenewAsync(InboxLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var receipt = await _inbox.UpdateMessageAsync(lease.Id, lease.Receipt, visibilityTimeout: _leaseTime, cancellationToken: cancellationToken).ConfigureAwait(false);
        return lease with { Receipt = receipt.Value.PopReceipt };
    }

    /// <inheritdoc />
    public async Task PoisonAsync(InboxLease lease, string error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var envelope = new PoisonEnvelope(lease.Message?.CaseId, lease.RawText, error.Length > 8000 ? error[..8000] : error, lease.DequeueCount, _time.GetUtcNow());
        await _poison.SendMessageAsync(JsonSerializer.Serialize(envelope, Json), null, NeverExpire, cancellationToken).ConfigureAwait(false);
        await CompleteAsync(lease, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PoisonedMessage>> ListPoisonedAsync(int max, CancellationToken cancellationToken = default)
    {
        var peeked = await _poison.PeekMessagesAsync(Math.Clamp(max, 1, 32), cancellationToken).ConfigureAwait(false);
        return [.. peeked.Value.Select(m => ToPoisoned(m.MessageId, m.Body.ToString()))];
    }

    /// <inheritdoc />
    public async Task<bool> RequeuePoisonedAsync(string poisonedId, CancellationToken cancellationToken = default)
    {
        // Queues cannot fetch one message by id: take a batch, keep the one, give the rest back.
        var received = await _poison.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        var found = false;
        foreach (var message in received.Value)
        {
            if (message.MessageId == poisonedId)
            {
                var poisoned = ToPoisoned(message.MessageId, message.Body.ToString());
                await _inbox.SendMessageAsync(poisoned.RawText, null, NeverExpire, cancellationToken).ConfigureAwait(false);
                await _poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
                found = true;
            }
            else
            {
                await _poison.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }

        return found;
    }

    private static PoisonedMessage ToPoisoned(string id, string text)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize<PoisonEnvelope>(text, Json);
            if (envelope is not null)
            {
                return new PoisonedMessage(id, envelope.CaseId, envelope.Text, envelope.Error, envelope.Attempts, envelope.PoisonedAt);
            }
        }
        catch (JsonException)
        {
            // Put there by someone else: show it as it is.
        }

        return new PoisonedMessage(id, null, text, "Not written by the engine.", 0, default);
    }

    private sealed record PoisonEnvelope(string? CaseId, string Text, string Error, long Attempts, DateTimeOffset PoisonedAt);
}
