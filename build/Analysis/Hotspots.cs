using System.Text.RegularExpressions;
using Filare.Perf.Comparison;

namespace Filare.Perf.Analysis;

public sealed record HotspotChange(string File, string Function, double BaselineSeconds, double CurrentSeconds, double DeltaSeconds, long BaselineCalls,
    long CurrentCalls);

/// <param name="Floor">The noise floor the rows passed (<see cref="HotspotNoise"/>); null before the analysis applied it.</param>
public sealed record HotspotDiff(string Scenario, IReadOnlyList<HotspotChange> Grew, IReadOnlyList<HotspotChange> Shrank, ChangeFloor? Floor = null);

/// <summary>
/// Where the time moved between two cProfile captures: which functions' own time (tottime) grew or
/// shrank most. Both files are read by <see cref="PstatsReader"/>, in this process, without
/// Python's marshal: the current one comes from the PR's code. Functions are matched by file (from
/// the package folder on, so two checkouts in different places match) and name, not by line: a
/// line number moves with every edit above it. Every function that moved is kept: which of them moved
/// beyond noise, and how many are shown, is the analysis's rule (<see cref="HotspotNoise"/>).
/// </summary>
public static partial class Hotspots
{
    public const int Grew = 10;
    public const int Shrank = 5;

    public static Task<(HotspotDiff? Diff, string? Problem)> CompareAsync(string scenario, string baselinePstats, string currentPstats,
        CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        // Each file in its own try, so the note names the one that was refused.
        var (before, beforeProblem) = Read(baselinePstats);
        var (after, afterProblem) = Read(currentPstats);
        return Task.FromResult<(HotspotDiff?, string?)>(before is null || after is null
            ? (null, $"reading the pstats files failed: {beforeProblem ?? afterProblem}")
            : (Compare(scenario, before, after), null));
    }

    private static (IReadOnlyList<PstatsEntry>? Entries, string? Problem) Read(string pstats)
    {
        try
        {
            return (PstatsReader.Read(pstats), null);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return (null, e.Message);
        }
    }

    public static HotspotDiff Compare(string scenario, IReadOnlyList<PstatsEntry> baseline, IReadOnlyList<PstatsEntry> current)
    {
        var before = Totals(baseline);
        var after = Totals(current);
        var rows = before.Keys.Union(after.Keys)
            .Select(key =>
            {
                var (was, wasCalls) = before.GetValueOrDefault(key);
                var (now, nowCalls) = after.GetValueOrDefault(key);
                return new HotspotChange(key.File, key.Function, was, now, now - was, wasCalls, nowCalls);
            })
            .OrderBy(r => r.DeltaSeconds).ThenBy(r => r.File, StringComparer.Ordinal).ThenBy(r => r.Function, StringComparer.Ordinal)
            .ToList();
        return new HotspotDiff(scenario,
            rows.AsEnumerable().Reverse().Where(r => r.DeltaSeconds > 0).ToList(),
            rows.Where(r => r.DeltaSeconds < 0).ToList());
    }

    private static Dictionary<(string File, string Function), (double Seconds, long Calls)> Totals(IReadOnlyList<PstatsEntry> entries)
    {
        var totals = new Dictionary<(string, string), (double, long)>();
        foreach (var entry in entries)
        {
            var key = (Module(entry.File), entry.Function);
            var (seconds, calls) = totals.GetValueOrDefault(key);
            totals[key] = (seconds + entry.TotalSeconds, calls + entry.Calls);
        }
        return totals;
    }

    /// <summary>The path from site-packages/, dist-packages/ or src/ on, else the file name.</summary>
    private static string Module(string file)
    {
        var path = file.Replace('\\', '/');
        return Package().Match(path) is { Success: true } match ? match.Groups[1].Value : path[(path.LastIndexOf('/') + 1)..];
    }

    [GeneratedRegex(@"(?:site-packages|dist-packages|src)/(.*)$")]
    private static partial Regex Package();
}
