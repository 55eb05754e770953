using HuurIncasso.Domain.Policies;
using HuurIncasso.Domain.Tests.Cases;

namespace HuurIncasso.Domain.Tests.Policy;

public sealed class PolicyCatalogTests
{
    private static readonly CollectionPolicy Old = ShippedPolicies.Default with { Version = "2025.1", ValidFrom = new DateOnly(2025, 1, 1) };
    private static readonly CollectionPolicy Current = ShippedPolicies.Default;
    private static readonly CollectionPolicy Next = ShippedPolicies.Default with { Version = "2027.1", ValidFrom = new DateOnly(2027, 1, 1) };

    [Theory]
    // Before 2026 the old version is in force.
    [InlineData("2025-06-01", "2025.1")]
    // On its first day the new version applies.
    [InlineData("2026-01-01", "2026.1")]
    // A version valid from a later date is not used yet.
    [InlineData("2026-12-31", "2026.1")]
    [InlineData("2027-01-01", "2027.1")]
    public void ForNewCase_PicksLatestInForce(string today, string version)
    {
        var catalog = new PolicyCatalog([Next, Old, Current]);

        Assert.Equal(version, catalog.ForNewCase(DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture)).Version);
    }

    [Fact]
    public void ForNewCase_BeforeAnyPolicy_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new PolicyCatalog([Current]).ForNewCase(new DateOnly(2020, 1, 1)));
    }

    [Fact]
    public void Constructor_DuplicateVersion_Throws()
    {
        Assert.Throws<ArgumentException>(() => new PolicyCatalog([Current, Current with { Name = "kopie" }]));
    }

    [Fact]
    public void ByVersion_PinnedVersion_IsFound()
    {
        Assert.Same(Old, new PolicyCatalog([Old, Current]).ByVersion("2025.1"));
        Assert.Throws<KeyNotFoundException>(() => new PolicyCatalog([Current]).ByVersion("1999"));
    }
}
