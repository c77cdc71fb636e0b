using System.Text;

namespace Filare.Perf.Scenarios;

/// <summary>
/// {output} is a fresh folder per run that the harness creates; {root} is the Filare checkout.
/// {{ and }} stand for literal braces (Python snippets in a command need them).
/// </summary>
public static class Placeholders
{
    public const string Output = "output";
    public const string Root = "root";
    public static readonly IReadOnlyList<string> Known = [Output, Root];

    /// <summary>Placeholder problems in a text: unknown names, or a '{' that is never closed.</summary>
    public static IReadOnlyList<string> Problems(string text) =>
        Names(text)
            .Where(n => n is null || !Known.Contains(n))
            .Select(n => n is null
                ? "unclosed '{'; write {{ for a literal brace"
                : $"unknown placeholder {{{n}}}; allowed: {{output}} (a fresh folder per " +
            $"run), {{root}} (the Filare checkout). Write {{{{ and }}}} for literal braces")
            .ToList();

    public static string Expand(string text, IReadOnlyDictionary<string, string> values)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (IsEscape(text, i))
            {
                builder.Append(text[i]);
                i++;
                continue;
            }
            if (text[i] == '{' && text.IndexOf('}', i) is var end and > 0)
            {
                var name = text[(i + 1)..end];
                builder.Append(values.TryGetValue(name, out var value) ? value : throw new ScenarioException([$"unknown placeholder {{{name}}}"]));
                i = end;
                continue;
            }
            builder.Append(text[i]);
        }
        return builder.ToString();
    }

    /// <summary>Names between braces; null for an opening brace without its closing one.</summary>
    private static IEnumerable<string?> Names(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (IsEscape(text, i))
            {
                i++;
                continue;
            }
            if (text[i] == '{')
            {
                var end = text.IndexOf('}', i);
                yield return end < 0 ? null : text[(i + 1)..end];
                if (end < 0)
                {
                    yield break;
                }
                i = end;
            }
        }
    }

    private static bool IsEscape(string text, int i) =>
        i + 1 < text.Length && (text[i], text[i + 1]) is ('{', '{') or ('}', '}');
}
