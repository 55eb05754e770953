using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using HuurIncasso.Domain.Payments;

namespace HuurIncasso.Integrations.Banking;

/// <summary>
/// Reads ISO 20022 camt.053 (statements), camt.054 (notifications) and camt.052 (reports) of
/// any version by local element names, so a new namespace version does not break it.
/// </summary>
/// <remarks>
/// DTDs are refused and no external resource is ever resolved. Bad IBANs and check digits are
/// read and flagged; only XML that cannot be read, or an entry without amount, direction or
/// date, raises <see cref="BankFormatException"/>. Stateless and thread-safe.
/// </remarks>
public static class CamtParser
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    /// <summary>Settings that make XML parsing safe for files from outside: no DTD, no resolver.</summary>
    public static XmlReaderSettings SafeReaderSettings => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
        // A bound on what one file may expand to; a statement of a large corporation stays far below it.
        MaxCharactersInDocument = 256L * 1024 * 1024,
    };

    /// <summary>Parses camt XML text.</summary>
    /// <param name="xml">The XML.</param>
    /// <param name="encodingFallback">True when the caller had to decode the bytes as Latin-1; every transaction is then flagged.</param>
    /// <exception cref="BankFormatException">The XML is malformed, holds a DTD, or is not a camt message.</exception>
    public static BankStatementFile Parse(string xml, bool encodingFallback = false)
    {
        ArgumentNullException.ThrowIfNull(xml);
        var document = Load(xml);
        return Read(document, encodingFallback);
    }

    private static XDocument Load(string xml)
    {
        try
        {
            using var text = new StringReader(xml);
            using var reader = XmlReader.Create(text, SafeReaderSettings);
            return XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException exception) when (exception.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            // The reader reports no position for a prohibited DTD; point at the DOCTYPE itself.
            var (line, position) = exception.LineNumber > 0 ? (exception.LineNumber, exception.LinePosition) : PositionOf(xml, "<!DOCTYPE");
            throw new BankFormatException(
                "the file holds a DTD (document type declaration); DTDs and external entities are refused for safety",
                "het bestand bevat een DTD (DOCTYPE); dat weigeren we om veiligheidsredenen",
                line, position, innerException: exception);
        }
        catch (XmlException exception)
        {
            throw new BankFormatException(
                $"malformed XML: {exception.Message}",
                $"de XML is niet goed gevormd ({exception.Message})",
                exception.LineNumber, exception.LinePosition, innerException: exception);
        }
    }

    private static (int Line, int Position) PositionOf(string text, string value)
    {
        var index = text.IndexOf(value, StringComparison.OrdinalIgnoreCase);
        if (index < 0)
        {
            return (1, 1);
        }

        var line = 1 + text.AsSpan(0, index).Count('\n');
        var lineStart = text.LastIndexOf('\n', Math.Max(index - 1, 0));
        return (line, index - lineStart);
    }

    private static BankStatementFile Read(XDocument document, bool encodingFallback)
    {
        var root = document.Root ?? throw new BankFormatException("the XML has no root element", "de XML heeft geen hoofdelement");
        var message = root.Name.LocalName == "Document" ? root.Elements().FirstOrDefault() : root;
        var (format, statementName) = message?.Name.LocalName switch
        {
            "BkToCstmrStmt" => (BankSource.Camt053, "Stmt"),
            "BkToCstmrDbtCdtNtfctn" => (BankSource.Camt054, "Ntfctn"),
            "BkToCstmrAcctRpt" => (BankSource.Camt052, "Rpt"),
            _ => throw Error(message ?? root,
                $"not a camt.052/053/054 message: element <{(message ?? root).Name.LocalName}> where BkToCstmrStmt or BkToCstmrDbtCdtNtfctn was expected",
                $"dit is geen camt.053- of camt.054-bestand: element <{(message ?? root).Name.LocalName}> gevonden waar BkToCstmrStmt of BkToCstmrDbtCdtNtfctn hoort"),
        };

        var version = message.Name.NamespaceName is { Length: > 0 } ns && ns.LastIndexOf(':') is var colon and >= 0
            ? ns[(colon + 1)..]
            : null;
        var messageId = message.Value("GrpHdr", "MsgId");

        var statements = new List<BankStatementInfo>();
        var transactions = new List<BankTransaction>();
        foreach (var statement in message.Children(statementName))
        {
            var ownIban = Compact(statement.Value("Acct", "Id", "IBAN"));
            var info = new BankStatementInfo(
                statement.Value("Id"),
                ownIban,
                statement.Value("ElctrncSeqNb"),
                statement.Value("LglSeqNb"),
                statement.Children("Ntry").Count());
            statements.Add(info);

            var entryIndex = 0;
            foreach (var entry in statement.Children("Ntry"))
            {
                entryIndex++;
                transactions.AddRange(ReadEntry(entry, entryIndex, info, messageId, format, encodingFallback));
            }
        }

        if (statements.Count == 0)
        {
            throw Error(message, $"the message holds no <{statementName}>", $"het bericht bevat geen <{statementName}>");
        }

        return new BankStatementFile(format, version, messageId, statements, transactions);
    }

    private static List<BankTransaction> ReadEntry(XElement entry, int entryIndex, BankStatementInfo statement, string? messageId, BankSource format, bool encodingFallback)
    {
        var entryAmountElement = entry.Child("Amt") ?? throw Error(entry, "entry without <Amt>", "boeking zonder bedrag (<Amt>)");
        var entryAmount = ParseAmount(entryAmountElement);
        var currency = entryAmountElement.Attribute("Ccy")?.Value.Trim() ?? "EUR";
        var entryDirection = ParseDirection(entry.Child("CdtDbtInd"), entry);
        var reversal = entry.Value("RvslInd") is { } rvsl && (rvsl.Equals("true", StringComparison.OrdinalIgnoreCase) || rvsl == "1");

        var entryFlags = new List<BankDataFlag>();
        var valueDate = ParseDate(entry.Child("ValDt"));
        var bookingDate = ParseDate(entry.Child("BookgDt"));
        if (bookingDate is null)
        {
            bookingDate = valueDate ?? throw Error(entry, "entry without booking date (BookgDt) or value date (ValDt)", "boeking zonder boekdatum (BookgDt) en valutadatum (ValDt)");
            entryFlags.Add(new(BankDataFlagCode.MissingBookingDate, "no BookgDt; the value date was used"));
        }

        var bankReference = entry.Value("AcctSvcrRef");
        if (bankReference is null)
        {
            var statementPart = statement.Id ?? messageId ?? "-";
            bankReference = $"{statementPart}/{entry.Value("NtryRef") ?? entryIndex.ToString(CultureInfo.InvariantCulture)}";
            entryFlags.Add(new(BankDataFlagCode.MissingBankReference, $"no AcctSvcrRef; key made from statement {statementPart} and entry {entryIndex}"));
        }

        if (!currency.Equals("EUR", StringComparison.OrdinalIgnoreCase))
        {
            entryFlags.Add(new(BankDataFlagCode.NotEuro, $"amount in {currency}"));
        }

        if (statement.OwnIban is { } ownIban && Iban.Check(ownIban) is { IsValid: false } ownCheck)
        {
            entryFlags.Add(new(BankDataFlagCode.InvalidOwnIban, $"{ownIban}: {ownCheck.Reason}"));
        }

        // v02 writes <Sts>BOOK</Sts>, v08 <Sts><Cd>BOOK</Cd></Sts>.
        var status = entry.Value("Sts", "Cd") ?? entry.Value("Sts");
        if (status is not null && !status.Equals("BOOK", StringComparison.OrdinalIgnoreCase))
        {
            entryFlags.Add(new(BankDataFlagCode.NotBooked, $"status {status}"));
        }

        if (encodingFallback)
        {
            entryFlags.Add(new(BankDataFlagCode.EncodingFallback, "the file was not valid UTF-8 and was read as Latin-1"));
        }

        var bankTransactionCode = ReadBankTransactionCode(entry.Child("BkTxCd"));
        var details = entry.Children("NtryDtls").SelectMany(d => d.Children("TxDtls")).ToList();
        var batchCount = entry.Children("NtryDtls").Select(d => d.Value("Btch", "NbOfTxs")).FirstOrDefault(n => n is not null);
        var tags = details.Count <= 1 ? AdditionalEntryInfo.Parse(entry.Value("AddtlNtryInf")) : new Dictionary<string, string>();
        var untaggedInfo = details.Count <= 1 && tags.Count == 0 ? entry.Value("AddtlNtryInf") : null;

        if (details.Count <= 1 && batchCount is not null && int.TryParse(batchCount, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 1)
        {
            entryFlags.Add(new(BankDataFlagCode.BatchWithoutDetails, $"a batch of {count} transactions without details: only the total is known"));
        }

        var common = new EntryContext(entryAmount, currency, entryDirection, reversal, bookingDate.Value, valueDate, bankReference,
            statement.OwnIban, bankTransactionCode, format, tags, untaggedInfo);

        if (details.Count == 0)
        {
            return [Build(common, null, 0, entryAmount, entryFlags)];
        }

        var result = new List<BankTransaction>(details.Count);
        var amounts = new List<decimal>(details.Count);
        for (var i = 0; i < details.Count; i++)
        {
            var amount = TransactionAmount(details[i]);
            if (amount is null)
            {
                amount = details.Count == 1
                    ? entryAmount
                    : throw Error(details[i],
                        $"transaction {i + 1} of a batch of {details.Count} has no amount (TxDtls/Amt or TxDtls/AmtDtls/TxAmt/Amt)",
                        $"transactie {i + 1} van een batch van {details.Count} heeft geen bedrag (TxDtls/Amt of TxDtls/AmtDtls/TxAmt/Amt)");
            }

            amounts.Add(amount.Value);
        }

        var flags = entryFlags;
        if (details.Count > 1 && amounts.Sum() != entryAmount)
        {
            flags = [.. entryFlags, new(BankDataFlagCode.BatchTotalMismatch,
                string.Create(CultureInfo.InvariantCulture, $"the {details.Count} transactions add up to {amounts.Sum():0.00}, the entry says {entryAmount:0.00}"))];
        }

        for (var i = 0; i < details.Count; i++)
        {
            result.Add(Build(common, details[i], i, amounts[i], flags));
        }

        return result;
    }

    private sealed record EntryContext(
        decimal Amount,
        string Currency,
        BankDirection Direction,
        bool Reversal,
        DateOnly BookingDate,
        DateOnly? ValueDate,
        string BankReference,
        string? OwnIban,
        string? BankTransactionCode,
        BankSource Format,
        IReadOnlyDictionary<string, string> Tags,
        string? UntaggedInfo);

    private static BankTransaction Build(EntryContext entry, XElement? tx, int index, decimal amount, List<BankDataFlag> entryFlags)
    {
        var flags = new List<BankDataFlag>(entryFlags);
        var direction = tx?.Child("CdtDbtInd") is { } txIndicator ? ParseDirection(txIndicator, tx) : entry.Direction;

        // The other party of the original payment: the payer of a credit (also of a reversed
        // credit, as in a direct-debit return), the payee of an outgoing debit.
        var originalCredit = (direction == BankDirection.Credit) != entry.Reversal;
        var parties = tx?.Child("RltdPties");
        var (primary, secondary) = originalCredit ? ("Dbtr", "Cdtr") : ("Cdtr", "Dbtr");
        var name = PartyName(parties, primary) ?? PartyName(parties, "Ultmt" + primary);
        var iban = Compact(parties?.Value(primary + "Acct", "Id", "IBAN"));
        if (name is null && iban is null)
        {
            var otherIban = Compact(parties?.Value(secondary + "Acct", "Id", "IBAN"));
            if (otherIban is not null && otherIban != entry.OwnIban)
            {
                name = PartyName(parties, secondary);
                iban = otherIban;
            }
        }

        name ??= Tag(entry.Tags, "NAME");
        iban ??= Compact(Tag(entry.Tags, "IBAN"));

        var refs = tx?.Child("Refs");
        var endToEndId = NullIfNotProvided(refs?.Value("EndToEndId")) ?? NullIfNotProvided(Tag(entry.Tags, "EREF"));
        var mandateId = NullIfNotProvided(refs?.Value("MndtId")) ?? NullIfNotProvided(Tag(entry.Tags, "MARF"));

        var remittanceInfo = tx?.Child("RmtInf");
        var unstructured = remittanceInfo?.Children("Ustrd").Select(u => u.Value.Trim()).Where(u => u.Length > 0).ToList() ?? [];
        var (remiText, remiReference) = AdditionalEntryInfo.SplitRemittance(Tag(entry.Tags, "REMI"));
        var remittance = unstructured.Count > 0 ? string.Join(' ', unstructured) : remiText ?? tx?.Value("AddtlTxInf") ?? entry.UntaggedInfo;

        var (reference, referenceType) = ReadStructuredReference(remittanceInfo);
        if (reference is null && Compact(remiReference) is { } tagged)
        {
            (reference, referenceType) = (tagged, ReferenceType.Betalingskenmerk);
        }

        var returnInfo = tx?.Child("RtrInf");
        var reasonCode = returnInfo?.Value("Rsn", "Cd") ?? returnInfo?.Value("Rsn", "Prtry") ?? Tag(entry.Tags, "RTRN");
        var reasonText = returnInfo is null ? null : JoinOrNull(returnInfo.Children("AddtlInf").Select(a => a.Value.Trim()));

        if (iban is not null && Iban.Check(iban) is { IsValid: false } ibanCheck)
        {
            flags.Add(new(BankDataFlagCode.InvalidDebtorIban, $"{iban}: {ibanCheck.Reason}"));
        }

        if (ReferenceCheckFor(reference, referenceType) is { IsValid: false } referenceCheck)
        {
            flags.Add(new(BankDataFlagCode.InvalidReference, $"{reference}: {referenceCheck.Reason}"));
        }

        if (entry.Reversal && reasonCode is null)
        {
            flags.Add(new(BankDataFlagCode.ReversalWithoutReason, "a reversal without RtrInf/Rsn/Cd"));
        }

        return new BankTransaction
        {
            Amount = amount,
            Currency = entry.Currency,
            Direction = direction,
            Reversal = entry.Reversal,
            BookingDate = entry.BookingDate,
            ValueDate = entry.ValueDate,
            BankReference = entry.BankReference,
            TransactionIndex = index,
            OwnIban = entry.OwnIban,
            EndToEndId = endToEndId,
            MandateId = mandateId,
            Reference = reference,
            ReferenceType = referenceType,
            Remittance = remittance,
            DebtorName = name,
            DebtorIban = iban,
            ReasonCode = reasonCode,
            ReasonText = reasonText,
            BankTransactionCode = entry.BankTransactionCode,
            Source = entry.Format,
            Flags = flags,
            EntryKey = BankTransaction.StatementEntryKey(entry.OwnIban, entry.BankReference, index),
        };
    }

    /// <summary>Detects the kind of a structured reference and checks it; used by every reader.</summary>
    internal static ReferenceType ClassifyReference(string reference, string? code, string? issuer)
    {
        if (string.Equals(issuer, "CUR", StringComparison.OrdinalIgnoreCase))
        {
            return ReferenceType.Betalingskenmerk;
        }

        if (reference.StartsWith("RF", StringComparison.Ordinal) && reference.Length >= 4 && char.IsAsciiDigit(reference[2]) && char.IsAsciiDigit(reference[3]))
        {
            return ReferenceType.CreditorReference;
        }

        // Without an issuer, an all-digit SCOR reference is taken as a betalingskenmerk: that is
        // the only all-digit creditor reference scheme in Dutch use.
        if ((code is null || code.Equals("SCOR", StringComparison.OrdinalIgnoreCase)) && reference.All(char.IsAsciiDigit))
        {
            return ReferenceType.Betalingskenmerk;
        }

        return ReferenceType.Other;
    }

    internal static ReferenceCheck? ReferenceCheckFor(string? reference, ReferenceType type) => type switch
    {
        _ when reference is null => null,
        ReferenceType.Betalingskenmerk => Betalingskenmerk.Check(reference),
        ReferenceType.CreditorReference => CreditorReference.Check(reference),
        _ => null,
    };

    private static (string? Reference, ReferenceType Type) ReadStructuredReference(XElement? remittanceInfo)
    {
        if (remittanceInfo is null)
        {
            return (null, ReferenceType.None);
        }

        foreach (var structured in remittanceInfo.Children("Strd"))
        {
            if (structured.Child("CdtrRefInf") is not { } creditorReference || Compact(creditorReference.Value("Ref")) is not { } reference)
            {
                continue;
            }

            var code = creditorReference.Value("Tp", "CdOrPrtry", "Cd") ?? creditorReference.Value("Tp", "CdOrPrtry", "Prtry");
            var issuer = creditorReference.Value("Tp", "Issr");
            return (reference, ClassifyReference(reference, code, issuer));
        }

        return (null, ReferenceType.None);
    }

    private static string? PartyName(XElement? parties, string role)
    {
        var party = parties?.Child(role);
        // v02 puts Nm directly under the party; v08 wraps the party in Pty.
        return party?.Value("Nm") ?? party?.Value("Pty", "Nm");
    }

    private static string? ReadBankTransactionCode(XElement? code)
    {
        if (code is null)
        {
            return null;
        }

        var domain = code.Value("Domn", "Cd");
        var family = code.Value("Domn", "Fmly", "Cd");
        var subFamily = code.Value("Domn", "Fmly", "SubFmlyCd");
        if (domain is not null)
        {
            return string.Join('/', new[] { domain, family, subFamily }.Where(p => p is not null));
        }

        return code.Value("Prtry", "Cd");
    }

    private static decimal? TransactionAmount(XElement tx)
    {
        // v04 and later: TxDtls/Amt; v02: TxDtls/AmtDtls/TxAmt/Amt (InstdAmt as a last resort).
        var element = tx.Child("Amt")
            ?? tx.Child("AmtDtls")?.Child("TxAmt")?.Child("Amt")
            ?? tx.Child("AmtDtls")?.Child("InstdAmt")?.Child("Amt");
        return element is null ? null : ParseAmount(element);
    }

    private static decimal ParseAmount(XElement element)
    {
        var text = element.Value.Trim();
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            throw Error(element, $"amount '{text}' is not a number like 123.45", $"bedrag '{text}' is geen getal als 123.45");
        }

        if (amount <= 0m)
        {
            throw Error(element, $"amount '{text}' must be more than zero", $"bedrag '{text}' moet groter dan nul zijn");
        }

        return amount;
    }

    private static BankDirection ParseDirection(XElement? indicator, XElement owner) => indicator?.Value.Trim() switch
    {
        "CRDT" => BankDirection.Credit,
        "DBIT" => BankDirection.Debit,
        null => throw Error(owner, "missing <CdtDbtInd> (CRDT or DBIT)", "<CdtDbtInd> (CRDT of DBIT) ontbreekt"),
        var other => throw Error(indicator, $"<CdtDbtInd> is '{other}', expected CRDT or DBIT", $"<CdtDbtInd> is '{other}', verwacht CRDT of DBIT"),
    };

    private static DateOnly? ParseDate(XElement? dateElement)
    {
        if (dateElement is null)
        {
            return null;
        }

        if (dateElement.Child("Dt") is { } date)
        {
            var text = date.Value.Trim();
            // ISODate may carry a zone offset (2026-11-20+01:00); the date part is what counts.
            var datePart = text.Length > 10 ? text[..10] : text;
            return DateOnly.TryParseExact(datePart, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
                ? value
                : throw Error(date, $"date '{text}' is not yyyy-MM-dd", $"datum '{text}' is niet in de vorm jjjj-mm-dd");
        }

        if (dateElement.Child("DtTm") is { } dateTime)
        {
            var text = dateTime.Value.Trim();
            if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value))
            {
                throw Error(dateTime, $"date-time '{text}' is not an ISO 8601 date-time", $"datum en tijd '{text}' zijn niet in ISO 8601-vorm");
            }

            // An instant with a zone is a business date in Amsterdam; a local time is taken as it is.
            if (value.Kind != DateTimeKind.Unspecified)
            {
                value = TimeZoneInfo.ConvertTime(DateTimeOffset.Parse(text, CultureInfo.InvariantCulture), Amsterdam).DateTime;
            }

            return DateOnly.FromDateTime(value);
        }

        return null;
    }

    private static string? Tag(IReadOnlyDictionary<string, string> tags, string name) =>
        tags.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    private static string? NullIfNotProvided(string? value) =>
        value is null || value.Equals("NOTPROVIDED", StringComparison.OrdinalIgnoreCase) ? null : value;

    private static string? JoinOrNull(IEnumerable<string> parts)
    {
        var joined = string.Join(' ', parts.Where(p => p.Length > 0));
        return joined.Length == 0 ? null : joined;
    }

    private static string? Compact(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return string.Concat(value.Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();
    }

    private static BankFormatException Error(XObject where, string problem, string problemDutch)
    {
        var info = (IXmlLineInfo)where;
        var field = where is XElement element ? ElementPath(element) : null;
        return new BankFormatException(problem, problemDutch,
            info.HasLineInfo() ? info.LineNumber : null,
            info.HasLineInfo() ? info.LinePosition : null,
            field);
    }

    private static string ElementPath(XElement element)
    {
        var names = element.AncestorsAndSelf().Select(e => e.Name.LocalName).Reverse().SkipWhile(n => n is "Document").Take(8);
        return string.Join('/', names);
    }

    private static XElement? Child(this XElement element, string localName) =>
        element.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    private static IEnumerable<XElement> Children(this XElement element, string localName) =>
        element.Elements().Where(e => e.Name.LocalName == localName);

    /// <summary>The trimmed text at a path of local names, null when absent or empty.</summary>
    private static string? Value(this XElement element, params string[] path)
    {
        XElement? current = element;
        foreach (var name in path)
        {
            current = current.Child(name);
            if (current is null)
            {
                return null;
            }
        }

        var text = current.Value.Trim();
        return text.Length == 0 ? null : text;
    }
}
