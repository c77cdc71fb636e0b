namespace Filare.Perf.Storage;

public static class Paths
{
    /// <summary>Whether <paramref name="path"/> lies below <paramref name="folder"/> once both are made absolute (a sibling named alike does not).</summary>
    public static bool IsInside(string path, string folder) =>
        Path.GetFullPath(path)
            .StartsWith(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
