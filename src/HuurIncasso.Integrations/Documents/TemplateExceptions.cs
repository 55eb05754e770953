namespace HuurIncasso.Integrations.Documents;

/// <summary>The case asked for a template that is not in the templates folder.</summary>
public sealed class TemplateNotFoundException(string template, string path)
    : Exception($"Template '{template}' does not exist: expected the file {path}. Add it, or fix the step id in the policy.")
{
    /// <summary>The template name the case asked for.</summary>
    public string Template { get; } = template;

    /// <summary>Where the file was expected.</summary>
    public string Path { get; } = path;
}

/// <summary>A template that cannot be parsed or rendered; the message names the file and what is wrong.</summary>
public sealed class TemplateRenderException(string template, string path, string problem, Exception? inner = null)
    : Exception($"Template '{template}' ({path}): {problem}", inner)
{
    /// <summary>The template name.</summary>
    public string Template { get; } = template;

    /// <summary>The template file.</summary>
    public string Path { get; } = path;
}
