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

    /// <summary><see cref="TemplatesPath"/> made absolute.</summary>
    public string TemplatesFullPath => Path.IsPathRooted(TemplatesPath) ? TemplatesPath : Path.Combine(AppContext.BaseDirectory, TemplatesPath);
}
