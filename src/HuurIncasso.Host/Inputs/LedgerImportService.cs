using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Engine;
using HuurIncasso.Integrations.Ledger;
using HuurIncasso.Integrations.Tenants;

namespace HuurIncasso.Host.Inputs;

/// <summary>An error in a ledger file: where and what.</summary>
public sealed record LedgerImportError(int Line, string Column, string Message);

/// <summary>What a ledger import did; stored as JSON next to the raw file.</summary>
/// <param name="FileHash">SHA-256 of the content, hex: the file's identity.</param>
/// <param name="AlreadyProcessed">True when this exact file was imported before; nothing changed now.</param>
/// <param name="RawBlob">The raw file in the imports container.</param>
/// <param name="RejectionBlob">The rejected records (same header) when there are any.</param>
public sealed record LedgerImportResult(
    string FileHash,
    string FileName,
    bool AlreadyProcessed,
    DateTimeOffset ImportedAt,
    int Rows,
    int Accepted,
    int Rejected,
    int CasesOpened,
    int CasesRestated,
    int Departures,
    int MessagesSent,
    string RawBlob,
    string? RejectionBlob,
    IReadOnlyList<LedgerImportError> Errors)
{
    /// <summary>True when the file could not be read at all (header missing, wrong separator).</summary>
    public bool FileRejected => Accepted == 0 && Rows == 0 && Errors.Count > 0;
}

/// <summary>Ledger import settings (<c>Ledger</c> section).</summary>
public sealed class LedgerOptions
{
    /// <summary>A contract without a running case gets a case only above this balance (euros). Default 0: any arrears.</summary>
    public decimal OpeningThreshold { get; set; }

    /// <summary>Messages sent to the inbox at the same time.</summary>
    public int Parallelism { get; set; } = 16;

    /// <summary>Cron in Europe/Amsterdam for the monthly run (job <c>monthly-ledger</c>); default the 5th at 06:00; <c>off</c> disables it.</summary>
    public string Schedule { get; set; } = DefaultSchedule;

    /// <summary>The 5th of the month at 06:00: the ERP has closed the month by then.</summary>
    public const string DefaultSchedule = "0 6 5 * *";
}

/// <summary>How far an interrupted import of one file got: the records whose writes and messages are all done, and the counts so far.</summary>
internal sealed record LedgerImportProgress(int Records, int Opened, int Restated, int Departures, int Sent);

/// <summary>
/// Imports the ERP's ledger export: keeps the raw file in Blob under its SHA-256 (the same file
/// twice is recognised and changes nothing), streams the rows in chunks, writes only the
/// contracts and contacts that changed (batched, 100 per transaction), and sends each
/// contract's messages (<see cref="LedgerPlanner"/>) through the case inbox with idempotency
/// keys derived from the file hash. After each chunk a progress blob records how far it got,
/// so an import that stopped half-way goes on from there when run again. Thread-safe.
/// </summary>
public sealed partial class LedgerImportService(
    StorageClients clients,
    ContractRegister register,
    PaymentKeyIndexCache paymentIndex,
    CaseClient<CaseState, CaseMessage, CaseEvent> cases,
    ITenantDirectory tenants,
    Microsoft.Extensions.Options.IOptions<LedgerOptions> options,
    TimeProvider time,
    ILogger<LedgerImportService> logger)
{
    /// <summary>Prefix of every blob this service writes in the imports container.</summary>
    public const string BlobPrefix = "ledger/";

    /// <summary>Rows per chunk: what a re-run after a crash may send twice (the engine drops the repeats by their keys).</summary>
    internal const int ChunkSize = 1_000;

    private static TenantContact ContactOf(LedgerRow row, string caseId) => new(
        caseId, row.ContractId, string.Join(" en ", row.TenantNames), row.Address, row.PostalCode ?? "", row.City ?? "",
        row.Email, row.Phone, row.DateOfBirth);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly BlobContainerClient _container = clients.Blobs.GetBlobContainerClient(clients.Names.ImportsContainer);
    private readonly ContractRegister _register = register;
    private readonly CaseClient<CaseState, CaseMessage, CaseEvent> _cases = cases;
    private readonly ITenantDirectory _tenants = tenants;
    private readonly LedgerOptions _settings = options.Value;

    /// <summary>The blob that marks a file (by hash) as processed.</summary>
    public static string ResultBlobName(string hash) => $"{BlobPrefix}{hash}.result.json";

    /// <summary>The blob that records how far an unfinished import of a file got; removed when it finishes.</summary>
    public static string ProgressBlobName(string hash) => $"{BlobPrefix}{hash}.progress.json";

    /// <summary>Imports <paramref name="content"/>.</summary>
    /// <param name="content">The CSV; read to the end, not closed.</param>
    /// <param name="fileName">The original name, for messages and the result.</param>
    public async Task<LedgerImportResult> ImportAsync(Stream content, string fileName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);

        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        var hash = Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));

        var resultBlob = _container.GetBlobClient(ResultBlobName(hash));
        if (await resultBlob.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            var download = await resultBlob.DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            var previous = download.Value.Content.ToObjectFromJson<LedgerImportResult>(Json)!;
            return previous with { AlreadyProcessed = true };
        }

        var rawName = $"{BlobPrefix}{hash}.csv";
        buffer.Position = 0;
        try
        {
            await _container.GetBlobClient(rawName).UploadAsync(buffer, overwrite: false, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Stored by an import that stopped before its result: the content is the same by its name.
        }

        buffer.Position = 0;
        var now = time.GetUtcNow();
        var reader = LedgerCsvReader.Open(buffer, fileName, leaveOpen: true);
        try
        {
            // The header is checked when first read: a file without the required columns stops here, before anything changes.
            _ = reader.Header;
        }
        catch (LedgerFormatException ex)
        {
            reader.Dispose();
            var failed = new LedgerImportResult(hash, fileName, false, now, 0, 0, 0, 0, 0, 0, 0, rawName, null,
                [new LedgerImportError(ex.Line, ex.Column, ex.Reason)]);
            // No result blob: a corrected file has another hash anyway, and this one may be retried after a fix of the reader.
            return failed;
        }

        using (reader)
        {
            var progressBlob = _container.GetBlobClient(ProgressBlobName(hash));
            var progress = await ReadProgressAsync(progressBlob, cancellationToken).ConfigureAwait(false);
            var run = new ImportRun(this, hash, progressBlob, CaseCore.BusinessDate(now), progress, cancellationToken);
            try
            {
                await run.PrepareAsync().ConfigureAwait(false);
                foreach (var record in reader.ReadRecords())
                {
                    await run.AddAsync(record).ConfigureAwait(false);
                }

                await run.FinishAsync().ConfigureAwait(false);
            }
            catch
            {
                await run.AbandonAsync().ConfigureAwait(false);
                throw;
            }
            finally
            {
                // Also after a failure: the register may have changed before it.
                if (run.RegisterChanged) paymentIndex.Invalidate();
            }

            string? rejectionName = null;
            if (run.Rejected.Count > 0)
            {
                rejectionName = $"{BlobPrefix}{hash}.rejected.csv";
                var bytes = LedgerRejectionFile.ToBytes(reader.Header, reader.Separator, run.Rejected);
                await _container.GetBlobClient(rejectionName).UploadAsync(new BinaryData(bytes), overwrite: true, cancellationToken).ConfigureAwait(false);
            }

            var result = new LedgerImportResult(hash, fileName, false, now, run.Rows, run.Accepted, run.Rejected.Count, run.Opened, run.Restated, run.Departures, run.Sent, rawName, rejectionName, run.Errors);
            // Written last: it marks the file as processed. Until then a run again goes on from the progress blob.
            await resultBlob.UploadAsync(BinaryData.FromObjectAsJson(result, Json), overwrite: true, cancellationToken).ConfigureAwait(false);
            await progressBlob.DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            LogImported(logger, hash, run.Rows, run.Accepted, run.Rejected.Count, run.Opened, run.Restated);
            return result;
        }
    }

    /// <summary>The newest CSV in the imports container's <c>incoming/</c> folder that has not been processed, or null.</summary>
    public async Task<LedgerImportResult?> ImportNewestIncomingAsync(CancellationToken cancellationToken = default)
    {
        BlobItem? newest = null;
        await foreach (var blob in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, "incoming/", cancellationToken).ConfigureAwait(false))
        {
            if (newest is null || blob.Properties.LastModified > newest.Properties.LastModified) newest = blob;
        }

        if (newest is null) return null;
        var download = await _container.GetBlobClient(newest.Name).DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await using var stream = download.Value.Content;
        return await ImportAsync(stream, newest.Name, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<LedgerImportProgress?> ReadProgressAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            var download = await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return download.Value.Content.ToObjectFromJson<LedgerImportProgress>(Json);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// One import of one file, chunk by chunk: plan, write what changed, then send. A chunk's
    /// messages go out while the next chunk is planned and written; a chunk's progress is
    /// recorded only once all its messages are sent, so what is recorded is done.
    /// </summary>
    private sealed class ImportRun(LedgerImportService service, string hash, BlobClient progressBlob, DateOnly asOf, LedgerImportProgress? progress, CancellationToken cancellationToken)
    {
        private readonly LedgerOptions _settings = service._settings;
        private readonly List<LedgerRow> _chunk = new(ChunkSize);
        private HashSet<string> _running = [];
        private Dictionary<string, ContractImportState> _contracts = [];
        private Task _sending = Task.CompletedTask;
        private int _records;

        public List<LedgerRecord> Rejected { get; } = [];
        public List<LedgerImportError> Errors { get; } = [];
        public int Rows { get; private set; }
        public int Accepted { get; private set; }
        public int Opened { get; private set; } = progress?.Opened ?? 0;
        public int Restated { get; private set; } = progress?.Restated ?? 0;
        public int Departures { get; private set; } = progress?.Departures ?? 0;
        public int Sent { get; private set; } = progress?.Sent ?? 0;
        public bool RegisterChanged { get; private set; }

        /// <summary>Reads once what every row is compared with: running cases and the register's state per contract.</summary>
        public async Task PrepareAsync()
        {
            var records = await service._cases.ListAsync(new CaseQuery(HuurIncasso.Engine.CaseStatus.Running, null, int.MaxValue), cancellationToken).ConfigureAwait(false);
            _running = records.Select(r => r.CaseId).ToHashSet(StringComparer.Ordinal);
            _contracts = await service._register.ReadImportStateAsync(cancellationToken).ConfigureAwait(false);
        }

        public async Task AddAsync(LedgerRecord record)
        {
            _records++;
            Rows++;
            if (record.Row is { } row)
            {
                Accepted++;
                // Rows an earlier run of this file finished are read for the counts only.
                if (_records > (progress?.Records ?? 0)) _chunk.Add(row);
            }
            else
            {
                Rejected.Add(record);
                Errors.AddRange(record.Errors.Select(e => new LedgerImportError(e.Line, e.Column, e.Message)));
            }

            if (_chunk.Count == ChunkSize)
            {
                await FlushAsync().ConfigureAwait(false);
            }
        }

        public async Task FinishAsync()
        {
            await FlushAsync().ConfigureAwait(false);
            await _sending.ConfigureAwait(false);
        }

        /// <summary>After a failure: waits until the last chunk's sending stopped, so nothing runs on after the import gave up.</summary>
        public async Task AbandonAsync()
        {
            await Task.WhenAny(_sending).ConfigureAwait(false);
            // Its own failure, if any, is not the one to report.
            _ = _sending.Exception;
        }

        private async Task FlushAsync()
        {
            if (_chunk.Count == 0) return;
            var writes = new List<ContractLedgerWrite>();
            var contacts = new List<TenantContact>();
            var messages = new List<PlannedMessage>();
            foreach (var row in _chunk)
            {
                var before = _contracts.GetValueOrDefault(row.ContractId);
                var current = before?.CurrentCaseId;
                var runningCase = current is not null && _running.Contains(current) ? current : null;
                var plan = LedgerPlanner.Plan(row, hash, runningCase, asOf, _settings.OpeningThreshold);
                messages.AddRange(plan.Messages);
                Opened += plan.Messages.Count(m => m.Message is OpenCase);
                Restated += plan.Messages.Count(m => m.Message is RecordLedgerMonth);
                Departures += plan.Messages.Count(m => m.Message is RecordTenantDeparture or RecordLedgerMonth { Departure: not null });

                string? contactHash = null;
                if (plan.CurrentCaseId is { } caseId)
                {
                    var contact = ContactOf(row, caseId);
                    contactHash = LedgerFingerprint.Of(contact);
                    if (contactHash != before?.ContactHash) contacts.Add(contact);
                }

                var after = new ContractImportState(plan.CurrentCaseId ?? current, LedgerFingerprint.Of(row), contactHash ?? before?.ContactHash);
                if (after != before)
                {
                    writes.Add(new ContractLedgerWrite(row, plan.CurrentCaseId, after.LedgerHash!, contactHash));
                }

                _contracts[row.ContractId] = after;
            }

            // Contacts before the register: the register's contact fingerprint may only say what the directory holds.
            // Both before the messages: a case's first letter finds its contact, a payment on the way finds the case.
            await service._tenants.SetManyAsync(contacts, cancellationToken).ConfigureAwait(false);
            RegisterChanged |= writes.Count > 0;
            await service._register.UpsertLedgerAsync(writes, cancellationToken).ConfigureAwait(false);
            await _sending.ConfigureAwait(false);
            Sent += messages.Count;
            _sending = SendAsync(messages, new LedgerImportProgress(_records, Opened, Restated, Departures, Sent));
            _chunk.Clear();
        }

        private async Task SendAsync(List<PlannedMessage> messages, LedgerImportProgress reached)
        {
            // One case's messages one after the other, in the planned order (an OpenCase before its departure); cases side by side.
            await Parallel.ForEachAsync(
                messages.GroupBy(m => m.CaseId, StringComparer.Ordinal),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _settings.Parallelism), CancellationToken = cancellationToken },
                async (group, ct) =>
                {
                    foreach (var m in group)
                    {
                        await service._cases.SendAsync(m.CaseId, m.Message.MessageId, m.Message, cancellationToken: ct).ConfigureAwait(false);
                    }
                }).ConfigureAwait(false);
            await progressBlob.UploadAsync(BinaryData.FromObjectAsJson(reached, Json), overwrite: true, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Ledger file {Hash} imported: {Rows} rows, {Accepted} accepted, {Rejected} rejected, {Opened} cases opened, {Restated} restated.")]
    private static partial void LogImported(ILogger logger, string hash, int rows, int accepted, int rejected, int opened, int restated);
}
