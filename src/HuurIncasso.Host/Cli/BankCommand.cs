using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using HuurIncasso.Integrations.Banking;

namespace HuurIncasso.Host.Cli;

/// <summary><c>huurincasso bank parse FILE [--json]</c>: reads a camt.053/054 file or JSON events and shows the transactions.</summary>
internal static class BankCommand
{
    /// <summary>Exit code when the file is missing or cannot be read.</summary>
    public const int FileError = 1;

    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        // Names like Yılmaz stay readable; the output goes to a terminal or a file, not into HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "Het bestand: camt.053, camt.054 (XML) of JSON-betaalgebeurtenissen." };
        var json = new Option<bool>("--json") { Description = "Toon de transacties als JSON in plaats van als tabel." };
        var parse = new Command("parse", "Lees een bankbestand en toon de transacties.");
        parse.Arguments.Add(file);
        parse.Options.Add(json);
        parse.SetAction((result, ct) => ParseAsync(
            result.GetValue(file)!,
            result.GetValue(json),
            result.InvocationConfiguration.Output,
            result.InvocationConfiguration.Error,
            ct));

        var bank = new Command("bank", "Bankbestanden en betalingen.");
        bank.Subcommands.Add(parse);
        return bank;
    }

    public static async Task<int> ParseAsync(FileInfo file, bool asJson, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        BankStatementFile statement;
        try
        {
            if (!file.Exists)
            {
                await error.WriteLineAsync($"Fout: bestand '{file.FullName}' bestaat niet.").ConfigureAwait(false);
                return FileError;
            }

            await using var stream = file.OpenRead();
            statement = BankStatementReader.Read(stream, file.Name);
        }
        catch (BankFormatException exception)
        {
            await error.WriteLineAsync($"Fout: {exception.ToDutchMessage(file.FullName)}").ConfigureAwait(false);
            return FileError;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"Fout: bestand '{file.FullName}' is niet te lezen: {exception.Message}").ConfigureAwait(false);
            return FileError;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var text = asJson ? ToJson(statement) : ToTable(statement, file.Name);
        await output.WriteAsync(text).ConfigureAwait(false);
        return 0;
    }

    internal static string ToJson(BankStatementFile statement)
    {
        var rows = statement.Transactions.Select(t => new TransactionJson(
            t.Amount,
            t.Direction == BankDirection.Credit ? "credit" : "debit",
            t.Reversal,
            t.BookingDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            t.BankReference,
            t.EndToEndId,
            t.MandateId,
            t.Reference,
            t.ReferenceType switch
            {
                ReferenceType.Betalingskenmerk => "betalingskenmerk",
                ReferenceType.CreditorReference => "rf",
                ReferenceType.Other => "other",
                _ => null,
            },
            t.Remittance,
            t.DebtorName,
            t.DebtorIban,
            t.ReasonCode,
            t.Currency,
            t.EntryKey,
            [.. t.Flags.Select(f => new FlagJson(JsonNamingPolicy.CamelCase.ConvertName(f.Code.ToString()), f.Detail))]));
        return JsonSerializer.Serialize(rows, JsonOptions) + Environment.NewLine;
    }

    internal static string ToTable(BankStatementFile statement, string fileName)
    {
        var writer = new StringWriter(Dutch);
        var kind = statement.Format switch
        {
            BankSource.Camt053 => "camt.053-afschrift",
            BankSource.Camt054 => "camt.054-melding",
            BankSource.Camt052 => "camt.052-rapport",
            _ => "JSON-betaalgebeurtenissen",
        };
        writer.WriteLine($"{fileName}: {kind}{(statement.MessageVersion is { } v ? $" ({v})" : string.Empty)}, {statement.Transactions.Count} transacties");
        writer.WriteLine();

        string[] header = ["Datum", "Bedrag", "Bij/af", "Storno", "Kenmerk", "Naam", "IBAN", "Reden", "Omschrijving"];
        var rows = statement.Transactions.Select(t => new[]
        {
            t.BookingDate.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture),
            t.Amount.ToString("N2", Dutch),
            t.Direction == BankDirection.Credit ? "bij" : "af",
            t.Reversal ? "ja" : string.Empty,
            t.Reference ?? string.Empty,
            Shorten(t.DebtorName, 28),
            t.DebtorIban ?? string.Empty,
            t.ReasonCode ?? string.Empty,
            Shorten(t.Remittance, 40),
        }).ToList();

        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        writer.WriteLine(FormatRow(header, widths));
        writer.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        for (var i = 0; i < rows.Count; i++)
        {
            writer.WriteLine(FormatRow(rows[i], widths));
            foreach (var flag in statement.Transactions[i].Flags)
            {
                writer.WriteLine($"    let op: {flag.DutchLabel} ({flag.Detail})");
            }
        }

        var credits = statement.Transactions.Where(t => t.Direction == BankDirection.Credit).Sum(t => t.Amount);
        var debits = statement.Transactions.Where(t => t.Direction == BankDirection.Debit).Sum(t => t.Amount);
        var flagged = statement.Transactions.Count(t => t.Flags.Count > 0);
        writer.WriteLine();
        writer.WriteLine($"Totaal bij: € {credits.ToString("N2", Dutch)}; totaal af: € {debits.ToString("N2", Dutch)}; met waarschuwing: {flagged}.");
        return writer.ToString();
    }

    private static string FormatRow(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((cell, i) => i == 1 ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]))).TrimEnd();

    private static string Shorten(string? text, int length) =>
        text is null ? string.Empty : text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");

    private sealed record TransactionJson(
        decimal Amount,
        string Direction,
        bool Reversal,
        string BookingDate,
        string? BankReference,
        string? EndToEndId,
        string? MandateId,
        string? Reference,
        string? ReferenceType,
        string? Remittance,
        string? DebtorName,
        string? DebtorIban,
        string? ReasonCode,
        string Currency,
        string EntryKey,
        IReadOnlyList<FlagJson> Flags);

    private sealed record FlagJson(string Code, string Detail);
}
