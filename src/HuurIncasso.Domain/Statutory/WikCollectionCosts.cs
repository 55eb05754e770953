namespace HuurIncasso.Domain.Statutory;

/// <summary>
/// Extrajudicial collection costs by the staffel of the Besluit vergoeding voor
/// buitengerechtelijke incassokosten (art. 2, Stb. 2012, 141).
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class WikCollectionCosts
{
    /// <summary>The statutory minimum: binding up to a principal of EUR 266.67.</summary>
    public const decimal Minimum = 40m;

    /// <summary>The statutory maximum, reached at a principal of EUR 1,000,000.</summary>
    public const decimal Maximum = 6_775m;

    /// <summary>The staffel: each bracket's lower bound, upper bound (null: open) and rate.</summary>
    public static IReadOnlyList<(decimal From, decimal? To, decimal RatePercent)> Staffel { get; } =
    [
        (0m, 2_500m, 15m),
        (2_500m, 5_000m, 10m),
        (5_000m, 10_000m, 5m),
        (10_000m, 200_000m, 1m),
        (200_000m, null, 0.5m),
    ];

    /// <summary>
    /// Computes the costs on <paramref name="principal"/>. The base is the principal only:
    /// statutory interest is never added to it (LEGAL.md). Several claims against one debtor
    /// go in one notice, so the caller passes their sum (art. 6:96 lid 7 BW).
    /// </summary>
    /// <remarks>
    /// Each bracket's <see cref="WikBracketAmount.Amount"/> is exact (not rounded); the total is
    /// the exact sum rounded once to cents, half away from zero, then held between the minimum
    /// and maximum. Rounding once keeps the charge from exceeding what the decree allows by
    /// rounding each bracket upwards.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The principal is negative.</exception>
    public static WikCalculation Calculate(decimal principal)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(principal);

        var brackets = new List<WikBracketAmount>();
        var exact = 0m;
        foreach (var (from, to, rate) in Staffel)
        {
            if (principal <= from)
            {
                break;
            }

            var baseInBracket = (to is { } upper && principal > upper ? upper : principal) - from;
            var amount = baseInBracket * rate / 100m;
            brackets.Add(new WikBracketAmount(from, to, rate, baseInBracket, amount));
            exact += amount;
        }

        // Nothing owed means nothing to collect: the minimum applies only to a real claim.
        if (principal == 0m)
        {
            return new WikCalculation(principal, brackets, 0m, MinimumApplied: false, MaximumApplied: false);
        }

        // The flags compare the exact staffel amount, so a principal of 266.66 (exact 39.999)
        // reports the minimum even though rounding alone would also give 40.00.
        if (exact < Minimum)
        {
            return new WikCalculation(principal, brackets, Minimum, MinimumApplied: true, MaximumApplied: false);
        }

        if (exact > Maximum)
        {
            return new WikCalculation(principal, brackets, Maximum, MinimumApplied: false, MaximumApplied: true);
        }

        return new WikCalculation(principal, brackets, EuroRounding.RoundToCents(exact), MinimumApplied: false, MaximumApplied: false);
    }
}

/// <summary>The outcome of <see cref="WikCollectionCosts.Calculate"/>, with the working per bracket.</summary>
/// <param name="Principal">The principal the costs are computed on.</param>
/// <param name="Brackets">The brackets the principal reaches, lowest first; empty for a zero principal.</param>
/// <param name="CollectionCosts">The costs that may be charged, in euros, rounded to cents, without VAT.</param>
/// <param name="MinimumApplied">The staffel gave less than EUR 40, so EUR 40 applies.</param>
/// <param name="MaximumApplied">The staffel gave more than EUR 6,775, so EUR 6,775 applies.</param>
public sealed record WikCalculation(
    decimal Principal,
    IReadOnlyList<WikBracketAmount> Brackets,
    decimal CollectionCosts,
    bool MinimumApplied,
    bool MaximumApplied)
{
    /// <summary>
    /// The VAT on the costs, rounded to cents. Only charged where the creditor cannot deduct
    /// VAT (art. 2 lid 3 of the decree); whether it applies is a policy setting, and the
    /// amount is always shown separately.
    /// </summary>
    /// <param name="vatRatePercent">The VAT rate, e.g. 21 for 21 %.</param>
    /// <exception cref="ArgumentOutOfRangeException">The rate is negative.</exception>
    public decimal VatOn(decimal vatRatePercent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(vatRatePercent);
        return EuroRounding.RoundToCents(CollectionCosts * vatRatePercent / 100m);
    }

    /// <summary>Value equality, brackets included (a record alone would compare the list by reference).</summary>
    public bool Equals(WikCalculation? other) =>
        other is not null
        && Principal == other.Principal
        && CollectionCosts == other.CollectionCosts
        && MinimumApplied == other.MinimumApplied
        && MaximumApplied == other.MaximumApplied
        && Brackets.SequenceEqual(other.Brackets);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Principal, CollectionCosts, MinimumApplied, MaximumApplied, Brackets.Count);

    /// <summary>The costs plus VAT at <paramref name="vatRatePercent"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is negative.</exception>
    public decimal CollectionCostsIncludingVat(decimal vatRatePercent) => CollectionCosts + VatOn(vatRatePercent);
}

/// <summary>One bracket of the staffel as applied to a principal.</summary>
/// <param name="From">The bracket's lower bound.</param>
/// <param name="To">The bracket's upper bound; null for the open top bracket.</param>
/// <param name="RatePercent">The bracket's rate in percent.</param>
/// <param name="BaseInBracket">The part of the principal that falls in this bracket.</param>
/// <param name="Amount">The exact costs of this bracket, not rounded.</param>
public sealed record WikBracketAmount(decimal From, decimal? To, decimal RatePercent, decimal BaseInBracket, decimal Amount);
