using System.Globalization;
using Filare.Perf.Results;

namespace Filare.Perf.Analysis;

/// <summary>
/// Heap verdicts from two heap runs. No interval and no test: with a fixed PYTHONHASHSEED the heap
/// peak repeats to about 0.001%, so the threshold (raised to a calibrated A/A floor) is the whole
/// rule, as for instruction counts.
/// </summary>
public static class HeapVerdicts
{
    public const string AgainstBase = "base";
    public const string AgainstBaseline = "baseline";

    /// <summary>How many sites that grew (and shrank) the comparison keeps.</summary>
    public const int SitesShown = 8;

    public static HeapComparison? Of(HeapRun? before, HeapRun? after, string against, double threshold, double? calibratedFloor, bool isCalibration,
        IReadOnlyList<ProfilerRun>? beforeProfiles = null, IReadOnlyList<ProfilerRun>? afterProfiles = null)
    {
        if (before is null || after is null || (before.Status == HeapStatus.Skipped && after.Status == HeapStatus.Skipped))
        {
            return null;
        }
        var effective = Math.Max(threshold, isCalibration ? 0 : calibratedFloor ?? 0);
        var raised = !isCalibration && calibratedFloor > threshold;
        var problem = Problem(before, "base", against) ?? Problem(after, "head", against)
            ?? (before.ExitCode != after.ExitCode
                ? $"the program exited {Code(before.ExitCode)} before and {Code(after.ExitCode)} after: not the same work"
                : null);
        var rule = new Rule(effective, raised, problem);
        var peak = rule.Delta("heap peak", before.Program?.PeakBytes, after.Program?.PeakBytes);
        var atExit = rule.Delta("heap at exit", before.Program?.ExitBytes, after.Program?.ExitBytes);
        var children = before.Children.Count + after.Children.Count == 0 ? null
            : rule.Delta("python children's heap peak", before.Children.Select(c => c.PeakBytes).DefaultIfEmpty().Max(),
                after.Children.Select(c => c.PeakBytes).DefaultIfEmpty().Max());
        var kinds = before.ByKind().Select(k => k.Kind).Union(after.ByKind().Select(k => k.Kind)).Order();
        var rss = kinds.Select(kind => rule.Delta($"{kind.ToString().ToLowerInvariant()} peak RSS",
            before.ByKind().FirstOrDefault(k => k.Kind == kind)?.PeakRssBytes ?? 0,
            after.ByKind().FirstOrDefault(k => k.Kind == kind)?.PeakRssBytes ?? 0)).ToList();
        var (grew, shrank) = Sites(before.Program, after.Program);
        var floor = isCalibration && peak.Before is > 0 && peak.After is > 0 ? Math.Round(Math.Abs(peak.Ratio - 1), 6) : (double?)null;
        return new HeapComparison(against, peak, atExit, children, rss, grew, shrank, Memray(beforeProfiles, afterProfiles, rule),
            effective, floor ?? (raised ? calibratedFloor : null), Caveats(before, after));
    }

    /// <summary>Sites matched by (own line, allocating line); those whose size changed most, each way.</summary>
    public static (IReadOnlyList<SiteDelta> Grew, IReadOnlyList<SiteDelta> Shrank) Sites(HeapProcess? before, HeapProcess? after)
    {
        if (before is null || after is null)
        {
            return ([], []);
        }
        var was = before.Sites.ToDictionary(s => s.Key);
        var now = after.Sites.ToDictionary(s => s.Key);
        // A site absent from a full list may be just below its smallest kept size, not at 0.
        var beforeFull = before.SiteGroups > before.Sites.Count;
        var afterFull = after.SiteGroups > after.Sites.Count;
        var deltas = was.Keys.Union(now.Keys).Select(key =>
        {
            var (b, a) = (was.GetValueOrDefault(key), now.GetValueOrDefault(key));
            var site = a ?? b!;
            return new SiteDelta(site.Site, site.AllocatedAt, b?.Bytes ?? 0, a?.Bytes ?? 0, (b is not null || !beforeFull) && (a is not null || !afterFull));
        }).ToList();
        // Sites in the program's own code first among equal changes, then by name, so the order is stable.
        return (
            [.. deltas.Where(d => d.Change > 0).OrderByDescending(d => d.Change).ThenBy(d => d.Site is null).ThenBy(d => d.Site, StringComparer.Ordinal)
                .Take(SitesShown)],
            [.. deltas.Where(d => d.Change < 0).OrderBy(d => d.Change).ThenBy(d => d.Site is null).ThenBy(d => d.Site, StringComparer.Ordinal)
                .Take(SitesShown)]);
    }

    private static IReadOnlyList<MemoryDelta> Memray(IReadOnlyList<ProfilerRun>? before, IReadOnlyList<ProfilerRun>? after, Rule rule)
    {
        var was = before?.FirstOrDefault(p => p.Tool == ProfilerNames.Memray && p.Memory is not null)?.Memory;
        var now = after?.FirstOrDefault(p => p.Tool == ProfilerNames.Memray && p.Memory is not null)?.Memory;
        return was is null || now is null ? []
            : [rule.Delta("memray peak", was.PeakBytes, now.PeakBytes), rule.Delta("memray allocations", was.TotalAllocations, now.TotalAllocations)];
    }

    private static List<string> Caveats(HeapRun before, HeapRun after)
    {
        var caveats = new List<string>();
        if (before.Program is { } b && after.Program is { } a && b.Frames != a.Frames)
        {
            caveats.Add($"traced {b.Frames} frames before and {a.Frames} after: the sites are grouped differently");
        }
        return caveats;
    }

    private static string? Problem(HeapRun run, string side, string against)
    {
        var name = against == AgainstBaseline ? (side == "base" ? "baseline" : "current run") : side;
        return run.Status switch
        {
            HeapStatus.Ok when run.Program is null => $"the {name} wrote no heap record",
            HeapStatus.Ok => null,
            _ => $"the {name}'s heap run did not finish ({run.StatusText})",
        };
    }

    private static string Code(int? code) => code?.ToString(CultureInfo.InvariantCulture) ?? "?";

    private sealed record Rule(double Threshold, bool Raised, string? Problem)
    {
        public MemoryDelta Delta(string scope, long? before, long? after)
        {
            var ratio = before is > 0 && after is { } a ? (double)a / before.Value : double.NaN;
            var limit = string.Create(CultureInfo.InvariantCulture, $"{Threshold * 100:0.##}%{(Raised ? " (the A/A noise floor)" : "")}");
            if (Problem is not null)
            {
                return new MemoryDelta(scope, before, after, ratio, MemoryVerdict.Inconclusive, Problem);
            }
            if (before is null || after is null)
            {
                return new MemoryDelta(scope, before, after, ratio, MemoryVerdict.Inconclusive, $"no {scope} on {(before is null ? "the base" : "the head")}");
            }
            if (before == 0 || after == 0)
            {
                // Only one side had this kind of process: a change in what runs, not in how much.
                return new MemoryDelta(scope, before, after, ratio, before == after ? MemoryVerdict.Unchanged : MemoryVerdict.Inconclusive,
                    before == after ? "none on either side" : before == 0 ? "only after" : "only before");
            }
            var change = string.Create(CultureInfo.InvariantCulture, $"{(ratio - 1) * 100:+0.###;-0.###;0}%");
            return ratio >= 1 + Threshold ? new MemoryDelta(scope, before, after, ratio, MemoryVerdict.More, $"{change} ≥ +{limit}")
                : ratio <= 1 - Threshold ? new MemoryDelta(scope, before, after, ratio, MemoryVerdict.Less, $"{change} ≤ -{limit}")
                : new MemoryDelta(scope, before, after, ratio, MemoryVerdict.Unchanged, $"{change} within ±{limit}");
        }
    }
}
