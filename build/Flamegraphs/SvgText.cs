using System.Globalization;
using System.Text;

namespace Filare.Perf.Flamegraphs;

/// <summary>
/// Text for SVG (XML 1.0) from untrusted frame names: markup characters become entities, and what
/// XML cannot hold or a reader could be fooled by (control characters, lone surrogates, U+FFFE/F,
/// bidirectional overrides) is shown as a visible \u escape, so the file always parses and a frame
/// name can never become markup, a script or a spoofed label.
/// </summary>
public static class SvgText
{
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                escaped.Append(c).Append(text[++i]);
                continue;
            }
            switch (c)
            {
                case '&': escaped.Append("&amp;"); break;
                case '<': escaped.Append("&lt;"); break;
                case '>': escaped.Append("&gt;"); break;
                case '"': escaped.Append("&quot;"); break;
                case '\'': escaped.Append("&#39;"); break;
                default:
                    if (Unsafe(c))
                    {
                        escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        escaped.Append(c);
                    }
                    break;
            }
        }
        return escaped.ToString();
    }

    /// <summary>Our own multi-line text (tooltips): each line escaped, joined by real newlines.</summary>
    public static string Lines(IEnumerable<string> lines) => string.Join("\n", lines.Select(Escape));

    private static bool Unsafe(char c) =>
        c < 0x20 || c is >= '\u007f' and <= '\u009f' || char.IsSurrogate(c) || c is '\ufffe' or '\uffff'
        || c is >= '\u202a' and <= '\u202e' || c is >= '\u2066' and <= '\u2069' || c is '\u200e' or '\u200f';

    /// <summary>The name cut to what fits in <paramref name="pixels"/>, as flamegraph.pl does ("..." when cut).</summary>
    public static string? Fit(string name, double pixels, double charWidth)
    {
        var room = (int)(pixels / charWidth);
        if (room < 3)
        {
            return null;
        }
        return name.Length <= room ? name : name[..(room - 2)] + "..";
    }
}
