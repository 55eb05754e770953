using System.Text;

namespace HuurIncasso.Integrations.Exports;

/// <summary>
/// Semicolon-separated CSV (what Dutch spreadsheet users open without an import step), RFC 4180
/// quoting: a field with ';', '"' or a line break is quoted, quotes doubled. A field starting
/// with '=', '+', '-' or '@' gets a leading apostrophe so a spreadsheet never runs it as a formula.
/// </summary>
internal static class CsvText
{
    public static string Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var text = new StringBuilder();
        AppendRow(text, header);
        foreach (var row in rows)
        {
            AppendRow(text, row);
        }

        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                text.Append(';');
            }

            var field = fields[i];
            if (field.Length > 0 && field[0] is '=' or '+' or '@' || (field.StartsWith('-') && !decimal.TryParse(field, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out _)))
            {
                field = "'" + field;
            }

            text.Append(field.AsSpan().IndexOfAny(";\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field);
        }

        text.Append("\r\n");
    }
}
