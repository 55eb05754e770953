namespace HuurIncasso.Domain.Simulation;

/// <summary>
/// A small SplitMix64 generator. Our own, not <see cref="Random"/>, so that a seed gives the
/// same portfolio on every .NET version and machine, and so that each tenancy and month gets
/// its own stream: the facts of one month never depend on which months were asked for before.
/// </summary>
/// <remarks>Mutable and not thread-safe; make one per use.</remarks>
internal sealed class DeterministicRandom
{
    private ulong _state;

    public DeterministicRandom(params long[] keys)
    {
        var state = 0x9E3779B97F4A7C15UL;
        foreach (var key in keys)
        {
            state = Mix(state ^ unchecked((ulong)key));
        }

        _state = state;
    }

    public ulong NextUInt64()
    {
        _state = unchecked(_state + 0x9E3779B97F4A7C15UL);
        return Mix(_state);
    }

    /// <summary>A number in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>] (both included).</summary>
    public int Between(int min, int max) => min + (int)(NextUInt64() % (ulong)(max - min + 1));

    /// <summary>True with probability <paramref name="probability"/>.</summary>
    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Between(0, items.Count - 1)];

    /// <summary>A normally distributed number (Box-Muller).</summary>
    public double Normal(double mean, double standardDeviation)
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return mean + (standardDeviation * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }

    private static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
