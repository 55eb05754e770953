using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Fluid;
using Fluid.Values;
using HuurIncasso.Integrations.Text;

namespace HuurIncasso.Integrations.Documents;

/// <summary>A rendered letter or mail: the subject line and the body as plain text paragraphs.</summary>
public sealed record RenderedMessage(string Template, string Subject, string Body);

/// <summary>
/// Renders the Liquid templates in the templates folder (<c>{name}.liquid</c>). Every template
/// starts with a line <c>Onderwerp: ...</c>; the rest is the body. Variables are strict: a
/// template that uses a value the model lacks fails with its name instead of printing a gap
/// in a letter. Parsed templates are cached; thread-safe.
/// </summary>
public sealed partial class TemplateRenderer
{
    private const string SubjectPrefix = "Onderwerp:";
    private static readonly FluidParser Parser = new();
    private readonly ConcurrentDictionary<string, ParsedTemplate> _cache = new(StringComparer.Ordinal);
    private readonly TemplateOptions _options;

    /// <summary>Creates a renderer over <paramref name="directory"/>.</summary>
    public TemplateRenderer(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = System.IO.Path.GetFullPath(directory);
        _options = new TemplateOptions
        {
            StrictVariables = true,
            StrictFilters = true,
            CultureInfo = DutchFormat.Dutch,
        };
        _options.Filters.AddFilter("euro", EuroFilter);
        _options.Filters.AddFilter("datum", DateFilter);
        _options.Filters.AddFilter("redencode", ReasonCodeFilter);
    }

    /// <summary>The folder the templates are read from.</summary>
    public string Directory { get; }

    /// <summary>The names of all templates in the folder.</summary>
    public IReadOnlyList<string> TemplateNames() =>
        System.IO.Directory.Exists(Directory)
            ? [.. System.IO.Directory.EnumerateFiles(Directory, "*.liquid").Select(f => System.IO.Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)]
            : [];

    /// <summary>True when a template with this name exists.</summary>
    public bool Exists(string template) => File.Exists(PathOf(template));

    /// <summary>Renders <paramref name="template"/> with <paramref name="model"/>.</summary>
    /// <exception cref="TemplateNotFoundException">There is no such template file.</exception>
    /// <exception cref="TemplateRenderException">The template does not parse, uses a value the model lacks, or has no subject line.</exception>
    public async Task<RenderedMessage> RenderAsync(string template, MessageModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var path = PathOf(template);
        var parsed = await LoadAsync(template, path, cancellationToken).ConfigureAwait(false);
        var missing = parsed.DataKeys.Where(k => !model.Data.ContainsKey(k)).ToList();
        if (missing.Count > 0)
        {
            throw new TemplateRenderException(template, path, $"uses {string.Join(", ", missing.Select(k => "data." + k))}, which the case did not pass.");
        }

        var context = new TemplateContext(_options);
        foreach (var (key, value) in model.ToLiquid())
        {
            context.SetValue(key, value);
        }

        string text;
        try
        {
            text = await parsed.Template.RenderAsync(context, NullEncoder.Default).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FluidException or FormatException)
        {
            throw new TemplateRenderException(template, path, ex.Message, ex);
        }

        return Split(template, path, Normalize(text));
    }

    private async Task<ParsedTemplate> LoadAsync(string template, string path, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(template, out var cached))
        {
            return cached;
        }

        if (!File.Exists(path))
        {
            throw new TemplateNotFoundException(template, path);
        }

        var source = await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        if (!Parser.TryParse(source, out var parsed, out var error))
        {
            throw new TemplateRenderException(template, path, "cannot be parsed: " + error);
        }

        // Fluid's strict mode cannot say which member of 'data' is missing, so the keys a
        // template reads are collected up front and checked against each case's data.
        var keys = DataReference().Matches(source).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToArray();
        return _cache.GetOrAdd(template, new ParsedTemplate(parsed, keys));
    }

    private string PathOf(string template)
    {
        if (string.IsNullOrWhiteSpace(template) || !TemplateName().IsMatch(template))
        {
            throw new ArgumentException($"'{template}' is not a template name: use lower-case letters, digits and hyphens.", nameof(template));
        }

        return System.IO.Path.Combine(Directory, template + ".liquid");
    }

    private static RenderedMessage Split(string template, string path, string text)
    {
        var firstBreak = text.IndexOf('\n', StringComparison.Ordinal);
        var first = firstBreak < 0 ? text : text[..firstBreak];
        if (!first.StartsWith(SubjectPrefix, StringComparison.Ordinal))
        {
            throw new TemplateRenderException(template, path, $"the first line must be '{SubjectPrefix} ...' but is '{first}'.");
        }

        var subject = first[SubjectPrefix.Length..].Trim();
        if (subject.Length == 0)
        {
            throw new TemplateRenderException(template, path, "the subject line is empty.");
        }

        var body = firstBreak < 0 ? "" : text[(firstBreak + 1)..].Trim('\n');
        return new RenderedMessage(template, subject, body);
    }

    // Liquid's whitespace control is fiddly; letters should not depend on it: trailing spaces
    // go, and more than one empty line becomes one.
    private static string Normalize(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd());
        return ManyEmptyLines().Replace(string.Join('\n', lines), "\n\n").Trim('\n');
    }

    private static ValueTask<FluidValue> EuroFilter(FluidValue input, FilterArguments arguments, TemplateContext context) =>
        new(new StringValue(DutchFormat.Euro(ToDecimal(input, "euro"))));

    private static ValueTask<FluidValue> DateFilter(FluidValue input, FilterArguments arguments, TemplateContext context)
    {
        var text = input.ToStringValue();
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw new InvalidOperationException($"Filter 'datum' needs a date as yyyy-MM-dd, got '{text}'.");
        }

        return new(new StringValue(date.ToString("d MMMM yyyy", DutchFormat.Dutch)));
    }

    private static ValueTask<FluidValue> ReasonCodeFilter(FluidValue input, FilterArguments arguments, TemplateContext context) =>
        new(new StringValue(SepaReturnReasons.Dutch(input.ToStringValue())));

    private static decimal ToDecimal(FluidValue input, string filter)
    {
        if (input is NumberValue)
        {
            return input.ToNumberValue();
        }

        var text = input.ToStringValue();
        return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidOperationException($"Filter '{filter}' needs an amount like 123.45, got '{text}'.");
    }

    private sealed record ParsedTemplate(IFluidTemplate Template, IReadOnlyList<string> DataKeys);

    [GeneratedRegex(@"\bdata\.([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex DataReference();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,99}$")]
    private static partial Regex TemplateName();

    [GeneratedRegex("\n{3,}")]
    private static partial Regex ManyEmptyLines();
}
