using Microsoft.Extensions.Logging;

namespace HuurIncasso.Integrations;

/// <summary>The log messages of the outputs, with stable event ids. No personal data: ids and template names only.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Mail {Template} for effect {EffectId} sent via {Via}")]
    public static partial void MailSent(ILogger logger, string template, string effectId, string via);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Mail for effect {EffectId} was sent before; nothing to do")]
    public static partial void MailAlreadySent(ILogger logger, string effectId);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Mail {Template} for effect {EffectId} skipped: the tenant has no e-mail address")]
    public static partial void MailSkippedNoAddress(ILogger logger, string template, string effectId);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "Mail for effect {EffectId} may have been sent by an unfinished attempt; a person must decide")]
    public static partial void MailUncertain(ILogger logger, string effectId);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Letter {Template} for effect {EffectId} written to {Blob}")]
    public static partial void LetterWritten(ILogger logger, string template, string effectId, string blob);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Document {Blob} written for effect {EffectId}")]
    public static partial void DocumentWritten(ILogger logger, string blob, string effectId);
}
