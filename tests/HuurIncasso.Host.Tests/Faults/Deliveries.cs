using System.Collections.Concurrent;
using System.Net;
using HuurIncasso.Host.Tests.Inputs;

namespace HuurIncasso.Host.Tests.Faults;

/// <summary>A burst of signed webhook deliveries (JSON events and camt.053 statements) for a set of payments, as a bank sends them.</summary>
internal sealed class Deliveries
{
    private readonly List<(string Body, string ContentType)> _items = [];

    public Deliveries(IReadOnlyList<FaultData.Payment> jsonPayments, IReadOnlyList<FaultData.Payment> camtPayments, int perDelivery, int firstSequence)
    {
        var sequence = firstSequence;
        _items.AddRange(jsonPayments.Chunk(perDelivery).Select(c => (FaultData.JsonEvents(c), "application/json")));
        _items.AddRange(camtPayments.Chunk(perDelivery).Select(c => (FaultData.Camt053(sequence++, c), "application/xml")));
        // Mixed, as they arrive from a bank; fixed order so a failure can be repeated.
        var random = new Random(20261123);
        for (var i = _items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (_items[i], _items[j]) = (_items[j], _items[i]);
        }
    }

    public int Count => _items.Count;

    /// <summary>Indexes of the deliveries the webhook answered 200.</summary>
    public ConcurrentDictionary<int, HttpStatusCode> Answers { get; } = new();

    /// <summary>
    /// Sends the deliveries <paramref name="which"/> (all when null), <paramref name="parallel"/> at a time,
    /// each with a fresh webhook id and timestamp (a bank's retry is a new delivery). A failed
    /// connection is recorded as 0 and not thrown: that is what the kill tests provoke.
    /// </summary>
    public async Task SendAsync(HttpClient client, IEnumerable<int>? which, int parallel, CancellationToken ct)
    {
        await Parallel.ForEachAsync(which ?? Enumerable.Range(0, _items.Count), new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = ct }, async (i, token) =>
        {
            var (body, contentType) = _items[i];
            try
            {
                using var request = InputsFixtures.Signed(body, contentType);
                using var response = await client.SendAsync(request, token);
                Answers[i] = response.StatusCode;
            }
            catch (HttpRequestException)
            {
                Answers[i] = 0;
            }
            catch (TaskCanceledException) when (!token.IsCancellationRequested)
            {
                // The client's time-out: no answer.
                Answers[i] = 0;
            }
        });
    }

    public int Succeeded => Answers.Count(a => a.Value == HttpStatusCode.OK);

    public IEnumerable<int> NotSucceeded => Enumerable.Range(0, _items.Count).Where(i => !Answers.TryGetValue(i, out var status) || status != HttpStatusCode.OK);
}
