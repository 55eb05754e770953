using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Domain.Payments;
using HuurIncasso.Host.Tests.Inputs;

namespace HuurIncasso.Host.Tests.Faults;

/// <summary>The portfolio, payments and checks the fault tests share.</summary>
internal static class FaultData
{
    public const string Header =
        "contractnummer;huurder;adres;postcode;woonplaats;email;telefoon;geboortedatum;ingangsdatum;einddatum;objecttype;huur;saldo;openstaand_0_30;openstaand_31_60;openstaand_61_90;openstaand_90_plus;automatische_incasso;machtigingskenmerk;iban;betalingskenmerk";

    public const decimal Rent = 700m;

    /// <summary>Two months of arrears, the older one more than 30 days due: the reminder (mail and letter) goes out at once.</summary>
    public const decimal Balance = 1400m;

    public static string ContractId(int firstContract, int i) => (firstContract + i).ToString(CultureInfo.InvariantCulture);

    public static string Reference(string contractId) => Betalingskenmerk.Generate(long.Parse(contractId, CultureInfo.InvariantCulture)).Value;

    /// <summary><paramref name="count"/> contracts from <paramref name="firstContract"/>, each in arrears with an e-mail address.</summary>
    public static string Ledger(int firstContract, int count)
    {
        var builder = new StringBuilder(Header).Append('\n');
        for (var i = 0; i < count; i++)
        {
            var id = ContractId(firstContract, i);
            builder.Append(CultureInfo.InvariantCulture,
                $"{id};Huurder {i};Kastanjelaan {i + 1};3532 AB;Utrecht;huurder{i}@voorbeeld.example;;;01-01-2015;;woning;700,00;1400,00;700,00;700,00;0,00;0,00;nee;;;{Reference(id)}\n");
        }

        return builder.ToString();
    }

    /// <summary>One payment, as a JSON event or as a camt.053 entry.</summary>
    public sealed record Payment(string Key, string ContractId, decimal Amount);

    /// <summary>Two instalments by JSON event for every tenant; every third pays the rest by bank transfer (camt.053), which closes the case.</summary>
    public static (List<Payment> Json, List<Payment> Camt) Instalments(int firstContract, int count)
    {
        var json = new List<Payment>();
        var camt = new List<Payment>();
        for (var i = 0; i < count; i++)
        {
            var id = ContractId(firstContract, i);
            json.Add(new($"evt-a-{id}", id, 100m));
            json.Add(new($"evt-b-{id}", id, 100m));
            if (i % 3 == 0) camt.Add(new($"BNK-{id}", id, 1200m));
        }

        return (json, camt);
    }

    /// <summary>A JSON events body for <paramref name="payments"/> (the key is the event id).</summary>
    public static string JsonEvents(IEnumerable<Payment> payments) =>
        "[" + string.Join(",", payments.Select(p => JsonSerializer.Serialize(new
        {
            id = p.Key,
            bookingDate = InputsFixtures.Today,
            amount = p.Amount.ToString("0.00", CultureInfo.InvariantCulture),
            direction = "credit",
            reversal = false,
            counterpartyName = "Huurder " + p.ContractId,
            structuredReference = Reference(p.ContractId),
            remittance = "huur",
        }))) + "]";

    /// <summary>A camt.053 statement for <paramref name="payments"/> (the key is the bank reference).</summary>
    public static string Camt053(int sequence, IEnumerable<Payment> payments) =>
        InputsFixtures.Camt053(sequence, [.. payments.Select(p => InputsFixtures.CreditWithReference(p.Key, p.Amount, Reference(p.ContractId), "Huurder " + p.ContractId, "NL44RABO0123456789"))]);

    /// <summary>Polls <paramref name="check"/> until it returns null (done) or the time is up; fails with its last answer.</summary>
    public static async Task WaitUntilAsync(Func<Task<string?>> check, TimeSpan limit, CancellationToken ct, Func<Task<string>>? describe = null)
    {
        var deadline = DateTime.UtcNow + limit;
        string? problem;
        while ((problem = await check()) is not null)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Not done after {limit.TotalSeconds:0} s: {problem}" + (describe is null ? "" : "\n" + await describe()));
            await Task.Delay(250, ct);
        }
    }

    /// <summary>A case as the management API shows it, or null.</summary>
    public static async Task<JsonElement?> GetCaseAsync(HttpClient admin, string caseId, CancellationToken ct)
    {
        using var response = await admin.GetAsync($"/api/cases/{caseId}", ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(ct);
    }

    /// <summary>The payment ids applied to the case (one per PaymentApplied event, so a double shows twice).</summary>
    public static List<string> AppliedPaymentIds(JsonElement view) =>
    [
        .. view.GetProperty("timeline").EnumerateArray()
            .Where(e => e.GetProperty("type").GetString() == "PaymentApplied")
            .Select(e => e.GetProperty("data").GetProperty("paymentId").GetString()!),
    ];

    public static List<string> EventTypes(JsonElement view) =>
        [.. view.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("type").GetString()!)];

    /// <summary>Every row of one of the prefix's tables (e.g. "bankentries").</summary>
    public static async Task<List<TableEntity>> RowsAsync(string connectionString, string prefix, string table, CancellationToken ct)
    {
        var client = new TableServiceClient(connectionString).GetTableClient(prefix + table);
        var rows = new List<TableEntity>();
        try
        {
            await foreach (var row in client.QueryAsync<TableEntity>(cancellationToken: ct)) rows.Add(row);
        }
        catch (global::Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            // Not provisioned: no rows.
        }

        return rows;
    }

    /// <summary>
    /// No mail went out twice: every message key reached the mail provider at most once; a mail the
    /// sent log calls Sent reached it exactly once; the provider got nothing the log does not know.
    /// Returns the sent log's rows.
    /// </summary>
    public static async Task<List<TableEntity>> AssertNoMailTwiceAsync(MailSink sink, string connectionString, string prefix, CancellationToken ct)
    {
        var log = await RowsAsync(connectionString, prefix, "sentmail", ct);
        var received = sink.Received;
        var twice = received.Where(kv => kv.Value > 1).Select(kv => $"{kv.Key} ×{kv.Value}").ToList();
        Assert.True(twice.Count == 0, "Mails sent more than once: " + string.Join(", ", twice));
        foreach (var row in log.Where(r => r.GetString("Status") == "Sent"))
        {
            Assert.True(received.ContainsKey(row.RowKey), $"The sent log says {row.RowKey} was sent, but the provider never got it.");
        }

        var unknown = received.Keys.Except(log.Select(r => r.RowKey), StringComparer.Ordinal).ToList();
        Assert.True(unknown.Count == 0, "Mails the sent log does not know: " + string.Join(", ", unknown));
        return log;
    }

    private static readonly System.Diagnostics.Stopwatch Clock = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>Notes a step with the seconds since the run began, in the test's output: where a slow fault test spends its time.</summary>
    public static void Step(string what)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{Clock.Elapsed.TotalSeconds,7:0.0} s  {what}");
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        if (Environment.GetEnvironmentVariable("FAULTS_TRACE") is { Length: > 0 } file) File.AppendAllText(file, TestContext.Current.Test?.TestDisplayName + ": " + line + "\n");
    }

    /// <summary>The names a host with <paramref name="prefix"/> uses.</summary>
    public static StorageNames Names(string prefix) => new(prefix);
}
