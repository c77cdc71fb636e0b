using System.Text;
using System.Text.RegularExpressions;

namespace Filare.Perf.Tests.Support;

/// <summary>
/// Which build/ folders use which, read from the sources: a <c>using Filare.Perf.X;</c>, a fully
/// qualified <c>Filare.Perf.X.</c>, or a partly qualified <c>X.Type</c> where Type is declared in
/// folder X. Each folder is one namespace (Filare.Perf.Folder); the build's root files are not a folder.
/// </summary>
public sealed partial class FolderGraph
{
    private FolderGraph(IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> edges) => Edges = edges;

    /// <summary>Folder → the folders it uses → the files that make it use them.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> Edges { get; }

    public static FolderGraph Read(string buildRoot)
    {
        var folders = Directory.GetDirectories(buildRoot).Select(Path.GetFileName).OfType<string>()
            .Where(f => f is not ("bin" or "obj") && Directory.EnumerateFiles(Path.Combine(buildRoot, f), "*.cs", SearchOption.AllDirectories).Any())
            .ToList();
        var sources = folders.ToDictionary(f => f, f => Directory.EnumerateFiles(Path.Combine(buildRoot, f), "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(p => (Path: Path.GetRelativePath(buildRoot, p), Code: CodeOf(File.ReadAllText(p))))
            .ToList());
        var types = sources.ToDictionary(s => s.Key, s =>
            s.Value.SelectMany(f => Declaration().Matches(f.Code).Select(m => m.Groups["name"].Value)).ToHashSet(StringComparer.Ordinal));
        var edges = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            var uses = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var other in folders.Where(o => o != folder))
            {
                var qualified = new Regex($@"\bFilare\.Perf\.{other}\b");
                var partly = new Regex($@"(?<![\w.]){other}\.(?<type>[A-Z]\w*)\b");
                var files = sources[folder]
                    .Where(f => qualified.IsMatch(f.Code) || partly.Matches(f.Code).Any(m => types[other].Contains(m.Groups["type"].Value)))
                    .Select(f => f.Path).ToList();
                if (files.Count > 0)
                {
                    uses[other] = files;
                }
            }
            edges[folder] = uses;
        }
        return new FolderGraph(edges);
    }

    /// <summary>A cycle as its folders in order (the first repeated at the end), or null.</summary>
    public IReadOnlyList<string>? FindCycle()
    {
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the path; true: done.
        var path = new List<string>();
        List<string>? Visit(string folder)
        {
            if (state.TryGetValue(folder, out var done))
            {
                return done ? null : [.. path.SkipWhile(f => f != folder), folder];
            }
            state[folder] = false;
            path.Add(folder);
            foreach (var next in Edges[folder].Keys.Order(StringComparer.Ordinal))
            {
                if (Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }
            path.RemoveAt(path.Count - 1);
            state[folder] = true;
            return null;
        }
        return Edges.Keys.Order(StringComparer.Ordinal).Select(Visit).FirstOrDefault(c => c is not null);
    }

    /// <summary>Each edge of a cycle with the files that make it.</summary>
    public string Explain(IReadOnlyList<string> cycle) => string.Join("\n", cycle.Zip(cycle.Skip(1),
        (from, to) => $"{from} -> {to}: {string.Join(", ", Edges[from][to])}"));

    /// <summary>
    /// The code of a source file: comments and the text of strings dropped (they name other folders
    /// freely in prose and messages), the holes of interpolated strings kept, for they are code.
    /// </summary>
    public static string CodeOf(string source)
    {
        var code = new StringBuilder(source.Length);
        var i = 0;
        Code(source, ref i, code, inHole: false);
        return code.ToString();
    }

    private static void Code(string s, ref int i, StringBuilder code, bool inHole)
    {
        var depth = 0;
        while (i < s.Length)
        {
            var c = s[i];
            var next = i + 1 < s.Length ? s[i + 1] : '\0';
            if (c == '/' && next == '/')
            {
                i = s.IndexOf('\n', i) is var end and >= 0 ? end : s.Length;
            }
            else if (c == '/' && next == '*')
            {
                i = s.IndexOf("*/", i + 2, StringComparison.Ordinal) is var end and >= 0 ? end + 2 : s.Length;
            }
            else if (c == '\'')
            {
                for (i++; i < s.Length && s[i] != '\''; i++)
                {
                    i += s[i] == '\\' ? 1 : 0;
                }
                i++;
                code.Append("' '");
            }
            else if (c == '"' || (c is '$' or '@' && next is '"' or '$' or '@'))
            {
                Text(s, ref i, code);
            }
            else if (inHole && c == '}' && depth == 0)
            {
                return;
            }
            else
            {
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
                code.Append(c);
                i++;
            }
        }
    }

    /// <summary>A string literal of any kind, from its prefix to its end; only its holes reach <paramref name="code"/>.</summary>
    private static void Text(string s, ref int i, StringBuilder code)
    {
        var interpolated = false;
        var verbatim = false;
        for (; i < s.Length && s[i] is '$' or '@'; i++)
        {
            interpolated |= s[i] == '$';
            verbatim |= s[i] == '@';
        }
        var quotes = 0;
        for (; i < s.Length && s[i] == '"'; i++)
        {
            quotes++;
        }
        code.Append("\"\"");
        if (quotes == 2)
        {
            return;
        }
        if (quotes >= 3)
        {
            // A raw string: its end is the same run of quotes. (No raw string here has holes that name a folder.)
            var end = s.IndexOf(new string('"', quotes), i, StringComparison.Ordinal);
            i = end >= 0 ? end + quotes : s.Length;
            return;
        }
        while (i < s.Length)
        {
            var c = s[i];
            var next = i + 1 < s.Length ? s[i + 1] : '\0';
            if (c == '\\' && !verbatim)
            {
                i += 2;
            }
            else if (c == '"' && verbatim && next == '"')
            {
                i += 2;
            }
            else if (c == '"')
            {
                i++;
                return;
            }
            else if (interpolated && c == '{' && next == '{')
            {
                i += 2;
            }
            else if (interpolated && c == '{')
            {
                i++;
                code.Append(' ');
                Code(s, ref i, code, inHole: true);
                code.Append(' ');
                i++;
            }
            else
            {
                i++;
            }
        }
    }

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+(?<name>[A-Z]\w*)")]
    private static partial Regex Declaration();
}
