using System.Net;
using System.Text.Json;
using HuurIncasso.Azure.Engine;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Engine;
using HuurIncasso.Host.Cases;
using HuurIncasso.Host.Functions;
using HuurIncasso.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HuurIncasso.Host.Tests.Functions;

/// <summary>The nightly-segmentation job behind the Functions host, on Azurite, with a clock the test moves.</summary>
public sealed class NightlySegmentationTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task TimerInvocation_NewTenantNoLongerNew_SegmentChangesOnceThatNight()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 10, 9, 0, 0, TimeSpan.Zero));
        await using var functions = await FunctionsHostSide.StartAsync(azurite, b => b.Services.AddSingleton<TimeProvider>(clock));
        var engine = functions.Host.Services.GetRequiredService<AzureCaseEngine<CaseState, CaseMessage, CaseEvent>>();
        var open = new OpenCase("zaak-nacht", "contract-nacht", "huurder-1", 800m, "WON", new DateOnly(2025, 8, 1), false, 0, 800m, new DateOnly(2026, 1, 1)) { MessageId = "open" };
        await engine.Inbox.SendAsync(new InboxMessage("zaak-nacht", open.MessageId, JsonSerializer.Serialize<CaseMessage>(open, CaseJson.Options)), cancellationToken: ct);
        await functions.DrainAsync();
        Assert.Equal("nieuw", (await engine.Client.GetStateAsync("zaak-nacht", ct))!.Segment);

        // 02:00 in Amsterdam on 5 February: the contract is more than six months old.
        clock.SetUtcNow(new DateTimeOffset(2026, 2, 5, 1, 0, 0, TimeSpan.Zero));
        var timer = FunctionsHostSide.TimerData(new DateTimeOffset(2026, 2, 4, 1, 0, 0, TimeSpan.Zero), clock.GetUtcNow());
        var (status, answer) = await functions.InvokeAsync(NightlySegmentationJob.Name, timer);
        var first = await functions.DrainAsync();
        var (againStatus, _) = await functions.InvokeAsync(NightlySegmentationJob.Name, timer);
        var again = await functions.DrainAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("nightly-segmentation: 1 running cases asked to re-segment as of 2026-02-05", answer["Logs"]![0]!.GetValue<string>());
        // Applied; a new plan can move the case's next timer, which is an effect of its own.
        Assert.StartsWith("case zaak-nacht: Applied, ", Assert.Single(first, a => a.Function == FunctionTable.CaseInboxName).Body["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var events = await engine.Client.GetEventsAsync("zaak-nacht", ct);
        var change = Assert.Single(events.OfType<SegmentChanged>(), e => e.CausationId == "resegment:2026-02-05");
        Assert.Equal("nieuw", change.From);
        Assert.NotEqual("nieuw", change.To);
        Assert.DoesNotContain(events, e => e.CausationId == "resegment:2026-02-05" && e is StepTaken);
        Assert.Equal(HttpStatusCode.OK, againStatus);
        Assert.Equal("case zaak-nacht: Duplicate, 0 effects", Assert.Single(again).Body["Logs"]![0]!.GetValue<string>());
    }
}
