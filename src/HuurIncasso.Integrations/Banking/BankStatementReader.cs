using System.Text;

namespace HuurIncasso.Integrations.Banking;

/// <summary>
/// Reads whatever the bank feed receives: a camt.053 statement, a camt.054 notification
/// (or a camt.052 report), or JSON events, recognised by content rather than by name.
/// Stateless and thread-safe.
/// </summary>
public static class BankStatementReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The most bytes read from a stream; a statement of a year of a large corporation stays far below it.</summary>
    public const int MaxBytes = 64 * 1024 * 1024;

    /// <summary>Reads a file or request body.</summary>
    /// <param name="content">The bytes; read to the end, not closed.</param>
    /// <param name="fileName">The name, only used in messages.</param>
    /// <param name="maxBytes">The most bytes accepted; default <see cref="MaxBytes"/>.</param>
    /// <exception cref="BankFormatException">The content cannot be read or is too large; the message says where.</exception>
    public static BankStatementFile Read(Stream content, string? fileName = null, int maxBytes = MaxBytes)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = content.Read(chunk, 0, chunk.Length)) > 0)
        {
            // Stop early rather than buffer an endless upload first.
            if (buffer.Length + read > maxBytes)
            {
                throw new BankFormatException($"the content is larger than {maxBytes} bytes", $"het bestand is groter dan {maxBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        var (text, fallback) = Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        return Read(text, fileName, fallback);
    }

    /// <summary>Reads text already decoded.</summary>
    /// <exception cref="BankFormatException">The content cannot be read; the message says where.</exception>
    public static BankStatementFile Read(string content, string? fileName = null) => Read(content, fileName, encodingFallback: false);

    private static BankStatementFile Read(string content, string? fileName, bool encodingFallback)
    {
        ArgumentNullException.ThrowIfNull(content);
        var first = content.AsSpan().TrimStart().TrimStart('\uFEFF');
        if (first.IsEmpty)
        {
            throw new BankFormatException("the content is empty", "het bestand is leeg");
        }

        return first[0] switch
        {
            '<' => CamtParser.Parse(content.TrimStart('\uFEFF'), encodingFallback),
            '{' or '[' => new BankStatementFile(BankSource.JsonEvent, null, null, [], BankEventJson.Parse(content.TrimStart('\uFEFF'))),
            _ => throw new BankFormatException(
                $"not camt XML or JSON events{(fileName is null ? string.Empty : $" ({Path.GetFileName(fileName)})")}: the content starts with '{first[0]}'",
                $"dit is geen camt-XML en geen JSON: de inhoud begint met '{first[0]}'",
                1, 1),
        };
    }

    /// <summary>
    /// UTF-8 (or UTF-16 with a byte order mark); bytes that are not valid UTF-8 are read as
    /// Latin-1, because one bank is known to send such files, and the caller flags that.
    /// </summary>
    private static (string Text, bool Fallback) Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }
        else if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return (Encoding.Unicode.GetString(bytes[2..]), false);
        }
        else if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return (Encoding.BigEndianUnicode.GetString(bytes[2..]), false);
        }

        if (DeclaredEncoding(bytes) is { } declared && declared.CodePage != Encoding.UTF8.CodePage)
        {
            return (declared.GetString(bytes), false);
        }

        try
        {
            return (StrictUtf8.GetString(bytes), false);
        }
        catch (DecoderFallbackException)
        {
            return (Encoding.Latin1.GetString(bytes), true);
        }
    }

    /// <summary>The encoding named in an XML declaration (<c>encoding="ISO-8859-1"</c>), when it names one .NET knows.</summary>
    private static Encoding? DeclaredEncoding(ReadOnlySpan<byte> bytes)
    {
        var head = Encoding.ASCII.GetString(bytes[..Math.Min(bytes.Length, 200)]);
        if (!head.StartsWith("<?xml", StringComparison.Ordinal))
        {
            return null;
        }

        var declarationEnd = head.IndexOf("?>", StringComparison.Ordinal);
        var declaration = declarationEnd < 0 ? head : head[..declarationEnd];
        var at = declaration.IndexOf("encoding", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var quoteAt = declaration.IndexOfAny(['"', '\''], at);
        if (quoteAt < 0)
        {
            return null;
        }

        var closeAt = declaration.IndexOf(declaration[quoteAt], quoteAt + 1);
        if (closeAt < 0)
        {
            return null;
        }

        var name = declaration[(quoteAt + 1)..closeAt].Trim();
        try
        {
            // Windows-1252 and the like live in the code-pages provider, not in the default set.
            return CodePagesEncodingProvider.Instance.GetEncoding(name) ?? Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
