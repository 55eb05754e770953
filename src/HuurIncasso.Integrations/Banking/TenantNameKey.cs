using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HuurIncasso.Integrations.Banking;

/// <summary>
/// A person's name as a bank or the ledger writes it, reduced to what identifies the person:
/// the words of the name (no titles, no "e.o.", no tussenvoegsels, no diacritics, lower case)
/// and the initials. "Dhr. J.P. van der Berg e.o." and "BERG JP VD" give the same key.
/// </summary>
internal sealed partial record TenantNameKey(IReadOnlyList<string> Words, IReadOnlySet<char> Initials)
{
    private static readonly FrozenSet<string> Titles = FrozenSet.ToFrozenSet(
    [
        "dhr", "hr", "heer", "mevr", "mevrouw", "mw", "mvr", "mej", "mr", "mrs", "ms", "dr", "drs", "ir", "ing", "prof",
        "fam", "familie", "eo", "cj", "cs", "en", "of", "enof", "echtgenote", "echtgenoot", "erven", "wed", "weduwe",
    ], StringComparer.Ordinal);

    private static readonly FrozenSet<string> Tussenvoegsels = FrozenSet.ToFrozenSet(
    [
        "van", "de", "der", "den", "het", "t", "ter", "ten", "te", "in", "op", "vd", "vander", "vanden", "von", "la", "le", "du", "des", "d", "da", "di", "el", "al",
    ], StringComparer.Ordinal);

    /// <summary>Builds the key of <paramref name="name"/>; an empty key for null or punctuation only.</summary>
    public static TenantNameKey Of(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return new([], new HashSet<char>());
        }

        var text = RemoveDiacritics(name).ToLowerInvariant();
        text = EnOfPattern().Replace(text, " eo ");
        text = VanDerPattern().Replace(text, " vd ");
        text = NonLetters().Replace(text, " ");

        var words = new List<string>();
        var initials = new HashSet<char>();
        var clusters = new List<string>();
        foreach (var token in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (Titles.Contains(token) || Tussenvoegsels.Contains(token))
            {
                continue;
            }

            if (token.Length == 1)
            {
                initials.Add(token[0]);
                continue;
            }

            if (token.Length <= 3 && !token.Any(IsVowel))
            {
                // "jp" written without dots: initials, not a name (decided below).
                clusters.Add(token);
                continue;
            }

            words.Add(token);
        }

        // "K NG": with no other word, the last vowel-less token was the surname after all.
        if (words.Count == 0 && clusters.Count > 0)
        {
            words.Add(clusters[^1]);
            clusters.RemoveAt(clusters.Count - 1);
        }

        initials.UnionWith(clusters.SelectMany(cluster => cluster));

        return new(words, initials);
    }

    /// <summary>
    /// How well a payer's name fits a tenant's name, 0 to 1: the share of the shorter name's
    /// words found in the other (one typo allowed in longer words), halved when the tenant's
    /// last word (normally the surname) is not among them, lowered when both give initials
    /// and none agree.
    /// </summary>
    public double Score(TenantNameKey tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        if (Words.Count == 0 || tenant.Words.Count == 0)
        {
            return 0;
        }

        var matched = tenant.Words.Count(word => Words.Any(other => SameWord(word, other)));
        var score = (double)matched / Math.Min(Words.Count, tenant.Words.Count);
        score = Math.Min(score, 1);

        if (!Words.Any(other => SameWord(tenant.Words[^1], other)))
        {
            score /= 2;
        }

        if (Initials.Count > 0 && tenant.Initials.Count > 0 && !Initials.Overlaps(tenant.Initials))
        {
            score -= 0.25;
        }

        return Math.Max(score, 0);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Join(' ', Words) + (Initials.Count > 0 ? $" ({string.Concat(Initials.Order())})" : string.Empty);

    private static bool SameWord(string a, string b) =>
        a == b || (Math.Min(a.Length, b.Length) >= 5 && Math.Abs(a.Length - b.Length) <= 1 && Distance(a, b) <= 1);

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static string RemoveDiacritics(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            switch (c)
            {
                case 'ß':
                    builder.Append("ss");
                    break;
                case 'ø' or 'Ø':
                    builder.Append('o');
                    break;
                case 'ł' or 'Ł':
                    builder.Append('l');
                    break;
                case 'ı':
                    // Turkish dotless i has no decomposition.
                    builder.Append('i');
                    break;
                case 'đ' or 'Đ':
                    builder.Append('d');
                    break;
                case 'æ' or 'Æ':
                    builder.Append("ae");
                    break;
                case 'œ' or 'Œ':
                    builder.Append("oe");
                    break;
                default:
                    if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    // "e.o.", "e/o", "e o": en echtgeno(o)t(e); dotted forms would otherwise become initials.
    [GeneratedRegex(@"\be\s*[./]\s*o\b\.?", RegexOptions.CultureInvariant)]
    private static partial Regex EnOfPattern();

    // "v.d.", "v/d": van de(r|n).
    [GeneratedRegex(@"\bv\s*[./]\s*d\b\.?", RegexOptions.CultureInvariant)]
    private static partial Regex VanDerPattern();

    [GeneratedRegex(@"[^a-z]+", RegexOptions.CultureInvariant)]
    private static partial Regex NonLetters();
}
