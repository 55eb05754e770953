using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HuurIncasso.Engine;

/// <summary>
/// Takes messages from the inbox and hands them to the engine: messages of one case in
/// order, different cases in parallel, leases renewed while handling takes long, failures
/// retried with backoff and poisoned after <see cref="EngineOptions.MaxDeliveries"/>.
/// Several processors (in one or many processes) compete safely; the loops of one instance
/// never handle the same case at the same moment.
/// </summary>
public sealed class InboxProcessor
{
    private readonly ICaseMessageHandler _handler;
    private readonly IInbox _inbox;
    private readonly OutboxDispatcher _dispatcher;
    private readonly TimeProvider _time;
    private readonly EngineOptions _options;
    private readonly ILogger _logger;
    private readonly CaseLocks _locks = new();

    /// <summary>Creates the processor.</summary>
    public InboxProcessor(ICaseMessageHandler handler, IInbox inbox, OutboxDispatcher dispatcher, TimeProvider time, EngineOptions? options = null, ILogger<InboxProcessor>? logger = null)
    {
        _handler = Check.NotNull(handler);
        _inbox = Check.NotNull(inbox);
        _dispatcher = Check.NotNull(dispatcher);
        _time = Check.NotNull(time);
        _options = options ?? new EngineOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Handles one batch; returns how many messages it took (0: the inbox looked empty).</summary>
    public async Task<int> ProcessBatchAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<InboxLease> leases;
        using (EngineTelemetry.Cause("inbox"))
        {
            leases = await _inbox.ReceiveAsync(_options.ReceiveBatchSize, cancellationToken).ConfigureAwait(false);
        }

        if (leases.Count == 0)
        {
            return 0;
        }

        var groups = leases.GroupBy(l => l.Message?.CaseId ?? "", StringComparer.Ordinal);
        await Parallel.ForEachAsync(groups, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelCases, CancellationToken = cancellationToken }, async (group, ct) =>
        {
            foreach (var lease in group)
            {
                await ProcessAsync(lease, ct).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        return leases.Count;
    }

    /// <summary>
    /// Handles one message delivered by someone else (the Functions host's queue trigger,
    /// which then owns leases, retries and the poison queue) and performs its effects.
    /// </summary>
    /// <exception cref="InvalidCaseMessageException">The text is not an inbox message.</exception>
    public async Task<HandleResult> HandleDeliveredAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!InboxMessageCodec.TryDecode(text, out var message, out var error))
        {
            throw new InvalidCaseMessageException(error!);
        }

        var requests = EngineTelemetry.BeginMessage();
        HandleResult result;
        using (EngineTelemetry.Cause("message"))
        {
            result = await _handler.HandleAsync(message!, cancellationToken).ConfigureAwait(false);
        }

        await _dispatcher.DispatchAsync(message!.CaseId, result.Effects, cancellationToken).ConfigureAwait(false);
        EngineTelemetry.StorageRequestsPerMessage.Record(Interlocked.Read(ref requests.Value));
        return result;
    }

    /// <summary>Handles messages until cancelled, polling an empty inbox at a growing interval.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var idle = _options.IdlePollDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var taken = await ProcessBatchAsync(cancellationToken).ConfigureAwait(false);
                if (taken > 0)
                {
                    idle = _options.IdlePollDelay;
                    continue;
                }

                await Task.Delay(idle, _time, cancellationToken).ConfigureAwait(false);
                idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, _options.IdlePollDelay.Ticks * 4));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.LoopFailed(_logger, "inbox", ex.GetType().Name, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ProcessAsync(InboxLease lease, CancellationToken cancellationToken)
    {
        var requests = EngineTelemetry.BeginMessage();
        try
        {
            await ProcessCoreAsync(lease, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            EngineTelemetry.StorageRequestsPerMessage.Record(Interlocked.Read(ref requests.Value));
        }
    }

    private async Task ProcessCoreAsync(InboxLease lease, CancellationToken cancellationToken)
    {
        if (lease.Message is null)
        {
            await PoisonAsync(lease, "", lease.ReadError ?? "The message could not be read.", cancellationToken).ConfigureAwait(false);
            return;
        }

        var message = lease.Message;
        var holder = new LeaseHolder(lease);
        HandleResult result;
        using (var renewal = new CancellationTokenSource())
        {
            var renewing = RenewWhileHandlingAsync(holder, renewal.Token);
            try
            {
                using (EngineTelemetry.Cause("message"))
                using (await _locks.AcquireAsync(message.CaseId, cancellationToken).ConfigureAwait(false))
                {
                    result = await _handler.HandleAsync(message, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                await StopAsync(renewal, renewing).ConfigureAwait(false);
                await FailAsync(holder.Current, ex, cancellationToken).ConfigureAwait(false);
                return;
            }
            finally
            {
                await StopAsync(renewal, renewing).ConfigureAwait(false);
            }
        }

        using (EngineTelemetry.Cause("inbox"))
        {
            await _inbox.CompleteAsync(holder.Current, cancellationToken).ConfigureAwait(false);
        }

        if (result.Effects.Count > 0)
        {
            await _dispatcher.DispatchAsync(message.CaseId, result.Effects, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FailAsync(InboxLease lease, Exception ex, CancellationToken cancellationToken)
    {
        var caseId = lease.Message!.CaseId;
        if (ex is InvalidCaseMessageException || lease.DequeueCount >= _options.MaxDeliveries)
        {
            await PoisonAsync(lease, caseId, ex.GetType().FullName + ": " + ex.Message + Environment.NewLine + ex.StackTrace, cancellationToken).ConfigureAwait(false);
            Log.Poisoned(_logger, caseId, lease.Id, lease.DequeueCount, ex.GetType().Name);
            return;
        }

        var retryAfter = _options.RetryBackoff * lease.DequeueCount;
        EngineTelemetry.MessagesFailed.Add(1, new KeyValuePair<string, object?>("next", "retry"));
        Log.HandlingFailed(_logger, caseId, lease.DequeueCount, retryAfter, ex.GetType().Name);
        await _inbox.AbandonAsync(lease, retryAfter, cancellationToken).ConfigureAwait(false);
    }

    private async Task PoisonAsync(InboxLease lease, string caseId, string error, CancellationToken cancellationToken)
    {
        EngineTelemetry.MessagesFailed.Add(1, new KeyValuePair<string, object?>("next", "poison"));
        if (caseId.Length == 0)
        {
            Log.Poisoned(_logger, "(unreadable)", lease.Id, lease.DequeueCount, "InvalidCaseMessageException");
        }

        await _inbox.PoisonAsync(lease, error, cancellationToken).ConfigureAwait(false);
    }

    private async Task RenewWhileHandlingAsync(LeaseHolder holder, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.LeaseTime / 2, _time, stop).ConfigureAwait(false);
                holder.Current = await _inbox.RenewAsync(holder.Current, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Handling ended.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The lease is lost (e.g. the receipt expired): another consumer may get the
            // message too. Harmless: the idempotency marker makes the second commit a duplicate.
            Log.HandlingFailed(_logger, holder.Current.Message?.CaseId ?? "", holder.Current.DequeueCount, TimeSpan.Zero, "lease renewal: " + ex.GetType().Name);
        }
    }

    private static async Task StopAsync(CancellationTokenSource renewal, Task renewing)
    {
        if (!renewal.IsCancellationRequested)
        {
            await renewal.CancelAsync().ConfigureAwait(false);
        }

        await renewing.ConfigureAwait(false);
    }

    private sealed class LeaseHolder(InboxLease lease)
    {
        public InboxLease Current { get; set; } = lease;
    }
}
