namespace HuurIncasso.Azure.Storage;

/// <summary>
/// Every table, queue and blob container HuurIncasso uses, in one place, so provisioning
/// at start and the code that uses them cannot drift apart.
/// </summary>
public sealed class StorageNames
{
    /// <summary>Creates the names with the given prefix (see <see cref="StorageOptions.Prefix"/>).</summary>
    public StorageNames(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        Prefix = prefix;
    }

    /// <summary>The prefix in front of every name.</summary>
    public string Prefix { get; }

    /// <summary>One partition per case: state row, events, outbox, idempotency markers.</summary>
    public string CasesTable => Prefix + "cases";

    /// <summary>Timers due, indexed by due time, swept into the inbox.</summary>
    public string TimersTable => Prefix + "timers";

    /// <summary>Messages addressed to cases. Queue names allow hyphens, tables do not.</summary>
    public string InboxQueue => Prefix + "inbox";

    /// <summary>
    /// Queue <paramref name="shard"/> of a sharded inbox: shard 0 is <see cref="InboxQueue"/> itself,
    /// so a one-queue installation and a Functions queue trigger on "inbox" keep working.
    /// </summary>
    public string InboxShardQueue(int shard) =>
        shard == 0 ? InboxQueue : InboxQueue + "-" + shard.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The engine's bookkeeping: host heartbeats (who prefers which inbox shard) and its indexes.</summary>
    public string EngineTable => Prefix + "engine";

    /// <summary>Messages that failed too often, kept with their error.</summary>
    public string PoisonQueue => Prefix + "inbox-poison";

    /// <summary>
    /// Behind the Functions host: one message per handled inbox message that left effects, so
    /// the effect-dispatch function performs them apart from the decision (and retries on its own).
    /// </summary>
    public string EffectsQueue => Prefix + "effects";

    /// <summary>Raw imports (ledger files, bank statements) kept as received.</summary>
    public string ImportsContainer => Prefix + "imports";

    /// <summary>Letters, exports, dossiers and reports produced by the system.</summary>
    public string DocumentsContainer => Prefix + "documents";

    /// <summary>Engine payloads too large for a table row (state, events, effects), by content hash.</summary>
    public string PayloadsContainer => Prefix + "payloads";

    /// <summary>One row per mail effect: intent before sending, outcome after, so a mail goes out once.</summary>
    public string SentMailTable => Prefix + "sentmail";

    /// <summary>Contact facts of the tenant per case (name, address, e-mail), filled by the ledger import.</summary>
    public string TenantsTable => Prefix + "tenants";

    /// <summary>Mails kept instead of sent when no SendGrid key is set (development, demos).</summary>
    public string MailCaptureContainer => Prefix + "mailcapture";

    /// <summary>The contract register: the ledger's facts per contract, learned IBANs, current case, payments waiting for a case.</summary>
    public string ContractsTable => Prefix + "contracts";

    /// <summary>Bank entries already handled, by entry key: a statement posted twice changes nothing.</summary>
    public string BankEntriesTable => Prefix + "bankentries";

    /// <summary>Every applied bank payment with how it was matched (method and explanation).</summary>
    public string PaymentsTable => Prefix + "payments";

    /// <summary>Payments no contract could be found for, with the candidates, for a person to assign.</summary>
    public string UnknownPaymentsTable => Prefix + "unknownpayments";

    /// <summary>One blob per scheduled job whose lease lets one host at a time run it.</summary>
    public string LocksContainer => Prefix + "locks";

    /// <summary>All tables, for provisioning.</summary>
    public IReadOnlyList<string> Tables => [CasesTable, TimersTable, SentMailTable, TenantsTable, ContractsTable, BankEntriesTable, PaymentsTable, UnknownPaymentsTable, EngineTable];

    /// <summary>All queues, for provisioning.</summary>
    public IReadOnlyList<string> Queues => [InboxQueue, PoisonQueue, EffectsQueue];

    /// <summary>All blob containers, for provisioning.</summary>
    public IReadOnlyList<string> Containers => [ImportsContainer, DocumentsContainer, PayloadsContainer, MailCaptureContainer, LocksContainer];
}
