using HuurIncasso.Domain.Cases;

namespace HuurIncasso.Domain.Tests.Cases;

/// <summary>
/// The task title the core writes for an event on an open case with EUR 2,150 in arrears since
/// April 2026: the core's own titles, for the tests of their wording and of how the workspace
/// reads them (the host's tests link this file).
/// </summary>
internal static class TaskTitleSamples
{
    public static readonly DateOnly On = new(2026, 6, 1);

    public static CaseState State => CaseState.Empty("Z-1") with
    {
        Status = CaseStatus.Open,
        MonthlyRent = 700m,
        Charges = [new OpenCharge(new DateOnly(2026, 4, 1), 2150m)],
    };

    /// <summary>The title of the first person task the core makes for <paramref name="e"/>.</summary>
    public static string TitleOf(CaseEvent e) =>
        CaseCore.EffectsOf(e with { Sequence = 7, At = new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero) }, State).OfType<PersonTask>().First().Title;
}
