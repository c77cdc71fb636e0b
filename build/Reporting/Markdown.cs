using System.Text;

namespace Filare.Perf.Reporting;

/// <summary>
/// Text that is not ours (scenario names, branch names, tool output, anything read from an
/// artifact) kept from breaking a table, injecting HTML, mentioning anyone or becoming a link in
/// the page GitHub renders. Only <see cref="Link"/> makes links, and only to URLs the report built.
/// </summary>
public static class Markdown
{
    /// <summary>
    /// U+2060 WORD JOINER: invisible, and it keeps '@' from touching a name (GitHub mentions no one)
    /// and '#' or "GH-" from touching a number (GitHub links no issue: #1, owner/repo#2, GH-3).
    /// </summary>
    private const char Joiner = '\u2060';

    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        var flat = text.ReplaceLineEndings(" ");
        for (var i = 0; i < flat.Length; i++)
        {
            var c = flat[i];
            switch (c)
            {
                case '|': builder.Append("\\|"); break;
                case '`': builder.Append("\\`"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '&': builder.Append("&amp;"); break;
                // A backslash stops a heading only; the joiner stops the issue reference GitHub finds in rendered text.
                case '#': builder.Append("\\#").Append(Joiner); break;
                case '-' when i >= 2 && flat.AsSpan(i - 2, 2).Equals("gh", StringComparison.OrdinalIgnoreCase): builder.Append(Joiner).Append('-'); break;
                case '*' or '_' or '[' or ']' or '\\' or '!' or '~' or '$': builder.Append('\\').Append(c); break;
                case '@': builder.Append('@').Append(Joiner); break;
                // scheme: (http://, mailto:, javascript:) is what autolinking starts from; an escaped colon renders the same.
                case ':' when i > 0 && char.IsAsciiLetter(flat[i - 1]) && i + 1 < flat.Length && !char.IsWhiteSpace(flat[i + 1]): builder.Append("\\:"); break;
                // www. autolinks in GFM, with or without a scheme.
                case '.' when i >= 3 && flat.AsSpan(i - 3, 3).Equals("www", StringComparison.OrdinalIgnoreCase): builder.Append("\\."); break;
                case '/' when i > 0 && (flat[i - 1] == ':' || flat[i - 1] == '/'): builder.Append("\\/"); break;
                case var control when char.IsControl(control) || IsInvisible(control): builder.Append(' '); break;
                default: builder.Append(c); break;
            }
        }
        return builder.ToString();
    }

    /// <summary>Inside `code` nothing is escaped, so only the backticks that would end it and the line breaks are taken out.</summary>
    public static string Code(string text) =>
        "`" + new string(text.ReplaceLineEndings(" ").Select(c => c == '`' ? '\'' : char.IsControl(c) || IsInvisible(c) ? ' ' : c).ToArray()) + "`";

    /// <summary>A fenced block that the text inside cannot close early.</summary>
    public static string Fence(string text, string language = "text")
    {
        var fence = "```";
        while (text.Contains(fence, StringComparison.Ordinal))
        {
            fence += "`";
        }
        return $"{fence}{language}\n{text}\n{fence}";
    }

    /// <summary>
    /// A link to a URL the report itself built (the run page, an artifact URL from the API). Anything
    /// that is not an absolute http(s) URL is shown as escaped text, never as a link.
    /// </summary>
    public static string Link(string text, string target) =>
        IsOwnUrl(target)
            ? $"[{Escape(text)}]({target.Replace("(", "%28", StringComparison.Ordinal).Replace(")", "%29", StringComparison.Ordinal)})"
            : Escape(text);

    /// <summary>
    /// A quoted Mermaid label from an allow-list of characters: letters, digits, space and
    /// <c>. , - _ / ( ) + :</c>, and a single <c>%</c> (CPU%). Anything else becomes a space:
    /// Mermaid finds <c>%%{init: ...}%%</c> directives and <c>%%</c> comments anywhere in the text,
    /// quotes or not, <c>#35;</c> entities need <c>#</c> and <c>;</c>, and quotes or brackets would
    /// end the label or the list. A label is cut to <see cref="MaxMermaidLabel"/> characters.
    /// </summary>
    public static string MermaidLabel(string text)
    {
        var kept = new string(text.Select((c, i) => IsMermaidSafe(c) || c == '%' && (i == 0 || text[i - 1] != '%') ? c : ' ').ToArray());
        var label = string.Join(' ', kept.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return "\"" + (label.Length > MaxMermaidLabel ? label[..MaxMermaidLabel].TrimEnd() : label) + "\"";
    }

    public const int MaxMermaidLabel = 80;

    private static bool IsMermaidSafe(char c) =>
        (char.IsLetterOrDigit(c) && !char.IsSurrogate(c)) || c is ' ' or '.' or ',' or '-' or '_' or '/' or '(' or ')' or '+' or ':';

    private static bool IsOwnUrl(string target) =>
        Uri.TryCreate(target, UriKind.Absolute, out var uri)
        && uri.Scheme is "https" or "http"
        && uri.AbsoluteUri == target
        && !target.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '"' or '\\' or '`');

    /// <summary>Bidi overrides and zero-width characters: they make text read differently from what it is.</summary>
    private static bool IsInvisible(char c) => c is (>= '\u200B' and <= '\u200F') or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\uFEFF';
}
