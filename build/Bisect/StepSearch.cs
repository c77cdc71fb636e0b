namespace Filare.Perf.Bisect;

/// <summary>What a search over one list of commits found.</summary>
public sealed record SearchResult(IReadOnlyList<BisectStep> Steps, IReadOnlyList<BisectDrift> Drifts,
    IReadOnlyList<(string From, string To, string Why)> Unresolved);

/// <summary>
/// Finds every step larger than the threshold in a list of commits (oldest first; the first is good,
/// the last bad), without assuming the metric moves one way. Both ends are measured, then the middle
/// (always, once: a slowdown undone later in the range leaves the ends equal); from there a segment is
/// split at its middle only while its ends differ, and both halves are searched. A step between
/// neighbours is a culprit; a commit that cannot be measured is skipped for its nearest measurable
/// neighbour, and a step across skipped commits is a range. Each step costs one measurement per
/// halving: at most 3 + (steps + drifts) × ⌈log2 N⌉ measurements, plus one per skipped commit tried.
/// Halves are searched concurrently; the measure function decides how many run at once.
/// </summary>
public sealed class StepSearch(double threshold, Func<string, CancellationToken, Task<CommitMeasurement>> measure)
{
    /// <summary>The bound above for <paramref name="commits"/> commits (both ends included) and the steps and drifts found.</summary>
    public static int Bound(int commits, int found) => 3 + found * (int)Math.Ceiling(Math.Log2(Math.Max(2, commits - 1)));

    public async Task<SearchResult> SearchAsync(IReadOnlyList<string> commits, CancellationToken cancellation)
    {
        if (commits.Count < 2)
        {
            return new SearchResult([], [], []);
        }
        var steps = new List<BisectStep>();
        var drifts = new List<BisectDrift>();
        var unresolved = new List<(string, string, string)>();
        var ends = await Task.WhenAll(measure(commits[0], cancellation), measure(commits[^1], cancellation)).ConfigureAwait(false);
        foreach (var end in ends.Where(e => e.Status != CommitStatus.Measured))
        {
            unresolved.Add((commits[0], commits[^1], $"{Short(end.Sha)} could not be measured: {end.Reason}"));
        }
        if (unresolved.Count == 0)
        {
            var found = await SegmentAsync(commits, 0, commits.Count - 1, ends[0], ends[1], force: true, cancellation).ConfigureAwait(false);
            steps.AddRange(found.Steps);
            drifts.AddRange(found.Drifts);
            unresolved.AddRange(found.Unresolved);
        }
        var order = commits.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        return new SearchResult([.. steps.OrderBy(s => order[s.After])], [.. drifts.OrderBy(d => order[d.To])], unresolved);
    }

    private async Task<SearchResult> SegmentAsync(IReadOnlyList<string> commits, int low, int high, CommitMeasurement lowValue, CommitMeasurement highValue,
        bool force, CancellationToken cancellation)
    {
        var change = Change(lowValue, highValue);
        var differs = Differs(change);
        if (!differs && !force)
        {
            return new SearchResult([], [], []);
        }
        if (high == low + 1)
        {
            return differs ? new SearchResult([new BisectStep(commits[low], commits[high], [], change)], [], []) : new SearchResult([], [], []);
        }
        var (middle, middleValue, skipped) = await MiddleAsync(commits, low, high, cancellation).ConfigureAwait(false);
        if (middleValue is null)
        {
            if (skipped.Count < high - low - 1)
            {
                // Not all skipped: the budget ran out before the segment was split.
                return differs
                    ? new SearchResult([], [], [(commits[low], commits[high], "the budget ran out (--max-commits or --bisect-time-budget)")])
                    : new SearchResult([], [], []);
            }
            return differs ? new SearchResult([new BisectStep(commits[low], commits[high], skipped, change)], [], []) : new SearchResult([], [], []);
        }
        var halves = await Task.WhenAll(
            SegmentAsync(commits, low, middle, lowValue, middleValue, force: false, cancellation),
            SegmentAsync(commits, middle, high, middleValue, highValue, force: false, cancellation)).ConfigureAwait(false);
        var steps = halves.SelectMany(h => h.Steps).ToList();
        var drifts = halves.SelectMany(h => h.Drifts).ToList();
        var unresolved = halves.SelectMany(h => h.Unresolved).ToList();
        if (differs && steps.Count == 0 && drifts.Count == 0 && unresolved.Count == 0)
        {
            // The ends differ, neither half does: several small changes add up.
            drifts.Add(new BisectDrift(commits[low], commits[high], change));
        }
        return new SearchResult(steps, drifts, unresolved);
    }

    /// <summary>
    /// The measurable commit nearest the middle of (low, high), as git bisect skip picks another:
    /// middle, middle+1, middle-1, ... Null when every commit between was skipped (the skipped are
    /// listed) or the budget ran out.
    /// </summary>
    private async Task<(int Index, CommitMeasurement? Value, IReadOnlyList<string> Skipped)> MiddleAsync(IReadOnlyList<string> commits, int low, int high,
        CancellationToken cancellation)
    {
        var middle = low + (high - low) / 2;
        var skipped = new List<(int Index, string Sha)>();
        for (var distance = 0; distance < high - low; distance++)
        {
            foreach (var index in distance == 0 ? [middle] : new[] { middle + distance, middle - distance })
            {
                if (index <= low || index >= high)
                {
                    continue;
                }
                var value = await measure(commits[index], cancellation).ConfigureAwait(false);
                switch (value.Status)
                {
                    case CommitStatus.Measured:
                        return (index, value, []);
                    case CommitStatus.NotMeasured:
                        return (index, null, []);
                    default:
                        skipped.Add((index, commits[index]));
                        break;
                }
            }
        }
        return (-1, null, [.. skipped.OrderBy(s => s.Index).Select(s => s.Sha)]);
    }

    /// <summary>Per scenario both commits have, after/before - 1.</summary>
    public static IReadOnlyDictionary<string, double> Change(CommitMeasurement before, CommitMeasurement after) =>
        before.Values.Where(v => after.Values.ContainsKey(v.Key) && v.Value > 0)
            .ToDictionary(v => v.Key, v => after.Values[v.Key] / v.Value - 1, StringComparer.Ordinal);

    private bool Differs(IReadOnlyDictionary<string, double> change) => change.Values.Any(c => Math.Abs(c) > threshold);

    private static string Short(string sha) => sha[..Math.Min(10, sha.Length)];
}
