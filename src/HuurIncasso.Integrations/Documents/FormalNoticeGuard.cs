using System.Collections.Immutable;
using System.Globalization;
using HuurIncasso.Domain.Statutory;

namespace HuurIncasso.Integrations.Documents;

/// <summary>
/// Last check before a 14-day notice is printed. A notice with a too-early deadline does not
/// count (HR 25-11-2016), and its deadline was computed from the posting date the case
/// recorded: printed on a later day, the letter would name a deadline that is too early.
/// </summary>
public static class FormalNoticeGuard
{
    /// <summary>Throws when the notice must not go out as it is.</summary>
    /// <exception cref="FormalNoticeRejectedException">A date is missing, the deadline is too early, or the posting day has passed.</exception>
    public static void Check(string caseId, ImmutableDictionary<string, string> data, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(data);
        var sent = DateOf(caseId, data, "verzonden");
        var delivered = DateOf(caseId, data, "ontvangen");
        var lastDay = DateOf(caseId, data, "laatsteDag");
        foreach (var amount in new[] { "kosten", "btw" })
        {
            if (!data.TryGetValue(amount, out var text) || !decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _))
            {
                throw new FormalNoticeRejectedException(caseId, $"data.{amount} must be an amount like 40.00 (the notice must state the exact costs).");
            }
        }

        if (delivered <= sent)
        {
            throw new FormalNoticeRejectedException(caseId, $"the assumed delivery {delivered:yyyy-MM-dd} is not after the posting day {sent:yyyy-MM-dd}.");
        }

        if (lastDay < FormalNoticeRules.LastDayToPay(delivered))
        {
            throw new FormalNoticeRejectedException(caseId, $"the last day to pay {lastDay:yyyy-MM-dd} is before {FormalNoticeRules.LastDayToPay(delivered):yyyy-MM-dd}, fourteen days from the day after delivery.");
        }

        if (today > sent)
        {
            throw new FormalNoticeRejectedException(caseId, $"it had to be posted on {sent:yyyy-MM-dd} and today is {today:yyyy-MM-dd}: its deadline would now be too early. The case needs a new notice.");
        }
    }

    private static DateOnly DateOf(string caseId, ImmutableDictionary<string, string> data, string key) =>
        data.TryGetValue(key, out var text) && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new FormalNoticeRejectedException(caseId, $"data.{key} must be a date as yyyy-MM-dd.");
}

/// <summary>A 14-day notice that would not hold up; it is not printed.</summary>
public sealed class FormalNoticeRejectedException(string caseId, string reason)
    : Exception($"The 14-day notice of case {caseId} is not printed: {reason}")
{
    /// <summary>The case.</summary>
    public string CaseId { get; } = caseId;
}
