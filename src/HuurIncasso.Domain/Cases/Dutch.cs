using System.Globalization;
using HuurIncasso.Domain.Policies;

namespace HuurIncasso.Domain.Cases;

/// <summary>
/// The words a consultant reads for the core's amounts, dates and codes: Dutch money
/// (<c>€ 2.150,00</c>), Dutch dates (<c>1 juli 2026</c>) and Dutch names for enum values and
/// template ids. The core writes its task titles with these, and the workspace shows the same
/// words, so a title and the page around it never disagree.
/// </summary>
public static class Dutch
{
    private static readonly CultureInfo Nl = CultureInfo.GetCultureInfo("nl-NL");

    public static string Euro(decimal amount) => amount.ToString("C", Nl);

    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", Nl);

    public static string Pause(PauseKind kind) => kind switch
    {
        PauseKind.Deferral => "uitstel",
        PauseKind.Complaint => "klacht",
        PauseKind.DebtCounselling => "schuldhulp",
        _ => kind.ToString(),
    };

    public static string Target(HandoverTarget target) => target == HandoverTarget.Bailiff ? "de deurwaarder" : "het incassobureau";

    /// <summary>VERA's end reasons in words.</summary>
    public static string EndReason(ArrangementEndReason reason) => reason switch
    {
        ArrangementEndReason.AFB => "afbetaald",
        ArrangementEndReason.ONI => "oninbaar",
        ArrangementEndReason.SAN => "restschuld gesaneerd",
        _ => "regeling niet nagekomen",
    };

    public static string Legal(LegalStep step) => step switch
    {
        LegalStep.Summons => "Dagvaarding",
        LegalStep.Judgment => "Vonnis",
        _ => "Ontruiming",
    };

    /// <summary>What the mail provider reported.</summary>
    public static string MailEvent(MailEventKind kind) => kind switch
    {
        MailEventKind.Delivered => "afgeleverd",
        MailEventKind.Deferred => "vertraagd",
        MailEventKind.Bounced => "geweigerd",
        MailEventKind.Dropped => "niet verstuurd door SendGrid",
        MailEventKind.Opened => "geopend",
        MailEventKind.SpamReported => "als spam gemeld",
        _ => kind.ToString(),
    };

    /// <summary>A letter or mail template's name as a consultant knows it; a ladder step's template is its (Dutch) step id.</summary>
    public static string Template(string template) => template switch
    {
        "formal-notice" => "aanmaning (14 dagen)",
        "arrangement-confirmation" => "bevestiging betalingsregeling",
        "closing-confirmation" => "bevestiging: alles betaald",
        "reversal-recollect" => "incasso teruggeboekt, we incasseren opnieuw",
        "reversal-contact" => "incasso teruggeboekt, neem contact op",
        "arrangement-broken" => "regeling gestopt",
        "pause-confirmation" => "bevestiging pauze",
        "handover-announcement" => "aankondiging overdracht",
        _ => template,
    };
}
