using System.Text.RegularExpressions;

namespace Filare.Perf.Git;

/// <summary>Commit SHAs as the gate accepts them: only these (or a configured branch name) ever become a ref to check out.</summary>
public static partial class CommitSha
{
    /// <summary>A full SHA-1 commit id, 40 hex digits.</summary>
    public static bool IsFull(string? text) => text is not null && Full().IsMatch(text);

    public static string Short(string sha) => ShortSha.Of(sha, ShortSha.InGateLabel);

    [GeneratedRegex(@"\A[0-9a-fA-F]{40}\z")]
    private static partial Regex Full();
}
