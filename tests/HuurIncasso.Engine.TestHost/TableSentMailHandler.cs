using Azure;
using Azure.Data.Tables;
using HuurIncasso.Engine;

namespace HuurIncasso.Engine.TestHost;

/// <summary>
/// "Sends" a mail by adding a row keyed by the effect id to the sent table: the add fails
/// with 409 when the mail went out before, so a mail is never sent twice for one effect id,
/// however often the outbox hands it over.
/// </summary>
public sealed class TableSentMailHandler(TableClient sent) : IEffectHandler
{
    public const string TableSuffix = "sent";

    public string Kind => "mail";

    public async Task HandleAsync(Effect effect, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(effect);
        try
        {
            await sent.AddEntityAsync(new TableEntity(effect.CaseId, effect.Id) { ["Payload"] = effect.Payload, ["Pid"] = Environment.ProcessId }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Sent before: this is the at-least-once delivery of the outbox made harmless.
        }
    }
}
