using PdfSharp;

namespace HuurIncasso.Integrations.Documents;

/// <summary>
/// PDFsharp's process-wide settings: the font resolver (fonts from the package itself) and
/// the license PDFsharp 6.5 insists on before it saves a document. Done once per process.
/// </summary>
public static class PdfSetup
{
    /// <summary>The value of <see cref="DocumentsOptions.PdfSharpLicense"/> that selects the AGPL.</summary>
    public const string Agpl = "AGPL";
    private static readonly Lock Gate = new();
    private static string? s_applied;

    /// <summary>Installs the fonts and applies <paramref name="license"/> ("AGPL" or a commercial key).</summary>
    /// <exception cref="ArgumentException">The license is empty.</exception>
    /// <remarks>PDFsharp itself rejects a commercial key it cannot read, when loading or at the first save.</remarks>
    public static void Ensure(string license)
    {
        if (string.IsNullOrWhiteSpace(license))
        {
            throw new ArgumentException("Documents:PdfSharpLicense is empty: choose 'AGPL' or load a commercial PDFsharp license key.", nameof(license));
        }

        lock (Gate)
        {
            LetterFonts.EnsureInstalled();
            if (s_applied == license)
            {
                return;
            }

            if (string.Equals(license, Agpl, StringComparison.OrdinalIgnoreCase))
            {
                PdfSharpLicense.SetAgplLicense();
            }
            else
            {
                PdfSharpLicense.LoadLicense(license);
            }

            s_applied = license;
        }
    }
}
