using System.Text.RegularExpressions;

namespace Filare.Perf.Git;

/// <summary>
/// Every rule for a git ref or branch name, in one place, from strictest to loosest: what the gate
/// lets through from untrusted input, what an API query may name, and what a local --compare-ref
/// may be. Refs reach git as one argument after --end-of-options, never through a shell.
/// </summary>
public static partial class GitRef
{
    /// <summary>The checked-out commit itself: an A/A run.</summary>
    public const string Head = "HEAD";

    public const string Allowed =
        "HEAD, a commit (7 to 40 hex digits), or a branch or tag name (letters, digits and . _ / -, starting with a letter or digit, " +
        "at most 200 characters, without '..', '//' or '/.', not ending in '/' and no part ending in '.lock')";

    /// <summary>
    /// A ref from untrusted input: HEAD, a commit (lower-cased) or a plain name, nothing that reads as
    /// an option (<c>--upload-pack=…</c>), no revision syntax (<c>a..b</c>, <c>@{…}</c>, <c>^</c>, <c>~</c>).
    /// </summary>
    public static bool TryValidateUntrusted(string text, out string value)
    {
        value = "";
        if (text == Head)
        {
            value = Head;
            return true;
        }
        // A name of hex digits only is read as a commit, so it must be a length a commit id can have.
        if (HexOnly().IsMatch(text))
        {
            if (text.Length is < 7 or > 40)
            {
                return false;
            }
            value = text.ToLowerInvariant();
            return true;
        }
        // git check-ref-format's rules, narrowed to the characters branch names usually have.
        if (!Name().IsMatch(text)
            || text.Contains("..", StringComparison.Ordinal)
            || text.Contains("//", StringComparison.Ordinal)
            || text.Contains("/.", StringComparison.Ordinal)
            || text.Contains(".lock/", StringComparison.Ordinal)
            || text.EndsWith('/')
            || text.EndsWith(".lock", StringComparison.Ordinal))
        {
            return false;
        }
        value = text;
        return true;
    }

    /// <summary>A branch name fit for an API query: git's usual characters only.</summary>
    public static bool IsBranchName(string? name) =>
        name is { Length: > 0 and <= 200 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/')
            && !name.Contains("..", StringComparison.Ordinal);

    /// <summary>
    /// A local --compare-ref: any revision git can read (HEAD~1 included), but never an option or
    /// text with spaces or control characters.
    /// </summary>
    public static bool IsRevisionArgument(string reference) =>
        reference.Length is > 0 and <= 255 && !reference.StartsWith('-') && !reference.Any(c => char.IsControl(c) || char.IsWhiteSpace(c));

    [GeneratedRegex(@"\A[0-9a-fA-F]+\z")]
    private static partial Regex HexOnly();

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._/-]{0,199}\z")]
    private static partial Regex Name();
}
