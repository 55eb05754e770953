using System.Text;
using CsvHelper;
using HuurIncasso.Integrations.Text;

namespace HuurIncasso.Integrations.Ledger;

/// <summary>
/// Reads the ERP's debtor export record by record (streamed: 50,000 contracts need not fit
/// in memory twice). Separator ';' or ',' (detected), UTF-8 with or without BOM, Dutch
/// decimal comma accepted. A record with errors is returned with all of them, named by line
/// and column, and the reading goes on: good records are never held back by bad ones.
/// </summary>
public sealed class LedgerCsvReader : IDisposable
{
    private readonly CsvReader _csv;
    private readonly string _fileName;
    private Dictionary<LedgerColumn, int>? _index;

    private LedgerCsvReader(CsvReader csv, string fileName)
    {
        _csv = csv;
        _fileName = fileName;
    }

    /// <summary>Opens a reader over <paramref name="stream"/>; <paramref name="fileName"/> is used in errors.</summary>
    public static LedgerCsvReader Open(Stream stream, string fileName, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        var options = new CsvReaderOptions
        {
            HasHeader = true,
            TrackLineNumbers = true,
            TrimWhitespace = true,
            SkipEmptyLines = true,
            DetectSeparatorHint = true,
            NormalizeHeaderName = LedgerColumns.Normalize,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            MalformedData = CsvMalformedDataHandling.Recover,
            MissingField = CsvMissingFieldHandling.ReturnEmpty,
        };
        return new LedgerCsvReader(CsvReader.Create(stream, options, leaveOpen), fileName);
    }

    /// <summary>The header as it stands in the file (for the rejection file).</summary>
    public IReadOnlyList<string> Header
    {
        get
        {
            EnsureHeader();
            return _csv.Headers;
        }
    }

    /// <summary>The separator the file uses.</summary>
    public char Separator
    {
        get
        {
            EnsureHeader();
            return (char)_csv.Separator;
        }
    }

    /// <summary>Columns in the header that the import does not know; they are ignored.</summary>
    public IReadOnlyList<string> UnknownColumns
    {
        get
        {
            EnsureHeader();
            var known = LedgerColumns.All.SelectMany(c => new[] { LedgerColumns.Normalize(c.Name), LedgerColumns.Normalize(c.Alias) })
                .Append(LedgerColumns.Normalize(LedgerColumns.ErrorColumn)).ToHashSet();
            return _csv.Headers.Where(h => !known.Contains(LedgerColumns.Normalize(h))).ToList();
        }
    }

    /// <summary>Reads the records one by one.</summary>
    /// <exception cref="LedgerFormatException">The file is empty or lacks a required column.</exception>
    public IEnumerable<LedgerRecord> ReadRecords()
    {
        EnsureHeader();
        while (_csv.Read())
        {
            yield return ReadCurrent();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _csv.Dispose();

    private void EnsureHeader()
    {
        if (_index is not null) return;
        _csv.ReadHeader();
        if (_csv.Headers.Count == 0 || (_csv.Headers.Count == 1 && string.IsNullOrWhiteSpace(_csv.Headers[0])))
        {
            throw new LedgerFormatException(_fileName, 1, "", "het bestand is leeg of heeft geen kopregel");
        }

        var index = new Dictionary<LedgerColumn, int>();
        var missing = new List<string>();
        foreach (var column in LedgerColumns.All)
        {
            if (_csv.TryGetFieldIndex(column.Name, out var i) || _csv.TryGetFieldIndex(column.Alias, out i))
            {
                index[column] = i;
            }
            else if (column.Required)
            {
                missing.Add(column.Name);
            }
        }

        if (missing.Count > 0)
        {
            throw new LedgerFormatException(_fileName, 1, missing[0],
                $"verplichte kolom{(missing.Count > 1 ? "men" : "")} ontbreekt: {string.Join(", ", missing)} (gevonden: {string.Join(", ", _csv.Headers)})");
        }

        _index = index;
    }

    private LedgerRecord ReadCurrent()
    {
        var line = (int)_csv.LineNumber;
        var raw = Encoding.UTF8.GetString(_csv.RawRecord);
        var errors = new List<LedgerRowError>();

        string? Text(LedgerColumn column)
        {
            if (!_index!.TryGetValue(column, out var i) || i >= _csv.FieldCount) return null;
            var value = _csv.GetString(i).Trim();
            return value.Length == 0 ? null : value;
        }

        void Error(LedgerColumn column, string message) => errors.Add(new LedgerRowError(line, column.Name, message, raw));

        string RequiredText(LedgerColumn column)
        {
            var value = Text(column);
            if (value is null) Error(column, "is leeg; dit veld is verplicht");
            return value ?? "";
        }

        decimal? Amount(LedgerColumn column, bool required)
        {
            var value = Text(column);
            if (value is null)
            {
                if (required) Error(column, "is leeg; dit veld is verplicht");
                return null;
            }

            if (DutchFormat.TryParseAmount(value, out var amount)) return decimal.Round(amount, 2, MidpointRounding.AwayFromZero);
            Error(column, $"'{value}' is geen bedrag");
            return null;
        }

        DateOnly? Date(LedgerColumn column, bool required)
        {
            var value = Text(column);
            if (value is null)
            {
                if (required) Error(column, "is leeg; dit veld is verplicht");
                return null;
            }

            if (DutchFormat.TryParseDate(value, out var date)) return date;
            Error(column, $"'{value}' is geen datum (gebruik dd-mm-jjjj of jjjj-mm-dd)");
            return null;
        }

        var contractId = RequiredText(LedgerColumns.ContractId);
        var tenantNames = SplitList(RequiredText(LedgerColumns.TenantNames));
        var address = RequiredText(LedgerColumns.Address);
        var email = Text(LedgerColumns.Email);
        if (email is not null && (!email.Contains('@', StringComparison.Ordinal) || email.Contains(' ', StringComparison.Ordinal)))
        {
            Error(LedgerColumns.Email, $"'{email}' is geen e-mailadres");
        }

        var dateOfBirth = Date(LedgerColumns.DateOfBirth, required: false);
        var start = Date(LedgerColumns.ContractStart, required: true);
        var end = Date(LedgerColumns.ContractEnd, required: false);
        if (start is not null && end is not null && end < start)
        {
            Error(LedgerColumns.ContractEnd, $"einddatum {end:dd-MM-yyyy} ligt voor de ingangsdatum {start:dd-MM-yyyy}");
        }

        var propertyType = ParsePropertyType(Text(LedgerColumns.PropertyType), out var propertyError);
        if (propertyError is not null) Error(LedgerColumns.PropertyType, propertyError);

        var rent = Amount(LedgerColumns.MonthlyRent, required: true);
        if (rent is <= 0) Error(LedgerColumns.MonthlyRent, $"de huur moet groter zijn dan 0 (staat er: {DutchFormat.Euro(rent.Value)})");
        var balance = Amount(LedgerColumns.BalanceDue, required: true);

        var buckets = new[] { LedgerColumns.Due0To30, LedgerColumns.Due31To60, LedgerColumns.Due61To90, LedgerColumns.DueOver90 }
            .Select(c => Amount(c, required: false)).ToArray();
        LedgerAgeing? ageing = null;
        if (buckets.Any(b => b is not null))
        {
            ageing = new LedgerAgeing(buckets[0] ?? 0, buckets[1] ?? 0, buckets[2] ?? 0, buckets[3] ?? 0);
            if (balance is not null && balance > 0 && ageing.Total != balance)
            {
                Error(LedgerColumns.Due0To30, $"de openstaande bedragen tellen op tot {DutchFormat.Euro(ageing.Total)}, het saldo is {DutchFormat.Euro(balance.Value)}");
            }
        }

        bool directDebit = false;
        var directDebitText = Text(LedgerColumns.DirectDebit);
        if (directDebitText is null) Error(LedgerColumns.DirectDebit, "is leeg; vul ja of nee in");
        else if (!DutchFormat.TryParseYesNo(directDebitText, out directDebit)) Error(LedgerColumns.DirectDebit, $"'{directDebitText}' is geen ja of nee");

        var mandateId = Text(LedgerColumns.MandateId);
        if (directDebit && mandateId is null) Error(LedgerColumns.MandateId, "is leeg, maar de huurder betaalt met automatische incasso");

        var ibans = SplitList(Text(LedgerColumns.Ibans) ?? "").Select(i => i.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()).ToList();

        if (errors.Count > 0) return new LedgerRecord(null, errors);
        return new LedgerRecord(
            new LedgerRow(line, contractId, tenantNames, address, Text(LedgerColumns.PostalCode), Text(LedgerColumns.City), email,
                Text(LedgerColumns.Phone), dateOfBirth, start!.Value, end, propertyType, rent!.Value, balance!.Value, ageing,
                directDebit, mandateId, ibans, Text(LedgerColumns.PaymentReference)),
            []);
    }

    private static string[] SplitList(string value) =>
        value.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static LedgerPropertyType ParsePropertyType(string? value, out string? error)
    {
        error = null;
        switch (value?.ToUpperInvariant())
        {
            case "WONING" or "HOME" or "W":
                return LedgerPropertyType.Home;
            case "BOG":
                return LedgerPropertyType.Commercial;
            case "MOG":
                return LedgerPropertyType.SocialPurpose;
            case "ZOG":
                return LedgerPropertyType.Care;
            case null:
                error = "is leeg; vul woning, BOG, MOG of ZOG in";
                return default;
            default:
                error = $"'{value}' is geen objecttype (woning, BOG, MOG of ZOG)";
                return default;
        }
    }
}

/// <summary>The file as a whole cannot be read: nothing was imported from it.</summary>
public sealed class LedgerFormatException(string fileName, int line, string column, string reason)
    : Exception($"{fileName}, regel {line}{(column.Length > 0 ? $", kolom {column}" : "")}: {reason}")
{
    public string FileName { get; } = fileName;
    public int Line { get; } = line;
    public string Column { get; } = column;
    public string Reason { get; } = reason;
}
