namespace HuurIncasso.Domain.Policies;

/// <summary>
/// The policy versions a corporation has: a new case gets the newest version in force on its
/// opening day; a running case keeps the version it is pinned to.
/// </summary>
public sealed class PolicyCatalog
{
    private readonly Dictionary<string, CollectionPolicy> byVersion;

    /// <exception cref="ArgumentException">Two policies share a version, or there are none.</exception>
    public PolicyCatalog(IEnumerable<CollectionPolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        byVersion = new Dictionary<string, CollectionPolicy>(StringComparer.Ordinal);
        foreach (var policy in policies)
        {
            if (!byVersion.TryAdd(policy.Version, policy))
            {
                throw new ArgumentException($"Policy version '{policy.Version}' occurs twice.", nameof(policies));
            }
        }

        if (byVersion.Count == 0)
        {
            throw new ArgumentException("A catalog needs at least one policy.", nameof(policies));
        }
    }

    public IReadOnlyCollection<CollectionPolicy> All => byVersion.Values;

    /// <summary>The policy for a case opened on <paramref name="today"/>: the latest <c>validFrom</c> not after it.</summary>
    /// <exception cref="InvalidOperationException">No policy is in force yet on that day.</exception>
    public CollectionPolicy ForNewCase(DateOnly today) =>
        byVersion.Values.Where(p => p.ValidFrom <= today).OrderBy(p => p.ValidFrom).ThenBy(p => p.Version, StringComparer.Ordinal).LastOrDefault()
        ?? throw new InvalidOperationException($"No policy is in force on {today:yyyy-MM-dd}.");

    /// <summary>The policy a running case is pinned to.</summary>
    /// <exception cref="KeyNotFoundException">The version is unknown (a stored case refers to a removed policy).</exception>
    public CollectionPolicy ByVersion(string version) =>
        byVersion.TryGetValue(version, out var policy) ? policy : throw new KeyNotFoundException($"Policy version '{version}' is not in the catalog.");
}
