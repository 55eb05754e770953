using System.Globalization;
using System.Text.Json;
using HuurIncasso.Integrations.Effects;
using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;

namespace HuurIncasso.Integrations.Documents;

/// <summary>What went into a day's print batch.</summary>
public sealed record PrintBatch(DateOnly Day, int Letters, int Pages, string PdfName, string ManifestName);

/// <summary>
/// Puts the letters of one day into one PDF for the mail house
/// (<c>print/{yyyy-MM-dd}.pdf</c>) with a manifest (<c>print/{yyyy-MM-dd}.csv</c>: letter,
/// case, template, first page, pages, postal code). Each letter starts on an odd page so
/// that duplex printing never puts two tenants on one sheet. Building again gives the same
/// batch plus letters that arrived since. Thread-safe.
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

    /// <summary>Builds the batch of <paramref name="day"/>; null when there were no letters.</summary>
    public async Task<PrintBatch?> BuildAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        var itemNames = await _documents.ListAsync(DocumentNames.PrintItems(day), cancellationToken).ConfigureAwait(false);
        if (itemNames.Count == 0)
        {
            return null;
        }

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

            manifest.Add([item.Letter, item.CaseId, item.EffectId, item.Template, firstPage.ToString(CultureInfo.InvariantCulture), source.PageCount.ToString(CultureInfo.InvariantCulture), item.PostalCode]);
        }

        var pages = batch.PageCount;
        using var stream = new MemoryStream();
        batch.Save(stream, false);
        var pdfName = DocumentNames.PrintBatch(day);
        var manifestName = DocumentNames.PrintManifest(day);
        await _documents.WriteAsync(pdfName, new BinaryData(stream.ToArray()), "application/pdf", cancellationToken).ConfigureAwait(false);
        await _documents.WriteAsync(manifestName, BinaryData.FromString(Exports.CsvText.Write(["letter", "caseId", "effectId", "template", "firstPage", "pages", "postalCode"], manifest)), "text/csv; charset=utf-8", cancellationToken).ConfigureAwait(false);
        return new PrintBatch(day, itemNames.Count, pages, pdfName, manifestName);
    }
}
