using System.Text.RegularExpressions;

namespace Filare.Perf.Measurement;

/// <summary>
/// The one line that says why a run failed. Filare prints rich-boxed tracebacks: the box is lines of
/// '│ … │' and '╭─…─╮', and the line that matters (<c>UnknownTemplateDesignator: …</c>) comes after
/// it, or inside it for typer's error panels. So: the exception line of a traceback (Python's
/// <c>Name: message</c>, box characters stripped), else the last line of stderr that is not
/// decoration; stdout when stderr says nothing (pytest reports there).
/// </summary>
public static partial class FailureHeadline
{
    private const int MaxLength = 300;

    public static string? Of(string stderr, string stdout = "")
    {
        var lines = Meaningful(stderr);
        if (lines.Count == 0)
        {
            lines = Meaningful(stdout);
        }
        if (lines.Count == 0)
        {
            return null;
        }
        var traceback = lines.FindLastIndex(l => l.StartsWith("Traceback", StringComparison.Ordinal));
        var exception = traceback < 0 ? null : lines.Skip(traceback).LastOrDefault(l => ExceptionLine().IsMatch(l));
        var headline = exception ?? lines[^1];
        return headline.Length <= MaxLength ? headline : headline[..(MaxLength - 1)] + "…";
    }

    /// <summary>Lines with the box drawing and padding removed; lines that were only decoration are dropped.</summary>
    private static List<string> Meaningful(string text) =>
        text.Split('\n')
            .Select(l => Box().Replace(l.TrimEnd('\r'), " ").Trim())
            .Where(l => l.Any(char.IsLetterOrDigit))
            .ToList();

    /// <summary>Box drawing (U+2500–U+257F) and block elements (U+2580–U+259F), as rich draws them.</summary>
    [GeneratedRegex(@"[\u2500-\u259F]+")]
    private static partial Regex Box();

    /// <summary><c>ModuleNotFoundError: No module named 'x'</c>, <c>filare.errors.UnknownTemplateDesignator: …</c>.</summary>
    [GeneratedRegex(@"^(?:[A-Za-z_]\w*\.)*[A-Z]\w*: \S")]
    private static partial Regex ExceptionLine();
}
