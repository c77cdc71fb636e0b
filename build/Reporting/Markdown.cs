using System.Text;

namespace Filare.Perf.Reporting;

/// <summary>
/// Text that is not ours (scenario names, branch names, tool output) kept from breaking a table or
/// injecting HTML into the page GitHub renders.
/// </summary>
public static class Markdown
{
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.ReplaceLineEndings(" "))
        {
            builder.Append(c switch
            {
                '|' => "\\|",
                '`' => "\\`",
                '<' => "&lt;",
                '>' => "&gt;",
                '&' => "&amp;",
                '*' or '_' or '[' or ']' or '\\' or '#' or '!' => "\\" + c,
                // No @mentions of people or teams from untrusted text, and no autolinked URLs.
                '@' => "&#64;",
                _ => c.ToString(),
            });
        }
        return builder.Replace("://", "&#58;//").ToString();
    }

    /// <summary>Inside `code` nothing is escaped, so only the backticks that would end it are taken out.</summary>
    public static string Code(string text) => "`" + text.ReplaceLineEndings(" ").Replace("`", "'", StringComparison.Ordinal) + "`";

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

    /// <summary>A link whose text is escaped and whose target cannot leave the parentheses.</summary>
    public static string Link(string text, string target) =>
        $"[{Escape(text)}]({target.Replace(" ", "%20", StringComparison.Ordinal).Replace("(", "%28", StringComparison.Ordinal).Replace(")", "%29", StringComparison.Ordinal)})";

    /// <summary>Mermaid labels: quotes and brackets would end the label or the list.</summary>
    public static string MermaidLabel(string text) =>
        "\"" + new string(text.Where(c => c is not ('"' or '[' or ']' or '\n' or '\r' or '<' or '>' or '`')).ToArray()) + "\"";
}
