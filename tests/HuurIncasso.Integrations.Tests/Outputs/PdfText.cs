using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Content;
using PdfSharp.Pdf.Content.Objects;
using PdfSharp.Pdf.IO;

namespace HuurIncasso.Integrations.Tests.Outputs;

/// <summary>
/// Reads the text back out of a PDF with PDFsharp's own reader: the content stream's text
/// operators, decoded through each font's ToUnicode map (or as single bytes without one).
/// Enough for the letters we write; not a general extractor.
/// </summary>
internal static partial class PdfText
{
    public static string Extract(byte[] pdf)
    {
        using var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);
        var text = new StringBuilder();
        foreach (var page in document.Pages)
        {
            var maps = FontMaps(page);
            Dictionary<int, string>? current = null;
            Walk(ContentReader.ReadContent(page), text, maps, ref current);
            text.Append('\n');
        }

        return text.ToString();
    }

    private static void Walk(CSequence sequence, StringBuilder text, Dictionary<string, Dictionary<int, string>?> maps, ref Dictionary<int, string>? current)
    {
        foreach (var item in sequence)
        {
            if (item is not COperator op)
            {
                continue;
            }

            switch (op.OpCode.Name)
            {
                case "Tf":
                    current = op.Operands[0] is CName name && maps.TryGetValue(name.Name, out var map) ? map : null;
                    break;
                case "Tj":
                    Decode(op.Operands[0], text, current);
                    text.Append('\n');
                    break;
                case "TJ":
                    foreach (var part in (CArray)op.Operands[0])
                    {
                        Decode(part, text, current);
                    }

                    text.Append('\n');
                    break;
            }
        }
    }

    private static void Decode(CObject operand, StringBuilder text, Dictionary<int, string>? map)
    {
        if (operand is not CString s)
        {
            return;
        }

        if (map is null)
        {
            // Without a ToUnicode map PDFsharp wrote WinAnsi: Latin-1 but for 0x80, the euro sign.
            text.Append(s.Value.Replace('\u0080', '€'));
            return;
        }

        var value = s.Value;
        for (var i = 0; i + 1 < value.Length; i += 2)
        {
            var code = (value[i] << 8) | value[i + 1];
            text.Append(map.TryGetValue(code, out var unicode) ? unicode : "?");
        }
    }

    private static Dictionary<string, Dictionary<int, string>?> FontMaps(PdfPage page)
    {
        var result = new Dictionary<string, Dictionary<int, string>?>(StringComparer.Ordinal);
        var fonts = page.Resources.Elements.GetDictionary("/Font");
        if (fonts is null)
        {
            return result;
        }

        foreach (var key in fonts.Elements.Keys)
        {
            var font = fonts.Elements.GetDictionary(key);
            var toUnicode = font?.Elements.GetDictionary("/ToUnicode");
            result[key] = toUnicode?.Stream is { } stream ? ParseCMap(Encoding.Latin1.GetString(stream.UnfilteredValue)) : null;
        }

        return result;
    }

    private static Dictionary<int, string> ParseCMap(string cmap)
    {
        var map = new Dictionary<int, string>();
        foreach (Match m in Range().Matches(cmap))
        {
            var from = int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var to = int.Parse(m.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var start = int.Parse(m.Groups[3].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            for (var code = from; code <= to; code++)
            {
                map[code] = char.ConvertFromUtf32(start + code - from);
            }
        }

        foreach (Match m in Single().Matches(cmap))
        {
            map[int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)] =
                char.ConvertFromUtf32(int.Parse(m.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        }

        return map;
    }

    [GeneratedRegex(@"^[ \t]*<([0-9A-Fa-f]{4})>[ \t]*<([0-9A-Fa-f]{4})>[ \t]*<([0-9A-Fa-f]{4,8})>[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex Range();

    [GeneratedRegex(@"^[ \t]*<([0-9A-Fa-f]{4})>[ \t]*<([0-9A-Fa-f]{4,8})>[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex Single();
}
