using System.Text;
using System.Text.RegularExpressions;

namespace Filare.Perf.Storage;

/// <summary>
/// Names one run's folder and artifacts. Branch names are untrusted text (they may hold slashes,
/// dots or shell characters), so every label is reduced to [A-Za-z0-9._-] before it touches a path.
/// </summary>
public static partial class RunLabel
{
    public const string OutsideGit = "local";
    private const int MaxLength = 80;

    public static string Safe(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Trim())
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-');
        }
        var collapsed = Dashes().Replace(builder.ToString(), "-").Trim('-', '.');
        if (collapsed.Length > MaxLength)
        {
            collapsed = collapsed[..MaxLength].TrimEnd('-', '.');
        }
        return collapsed.Length == 0 ? OutsideGit : collapsed;
    }

    /// <summary>branch-shortsha; a detached checkout (as on CI) uses the CI's branch name when it has one.</summary>
    public static string From(string? branch, string? shortCommit, IReadOnlyDictionary<string, string> environment)
    {
        if (shortCommit is null)
        {
            return OutsideGit;
        }
        if (branch is null or "HEAD")
        {
            branch = environment.GetValueOrDefault("GITHUB_HEAD_REF") is { Length: > 0 } head ? head
                : environment.GetValueOrDefault("GITHUB_REF_NAME") is { Length: > 0 } refName ? refName
                : "detached";
        }
        return Safe($"{branch}-{shortCommit}");
    }

    [GeneratedRegex("-{2,}")]
    private static partial Regex Dashes();
}
