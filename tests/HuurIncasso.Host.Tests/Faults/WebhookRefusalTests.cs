using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Host.Tests.Inputs;
using HuurIncasso.Integrations.Banking;
using HuurIncasso.Testing;
using Microsoft.Extensions.DependencyInjection;
using static HuurIncasso.Host.Tests.Inputs.InputsFixtures;

namespace HuurIncasso.Host.Tests.Faults;

/// <summary>
/// Webhook calls a bank (or someone else) should not make: each is refused with the right status
/// and leaves nothing behind: no bank entry, payment, unknown payment or inbox message. The
/// refusals themselves are also covered in InputsApiTests; these add the "nothing stored" proof
/// and the cases those do not have (tampered body, future timestamp, chunked oversize, DTD).
/// </summary>
public sealed class WebhookRefusalTests(AzuriteFixture azurite)
{
    private const string Event = """
        {"id":"evt-refused","bookingDate":"2026-11-20","amount":"10.00","direction":"credit","counterpartyName":"X. Onbekend","counterpartyIban":"NL44RABO0123456789","remittance":"gift"}
        """;

    [Fact]
    public async Task WronglySigned_Every401_StoresNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartHostAsync(azurite);
        var cases = new (string Why, Func<HttpRequestMessage> Make)[]
        {
            ("signed with another secret", () => Signed(Event, "application/json", secret: "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("een ander geheim van 32 tekens!!")))),
            ("body changed after signing", () => WithBody(Signed(Event, "application/json"), Event.Replace("10.00", "1000.00", StringComparison.Ordinal))),
            ("signature of another delivery id", () => WithHeader(Signed(Event, "application/json"), WebhookSignature.IdHeader, "msg_other")),
            ("signature not in v1 form", () => WithHeader(Signed(Event, "application/json"), WebhookSignature.SignatureHeader, "v2,AAAA")),
            ("no signature headers", () => new HttpRequestMessage(HttpMethod.Post, "/api/bank/webhook") { Content = new StringContent(Event, Encoding.UTF8, "application/json") }),
            ("timestamp not a number", () => WithHeader(Signed(Event, "application/json"), WebhookSignature.TimestampHeader, "gisteren")),
            ("replayed ten minutes later (outside the 5-minute tolerance)", () => Signed(Event, "application/json", at: DateTimeOffset.UtcNow.AddMinutes(-10))),
            ("timestamp ten minutes ahead", () => Signed(Event, "application/json", at: DateTimeOffset.UtcNow.AddMinutes(10))),
        };

        foreach (var (why, make) in cases)
        {
            using var request = make();
            using var response = await host.Anonymous.SendAsync(request, ct);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{why}: expected 401, got {(int)response.StatusCode}.");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        await AssertNothingStoredAsync(host, ct);
    }

    [Fact]
    public async Task Malformed_Every400SaysWhat_StoresNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartHostAsync(azurite);
        var cases = new (string Why, string Body, string ContentType)[]
        {
            ("broken JSON", "[{\"id\":\"evt-1\",", "application/json"),
            ("an event without its amount", "{\"id\":\"e\",\"bookingDate\":\"2026-11-20\",\"direction\":\"credit\"}", "application/json"),
            ("an amount that is no number", Event.Replace("\"10.00\"", "\"tien euro\"", StringComparison.Ordinal), "application/json"),
            ("a good event next to a bad one (all or nothing)", "[" + Event + ",{\"id\":\"e2\",\"bookingDate\":\"gisteren\",\"amount\":\"5.00\",\"direction\":\"credit\"}]", "application/json"),
            ("XML with a DTD and an external entity", """<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&x;</Document>""", "application/xml"),
            ("camt.053 cut off half-way", Camt053(1, CreditWithoutReference("B-1", 10m, "X", "NL44RABO0123456789"))[..400], "application/xml"),
            ("neither XML nor JSON", "hallo bank", "text/plain"),
            ("an empty body", "", "application/json"),
        };

        foreach (var (why, body, contentType) in cases)
        {
            using var request = Signed(body, contentType);
            using var response = await host.Anonymous.SendAsync(request, ct);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why}: expected 400, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), $"{why}: the problem does not say what is wrong.");
        }

        await AssertNothingStoredAsync(host, ct);
    }

    [Fact]
    public async Task Oversized_WithOrWithoutContentLength_Returns413_StoresNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartHostAsync(azurite, "--Bank:MaxBodyBytes=2000");
        var body = "[" + string.Join(",", Enumerable.Range(0, 20).Select(i => Event.Replace("evt-refused", "evt-" + i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))) + "]";
        Assert.True(Encoding.UTF8.GetByteCount(body) > 2000);

        using (var request = Signed(body, "application/json"))
        using (var response = await host.Anonymous.SendAsync(request, ct))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }

        // Chunked: no Content-Length to refuse on, so the cap applies while reading.
        using (var request = Signed(body, "application/json"))
        {
            request.Content = new StreamContent(new UnseekableStream(Encoding.UTF8.GetBytes(body)));
            request.Content.Headers.ContentType = new("application/json");
            using var response = await host.Anonymous.SendAsync(request, ct);
            Assert.Null(request.Content.Headers.ContentLength);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }

        await AssertNothingStoredAsync(host, ct);
    }

    [Fact]
    public async Task Replayed_TheSameSignedDeliveryTwice_SecondSaysKnownAndWritesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartHostAsync(azurite);
        var at = DateTimeOffset.UtcNow;
        using (var first = await host.Anonymous.SendAsync(Signed(Event, "application/json", at: at, id: "msg_replayed"), ct))
        {
            Assert.Equal(1, (await first.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("new").GetInt32());
        }

        var (_, _, before) = await StoredAsync(host, ct);

        using var replay = await host.Anonymous.SendAsync(Signed(Event, "application/json", at: at, id: "msg_replayed"), ct);

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        var answer = await replay.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(0, answer.GetProperty("new").GetInt32());
        Assert.Equal(1, answer.GetProperty("alreadyKnown").GetInt32());
        var (_, _, after) = await StoredAsync(host, ct);
        // The same rows with the same ETags: nothing was written again.
        Assert.Equal(before, after);
    }

    private static async Task AssertNothingStoredAsync(RunningHost host, CancellationToken ct)
    {
        var (queued, poisoned, rows) = await StoredAsync(host, ct);
        Assert.True(rows.Count == 0, "Stored after refused calls: " + string.Join(", ", rows));
        Assert.Equal(0, queued);
        Assert.Equal(0, poisoned);
    }

    /// <summary>Inbox and poison counts and every row (table/key@etag) the bank feed writes.</summary>
    private static async Task<(int Queued, int Poisoned, List<string> Rows)> StoredAsync(RunningHost host, CancellationToken ct)
    {
        var clients = host.Services.GetRequiredService<StorageClients>();
        var rows = new List<string>();
        foreach (var table in new[] { clients.Names.BankEntriesTable, clients.Names.PaymentsTable, clients.Names.UnknownPaymentsTable, clients.Names.ContractsTable, clients.Names.CasesTable })
        {
            await foreach (var row in clients.Tables.GetTableClient(table).QueryAsync<global::Azure.Data.Tables.TableEntity>(cancellationToken: ct))
            {
                rows.Add($"{table}/{row.PartitionKey}/{row.RowKey}@{row.ETag}");
            }
        }

        var queued = (await clients.Queues.GetQueueClient(clients.Names.InboxQueue).GetPropertiesAsync(ct)).Value.ApproximateMessagesCount;
        var poisoned = (await clients.Queues.GetQueueClient(clients.Names.PoisonQueue).GetPropertiesAsync(ct)).Value.ApproximateMessagesCount;
        return (queued, poisoned, rows);
    }

    private static HttpRequestMessage WithBody(HttpRequestMessage request, string body)
    {
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return request;
    }

    private static HttpRequestMessage WithHeader(HttpRequestMessage request, string name, string value)
    {
        request.Headers.Remove(name);
        request.Headers.Add(name, value);
        return request;
    }

    /// <summary>A stream that cannot tell its length, so HttpClient sends it chunked.</summary>
    private sealed class UnseekableStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
