using System.Collections.Immutable;
using HuurIncasso.Domain.Policies;

namespace HuurIncasso.Domain.Cases;

/// <summary>
/// The case core with its policies, in the shape a generic case engine asks for: it picks the
/// policy per message (the newest in force for a new case, the pinned version for a running
/// one, the target version for a migration) and forwards to <see cref="CaseCore"/>.
/// Thread-safe: immutable after construction.
/// </summary>
public sealed class CaseWorkflow(PolicyCatalog catalog)
{
    private readonly PolicyCatalog catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));

    public PolicyCatalog Catalog => catalog;

    /// <summary>Only a ledger's <see cref="OpenCase"/> opens a case; anything else for an unknown case is parked.</summary>
    public static bool Opens(CaseMessage message) => message is OpenCase;

    public static CaseState Initial(string caseId) => CaseState.Empty(caseId);

    /// <summary>The policy that applies to <paramref name="message"/> for a case in <paramref name="state"/> at <paramref name="now"/>.</summary>
    public CollectionPolicy PolicyFor(CaseState state, CaseMessage message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(message);
        return message switch
        {
            MigratePolicy m => catalog.ByVersion(m.ToVersion),
            _ when state.Status == CaseStatus.New => catalog.ForNewCase(CaseCore.BusinessDate(now)),
            _ => catalog.ByVersion(state.PolicyVersion),
        };
    }

    /// <inheritdoc cref="CaseCore.Decide"/>
    public ImmutableArray<CaseEvent> Decide(CaseState state, CaseMessage message, DateTimeOffset now) =>
        CaseCore.Decide(state, message, now, PolicyFor(state, message, now));

    public static CaseState Apply(CaseState state, CaseEvent @event) => CaseCore.Apply(state, @event);

    public static ImmutableArray<CaseEffect> EffectsOf(CaseEvent @event, CaseState after) => CaseCore.EffectsOf(@event, after);

    public static DateTimeOffset? WaitingUntil(CaseState state) => state?.WaitingUntil;

    public static CaseMessage TimerFired(DateTimeOffset due) => FireTimer.At(due);

    /// <summary>Stage and whether the case needs nothing more.</summary>
    public static (string Stage, bool Closed) Describe(CaseState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return (state.Stage, state.IsClosed);
    }
}
