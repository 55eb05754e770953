using System.Globalization;
using HuurIncasso.Engine;

namespace HuurIncasso.Integrations.Documents;

/// <summary>
/// The deterministic blob names in the documents container. Per effect the name comes from
/// the case id and the effect's place in the case (event sequence and index), never from the
/// clock, so every attempt for one effect writes the same blob.
/// </summary>
public static class DocumentNames
{
    /// <summary>"{sequence:D10}-{index}": the effect's stable place within its case.</summary>
    public static string EffectFile(Effect effect)
    {
        ArgumentNullException.ThrowIfNull(effect);
        return string.Create(CultureInfo.InvariantCulture, $"{effect.Sequence:D10}-{effect.Index}");
    }

    /// <summary><c>letters/{caseId}/{sequence}-{index}.pdf</c>.</summary>
    public static string Letter(Effect effect) => $"letters/{effect.CaseId}/{EffectFile(effect)}.pdf";

    /// <summary><c>print/{yyyy-MM-dd}/items/{caseId}/{sequence}-{index}.json</c>: one letter for that day's batch.</summary>
    public static string PrintItem(DateOnly day, Effect effect) => $"print/{Day(day)}/items/{effect.CaseId}/{EffectFile(effect)}.json";

    /// <summary><c>print/{yyyy-MM-dd}/items/</c>.</summary>
    public static string PrintItems(DateOnly day) => $"print/{Day(day)}/items/";

    /// <summary><c>print/{yyyy-MM-dd}.pdf</c>: all letters of the day, for the mail house.</summary>
    public static string PrintBatch(DateOnly day) => $"print/{Day(day)}.pdf";

    /// <summary><c>print/{yyyy-MM-dd}.csv</c>: what is in the batch, letter by letter.</summary>
    public static string PrintManifest(DateOnly day) => $"print/{Day(day)}.csv";

    /// <summary>yyyy-MM-dd.</summary>
    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>yyyy-MM.</summary>
    public static string Month(DateOnly day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
