using System.Text;
using System.Text.Json.Nodes;

namespace Filare.Perf.Results;

/// <summary>
/// The one cleaning step for metrics.json as it is read: a file from a PR's artifact is written by
/// the PR's code, so every string in it (names, labels, messages, paths, keys) is reduced here,
/// before any renderer sees it. Line feeds stay (messages have lines; renderers flatten or fence
/// them); every other control character, bidi override and zero-width character becomes U+FFFD,
/// and each string is cut to <see cref="MaxLength"/> characters. Renderers still escape for their
/// own medium; this step only guarantees none of them meets raw bytes no report can show.
/// </summary>
public static class MetricsText
{
    public const int MaxLength = 2000;

    /// <summary>A metrics.json is tens of kilobytes; one far larger is not one, and is refused before parsing.</summary>
    public const long MaxFileBytes = 16L << 20;

    public const char Replacement = '\uFFFD';

    public static JsonNode? Clean(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(Clean(p.Key), Clean(p.Value)))
            .GroupBy(p => p.Key, StringComparer.Ordinal).Select(g => g.First())),
        JsonArray a => new JsonArray([.. a.Select(Clean)]),
        JsonValue v when v.TryGetValue<string>(out var text) => JsonValue.Create(Clean(text)),
        JsonValue v => v.DeepClone(),
        _ => null,
    };

    public static string Clean(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, MaxLength + 1));
        foreach (var c in text.Replace("\r\n", "\n", StringComparison.Ordinal))
        {
            if (builder.Length == MaxLength)
            {
                builder.Append('…');
                break;
            }
            builder.Append(c == '\n' || !IsHidden(c) ? c : Replacement);
        }
        return builder.ToString();
    }

    /// <summary>Controls (tab, CR, ESC, NUL...), line and paragraph separators, bidi controls, zero-width characters.</summary>
    public static bool IsHidden(char c) =>
        char.IsControl(c)
            || c is '\u2028' or '\u2029' or (>= '\u200B' and <= '\u200F') or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\uFEFF';
}
