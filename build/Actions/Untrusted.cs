using System.Text;

namespace Filare.Perf.Actions;

/// <summary>
/// Payload text (label names, branch names, comment words) shown in logs and replies: reduced to a
/// short run of plain characters so it can neither break out of a Markdown code span, mention
/// anyone, nor start a workflow command (<c>::set-output</c> ...) in the job log.
/// </summary>
public static class Untrusted
{
    private const int MaxLength = 60;

    public static string Shown(string? text)
    {
        if (text is null)
        {
            return "(none)";
        }
        var builder = new StringBuilder(Math.Min(text.Length, MaxLength + 1));
        foreach (var c in text)
        {
            if (builder.Length == MaxLength)
            {
                builder.Append('…');
                break;
            }
            // No ':' and no '[': neither "::name" nor "##[name" (read as a command anywhere in a line) can be spelled.
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '+' or '/' or '@' or '#' ? c : '?');
        }
        return builder.ToString();
    }
}
