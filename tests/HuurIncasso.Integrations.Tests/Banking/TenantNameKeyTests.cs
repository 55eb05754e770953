using HuurIncasso.Integrations.Banking;

namespace HuurIncasso.Integrations.Tests.Banking;

public sealed class TenantNameKeyTests
{
    [Theory]
    // Titles, initials with dots, tussenvoegsels and "e.o." all fall away.
    [InlineData("Dhr. J.P. van der Berg e.o.", "berg", "jp")]
    // Bank style: upper case, surname first, initials without dots, "v/d".
    [InlineData("BERG JP V/D", "berg", "jp")]
    // Diacritics and a dotless i.
    [InlineData("Mevr. Ş. Yılmaz-Öztürk", "yilmaz ozturk", "s")]
    // "EO" and "CJ" as bank suffixes.
    [InlineData("HR P BAKKER EO", "bakker", "p")]
    [InlineData("P BAKKER CJ", "bakker", "p")]
    // 't as a tussenvoegsel.
    [InlineData("A. van 't Hof", "hof", "a")]
    // A vowel-less surname is kept when nothing else is left.
    [InlineData("K. Ng", "ng", "k")]
    // Only noise: no words.
    [InlineData("Dhr. en/of Mevr.", "", "")]
    public void Of_Name_Normalised(string name, string words, string initials)
    {
        var key = TenantNameKey.Of(name);

        Assert.Equal(words, string.Join(' ', key.Words));
        Assert.Equal(initials, string.Concat(key.Initials.Order()));
    }

    [Theory]
    // Same person written two ways.
    [InlineData("DHR J DE VRIES", "J. de Vries", 1.0)]
    // One typo in a long surname is forgiven.
    [InlineData("J. Janssens", "J. Jansens", 1.0)]
    // Same surname, other initials: lower, below the default threshold.
    [InlineData("K. Bakker", "P. Bakker", 0.75)]
    // One of two words matches, and not the surname: 0.5, halved.
    [InlineData("Jan Pietersen", "Jan Bakker", 0.25)]
    // A payer with two surnames pays for a tenant with one of them.
    [InlineData("Ozturk Yilmaz", "A. Yılmaz", 1.0)]
    // Nothing in common.
    [InlineData("Stichting Voedselbank", "P. Bakker", 0.0)]
    public void Score_Pairs_AsExpected(string payer, string tenant, double expected)
    {
        Assert.Equal(expected, TenantNameKey.Of(payer).Score(TenantNameKey.Of(tenant)), 3);
    }
}
