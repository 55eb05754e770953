using HuurIncasso.Integrations.Documents;
using PdfSharp.Pdf.IO;

namespace HuurIncasso.Integrations.Tests.Outputs;

/// <summary>The layout of letters and documents that run over more than one page.</summary>
public sealed class LetterPdfTests
{
    [Fact]
    public void Write_BodyLongerThanAPage_GoesOnOnTheNextPageWithEveryLine()
    {
        var pdf = new LetterPdf(Samples.Corporation, Samples.DocumentsOptions);
        var paragraphs = Enumerable.Range(1, 60).Select(i => $"Alinea {i}: wij vragen u de achterstand te betalen.");
        var message = new RenderedMessage("herinnering", "Herinnering", string.Join("\n\n", paragraphs));

        var bytes = pdf.Write(message, Samples.Tenant("case-1"), new DateOnly(2026, 12, 7), "case-1:0000000003:1");

        Assert.True(PageCount(bytes) >= 2);
        var text = PdfText.Extract(bytes);
        Assert.All(Enumerable.Range(1, 60), i => Assert.Contains($"Alinea {i}:", text, StringComparison.Ordinal));
        Assert.Contains("Onderwerp: Herinnering", text, StringComparison.Ordinal);
        // The letterhead and the address are on the first page only.
        Assert.Equal(1, Count(text, Samples.Tenant("case-1").Street));
    }

    [Fact]
    public void WriteDocument_ManyLines_PagedWithEveryLineOnce()
    {
        var pdf = new LetterPdf(Samples.Corporation, Samples.DocumentsOptions);
        var lines = Enumerable.Range(1, 150).Select(i => $"Regel {i:D3}").ToList();

        var bytes = pdf.WriteDocument("Overdrachtsdossier C-1", lines, "case-1:0000000009:0");

        Assert.True(PageCount(bytes) >= 3);
        var text = PdfText.Extract(bytes);
        Assert.All(lines, line => Assert.Equal(1, Count(text, line)));
        Assert.Equal(1, Count(text, "Overdrachtsdossier C-1"));
    }

    private static int PageCount(byte[] pdf)
    {
        using var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);
        return document.PageCount;
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
