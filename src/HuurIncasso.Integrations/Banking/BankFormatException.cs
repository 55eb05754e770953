namespace HuurIncasso.Integrations.Banking;

/// <summary>
/// A bank file or event that cannot be read at all: malformed XML or JSON, a forbidden DTD, a
/// missing amount. Carries where (line, position, field) and what was wrong, in English and Dutch.
/// </summary>
/// <remarks>
/// Data that can be read but is doubtful (a bad IBAN, a bad check digit) never raises this; it
/// is flagged on the transaction instead (<see cref="BankTransaction.Flags"/>).
/// </remarks>
public sealed class BankFormatException : Exception
{
    public BankFormatException()
        : this("The bank data cannot be read.", "De bankgegevens zijn niet te lezen.")
    {
    }

    public BankFormatException(string message)
        : this(message, message)
    {
    }

    public BankFormatException(string message, Exception innerException)
        : this(message, message, innerException: innerException)
    {
    }

    public BankFormatException(string problem, string problemDutch, int? lineNumber = null, int? linePosition = null, string? field = null, Exception? innerException = null)
        : base(Describe(problem, lineNumber, linePosition, field), innerException)
    {
        Problem = problem;
        ProblemDutch = problemDutch;
        LineNumber = lineNumber;
        LinePosition = linePosition;
        Field = field;
    }

    /// <summary>What was wrong, in English.</summary>
    public string Problem { get; }

    /// <summary>What was wrong, in Dutch, for people.</summary>
    public string ProblemDutch { get; }

    /// <summary>1-based line of the problem, when known.</summary>
    public int? LineNumber { get; }

    /// <summary>1-based position on that line, when known.</summary>
    public int? LinePosition { get; }

    /// <summary>The element or field path, e.g. <c>[2].amount</c> or <c>Ntry/Amt</c>.</summary>
    public string? Field { get; }

    /// <summary>A Dutch sentence naming the file, line and field, for a person.</summary>
    public string ToDutchMessage(string? fileName)
    {
        var where = new List<string>();
        if (!string.IsNullOrEmpty(fileName))
        {
            where.Add($"bestand '{fileName}'");
        }

        if (LineNumber is { } line)
        {
            where.Add(LinePosition is { } position ? $"regel {line}, positie {position}" : $"regel {line}");
        }

        if (!string.IsNullOrEmpty(Field))
        {
            where.Add($"veld {Field}");
        }

        return where.Count == 0 ? ProblemDutch : $"{string.Join(", ", where)}: {ProblemDutch}";
    }

    private static string Describe(string problem, int? lineNumber, int? linePosition, string? field)
    {
        var where = new List<string>();
        if (lineNumber is { } line)
        {
            where.Add(linePosition is { } position ? $"line {line}, position {position}" : $"line {line}");
        }

        if (!string.IsNullOrEmpty(field))
        {
            where.Add($"field {field}");
        }

        return where.Count == 0 ? problem : $"{string.Join(", ", where)}: {problem}";
    }
}
