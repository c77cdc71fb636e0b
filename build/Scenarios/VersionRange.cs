using System.Globalization;
using System.Text.RegularExpressions;

namespace Filare.Perf.Scenarios;

/// <summary>
/// The Filare versions a scenario fits, written as pip does (<c>&gt;=1.6</c>, <c>&gt;=1.6,&lt;2</c>,
/// <c>==1.6.*</c>, <c>!=1.6.1</c>). Release numbers compare segment by segment, missing segments
/// being 0; a pre-release (1.7.0b1) sorts before its release and a local label (+standin) is ignored.
/// </summary>
public sealed partial record VersionRange(string Text, IReadOnlyList<VersionRange.Clause> Clauses)
{
    public sealed record Clause(string Operator, IReadOnlyList<int> Release, bool Wildcard);

    private static readonly string[] s_operators = [">=", "<=", "==", "!=", ">", "<"];

    public static VersionRange? TryParse(string text, out string? problem)
    {
        problem = null;
        var clauses = new List<Clause>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var op = s_operators.FirstOrDefault(o => part.StartsWith(o, StringComparison.Ordinal));
            var rest = op is null ? part : part[op.Length..].Trim();
            var wildcard = rest.EndsWith(".*", StringComparison.Ordinal);
            if (op is null || (wildcard && op is not ("==" or "!=")) || Release(wildcard ? rest[..^2] : rest) is not { } release
                || !ReleaseOnly().IsMatch(wildcard ? rest[..^2] : rest))
            {
                problem = $"'{text}' is not a version range; write clauses such as >=1.6, <2, ==1.6.*, !=1.6.1 separated by commas";
                return null;
            }
            clauses.Add(new Clause(op, release, wildcard));
        }
        return new VersionRange(text, clauses);
    }

    /// <summary>Whether <paramref name="version"/> (as a checkout declares it) is in the range; null when it cannot be read.</summary>
    public bool? Contains(string version)
    {
        if (Release(version) is not { } release)
        {
            return null;
        }
        var preRelease = PreRelease().IsMatch(version.Split('+')[0]);
        return Clauses.All(c => Holds(c, release, preRelease));
    }

    private static bool Holds(Clause clause, IReadOnlyList<int> release, bool preRelease)
    {
        if (clause.Wildcard)
        {
            var prefix = release.Concat(Enumerable.Repeat(0, clause.Release.Count)).Take(clause.Release.Count).SequenceEqual(clause.Release);
            return clause.Operator == "==" ? prefix : !prefix;
        }
        var order = Compare(release, clause.Release);
        // 1.7.0b1 is below 1.7.0 and above 1.6.x.
        var below = order < 0 || (order == 0 && preRelease);
        return clause.Operator switch
        {
            ">=" => !below,
            ">" => order > 0,
            "<=" => order <= 0,
            "<" => below,
            "==" => order == 0 && !preRelease,
            _ => order != 0 || preRelease,
        };
    }

    private static int Compare(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        for (var i = 0; i < Math.Max(a.Count, b.Count); i++)
        {
            var order = (i < a.Count ? a[i] : 0).CompareTo(i < b.Count ? b[i] : 0);
            if (order != 0)
            {
                return order;
            }
        }
        return 0;
    }

    private static IReadOnlyList<int>? Release(string version)
    {
        var match = LeadingRelease().Match(version.Trim());
        return match.Success
            ? match.Groups[1].Value.Split('.').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList()
            : null;
    }

    [GeneratedRegex(@"^v?(\d{1,9}(?:\.\d{1,9})*)")]
    private static partial Regex LeadingRelease();

    [GeneratedRegex(@"^\d{1,9}(?:\.\d{1,9})*$")]
    private static partial Regex ReleaseOnly();

    [GeneratedRegex(@"^v?\d+(?:\.\d+)*[-_.]?(a|b|c|rc|alpha|beta|pre|preview|dev)", RegexOptions.IgnoreCase)]
    private static partial Regex PreRelease();
}
