using HuurIncasso.Domain.Policies;

namespace HuurIncasso.Host.Tests.Web;

/// <summary>
/// The default policy with a ladder that visits at once and then proposes a handover to the
/// bailiff: so a test reaches a visit task and a handover approval in seconds of real time,
/// through the real case core. Written to a folder of its own for <c>--Policy:Folder</c>.
/// </summary>
internal static class VisitFirstPolicy
{
    private const string Ladder = """

        ladder:
          - id: huisbezoek
            kind: visit
            monthsInArrears: 1
          - id: overdracht
            kind: handover
            handoverTo: bailiff
            monthsInArrears: 1
            requiresApproval: true
            requiresVisit: true
            terminal: true
          - id: herinnering
            kind: reminder
            channels: [mail]
            optional: true
          - id: aanmaning
            kind: formalNotice
            channels: [letter]
            optional: true
          - id: eindafrekening
            kind: finalStatement
            channels: [letter]
            optional: true
          - id: overdracht-vertrokken
            kind: handover
            handoverTo: agency
            requiresApproval: true
            requiresVisit: false
            terminal: true
            optional: true
          - id: taak-financien
            kind: task
            role: finance
            optional: true
        """;

    /// <summary>A fresh folder holding only this policy; returns the host argument that uses it.</summary>
    public static string Argument()
    {
        var text = File.ReadAllText(Path.Combine(PolicyCatalog.DefaultFolder, "default.yaml")).ReplaceLineEndings("\n");
        var from = text.IndexOf("\nladder:", StringComparison.Ordinal);
        var to = text.IndexOf("\nplans:", StringComparison.Ordinal);
        text = text[..from] + Ladder.ReplaceLineEndings("\n") + "\n" + text[to..];
        text = System.Text.RegularExpressions.Regex.Replace(text, "(?m)^version: .*$", "version: \"test-huisbezoek\"");
        text = System.Text.RegularExpressions.Regex.Replace(text, "(?m)^validFrom: .*$", "validFrom: 2020-01-01");
        // The default plans adjust the first call; here the visit is the first step.
        text = text.Replace("step: bellen-1", "step: huisbezoek", StringComparison.Ordinal);
        var folder = Directory.CreateTempSubdirectory("huurincasso-policy-").FullName;
        File.WriteAllText(Path.Combine(folder, "visit-first.yaml"), text);
        return $"--Policy:Folder={folder}";
    }
}
