using System.Text.RegularExpressions;

namespace Filare.Perf.GitHub;

/// <summary>
/// The refs the gate lets through as FIL_PERF_COMPARE_REF. The value ends up as an argument to git
/// in the profile job, so only plain names pass: nothing that reads as an option (<c>--upload-pack=…</c>),
/// no revision syntax (<c>a..b</c>, <c>@{…}</c>, <c>^</c>, <c>~</c>), no shell or path tricks.
/// </summary>
public static partial class CompareRef
{
    /// <summary>Measure the checked-out commit against itself: an A/A run that calibrates the runner's noise floor.</summary>
    public const string Head = "HEAD";

    public const string Allowed =
        "HEAD, a commit (7 to 40 hex digits), or a branch or tag name (letters, digits and . _ / -, starting with a letter or digit, " +
        "at most 200 characters, without '..', '//' or '/.', not ending in '/' and no part ending in '.lock')";

    /// <summary>The ref as the gate passes it on (commits in lower case), or false when it is none of <see cref="Allowed"/>.</summary>
    public static bool TryValidate(string text, out string value)
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

    [GeneratedRegex(@"\A[0-9a-fA-F]+\z")]
    private static partial Regex HexOnly();

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._/-]{0,199}\z")]
    private static partial Regex Name();
}
