using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using HuurIncasso.Engine.InMemory;
using HuurIncasso.Testing.Engine;
using Microsoft.Extensions.Time.Testing;

namespace HuurIncasso.Engine.Tests;

public sealed class EngineTelemetryTests
{
    [Fact]
    public async Task Handle_RecordsMessagesByOutcome_OnTheEngineMeter()
    {
        var outcomes = new ConcurrentBag<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == EngineTelemetry.Name && instrument.Name == "huurincasso.engine.messages") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "outcome") outcomes.Add((string)tag.Value!);
            }
        });
        listener.Start();

        var engine = new InMemoryCaseEngine<AccountState, AccountMessage, AccountEvent>(new AccountWorkflow(), new FakeTimeProvider(), []);
        var id = "telemetry-" + Guid.NewGuid().ToString("N");
        await engine.Client.StartAsync(id, "k", new Deposit(1m), TestContext.Current.CancellationToken);
        await engine.Client.StartAsync(id, "k", new Deposit(1m), TestContext.Current.CancellationToken);

        // Other tests run in parallel and count too: look for at least ours.
        Assert.Contains("Applied", outcomes);
        Assert.Contains("Duplicate", outcomes);
    }
}
