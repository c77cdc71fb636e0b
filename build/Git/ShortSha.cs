namespace Filare.Perf.Git;

/// <summary>
/// How many hex digits of a commit id each place shows. One home, so that a length is chosen for
/// its place: labels and folder names stay as runs already have them.
/// </summary>
public static class ShortSha
{
    /// <summary>Run labels the gate makes (pr-12-abcdef1): git's default abbreviation.</summary>
    public const int InGateLabel = 7;

    /// <summary>Run labels of a local run (branch-abcdef12).</summary>
    public const int InLocalLabel = 8;

    /// <summary>Chart labels and commit ranges in trends, where width is scarce: git's default abbreviation.</summary>
    public const int InChart = 7;

    /// <summary>Reports: enough to be unique in Filare's history, short enough for a table.</summary>
    public const int InReport = 10;

    /// <summary>Worktree folders and the console line that names them.</summary>
    public const int InPath = 12;

    public static string Of(string sha, int digits) => sha[..Math.Min(digits, sha.Length)];
}
