namespace Filare.Perf.Tests.Support;

public static class Repository
{
    public static string Root { get; } = Find();

    public static string Fixture => Path.Combine(Root, "tests", "fixture", "perf_fixture.py");

    public static string StandIn => Path.Combine(Root, "tests", "fixture", "standin");

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Filare.Perf.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Filare.Perf.sln not found above " + AppContext.BaseDirectory);
    }
}
