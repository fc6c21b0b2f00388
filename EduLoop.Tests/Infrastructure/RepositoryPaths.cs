namespace EduLoop.Tests.Infrastructure;

/// <summary>Paths inside the repository, found from the test binaries' folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EduLoop.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("EduLoop.sln not found above " + AppContext.BaseDirectory);
    }
}
