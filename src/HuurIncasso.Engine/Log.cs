using Microsoft.Extensions.Logging;

namespace HuurIncasso.Engine;

// Stable event ids; messages name cases and kinds only, never message or state content,
// which may hold personal data.
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Debug, "Case {CaseId}: message handled ({Outcome}, {EventCount} events, {Attempts} attempts).")]
    public static partial void Handled(ILogger logger, string caseId, HandleOutcome outcome, int eventCount, int attempts);

    [LoggerMessage(1002, LogLevel.Warning, "Case {CaseId}: handling failed on delivery {Delivery}; retry in {RetryAfter}. {ErrorType}")]
    public static partial void HandlingFailed(ILogger logger, string caseId, long delivery, TimeSpan retryAfter, string errorType);

    [LoggerMessage(1003, LogLevel.Error, "Case {CaseId}: message {MessageId} moved to the poison queue after {Delivery} deliveries. {ErrorType}")]
    public static partial void Poisoned(ILogger logger, string caseId, string messageId, long delivery, string errorType);

    [LoggerMessage(1004, LogLevel.Warning, "Effect {EffectId} ({Kind}) failed, attempt {Attempt}. {ErrorType}")]
    public static partial void EffectFailed(ILogger logger, string effectId, string kind, int attempt, string errorType);

    [LoggerMessage(1005, LogLevel.Warning, "No effect handler for kind {Kind} (effect {EffectId}).")]
    public static partial void NoHandler(ILogger logger, string kind, string effectId);

    [LoggerMessage(1006, LogLevel.Information, "Case {CaseId}: {Command} by command.")]
    public static partial void StatusChanged(ILogger logger, string caseId, string command);

    [LoggerMessage(1007, LogLevel.Information, "Case {CaseId}: {Count} parked messages sent to the inbox again.")]
    public static partial void Released(ILogger logger, string caseId, int count);

    [LoggerMessage(1008, LogLevel.Information, "Swept {Timers} due timers and {Effects} pending effects.")]
    public static partial void Swept(ILogger logger, int timers, int effects);

    [LoggerMessage(1009, LogLevel.Error, "The engine loop {Loop} failed; it continues after a pause. {ErrorType}")]
    public static partial void LoopFailed(ILogger logger, string loop, string errorType, Exception exception);

    [LoggerMessage(1010, LogLevel.Information, "Poisoned message {MessageId} sent to the inbox again.")]
    public static partial void Requeued(ILogger logger, string messageId);
}
