using System.Security.Cryptography;
using System.Text;

namespace Filare.Perf.Checkout;

/// <summary>
/// Where a second checkout goes so that its path is exactly as long, and as deep, as the checkout it
/// is compared with. Python carries its source paths everywhere (sys.path, every module's __file__
/// and code objects, each import's stat calls): on real Filare's demo01 a base under
/// .nuke/temp/compare/&lt;sha&gt; counted a systematic 0.05–0.07% more instructions than a head at a
/// shorter path in five A/A runs out of five. Equal paths leave the counts to the code.
/// </summary>
public static class CheckoutPaths
{
    /// <summary>The fewest hex digits of a commit a name keeps (git's default abbreviation).</summary>
    public const int MinimumDigits = 7;

    /// <summary>
    /// A path for <paramref name="commit"/> of the same length and depth as <paramref name="like"/>:
    /// under the build's temp folder when that is shallow enough, else under the system's temp
    /// folder (named after the build root, so two build roots never share it). Null when no such
    /// path can be made (a checkout at the top of the file system).
    /// </summary>
    public static string? Matching(string like, string commit, string buildRoot)
    {
        like = Path.TrimEndingDirectorySeparator(Path.GetFullPath(like));
        var temp = Path.TrimEndingDirectorySeparator(Path.GetTempPath());
        var tag = "fpc-" + Hash(buildRoot);
        foreach (var (parent, prefix) in new[] { (Path.Combine(buildRoot, ".nuke", "temp", "compare"), ""), (Path.Combine(temp, tag), ""), (temp, tag + "-") })
        {
            if (Fit(like, Path.TrimEndingDirectorySeparator(Path.GetFullPath(parent)), prefix, commit) is { } path)
            {
                return path;
            }
        }
        return null;
    }

    /// <summary>
    /// Fixed-width folders for many commits (a bisection): &lt;parent&gt;/&lt;first 12 hex digits&gt;,
    /// all of one length and depth.
    /// </summary>
    public static string FixedWidth(string parent, string commit) => Path.Combine(parent, ShortSha.Of(commit, ShortSha.InPath));

    public static int Depth(string path) => Path.TrimEndingDirectorySeparator(path).Count(c => c == Path.DirectorySeparatorChar);

    private static string? Fit(string like, string parent, string prefix, string commit)
    {
        var between = Depth(like) - Depth(parent) - 1;
        if (between < 0)
        {
            return null;
        }
        // parent/c/c/.../<prefix><sha, padded>: each folder between is one letter.
        var name = like.Length - parent.Length - 2 * between - 1 - prefix.Length;
        if (name < MinimumDigits)
        {
            return null;
        }
        var digits = commit[..Math.Min(name, commit.Length)];
        var path = Path.Combine([parent, .. Enumerable.Repeat("c", between), prefix + digits + new string('-', name - digits.Length)]);
        return path.Length == like.Length && Depth(path) == Depth(like) ? path : null;
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..6];
}
