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

/// <summary>
/// Imports the ERP's ledger export: keeps the raw file in Blob under its SHA-256 (the same file
/// twice is recognised and changes nothing), streams the rows, updates the contract register,
/// and sends each contract's messages (<see cref="LedgerPlanner"/>) through the case inbox with
/// idempotency keys derived from the file hash. Thread-safe.
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

    private const int ChunkSize = 500;

    private static TenantContact ContactOf(LedgerRow row, string caseId) => new(
        caseId, row.ContractId, string.Join(" en ", row.TenantNames), row.Address, row.PostalCode ?? "", row.City ?? "",
        row.Email, row.Phone, row.DateOfBirth);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly BlobContainerClient _container = clients.Blobs.GetBlobContainerClient(clients.Names.ImportsContainer);

    /// <summary>The blob that marks a file (by hash) as processed.</summary>
    public static string ResultBlobName(string hash) => $"{BlobPrefix}{hash}.result.json";

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
        var asOf = CaseCore.BusinessDate(now);
        var settings = options.Value;
        var errors = new List<LedgerImportError>();
        var rejected = new List<LedgerRecord>();
        int rows = 0, accepted = 0, opened = 0, restated = 0, departures = 0, sent = 0;

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
            var running = await RunningCasesAsync(cancellationToken).ConfigureAwait(false);
            var known = (await register.ListAsync(cancellationToken).ConfigureAwait(false))
                .ToDictionary(c => c.ContractId, c => c.CurrentCaseId, StringComparer.Ordinal);
            var chunk = new List<LedgerRow>(ChunkSize);
            foreach (var record in reader.ReadRecords())
            {
                rows++;
                if (record.Row is { } row)
                {
                    accepted++;
                    chunk.Add(row);
                }
                else
                {
                    rejected.Add(record);
                    errors.AddRange(record.Errors.Select(e => new LedgerImportError(e.Line, e.Column, e.Message)));
                }

                if (chunk.Count == ChunkSize)
                {
                    await FlushAsync().ConfigureAwait(false);
                }
            }

            await FlushAsync().ConfigureAwait(false);

            async Task FlushAsync()
            {
                if (chunk.Count == 0) return;
                var plans = chunk.Select(r =>
                {
                    var current = known.GetValueOrDefault(r.ContractId);
                    var runningCase = current is not null && running.Contains(current) ? current : null;
                    return (Row: r, Plan: LedgerPlanner.Plan(r, hash, runningCase, asOf, settings.OpeningThreshold));
                }).ToList();

                // The register first: a payment arriving while the messages are on their way finds the case.
                await register.UpsertLedgerAsync([.. plans.Select(p => (p.Row, p.Plan.CurrentCaseId))], cancellationToken).ConfigureAwait(false);
                foreach (var (row, plan) in plans)
                {
                    if (plan.CurrentCaseId is not null) known[row.ContractId] = plan.CurrentCaseId;
                    opened += plan.Messages.Count(m => m.Message is OpenCase);
                    restated += plan.Messages.Count(m => m.Message is RestateBalance);
                    departures += plan.Messages.Count(m => m.Message is RecordTenantDeparture);
                }

                // Then the contact facts per case, before the case's first letter or mail can ask for them.
                await Parallel.ForEachAsync(
                    plans.Where(p => p.Plan.CurrentCaseId is not null),
                    new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, settings.Parallelism), CancellationToken = cancellationToken },
                    async (p, ct) => await tenants.SetAsync(ContactOf(p.Row, p.Plan.CurrentCaseId!), ct).ConfigureAwait(false)).ConfigureAwait(false);

                var messages = plans.SelectMany(p => p.Plan.Messages).ToList();
                await Parallel.ForEachAsync(
                    messages,
                    new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, settings.Parallelism), CancellationToken = cancellationToken },
                    async (m, ct) => await cases.SendAsync(m.CaseId, m.Message.MessageId, m.Message, cancellationToken: ct).ConfigureAwait(false)).ConfigureAwait(false);
                sent += messages.Count;
                chunk.Clear();
            }

            string? rejectionName = null;
            if (rejected.Count > 0)
            {
                rejectionName = $"{BlobPrefix}{hash}.rejected.csv";
                var bytes = LedgerRejectionFile.ToBytes(reader.Header, reader.Separator, rejected);
                await _container.GetBlobClient(rejectionName).UploadAsync(new BinaryData(bytes), overwrite: true, cancellationToken).ConfigureAwait(false);
            }

            var result = new LedgerImportResult(hash, fileName, false, now, rows, accepted, rejected.Count, opened, restated, departures, sent, rawName, rejectionName, errors);
            // Written last: it marks the file as processed, so an import that stopped half-way runs again (its messages are idempotent).
            await resultBlob.UploadAsync(BinaryData.FromObjectAsJson(result, Json), overwrite: true, cancellationToken).ConfigureAwait(false);
            paymentIndex.Invalidate();
            LogImported(logger, hash, rows, accepted, rejected.Count, opened, restated);
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

    private async Task<HashSet<string>> RunningCasesAsync(CancellationToken cancellationToken)
    {
        var records = await cases.ListAsync(new CaseQuery(HuurIncasso.Engine.CaseStatus.Running, null, int.MaxValue), cancellationToken).ConfigureAwait(false);
        return records.Select(r => r.CaseId).ToHashSet(StringComparer.Ordinal);
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Ledger file {Hash} imported: {Rows} rows, {Accepted} accepted, {Rejected} rejected, {Opened} cases opened, {Restated} restated.")]
    private static partial void LogImported(ILogger logger, string hash, int rows, int accepted, int rejected, int opened, int restated);
}
