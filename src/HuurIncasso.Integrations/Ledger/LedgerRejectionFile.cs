using System.Text;

namespace HuurIncasso.Integrations.Ledger;

/// <summary>
/// Writes the rejected records of an import as a CSV a person can fix and import again:
/// the original header plus a <c>fout</c> column, each rejected record exactly as it stood,
/// followed by what was wrong with it. The import ignores the <c>fout</c> column.
/// </summary>
public static class LedgerRejectionFile
{
    /// <summary>Writes the file; <paramref name="rejected"/> holds one entry per rejected record.</summary>
    public static void Write(TextWriter writer, IReadOnlyList<string> header, char separator, IEnumerable<LedgerRecord> rejected)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rejected);
        var originalHeader = header.Where(h => !string.Equals(h.Trim(), LedgerColumns.ErrorColumn, StringComparison.OrdinalIgnoreCase)).ToList();
        var errorIndex = header.ToList().FindIndex(h => string.Equals(h.Trim(), LedgerColumns.ErrorColumn, StringComparison.OrdinalIgnoreCase));

        writer.Write(string.Join(separator, originalHeader.Select(h => Quote(h, separator))));
        writer.Write(separator);
        writer.Write(LedgerColumns.ErrorColumn);
        writer.Write('\n');
        foreach (var record in rejected)
        {
            if (record.Errors.Count == 0) continue;
            var raw = record.Errors[0].RawRecord;
            // A record from an earlier rejection file carries its old error last: drop it, the new one replaces it.
            if (errorIndex == header.Count - 1)
            {
                var cut = LastUnquotedSeparator(raw, separator);
                if (cut >= 0) raw = raw[..cut];
            }

            writer.Write(raw);
            writer.Write(separator);
            writer.Write(Quote(string.Join("; ", record.Errors.Select(e => e.ToString())), separator));
            writer.Write('\n');
        }
    }

    /// <summary>The rejection file as UTF-8 bytes with a BOM, so Excel opens it with the right characters.</summary>
    public static byte[] ToBytes(IReadOnlyList<string> header, char separator, IEnumerable<LedgerRecord> rejected)
    {
        using var writer = new StringWriter();
        Write(writer, header, separator, rejected);
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(writer.ToString())];
    }

    private static string Quote(string value, char separator) =>
        value.Contains(separator, StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal)
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;

    private static int LastUnquotedSeparator(string raw, char separator)
    {
        var inQuotes = false;
        var last = -1;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '"') inQuotes = !inQuotes;
            else if (raw[i] == separator && !inQuotes) last = i;
        }

        return last;
    }
}
