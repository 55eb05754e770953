using PdfSharp.Fonts;
using PdfSharp.WPFonts;

namespace HuurIncasso.Integrations.Documents;

/// <summary>
/// PDFsharp 6 on Linux finds no system fonts by itself. This resolver serves the Segoe WP
/// faces that ship inside the PDFsharp package (PdfSharp.WPFonts), so letters render the
/// same on every machine with nothing installed besides NuGet packages.
/// </summary>
internal sealed class LetterFonts : IFontResolver
{
    /// <summary>The family name letters use.</summary>
    public const string Family = "Segoe WP";
    private const string Regular = "SegoeWP";
    private const string Bold = "SegoeWP-Bold";
    private static readonly Lock Gate = new();

    /// <summary>Installs the resolver once per process, unless the host installed its own.</summary>
    public static void EnsureInstalled()
    {
        lock (Gate)
        {
            GlobalFontSettings.FontResolver ??= new LetterFonts();
        }
    }

    /// <inheritdoc />
    public FontResolverInfo? ResolveTypeface(string familyName, bool isBold, bool isItalic) =>
        new(isBold ? Bold : Regular, false, isItalic);

    /// <inheritdoc />
    public byte[]? GetFont(string faceName) => faceName == Bold ? FontDataHelper.SegoeWPBold : FontDataHelper.SegoeWP;
}
