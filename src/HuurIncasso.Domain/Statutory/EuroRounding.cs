namespace HuurIncasso.Domain.Statutory;

/// <summary>The one rounding rule for euro amounts in the statutory calculations.</summary>
internal static class EuroRounding
{
    /// <summary>Rounds to cents, half away from zero (the house rule for money).</summary>
    public static decimal RoundToCents(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);
}
