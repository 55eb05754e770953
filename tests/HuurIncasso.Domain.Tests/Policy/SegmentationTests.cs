using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Testing;

namespace HuurIncasso.Domain.Tests.Policy;

/// <summary>Seed 002's fourteen categories and four colours, written as policy segment rules.</summary>
public sealed class SegmentationTests
{
    private const string FourteenCategories = """
        segments:
          - id: nazorg-afgerond
            colour: green
            when: { departed: true, inArrears: false }
            plan: vertrokken
          - id: vertrokken
            colour: red
            when: { departed: true }
            plan: vertrokken
          - id: vertrekkend
            colour: orange
            when: { departing: true }
            plan: standaard
          - id: nieuw
            colour: orange
            when: { newTenant: true }
            plan: nieuwe-huurder
          - id: kan-niet-wil-niet
            colour: red
            when: { ability: cannot, willingness: wont }
            plan: standaard
          - id: kan-wel-wil-niet
            colour: red
            when: { ability: can, willingness: wont }
            plan: standaard
          - id: kan-niet-wil-wel
            colour: blue
            when: { ability: cannot, willingness: will }
            plan: standaard
          - id: kan-wel-wil-wel
            colour: orange
            when: { ability: can, willingness: will }
            plan: standaard
          - id: veel-aandacht
            colour: red
            when: { brokenArrangementsAtLeast: 2 }
            plan: standaard
          - id: extra-aandacht
            colour: blue
            when: { lateMonthsAtLeast: 6 }
            plan: standaard
          - id: persoonlijke-aandacht
            colour: orange
            when: { lateMonthsAtLeast: 3 }
            plan: standaard
          - id: goede-betaler
            colour: green
            when: { lateMonthsAtLeast: 1 }
            plan: keurige-betaler
          - id: zeer-goede-betaler
            colour: green
            when: { directDebit: false }
            plan: keurige-betaler
          - id: uitstekende-betaler
            colour: green
            when: {}
            plan: keurige-betaler

        """;

    private static CollectionPolicy Load()
    {
        var text = File.ReadAllText(RepositoryRoot.Path("policy", "default.yaml"));
        var start = text.IndexOf("segments:\n", StringComparison.Ordinal);
        var end = text.IndexOf("# Betalingsregelingen.", StringComparison.Ordinal);
        var result = PolicyLoader.Parse(string.Concat(text.AsSpan(0, start), FourteenCategories, text.AsSpan(end)));
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        return result.Policy!;
    }

    private static SegmentFacts Facts(
        bool newTenant = false, bool directDebit = true, int late = 0, bool departing = false, bool departed = false,
        Ability? ability = null, Willingness? willingness = null, int broken = 0, bool inArrears = true) =>
        new(newTenant, directDebit, late, false, [], departing, departed, ability, willingness, broken, inArrears);

    [Fact]
    public void Parse_FourteenCategories_AllFourColoursUsed()
    {
        var policy = Load();

        Assert.Equal(14, policy.Segments.Length);
        Assert.Equal(Enum.GetValues<SegmentColour>().ToHashSet(), policy.Segments.Select(s => s.Colour!.Value).ToHashSet());
    }

    public static TheoryData<string, SegmentFacts> FactCases => new()
    {
        // Departed and settled: aftercare done.
        { "nazorg-afgerond", Facts(departed: true, inArrears: false) },
        // Departed with arrears.
        { "vertrokken", Facts(departed: true) },
        // Notice of termination given.
        { "vertrekkend", Facts(departing: true, late: 5) },
        // New beats payment history.
        { "nieuw", Facts(newTenant: true, late: 2) },
        // The consultant's assessment beats the payment history.
        { "kan-niet-wil-niet", Facts(ability: Ability.Cannot, willingness: Willingness.Wont, late: 8) },
        { "kan-wel-wil-niet", Facts(ability: Ability.Can, willingness: Willingness.Wont) },
        { "kan-niet-wil-wel", Facts(ability: Ability.Cannot, willingness: Willingness.Will) },
        { "kan-wel-wil-wel", Facts(ability: Ability.Can, willingness: Willingness.Will) },
        // Two broken arrangements: much attention.
        { "veel-aandacht", Facts(broken: 2, late: 1) },
        { "extra-aandacht", Facts(late: 6) },
        { "persoonlijke-aandacht", Facts(late: 3) },
        { "goede-betaler", Facts(late: 1) },
        // Never late but pays by transfer.
        { "zeer-goede-betaler", Facts(directDebit: false) },
        // Never late and pays by direct debit.
        { "uitstekende-betaler", Facts() },
    };

    [Theory]
    [MemberData(nameof(FactCases))]
    public void Classify_Facts_FirstMatchingRuleWins(string expected, SegmentFacts facts)
    {
        Assert.Equal(expected, Segmenter.Classify(facts, Load()).Id);
    }

    [Fact]
    public void SegmentChange_IsAnEventWithItsRule()
    {
        var c = Tests.Cases.CaseDriver.Opened(Tests.Cases.ShippedPolicies.Default, new DateOnly(2026, 2, 1));
        Assert.Equal("keurige-betaler", c.State.Segment);

        c.Send(new UpdateTenantFacts(DirectDebit: false, LateMonthsInLast12: 7, Departing: false) { MessageId = c.NextId() });

        var change = c.EventsOf<SegmentChanged>().Last();
        Assert.Equal("keurige-betaler", change.From);
        Assert.Equal("chronische-laatbetaler", change.To);
        Assert.Equal(SegmentColour.Blue, change.Colour);
        Assert.Equal("segment:chronische-laatbetaler", change.Reason);
        Assert.Equal("standaard", c.State.Plan);
    }

    [Fact]
    public void Resegment_NewTenantNoLongerNew_ChangesTheSegmentButTakesNoStep()
    {
        var c = Tests.Cases.CaseDriver.Opened(Tests.Cases.ShippedPolicies.Default, new DateOnly(2026, 2, 1), contractStart: new DateOnly(2025, 12, 1));
        Assert.Equal("nieuw", c.State.Segment);
        // 02:00 on 2 June: the contract is more than six months old, and the ladder has steps due.
        var night = CaseCore.TimerInstant(new DateOnly(2026, 6, 2)).AddHours(-4);

        var events = CaseCore.Decide(c.State, Resegment.For(new DateOnly(2026, 6, 2)), night, c.Policy);
        var sameFacts = CaseCore.Decide(c.State, new UpdateTenantFacts(c.State.DirectDebit, c.State.LateMonthsInLast12, c.State.Departing) { MessageId = "facts" }, night, c.Policy);

        var change = Assert.Single(events.OfType<SegmentChanged>());
        Assert.Equal("nieuw", change.From);
        Assert.NotEqual("nieuw", change.To);
        Assert.Equal("resegment:2026-06-02", events[0].CausationId);
        Assert.Empty(events.OfType<StepTaken>());
        // Any other message at that moment would also walk the ladder: the 06:00 timer does that.
        Assert.NotEmpty(sameFacts.OfType<StepTaken>());
    }

    [Fact]
    public void Resegment_NothingChanged_NoEvents()
    {
        var c = Tests.Cases.CaseDriver.Opened(Tests.Cases.ShippedPolicies.Default, new DateOnly(2026, 2, 1));

        var events = CaseCore.Decide(c.State, Resegment.For(c.Today), c.Now.AddMinutes(1), c.Policy);

        Assert.Empty(events);
    }
}
