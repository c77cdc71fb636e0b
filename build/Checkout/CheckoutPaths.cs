using Filare.Perf.Git;

namespace Filare.Perf.Checkout;

/// <summary>
/// Where the checkouts of compared commits go: fixed-width folders under one parent, so every side's
/// paths (sys.path, each module's __file__, the outputs) are equally long and deep, and counts of
/// instructions see the code, not the place.
/// </summary>
public static class CheckoutPaths
{
    /// <summary>&lt;parent&gt;/&lt;first 12 hex digits&gt;: all of one length and depth.</summary>
    public static string FixedWidth(string parent, string commit) => Path.Combine(parent, ShortSha.Of(commit, ShortSha.InPath));

    /// <summary>The head's twin of a fixed-width folder: 'h' (never a hex digit) and one digit fewer, so an A/A's two checkouts never share a folder.</summary>
    public static string Twin(string path, string commit) =>
        Path.Combine(Path.GetDirectoryName(path)!, "h" + ShortSha.Of(commit, Path.GetFileName(path).Length - 1));

    public static int Depth(string path) => Path.TrimEndingDirectorySeparator(path).Count(c => c == Path.DirectorySeparatorChar);
}
