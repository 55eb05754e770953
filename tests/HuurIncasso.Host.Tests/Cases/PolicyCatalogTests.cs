using HuurIncasso.Domain.Policies;
using HuurIncasso.Host.Cases;
using HuurIncasso.Testing;

namespace HuurIncasso.Host.Tests.Cases;

public sealed class PolicyCatalogTests
{
    [Fact]
    public void Load_RepositoryPolicyFolder_HasTheDefaultButNotTheExamples()
    {
        var catalog = PolicyCatalog.Load(RepositoryRoot.Path("policy"));

        Assert.Equal(["2026.1"], catalog.Versions.Select(p => p.Version));
    }

    [Fact]
    public void DefaultFolder_NextToTheExecutable_HoldsThePolicy()
    {
        var catalog = PolicyCatalog.Load(PolicyCatalog.DefaultFolder);

        Assert.Equal("2026.1", catalog.ForNewCases(new DateOnly(2026, 1, 1)).Version);
    }

    [Theory]
    // The day before the newer version: the older one still applies.
    [InlineData("2026-02-28", "2026.1")]
    // Its first day.
    [InlineData("2026-03-01", "2026.2")]
    // Long after: still the newest one in force.
    [InlineData("2027-06-01", "2026.2")]
    public void ForNewCases_TwoVersions_TheNewestInForce(string today, string expected)
    {
        var catalog = new PolicyCatalog([
            ArrearsCaseWorkflowTests.Variant("2026.2", "2026-03-01", reminderDaysPastDue: 12),
            ArrearsCaseWorkflowTests.Variant("2026.1", "2026-01-01", reminderDaysPastDue: 5)]);

        Assert.Equal(expected, catalog.ForNewCases(DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture)).Version);
        Assert.Equal("2026.1", catalog.Get("2026.1").Version);
    }

    [Fact]
    public void ForNewCases_BeforeAnyVersion_SaysWhenTheFirstStarts()
    {
        var catalog = new PolicyCatalog([ArrearsCaseWorkflowTests.Variant("2026.1", "2026-01-01", reminderDaysPastDue: 5)]);

        var e = Assert.Throws<PolicyCatalogException>(() => catalog.ForNewCases(new DateOnly(2025, 12, 31)));

        Assert.Contains("2026-01-01", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_UnknownVersion_NamesTheKnownOnes()
    {
        var catalog = new PolicyCatalog([ArrearsCaseWorkflowTests.Variant("2026.1", "2026-01-01", reminderDaysPastDue: 5)]);

        var e = Assert.Throws<PolicyCatalogException>(() => catalog.Get("2019.4"));

        Assert.Contains("'2019.4'", e.Message, StringComparison.Ordinal);
        Assert.Contains("2026.1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FolderWithABadFileAndADuplicateVersion_ReportsFileLineAndField()
    {
        var folder = Directory.CreateTempSubdirectory("policies-").FullName;
        try
        {
            var text = File.ReadAllText(RepositoryRoot.Path("policy", "default.yaml"));
            File.WriteAllText(Path.Combine(folder, "a.yaml"), text);
            File.WriteAllText(Path.Combine(folder, "b.yaml"), text);
            File.WriteAllText(Path.Combine(folder, "c.yaml"), text.Replace("graceDays: 3", "graceDays: drie", StringComparison.Ordinal));

            var e = Assert.Throws<PolicyCatalogException>(() => PolicyCatalog.Load(folder));

            Assert.Contains("b.yaml: versie '2026.1' staat ook in", e.Message, StringComparison.Ordinal);
            var lineOfGraceDays = text.Split('\n').ToList().FindIndex(l => l.Contains("graceDays: 3", StringComparison.Ordinal)) + 1;
            Assert.Contains($"c.yaml:{lineOfGraceDays}: arrangements.graceDays", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Load_MissingFolder_SaysWhich()
    {
        var e = Assert.Throws<PolicyCatalogException>(() => PolicyCatalog.Load("/geen/map/hier"));

        Assert.Contains("/geen/map/hier", e.Message, StringComparison.Ordinal);
    }
}
