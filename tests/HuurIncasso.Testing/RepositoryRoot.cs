namespace HuurIncasso.Testing;

/// <summary>Finds the repository root (the folder with HuurIncasso.sln) from the test's output folder.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "HuurIncasso.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No HuurIncasso.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>A path relative to the repository root.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Find(), .. parts]);
}
