namespace Filare.Perf.Engine;

/// <summary>"Did you mean" candidates by edit distance, like git's and dotnet's own CLIs.</summary>
public static class Suggestions
{
    public static IReadOnlyList<string> Closest(string input, IEnumerable<string> candidates, int max = 3)
    {
        var normalized = ParameterNames.Normalize(input);
        return candidates
            .Select(c => (Candidate: c, Distance: Distance(normalized, ParameterNames.Normalize(c))))
            .Where(x => x.Distance <= Math.Max(2, normalized.Length / 3)
                || ParameterNames.Normalize(x.Candidate).Contains(normalized, StringComparison.Ordinal) && normalized.Length >= 3)
            .OrderBy(x => x.Distance)
            .ThenBy(x => x.Candidate, StringComparer.Ordinal)
            .Select(x => x.Candidate)
            .Take(max)
            .ToList();
    }

    public static string DidYouMean(string input, IEnumerable<string> candidates)
    {
        var closest = Closest(input, candidates);
        return closest.Count == 0 ? "" : " Did you mean " + string.Join(" or ", closest) + "?";
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            previous = current;
        }
        return previous[b.Length];
    }
}
