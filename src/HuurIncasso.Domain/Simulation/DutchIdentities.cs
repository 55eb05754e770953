namespace HuurIncasso.Domain.Simulation;

/// <summary>
/// Names, streets and places for synthetic tenants. Written out here rather than taken from
/// Bogus: Bogus does no I/O (its locales are embedded resources), but its "nl" locale drops
/// the tussenvoegsels ("Vries" for "de Vries") and makes up towns, and a corporation works in
/// one real region. Everything here is invented combinations of common names; no real person.
/// </summary>
internal static class DutchIdentities
{
    public static readonly string[] FirstNames =
    [
        "Jan", "Piet", "Kees", "Henk", "Gerrit", "Johan", "Willem", "Marco", "Dennis", "Sander",
        "Mohamed", "Ahmed", "Youssef", "Mustafa", "Hasan", "Emre", "Daan", "Sem", "Lucas", "Milan",
        "Noah", "Levi", "Thijs", "Ruben", "Bram", "Ricardo", "Tomasz", "Kevin", "Rachid", "Stefan",
        "Maria", "Johanna", "Anna", "Els", "Ingrid", "Petra", "Sandra", "Linda", "Monique", "Fatima",
        "Samira", "Khadija", "Aylin", "Esra", "Emma", "Julia", "Sophie", "Lisa", "Fleur", "Sanne",
        "Anouk", "Priya", "Shanti", "Agnieszka", "Nicole", "Wendy", "Chantal", "Naima", "Ilse", "Romy",
    ];

    public static readonly string[] LastNames =
    [
        "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
        "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
        "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
        "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen",
        "van den Broek", "de Bruijn", "van der Heijden", "Schouten", "van Beek", "Willems", "van Vliet",
        "Yilmaz", "Kaya", "El Amrani", "Bouzid", "Öztürk", "Benali", "Doğan", "Ramdin", "Sewnath",
        "Kowalski", "Nowak", "Martina", "Koster", "Prins", "Huisman", "Kuipers", "Postma", "Verhoeven",
    ];

    public static readonly string[] Streets =
    [
        "Kerkstraat", "Dorpsstraat", "Molenweg", "Schoolstraat", "Stationsweg", "Julianastraat",
        "Beatrixlaan", "Wilhelminastraat", "Oranjestraat", "Prins Bernhardlaan", "Lindenlaan",
        "Eikenlaan", "Beukenlaan", "Berkenlaan", "Kastanjelaan", "Vondelstraat", "Rembrandtlaan",
        "Vermeerstraat", "Van Goghstraat", "Merelstraat", "Lijsterstraat", "Zwaluwstraat",
        "Tulpstraat", "Rozenstraat", "Narcisstraat", "Irisstraat", "Havenstraat", "Zuidsingel",
        "Noordweg", "Parkweg", "Sportlaan", "Jan Steenstraat", "Frans Halsstraat", "Marnixlaan",
        "Burgemeester Norbruislaan", "Kanaalweg", "Jasmijnstraat", "Goudsbloemlaan",
    ];

    /// <summary>Towns of one region with their real postcode number ranges.</summary>
    public static readonly (string City, int FirstPostcode, int LastPostcode, double Weight)[] Towns =
    [
        ("Utrecht", 3511, 3585, 0.40),
        ("Amersfoort", 3811, 3829, 0.18),
        ("Nieuwegein", 3431, 3439, 0.10),
        ("Zeist", 3701, 3709, 0.08),
        ("Veenendaal", 3901, 3907, 0.08),
        ("Houten", 3991, 3995, 0.06),
        ("Woerden", 3441, 3448, 0.05),
        ("IJsselstein", 3401, 3404, 0.05),
    ];

    /// <summary>Bank identifiers as they appear in Dutch IBANs, roughly by market share.</summary>
    public static readonly string[] Banks = ["INGB", "INGB", "INGB", "RABO", "RABO", "ABNA", "ABNA", "SNSB", "ASNB", "TRIO", "KNAB", "BUNQ", "RBRB"];

    /// <summary>Letter pairs never used in Dutch postcodes.</summary>
    private static readonly string[] ForbiddenPostcodeLetters = ["SA", "SD", "SS"];

    public static string Name(DeterministicRandom random) => $"{random.Pick(FirstNames)} {random.Pick(LastNames)}";

    public static SimulatedAddress Address(DeterministicRandom random)
    {
        var roll = random.NextDouble();
        var town = Towns[^1];
        foreach (var candidate in Towns)
        {
            if (roll < candidate.Weight)
            {
                town = candidate;
                break;
            }

            roll -= candidate.Weight;
        }

        string letters;
        do
        {
            letters = $"{(char)('A' + random.Between(0, 25))}{(char)('A' + random.Between(0, 25))}";
        }
        while (ForbiddenPostcodeLetters.Contains(letters));

        var number = random.Between(1, 220).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var addition = random.NextDouble() switch
        {
            < 0.06 => "A",
            < 0.09 => "B",
            < 0.12 => "-" + random.Between(1, 4).ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => "",
        };
        return new SimulatedAddress(random.Pick(Streets), number + addition, $"{random.Between(town.FirstPostcode, town.LastPostcode)} {letters}", town.City);
    }

    /// <summary>A valid Dutch IBAN (ISO 13616 check digits, mod 97).</summary>
    public static string Iban(DeterministicRandom random)
    {
        var bank = random.Pick(Banks);
        var account = string.Concat(Enumerable.Range(0, 10).Select(_ => (char)('0' + random.Between(0, 9))));
        var check = 98 - Mod97(bank + account + "NL00");
        return $"NL{check:00}{bank}{account}";
    }

    /// <summary>The ISO 7064 mod 97 of an IBAN in check order, letters as 10-35.</summary>
    public static int Mod97(string text)
    {
        var remainder = 0;
        foreach (var c in text)
        {
            var value = char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = value >= 10 ? ((remainder * 100) + value) % 97 : ((remainder * 10) + value) % 97;
        }

        return remainder;
    }
}
