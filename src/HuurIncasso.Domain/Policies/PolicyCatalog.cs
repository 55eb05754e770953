using System.Collections.Immutable;

namespace HuurIncasso.Domain.Policies;

/// <summary>
/// Every policy version the host knows. A new case is pinned to the newest version in force
/// (<see cref="CollectionPolicy.ValidFrom"/> on or before the day); a running case is decided
/// with the version it is pinned to, however old, until it is migrated explicitly.
/// Immutable and thread-safe.
/// </summary>
public sealed class PolicyCatalog
{
    private readonly Dictionary<string, CollectionPolicy> _byVersion;

    /// <summary>Makes a catalog of <paramref name="policies"/>.</summary>
    /// <exception cref="ArgumentException">No policies, or two with the same version.</exception>
    public PolicyCatalog(IEnumerable<CollectionPolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        _byVersion = new Dictionary<string, CollectionPolicy>(StringComparer.Ordinal);
        foreach (var policy in policies)
        {
            if (!_byVersion.TryAdd(policy.Version, policy))
            {
                throw new ArgumentException($"Policy version '{policy.Version}' occurs twice.", nameof(policies));
            }
        }

        if (_byVersion.Count == 0)
        {
            throw new ArgumentException("A policy catalog needs at least one policy.", nameof(policies));
        }

        // Newest first: the later validFrom wins, and on the same day the later version name.
        Versions = [.. _byVersion.Values.OrderByDescending(p => p.ValidFrom).ThenByDescending(p => p.Version, StringComparer.Ordinal)];
    }

    /// <summary>The <c>policy</c> folder next to the executable (the Host csproj copies the repository's <c>policy/</c> folder there).</summary>
    public static string DefaultFolder => Path.Combine(AppContext.BaseDirectory, "policy");

    /// <summary>All versions, newest first.</summary>
    public ImmutableArray<CollectionPolicy> Versions { get; }

    /// <summary>
    /// Loads every <c>*.yaml</c> / <c>*.yml</c> file directly in <paramref name="folder"/>
    /// (not its subfolders: <c>policy/examples</c> holds examples, not versions in use).
    /// </summary>
    /// <exception cref="PolicyCatalogException">The folder is missing or empty, a file has errors, or two files share a version; the message names every file, line and field.</exception>
    public static PolicyCatalog Load(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (!Directory.Exists(folder))
        {
            throw new PolicyCatalogException($"De map met het incassobeleid bestaat niet: {folder}");
        }

        var files = Directory.EnumerateFiles(folder)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        return files.Count == 0
            ? throw new PolicyCatalogException($"De map {folder} bevat geen beleidsbestand (*.yaml).")
            : LoadFiles(files);
    }

    /// <summary>Loads the given policy files.</summary>
    /// <exception cref="PolicyCatalogException">A file is missing or has errors, or two files share a version.</exception>
    public static PolicyCatalog LoadFiles(IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var problems = new List<string>();
        var policies = new List<(CollectionPolicy Policy, string File)>();
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                problems.Add($"{file}: bestand niet gevonden");
                continue;
            }

            var result = PolicyLoader.Load(file);
            if (result.Policy is { } policy && result.IsValid)
            {
                if (policies.FirstOrDefault(p => p.Policy.Version == policy.Version) is { File: { } other })
                {
                    problems.Add($"{file}: versie '{policy.Version}' staat ook in {other}");
                }
                else
                {
                    policies.Add((policy, file));
                }
            }
            else
            {
                problems.AddRange(result.Errors.Select(e => $"{file}:{e.Line}: {(e.Path.Length == 0 ? "" : e.Path + ": ")}{e.Message}"));
            }
        }

        if (problems.Count > 0)
        {
            throw new PolicyCatalogException("Het incassobeleid kan niet worden geladen:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
        }

        return policies.Count == 0
            ? throw new PolicyCatalogException("Er is geen beleidsbestand opgegeven.")
            : new PolicyCatalog(policies.Select(p => p.Policy));
    }

    /// <summary>The version a case opened on <paramref name="today"/> is pinned to: the newest in force.</summary>
    /// <exception cref="PolicyCatalogException">No version is in force yet on that day.</exception>
    public CollectionPolicy ForNewCases(DateOnly today) =>
        Versions.FirstOrDefault(p => p.ValidFrom <= today)
            ?? throw new PolicyCatalogException($"Op {today:yyyy-MM-dd} geldt nog geen beleid; het vroegste begint op {Versions[^1].ValidFrom:yyyy-MM-dd}.");

    /// <summary>The policy of version <paramref name="version"/>.</summary>
    /// <exception cref="PolicyCatalogException">The version is unknown (a case pinned to a version that was removed).</exception>
    public CollectionPolicy Get(string version) =>
        _byVersion.TryGetValue(version, out var policy)
            ? policy
            : throw new PolicyCatalogException($"Beleidsversie '{version}' is onbekend; bekend zijn: {string.Join(", ", Versions.Select(p => p.Version))}.");
}

/// <summary>The policy catalog cannot give what was asked: the message says what is wrong and where.</summary>
public sealed class PolicyCatalogException(string message) : InvalidOperationException(message);
