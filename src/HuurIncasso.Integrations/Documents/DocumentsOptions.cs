using System.ComponentModel.DataAnnotations;

namespace HuurIncasso.Integrations.Documents;

/// <summary>Where templates come from and what goes into exports.</summary>
public sealed class DocumentsOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Documents";

    /// <summary>The folder with the <c>*.liquid</c> templates; relative to the executable's folder.</summary>
    [Required(ErrorMessage = "Documents:TemplatesPath is required (the folder with the *.liquid templates).")]
    public string TemplatesPath { get; set; } = "templates";

    /// <summary>
    /// The PDFsharp license (PDFsharp 6.5 refuses to save a PDF until one is chosen): "AGPL"
    /// for the AGPL (only if this installation's code is AGPL-licensed and open), or a
    /// commercial license key as PDFsharp issues it (base64). A legal choice, so no default.
    /// </summary>
    [Required(ErrorMessage = "Documents:PdfSharpLicense is required: 'AGPL' (when the installation is AGPL-licensed open source) or a commercial PDFsharp license key. Letters cannot be written without it.")]
    public string PdfSharpLicense { get; set; } = "";

    /// <summary>
    /// The columns of the monthly early-signal list, in order. The covenant's model agreement
    /// decides the data set (UNCONFIRMED list, LEGAL.md), so it is a setting. Known fields:
    /// see <see cref="Exports.ReferralRecord.Fields"/>.
    /// </summary>
    public string[] EarlySignalFields { get; set; } = [.. DefaultFields];

    /// <summary>The columns of the daily referral lists for the other partners (credit bank, public health, debt counselling).</summary>
    public string[] ReferralFields { get; set; } = [.. DefaultFields];

    /// <summary>The columns of both lists when the settings name none: what a referral partner needs to reach the tenant.</summary>
    internal static string[] DefaultFields =>
        ["name", "street", "postalCode", "city", "dateOfBirth", "phone", "email", "arrears", "monthsInArrears", "contractNumber"];

    /// <summary><see cref="TemplatesPath"/> made absolute.</summary>
    public string TemplatesFullPath => Path.IsPathRooted(TemplatesPath) ? TemplatesPath : Path.Combine(AppContext.BaseDirectory, TemplatesPath);
}
