using System.Globalization;
using System.Text.Json;
using HuurIncasso.Integrations.Effects;
using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;

namespace HuurIncasso.Integrations.Documents;

/// <summary>What went into a day's print batch.</summary>
/// <param name="CarriedOver">Letters of earlier days that no batch had taken yet (written after that day's batch, or on a day without one).</param>
/// <param name="LateNotices">Of those, 14-day notices: posted later than the date they carry, so a person checks their term.</param>
public sealed record PrintBatch(DateOnly Day, int Letters, int Pages, string PdfName, string ManifestName, int CarriedOver = 0, int LateNotices = 0);

/// <summary>
/// Puts the letters of one day into one PDF for the mail house
/// (<c>print/{yyyy-MM-dd}.pdf</c>) with a manifest (<c>print/{yyyy-MM-dd}.csv</c>: letter,
/// case, template, first page, pages, postal code, letter date). Each letter starts on an odd
/// page so that duplex printing never puts two tenants on one sheet. Building again gives the
/// same batch plus letters that arrived since. Thread-safe.
/// </summary>
public sealed class PrintBatchBuilder
{
    private readonly DocumentStore _documents;

    /// <summary>Creates the builder and applies PDFsharp's license.</summary>
    public PrintBatchBuilder(DocumentStore documents, Microsoft.Extensions.Options.IOptions<DocumentsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        PdfSetup.Ensure(options.Value.PdfSharpLicense);
        _documents = documents;
    }

    /// <summary>Builds the batch of <paramref name="day"/> from that day's letters only; null when there were none.</summary>
    public Task<PrintBatch?> BuildAsync(DateOnly day, CancellationToken cancellationToken = default) => BuildPendingAsync(day, 0, cancellationToken);

    /// <summary>
    /// Builds the batch of <paramref name="day"/>: its letters plus those of the
    /// <paramref name="lookbackDays"/> days before that no batch took yet (see <see cref="PendingItems"/>).
    /// Null when there is nothing to print.
    /// </summary>
    public async Task<PrintBatch?> BuildPendingAsync(DateOnly day, int lookbackDays, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lookbackDays);
        var earlier = Enumerable.Range(1, lookbackDays).Reverse().Select(back => day.AddDays(-back))
            .Select(d => (DocumentNames.PrintItems(d), DocumentNames.PrintBatch(d)));
        var itemNames = await PendingItems.SelectAsync(_documents, earlier, DocumentNames.PrintItems(day), cancellationToken).ConfigureAwait(false);
        if (itemNames.Count == 0)
        {
            return null;
        }

        var carried = 0;
        var lateNotices = 0;

        using var batch = new PdfDocument();
        batch.Info.Title = $"Printbatch {DocumentNames.Day(day)}";
        var manifest = new List<IReadOnlyList<string>>();
        foreach (var itemName in itemNames)
        {
            var itemData = await _documents.ReadAsync(itemName, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Print item {itemName} vanished while the batch was built.");
            var item = itemData.ToObjectFromJson<PrintItem>(PrintItem.Json)
                ?? throw new InvalidOperationException($"Print item {itemName} is empty.");
            var letter = await _documents.ReadAsync(item.Letter, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Print item {itemName} names letter {item.Letter}, which does not exist.");
            using var source = PdfReader.Open(letter.ToStream(), PdfDocumentOpenMode.Import);
            var firstPage = batch.PageCount + 1;
            foreach (var page in source.Pages)
            {
                batch.AddPage(page);
            }

            if (batch.PageCount % 2 == 1)
            {
                batch.AddPage();
            }

            // The item lies under print/{letter date}/items/.
            var letterDate = itemName.Split('/')[1];
            if (letterDate != DocumentNames.Day(day))
            {
                carried++;
                lateNotices += item.Template == "formal-notice" ? 1 : 0;
            }

            manifest.Add([item.Letter, item.CaseId, item.EffectId, item.Template, firstPage.ToString(CultureInfo.InvariantCulture), source.PageCount.ToString(CultureInfo.InvariantCulture), item.PostalCode, letterDate]);
        }

        var pages = batch.PageCount;
        using var stream = new MemoryStream();
        batch.Save(stream, false);
        var pdfName = DocumentNames.PrintBatch(day);
        var manifestName = DocumentNames.PrintManifest(day);
        await _documents.WriteAsync(pdfName, new BinaryData(stream.ToArray()), "application/pdf", cancellationToken).ConfigureAwait(false);
        await _documents.WriteAsync(manifestName, BinaryData.FromString(Exports.CsvText.Write(["letter", "caseId", "effectId", "template", "firstPage", "pages", "postalCode", "letterDate"], manifest)), "text/csv; charset=utf-8", cancellationToken).ConfigureAwait(false);
        await PendingItems.WriteIncludedAsync(_documents, pdfName, itemNames, cancellationToken).ConfigureAwait(false);
        return new PrintBatch(day, itemNames.Count, pages, pdfName, manifestName, carried, lateNotices);
    }
}
