using System.Globalization;
using System.Text.RegularExpressions;

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
/// Task titles as a consultant reads them. The case core writes titles with invariant amounts
/// and ISO dates (they are also log- and export-friendly); the screen and the API show Dutch
/// money and dates. Which kind a task is follows from the opening words the core gives each
/// kind (tests pin this against the core's own titles).
/// </summary>
public static partial class TaskText
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

    /// <summary>The title with Dutch money (<c>€ 2.150,00</c>), Dutch dates and Dutch pause kinds.</summary>
    public static string Dutch(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        var text = IsoDate().Replace(title, m => Timeline.Date(DateOnly.ParseExact(m.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture)));
        text = InvariantAmount().Replace(text, m => Timeline.Euro(decimal.Parse(m.Value, CultureInfo.InvariantCulture)));
        return PauseKindWord().Replace(text, m => "(" + Timeline.Pause(Enum.Parse<Domain.Policies.PauseKind>(m.Groups[1].Value)) + ")");
    }

    /// <summary>An instant as Dutch date and time in Europe/Amsterdam, e.g. <c>12 mei 2026, 14:05</c>.</summary>
    public static string When(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, Amsterdam);
        return local.ToString("d MMMM yyyy, HH:mm", Nl);
    }

    /// <summary>A short Dutch date (e.g. <c>12 mei 2026</c>) of an instant in Europe/Amsterdam.</summary>
    public static string Day(DateTimeOffset instant) => Timeline.Date(Domain.Cases.CaseCore.BusinessDate(instant));

    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    // Not part of an id such as "300103-2026-05-R1": no word character or '-' around it.
    [GeneratedRegex(@"(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"(?<![\w.,-])-?\d+\.\d{2}(?![\w.])")]
    private static partial Regex InvariantAmount();

    [GeneratedRegex(@"\((Deferral|Complaint|DebtCounselling)\)")]
    private static partial Regex PauseKindWord();
}
