using HuurIncasso.Domain.Policies;
using HuurIncasso.Engine;
using HuurIncasso.Integrations.Documents;

namespace HuurIncasso.Integrations.Exports;

/// <summary>Deterministic blob names of the exports in the documents container.</summary>
public static class ExportNames
{
    /// <summary><c>early-signal/{yyyy-MM}/items/{caseId}/{sequence}-{index}.json</c>.</summary>
    public static string EarlySignalItem(DateOnly on, Effect effect) => $"{EarlySignalItems(on)}{effect.CaseId}/{DocumentNames.EffectFile(effect)}.json";

    /// <summary><c>early-signal/{yyyy-MM}/items/</c>.</summary>
    public static string EarlySignalItems(DateOnly month) => $"early-signal/{DocumentNames.Month(month)}/items/";

    /// <summary><c>early-signal/{yyyy-MM}.csv</c>: the list for the municipality.</summary>
    public static string EarlySignalList(DateOnly month) => $"early-signal/{DocumentNames.Month(month)}.csv";

    /// <summary><c>referrals/{partner}/{yyyy-MM-dd}/items/{caseId}/{sequence}-{index}.json</c>.</summary>
    public static string ReferralItem(Partner partner, DateOnly on, Effect effect) => $"{ReferralItems(partner, on)}{effect.CaseId}/{DocumentNames.EffectFile(effect)}.json";

    /// <summary><c>referrals/{partner}/{yyyy-MM-dd}/items/</c>.</summary>
    public static string ReferralItems(Partner partner, DateOnly day) => $"referrals/{Folder(partner)}/{DocumentNames.Day(day)}/items/";

    /// <summary><c>referrals/{partner}/{yyyy-MM-dd}.csv</c>.</summary>
    public static string ReferralList(Partner partner, DateOnly day) => $"referrals/{Folder(partner)}/{DocumentNames.Day(day)}.csv";

    /// <summary><c>handover/{caseId}/{sequence}-{index}</c> + extension (.json VERA, .csv, .pdf).</summary>
    public static string Handover(Effect effect, string extension) => $"handover/{effect.CaseId}/{DocumentNames.EffectFile(effect)}.{extension}";

    /// <summary><c>exports/{kind}/{yyyy-MM-dd}/items/{caseId}/{sequence}-{index}.json</c>.</summary>
    public static string ExportItem(string kind, DateOnly on, Effect effect) => $"{ExportItems(kind, on)}{effect.CaseId}/{DocumentNames.EffectFile(effect)}.json";

    /// <summary><c>exports/{kind}/{yyyy-MM-dd}/items/</c>.</summary>
    public static string ExportItems(string kind, DateOnly day) => $"exports/{kind}/{DocumentNames.Day(day)}/items/";

    /// <summary><c>exports/{kind}/{yyyy-MM-dd}.csv</c>.</summary>
    public static string ExportList(string kind, DateOnly day) => $"exports/{kind}/{DocumentNames.Day(day)}.csv";

    /// <summary>The folder of a partner: kebab case of its name (early-signal, credit-bank, ...).</summary>
    public static string Folder(Partner partner) => partner switch
    {
        Partner.EarlySignal => "early-signal",
        Partner.CreditBank => "credit-bank",
        Partner.PublicHealth => "public-health",
        Partner.DebtCounselling => "debt-counselling",
        _ => throw new ArgumentOutOfRangeException(nameof(partner), partner, "Unknown partner."),
    };
}
