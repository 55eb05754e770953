using System.Globalization;
using System.Text.Json;
using HuurIncasso.Domain.Payments;

namespace HuurIncasso.Integrations.Banking;

/// <summary>
/// Reads the JSON payment events the bank feed webhook accepts: one object or an array of
/// objects with <c>id</c>, <c>bookingDate</c>, <c>amount</c>, <c>direction</c>,
/// <c>counterpartyIban</c>, <c>counterpartyName</c>, <c>remittance</c>,
/// <c>structuredReference</c>, <c>endToEndId</c>, <c>mandateId</c>, <c>reversal</c> and
/// <c>reasonCode</c>. Unknown fields are ignored. Stateless and thread-safe.
/// </summary>
public static class BankEventJson
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 16 };

    /// <summary>Parses the events.</summary>
    /// <exception cref="BankFormatException">
    /// Not JSON (with line and position), or an event misses a required field or has a wrong
    /// value (with the field and array index, e.g. <c>[2].amount</c>).
    /// </exception>
    public static IReadOnlyList<BankTransaction> Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException exception)
        {
            var line = exception.LineNumber is { } l ? (int)l + 1 : (int?)null;
            var position = exception.BytePositionInLine is { } p ? (int)p + 1 : (int?)null;
            throw new BankFormatException($"malformed JSON: {exception.Message}", "de JSON is niet goed gevormd", line, position, innerException: exception);
        }

        using (document)
        {
            var root = document.RootElement;
            return root.ValueKind switch
            {
                JsonValueKind.Object => [ReadEvent(root, string.Empty)],
                JsonValueKind.Array => [.. root.EnumerateArray().Select((item, index) => ReadEvent(item, $"[{index}]"))],
                _ => throw new BankFormatException(
                    "expected a JSON object or an array of objects",
                    "verwacht een JSON-object of een lijst (array) van objecten"),
            };
        }
    }

    private static BankTransaction ReadEvent(JsonElement item, string path)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw FieldError(path, "each event must be a JSON object", "elke gebeurtenis moet een JSON-object zijn");
        }

        var id = RequiredString(item, path, "id");
        var bookingDateText = RequiredString(item, path, "bookingDate");
        if (!DateOnly.TryParseExact(bookingDateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var bookingDate))
        {
            throw FieldError(Join(path, "bookingDate"), $"'{bookingDateText}' is not a date like 2026-11-20", $"'{bookingDateText}' is geen datum als 2026-11-20");
        }

        var amount = ReadAmount(item, path);
        var directionText = RequiredString(item, path, "direction");
        var direction = directionText.ToUpperInvariant() switch
        {
            "CREDIT" or "CRDT" => BankDirection.Credit,
            "DEBIT" or "DBIT" => BankDirection.Debit,
            _ => throw FieldError(Join(path, "direction"), $"'{directionText}' must be credit or debit", $"'{directionText}' moet credit of debit zijn"),
        };

        var reversal = false;
        if (item.TryGetProperty("reversal", out var reversalElement) && reversalElement.ValueKind != JsonValueKind.Null)
        {
            reversal = reversalElement.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw FieldError(Join(path, "reversal"), "must be true or false", "moet true of false zijn"),
            };
        }

        var iban = OptionalString(item, path, "counterpartyIban") is { } rawIban ? Iban.Normalize(rawIban) : null;
        var reference = OptionalString(item, path, "structuredReference") is { } rawReference ? Iban.Normalize(rawReference) : null;
        var referenceType = reference is null ? ReferenceType.None : CamtParser.ClassifyReference(reference, null, null);
        var reasonCode = OptionalString(item, path, "reasonCode");

        var flags = new List<BankDataFlag>();
        if (iban is not null && Iban.Check(iban) is { IsValid: false } ibanCheck)
        {
            flags.Add(new(BankDataFlagCode.InvalidDebtorIban, $"{iban}: {ibanCheck.Reason}"));
        }

        if (CamtParser.ReferenceCheckFor(reference, referenceType) is { IsValid: false } referenceCheck)
        {
            flags.Add(new(BankDataFlagCode.InvalidReference, $"{reference}: {referenceCheck.Reason}"));
        }

        if (reversal && reasonCode is null)
        {
            flags.Add(new(BankDataFlagCode.ReversalWithoutReason, "a reversal without reasonCode"));
        }

        return new BankTransaction
        {
            Amount = amount,
            Direction = direction,
            Reversal = reversal,
            BookingDate = bookingDate,
            BankReference = id,
            EndToEndId = OptionalString(item, path, "endToEndId") is { } e2e && !e2e.Equals("NOTPROVIDED", StringComparison.OrdinalIgnoreCase) ? e2e : null,
            MandateId = OptionalString(item, path, "mandateId"),
            Reference = reference,
            ReferenceType = referenceType,
            Remittance = OptionalString(item, path, "remittance"),
            DebtorName = OptionalString(item, path, "counterpartyName"),
            DebtorIban = iban,
            ReasonCode = reasonCode,
            Source = BankSource.JsonEvent,
            Flags = flags,
            EntryKey = BankTransaction.EventEntryKey(id),
        };
    }

    private static decimal ReadAmount(JsonElement item, string path)
    {
        var field = Join(path, "amount");
        if (!item.TryGetProperty("amount", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            throw FieldError(field, "is required", "is verplicht");
        }

        decimal amount;
        if (element.ValueKind == JsonValueKind.Number)
        {
            if (!element.TryGetDecimal(out amount))
            {
                throw FieldError(field, "is not a usable number", "is geen bruikbaar getal");
            }
        }
        else if (element.ValueKind == JsonValueKind.String)
        {
            // Some senders quote amounts to keep decimals exact; a point is the only separator.
            if (!decimal.TryParse(element.GetString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount))
            {
                throw FieldError(field, $"'{element.GetString()}' is not a number like 123.45", $"'{element.GetString()}' is geen getal als 123.45");
            }
        }
        else
        {
            throw FieldError(field, "must be a number", "moet een getal zijn");
        }

        if (amount <= 0m)
        {
            throw FieldError(field, "must be more than zero; direction says credit or debit", "moet groter dan nul zijn; direction zegt of het bij of af is");
        }

        if (decimal.Round(amount, 2) != amount)
        {
            throw FieldError(field, "has more than two decimals", "heeft meer dan twee decimalen");
        }

        return amount;
    }

    private static string RequiredString(JsonElement item, string path, string name) =>
        OptionalString(item, path, name) ?? throw FieldError(Join(path, name), "is required", "is verplicht");

    private static string? OptionalString(JsonElement item, string path, string name)
    {
        if (!item.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            throw FieldError(Join(path, name), "must be a string", "moet tekst zijn (een string)");
        }

        var value = element.GetString()!.Trim();
        return value.Length == 0 ? null : value;
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static BankFormatException FieldError(string field, string problem, string problemDutch) =>
        new(problem, problemDutch, field: field.Length == 0 ? "(root)" : field);
}
