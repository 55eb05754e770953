using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace HuurIncasso.Domain.Policies;

/// <summary>Collects errors while reading; every read names the line and field path.</summary>
internal sealed class ErrorSink
{
    public List<PolicyError> Errors { get; } = [];

    public void Add(YamlNode? node, string path, string message) => Errors.Add(new PolicyError(LineOf(node), path, message));

    public void Add(int line, string path, string message) => Errors.Add(new PolicyError(line, path, message));

    public static int LineOf(YamlNode? node) => node is null ? 1 : (int)node.Start.Line;
}

/// <summary>
/// Reads one mapping of the policy file. Each getter reports a missing or malformed value as an
/// error and returns null, so that loading goes on and finds every problem in one pass.
/// </summary>
internal sealed partial class MapReader
{
    private readonly YamlMappingNode node;
    private readonly ErrorSink sink;
    private readonly HashSet<string> read = new(StringComparer.Ordinal);

    public MapReader(YamlMappingNode node, string path, ErrorSink sink)
    {
        this.node = node;
        Path = path;
        this.sink = sink;
    }

    public string Path { get; }

    public int Line => ErrorSink.LineOf(node);

    public ErrorSink Sink => sink;

    public static MapReader? From(YamlNode? value, string path, ErrorSink sink)
    {
        if (value is YamlMappingNode map)
        {
            return new MapReader(map, path, sink);
        }

        sink.Add(value, path, "verwacht een lijst van velden (naam: waarde)");
        return null;
    }

    public string Sub(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public YamlNode? Node(string key, bool required)
    {
        read.Add(key);
        foreach (var (k, v) in node.Children)
        {
            if (k is YamlScalarNode s && s.Value == key)
            {
                return v;
            }
        }

        if (required)
        {
            sink.Add(node, Sub(key), "ontbreekt");
        }

        return null;
    }

    public int LineOf(string key) => ErrorSink.LineOf(Node(key, required: false) ?? node);

    public string? String(string key, bool required = true)
    {
        var value = Node(key, required);
        if (value is null)
        {
            return null;
        }

        if (value is YamlScalarNode { Value: { Length: > 0 } text })
        {
            return text;
        }

        sink.Add(value, Sub(key), "verwacht een tekst");
        return null;
    }

    public int? Int(string key, bool required = true, int min = 0, int max = int.MaxValue)
    {
        var text = Scalar(key, required);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            sink.Add(Node(key, false), Sub(key), $"'{text}' is geen geheel getal");
            return null;
        }

        if (value < min || value > max)
        {
            sink.Add(Node(key, false), Sub(key), max == int.MaxValue ? $"{value} is kleiner dan {min}" : $"{value} ligt niet tussen {min} en {max}");
            return null;
        }

        return value;
    }

    public decimal? Decimal(string key, bool required = true, decimal min = 0m)
    {
        var text = Scalar(key, required);
        if (text is null)
        {
            return null;
        }

        if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
        {
            sink.Add(Node(key, false), Sub(key), $"'{text}' is geen getal (gebruik een punt: 50.00)");
            return null;
        }

        if (value < min)
        {
            sink.Add(Node(key, false), Sub(key), $"{value.ToString(CultureInfo.InvariantCulture)} is kleiner dan {min.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }

        return value;
    }

    public bool? Bool(string key, bool required = false)
    {
        var text = Scalar(key, required);
        if (text is null)
        {
            return null;
        }

        switch (text)
        {
            case "true":
                return true;
            case "false":
                return false;
            default:
                sink.Add(Node(key, false), Sub(key), $"'{text}' is geen true of false");
                return null;
        }
    }

    public DateOnly? Date(string key, bool required = true)
    {
        var text = Scalar(key, required);
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        sink.Add(Node(key, false), Sub(key), $"'{text}' is geen datum (jjjj-mm-dd)");
        return null;
    }

    /// <summary>A duration in whole days: <c>5d</c> or <c>2w</c>.</summary>
    public int? Duration(string key, bool required = false)
    {
        var text = Scalar(key, required);
        if (text is null)
        {
            return null;
        }

        var match = DurationPattern().Match(text);
        if (!match.Success)
        {
            sink.Add(Node(key, false), Sub(key), $"'{text}' is geen duur (schrijf bijvoorbeeld 5d of 2w)");
            return null;
        }

        var amount = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value == "w" ? amount * 7 : amount;
    }

    public TEnum? Enum<TEnum>(string key, bool required = true)
        where TEnum : struct, System.Enum
    {
        var text = Scalar(key, required);
        return text is null ? null : ParseEnum<TEnum>(text, Node(key, false), Sub(key), sink);
    }

    public static TEnum? ParseEnum<TEnum>(string text, YamlNode? at, string path, ErrorSink sink)
        where TEnum : struct, System.Enum
    {
        // Names in the file are camelCase (earlySignal); the enum is PascalCase.
        if (text.Length > 0 && char.IsLower(text[0]) && System.Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && !int.TryParse(text, out _))
        {
            return value;
        }

        var allowed = string.Join(", ", System.Enum.GetNames<TEnum>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]));
        sink.Add(at, path, $"'{text}' is onbekend; kies uit: {allowed}");
        return null;
    }

    /// <summary>A list of scalars (<c>[a, b]</c>); absent means empty.</summary>
    public List<(string Value, YamlNode Node)> Scalars(string key, bool required = false)
    {
        var value = Node(key, required);
        var result = new List<(string, YamlNode)>();
        if (value is null)
        {
            return result;
        }

        if (value is not YamlSequenceNode seq)
        {
            sink.Add(value, Sub(key), "verwacht een lijst, zoals [a, b]");
            return result;
        }

        var i = 0;
        foreach (var item in seq.Children)
        {
            if (item is YamlScalarNode { Value: { Length: > 0 } text })
            {
                result.Add((text, item));
            }
            else
            {
                sink.Add(item, $"{Sub(key)}[{i}]", "verwacht een tekst");
            }

            i++;
        }

        return result;
    }

    /// <summary>A list of mappings; each comes with its path (<c>ladder[3]</c>).</summary>
    public List<MapReader> Maps(string key, bool required = true)
    {
        var value = Node(key, required);
        var result = new List<MapReader>();
        if (value is null)
        {
            return result;
        }

        if (value is not YamlSequenceNode seq)
        {
            sink.Add(value, Sub(key), "verwacht een lijst (regels die beginnen met '-')");
            return result;
        }

        var i = 0;
        foreach (var item in seq.Children)
        {
            var reader = From(item, $"{Sub(key)}[{i}]", sink);
            if (reader is not null)
            {
                result.Add(reader);
            }

            i++;
        }

        return result;
    }

    public MapReader? Map(string key, bool required = true)
    {
        var value = Node(key, required);
        return value is null ? null : From(value, Sub(key), sink);
    }

    /// <summary>Reports every field that no getter asked for: usually a typo.</summary>
    public void RejectUnknown()
    {
        foreach (var (k, v) in node.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "?";
            if (!read.Contains(name))
            {
                sink.Add(k, Sub(name), "onbekend veld");
            }
        }
    }

    private string? Scalar(string key, bool required)
    {
        var value = Node(key, required);
        if (value is null)
        {
            return null;
        }

        if (value is YamlScalarNode { Value: { Length: > 0 } text })
        {
            return text;
        }

        sink.Add(value, Sub(key), "verwacht één waarde");
        return null;
    }

    [GeneratedRegex("^([0-9]{1,4})([dw])$")]
    private static partial Regex DurationPattern();
}
