using System.Collections.Immutable;
using System.Text.Json;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using static HuurIncasso.Domain.Tests.Cases.CaseDriver;

namespace HuurIncasso.Domain.Tests.Cases;

/// <summary>The engine stores messages, events, effects and state as JSON: each must come back the same.</summary>
public sealed class JsonRoundTripTests
{
    public static TheoryData<string> OptionSets => ["case", "default"];

    private static JsonSerializerOptions OptionsFor(string name) => name == "case" ? CaseJson.Options : JsonSerializerOptions.Default;

    /// <summary>A case that went through most kinds of events.</summary>
    private static CaseDriver BusyCase()
    {
        var c = DefaultLadderTests.WalkToHandoverProposal(visit: true);
        c.Send(new RecordCallOutcome(Consultant, true, true, true, Ability.Cannot, Willingness.Will, "ziek") { MessageId = c.NextId() });
        c.Send(new RecordEarlySignalObjection(Consultant) { MessageId = c.NextId() });
        c.Send(new RejectStep(TeamLead, "overdracht", "nog even wachten") { MessageId = c.NextId() });
        c.Send(new AgreeArrangement(Consultant, 12, c.Today.AddDays(3)) { MessageId = c.NextId() });
        c.RunUntil(c.Today.AddDays(40));
        c.Send(new ReviewMissedInstalment(TeamLead, KeepArrangement: true) { MessageId = c.NextId() });
        c.Send(new RequestPause(Consultant, PauseKind.Complaint, c.Today.AddDays(10)) { MessageId = c.NextId() });
        c.Send(new ApprovePause(Consultant) { MessageId = c.NextId() });
        c.Send(new EndPause(Consultant) { MessageId = c.NextId() });
        c.Send(new ReverseDirectDebit("onbekend", c.Today, 50m, "AM04") { MessageId = c.NextId() });
        c.Send(new UpdateTenantFacts(true, 3, Departing: true) { MessageId = c.NextId() });
        c.Send(new RestateBalance(c.Today, c.State.Arrears + 10m) { MessageId = c.NextId() });
        c.Send(new RequestWriteOff(Consultant, "wsnp") { MessageId = c.NextId() });
        c.Send(new ApproveWriteOff(TeamLead) { MessageId = c.NextId() });
        return c;
    }

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void Events_RoundTrip_SameJsonAndReplayGivesSameState(string optionSet)
    {
        var options = OptionsFor(optionSet);
        var c = BusyCase();
        Assert.True(c.Events.Select(e => e.GetType()).Distinct().Count() >= 25, "the busy case should cover most event types");

        var json = JsonSerializer.Serialize<IReadOnlyList<CaseEvent>>(c.Events, options);
        var back = JsonSerializer.Deserialize<List<CaseEvent>>(json, options)!;

        Assert.Equal(json, JsonSerializer.Serialize<IReadOnlyList<CaseEvent>>(back, options));
        Assert.Equal(c.Events.Select(e => e.GetType()), back.Select(e => e.GetType()));
        var replayed = CaseCore.Replay("zaak-1", back);
        Assert.Equal(JsonSerializer.Serialize(c.State, options), JsonSerializer.Serialize(replayed, options));
    }

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void State_RoundTrip_SameJson(string optionSet)
    {
        var options = OptionsFor(optionSet);
        var c = DefaultLadderTests.WalkToHandoverProposal(visit: true);
        c.Send(new AgreeArrangement(Consultant, 12, c.Today.AddDays(3)) { MessageId = c.NextId() });

        var json = JsonSerializer.Serialize(c.State, options);
        var back = JsonSerializer.Deserialize<CaseState>(json, options)!;

        Assert.Equal(json, JsonSerializer.Serialize(back, options));
        Assert.Equal(c.State.Arrears, back.Arrears);
        Assert.Equal(c.State.WaitingUntil, back.WaitingUntil);
    }

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void Messages_RoundTrip_EveryMessageType(string optionSet)
    {
        var options = OptionsFor(optionSet);
        var day = new DateOnly(2026, 3, 1);
        CaseMessage[] messages =
        [
            new OpenCase("z", "c", "t", 800m, "WON", day, true, 2, 800m, day) { MessageId = "m" },
            new ChargeRent(day, 800m) { MessageId = "m" },
            new RestateBalance(day, 1.5m) { MessageId = "m" },
            new ReceivePayment("p", day, 10m, true) { MessageId = "m" },
            new ReverseDirectDebit("p", day, 10m, "MD06") { MessageId = "m" },
            new FireTimer("z/timer/3") { MessageId = "m" },
            FireTimer.At(new DateTimeOffset(2026, 3, 1, 5, 0, 0, TimeSpan.Zero)),
            new RecordCallOutcome(Consultant, true, true, false, Ability.Can, Willingness.Wont, "n") { MessageId = "m" },
            new RecordVisitOutcome(Consultant, false, false, false) { MessageId = "m" },
            new RecordEarlySignalObjection(Consultant) { MessageId = "m" },
            new RecordNoticeDelivery(day) { MessageId = "m" },
            new AgreeArrangement(Consultant, 2, day, ImmutableArray.Create(day, day.AddDays(70))) { MessageId = "m" },
            new AgreeArrangement(Consultant, 2, day) { MessageId = "m" },
            new ReviewMissedInstalment(TeamLead, true, "ok") { MessageId = "m" },
            new CancelArrangement(Consultant, "huurder wil niet meer") { MessageId = "m" },
            new RequestPause(Consultant, PauseKind.Deferral, day, "x") { MessageId = "m" },
            new ApprovePause(Consultant) { MessageId = "m" },
            new EndPause(Consultant) { MessageId = "m" },
            new ApproveStep(TeamLead, "overdracht") { MessageId = "m" },
            new RejectStep(TeamLead, "overdracht", "nee") { MessageId = "m" },
            new RequestWriteOff(Consultant, "wsnp") { MessageId = "m" },
            new ApproveWriteOff(TeamLead) { MessageId = "m" },
            new RecordTenantDeparture(day) { MessageId = "m" },
            new UpdateTenantFacts(true, 1, false) { MessageId = "m" },
            new MigratePolicy(TeamLead, "2") { MessageId = "m" },
            new RecordLegalStep(Consultant, LegalStep.Summons, day) { MessageId = "m" },
            new RecordMailEvent("z:0000000004:0", "herinnering", MailEventKind.Bounced, new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero), "550 unknown") { MessageId = "m" },
            Resegment.For(day),
            new RecordLedgerMonth(new RestateBalance(day, 0m) { MessageId = "m:r" }, new UpdateTenantFacts(true, 0, true) { MessageId = "m:f" }, new RecordTenantDeparture(day) { MessageId = "m:d" }) { MessageId = "m" },
            new RecordLedgerMonth(new RestateBalance(day, 10m) { MessageId = "m:r" }, new UpdateTenantFacts(false, 1, false) { MessageId = "m:f" }) { MessageId = "m" },
        ];
        var derived = typeof(CaseMessage).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(CaseMessage))).ToHashSet();
        Assert.Equal(derived, messages.Select(m => m.GetType()).ToHashSet());

        foreach (var message in messages)
        {
            var json = JsonSerializer.Serialize(message, options);
            var back = JsonSerializer.Deserialize<CaseMessage>(json, options)!;
            Assert.Equal(message.GetType(), back.GetType());
            Assert.Equal(json, JsonSerializer.Serialize(back, options));
        }
    }

    [Fact]
    public void Effects_RoundTrip_SameJson()
    {
        var c = BusyCase();
        var effects = c.Effects;
        Assert.True(effects.Select(e => e.GetType()).Distinct().Count() >= 8);

        var json = JsonSerializer.Serialize<IReadOnlyList<CaseEffect>>(effects, CaseJson.Options);
        var back = JsonSerializer.Deserialize<List<CaseEffect>>(json, CaseJson.Options)!;

        Assert.Equal(json, JsonSerializer.Serialize<IReadOnlyList<CaseEffect>>(back, CaseJson.Options));
        Assert.All(effects, e => Assert.Contains($"\"type\":\"{e.Kind}\"", JsonSerializer.Serialize(e, CaseJson.Options), StringComparison.Ordinal));
    }

    [Fact]
    public void EventTypes_AllRegisteredForPolymorphism()
    {
        var registered = typeof(CaseEvent).GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonDerivedTypeAttribute), false)
            .Cast<System.Text.Json.Serialization.JsonDerivedTypeAttribute>().Select(a => a.DerivedType).ToHashSet();
        var derived = typeof(CaseEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(CaseEvent))).ToHashSet();

        Assert.Equal(derived, registered);
    }
}
