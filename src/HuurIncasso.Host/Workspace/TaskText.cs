using System.Globalization;
using HuurIncasso.Domain.Cases;

namespace HuurIncasso.Host.Workspace;

/// <summary>What a worklist task asks a person to do.</summary>
public enum TaskKind
{
    /// <summary>Phone the tenant (a ladder call, or contact after a returned direct debit).</summary>
    Call,

    /// <summary>Visit the tenant at home, preferably in the evening.</summary>
    Visit,

    /// <summary>An instalment of an arrangement was not paid: a person checks.</summary>
    BrokenArrangement,

    /// <summary>A pause waits for a decision.</summary>
    PauseApproval,

    /// <summary>A handover (or another step that needs approval) waits for a team lead.</summary>
    HandoverApproval,

    /// <summary>A write-off waits for a second person.</summary>
    WriteOffApproval,

    /// <summary>Anything else (early signal held, finance task, complaint, deceased tenant).</summary>
    Other,
}

/// <summary>
/// Task titles as a consultant reads them. The case core writes each title in Dutch, with
/// Dutch money and dates (<see cref="Dutch"/>); which kind a task is follows from the opening
/// words the core gives each kind (tests pin this against the core's own titles).
/// </summary>
public static class TaskText
{
    private static readonly CultureInfo Nl = CultureInfo.GetCultureInfo("nl-NL");

    /// <summary>The kind of the task with this title.</summary>
    public static TaskKind KindOf(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        return title switch
        {
            _ when title.StartsWith("Bellen:", StringComparison.Ordinal) => TaskKind.Call,
            _ when title.StartsWith("Incasso gestorneerd", StringComparison.Ordinal) && title.EndsWith("contact opnemen", StringComparison.Ordinal) => TaskKind.Call,
            _ when title.StartsWith("Huisbezoek", StringComparison.Ordinal) => TaskKind.Visit,
            _ when title.StartsWith("Termijn ", StringComparison.Ordinal) && title.Contains("niet betaald", StringComparison.Ordinal) => TaskKind.BrokenArrangement,
            _ when title.StartsWith("Pauze", StringComparison.Ordinal) => TaskKind.PauseApproval,
            _ when title.StartsWith("Goedkeuren:", StringComparison.Ordinal) => TaskKind.HandoverApproval,
            _ when title.StartsWith("Afboeken", StringComparison.Ordinal) => TaskKind.WriteOffApproval,
            _ => TaskKind.Other,
        };
    }

    /// <summary>True for the kinds that the approvals queue shows from the case's own state.</summary>
    public static bool IsApproval(TaskKind kind) => kind is TaskKind.PauseApproval or TaskKind.HandoverApproval or TaskKind.WriteOffApproval;

    /// <summary>An instant as Dutch date and time in Europe/Amsterdam, e.g. <c>12 mei 2026, 14:05</c>.</summary>
    public static string When(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, Amsterdam);
        return local.ToString("d MMMM yyyy, HH:mm", Nl);
    }

    /// <summary>A short Dutch date (e.g. <c>12 mei 2026</c>) of an instant in Europe/Amsterdam.</summary>
    public static string Day(DateTimeOffset instant) => Dutch.Date(Domain.Cases.CaseCore.BusinessDate(instant));

    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
}
