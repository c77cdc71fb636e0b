using System.Text.RegularExpressions;

namespace Filare.Perf.Scenarios;

/// <summary>Shell-style patterns (*, ?, [abc]) per path segment, expanded without a shell.</summary>
public static class Glob
{
    public static IReadOnlyList<string> Expand(string baseDirectory, string pattern)
    {
        var segments = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        IEnumerable<string> current = [""];
        foreach (var segment in segments)
        {
            var isPattern = segment.IndexOfAny(['*', '?', '[']) >= 0;
            var regex = isPattern ? new Regex("^" + Regex.Escape(segment).Replace(@"\*", "[^/]*", StringComparison.Ordinal)
                .Replace(@"\?", "[^/]", StringComparison.Ordinal).Replace(@"\[", "[", StringComparison.Ordinal) + "$") : null;
            current = current.SelectMany(prefix =>
            {
                var directory = Path.Combine(baseDirectory, prefix);
                if (regex is null)
                {
                    var candidate = Path.Combine(prefix, segment);
                    return Path.Exists(Path.Combine(baseDirectory, candidate)) ? [candidate] : Array.Empty<string>();
                }
                return Directory.Exists(directory)
                    ? Directory.EnumerateFileSystemEntries(directory)
                        .Select(Path.GetFileName)
                        .Where(name => name is not null && regex.IsMatch(name) && !name.StartsWith('.'))
                        .Select(name => Path.Combine(prefix, name!))
                    : [];
            }).ToList();
        }
        return current.Where(p => p.Length > 0).Order(StringComparer.Ordinal).ToList();
    }
}
