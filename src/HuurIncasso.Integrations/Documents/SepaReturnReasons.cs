namespace HuurIncasso.Integrations.Documents;

/// <summary>SEPA direct-debit return reasons in words a tenant understands (B1).</summary>
public static class SepaReturnReasons
{
    /// <summary>The Dutch explanation of <paramref name="code"/>; the code itself when unknown.</summary>
    public static string Dutch(string? code) => code?.Trim().ToUpperInvariant() switch
    {
        "AM04" => "er stond niet genoeg geld op uw rekening",
        "MD06" => "u heeft de bank gevraagd het bedrag terug te boeken",
        "MS02" => "u of uw bank heeft de afschrijving geweigerd",
        "MS03" => "de bank gaf geen reden",
        "AC01" => "het rekeningnummer klopt niet",
        "AC04" => "de rekening is opgeheven",
        "AC06" => "de rekening is geblokkeerd",
        "AG01" => "van deze rekening kan niet automatisch worden afgeschreven",
        "MD01" => "er is geen (geldige) machtiging voor automatische incasso",
        "MD02" => "de gegevens van de machtiging kloppen niet",
        "MD07" => "de rekeninghouder is overleden",
        "SL01" => "u heeft automatische incasso bij uw bank geblokkeerd",
        null or "" => "onbekend",
        var other => $"code {other}",
    };
}
