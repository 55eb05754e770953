namespace HuurIncasso.Integrations.Tests.Banking;

/// <summary>The statement files in Fixtures/, copied next to the test assembly.</summary>
internal static class Fixture
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static string Text(string name) => File.ReadAllText(PathOf(name));
}
