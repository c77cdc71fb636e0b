using Filare.Perf.Comparison;
using Filare.Perf.History;

namespace Filare.Perf.Trend;

/// <summary>
/// The trend of each branch and scenario. Nights on different runners (CPU model, Python) are
/// different populations: change points are searched within each runner's own nights, so a runner
/// change alone can never be one; it is shown as a runner change, with the step seen across it.
/// A steady drift that a straight line explains better than steps is reported as a drift.
/// </summary>
public static class TrendAnalyzer
{
    public static TrendResult Analyze(IEnumerable<HistoryRecord> records, TrendSettings settings, IReadOnlyList<string>? warnings = null)
    {
        var series = new List<SeriesTrend>();
        foreach (var branch in records.GroupBy(r => r.Branch, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var floor = BranchNoiseFloor(branch);
            var minimum = settings.MinMagnitude ?? Math.Max(TrendSettings.DefaultMinMagnitude, floor ?? 0);
            foreach (var scenario in branch.GroupBy(r => r.Scenario, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var points = scenario.Where(r => r.IsOk).DistinctBy(r => r.Key).OrderBy(r => r.Date).TakeLast(settings.Points).ToList();
                series.Add(Series(branch.Key, scenario.Key, points, minimum, floor, settings));
            }
        }
        return new TrendResult(series, warnings ?? [], settings);
    }

    /// <summary>The median of the A/A noise floors the branch's nights measured; null when none did.</summary>
    public static double? BranchNoiseFloor(IEnumerable<HistoryRecord> records)
    {
        var floors = records.Select(r => r.NoiseFloor?.WallSeconds).OfType<double>().Where(double.IsFinite).ToArray();
        return floors.Length == 0 ? null : ChangePointDetector.Median(floors);
    }

    public static SeriesTrend Series(string branch, string scenario, IReadOnlyList<HistoryRecord> points, double minimum, double? floor, TrendSettings settings)
    {
        var detector = new DetectorSettings(settings.Method, settings.Alpha, minimum);
        var found = new List<ChangePoint>();
        var drifts = new List<Drift>();
        foreach (var runner in points.Select((p, i) => (p, i)).GroupBy(x => x.p.Environment, StringComparer.Ordinal))
        {
            var indexes = runner.Select(x => x.i).ToArray();
            foreach (var metric in TrendMetrics.Detected)
            {
                var own = indexes.Where(i => TrendMetrics.Value(points[i], metric) is not null).ToArray();
                var values = own.Select(i => TrendMetrics.Value(points[i], metric)!.Value).ToArray();
                var splits = ChangePointDetector.Detect(values, detector);
                if (DriftDetector.Find(values, splits, detector) is { } drift)
                {
                    drifts.Add(new Drift(metric, own[drift.First], own[drift.Last], drift.PerPoint, drift.Total, drift.PValue, runner.Key));
                    continue;
                }
                for (var s = 0; s < splits.Count; s++)
                {
                    var start = s == 0 ? 0 : splits[s - 1].Index;
                    var end = s == splits.Count - 1 ? own.Length : splits[s + 1].Index;
                    var before = own[start..splits[s].From];
                    var after = own[splits[s].To..end];
                    var moves = Moves(points, before, after, minimum, metric, settings.Comparison);
                    found.Add(new ChangePoint(own[splits[s].From - 1], own[splits[s].To], metric, splits[s].PValue, moves, runner.Key));
                }
            }
        }
        return new SeriesTrend(branch, scenario, points, Merge(found), RunnerChanges(points, minimum), drifts, minimum, floor, Levels(points, found));
    }

    /// <summary>The detecting metric's step, and every other metric's that is at least the minimum with an interval clear of no change.</summary>
    private static List<MetricMove> Moves(
        IReadOnlyList<HistoryRecord> points, int[] before, int[] after, double minimum, TrendMetric detected, ComparisonSettings settings)
    {
        var moves = new List<MetricMove>();
        foreach (var metric in Enum.GetValues<TrendMetric>())
        {
            var b = before.Select(i => TrendMetrics.Value(points[i], metric)).OfType<double>().ToList();
            var a = after.Select(i => TrendMetrics.Value(points[i], metric)).OfType<double>().ToList();
            if (b.Count == 0 || a.Count == 0)
            {
                continue;
            }
            var comparison = MetricComparison.Of(TrendMetrics.Name(metric), b, a, settings);
            var moved = Math.Abs(comparison.Ratio - 1) >= minimum && (comparison.RatioLow > 1 || comparison.RatioHigh < 1);
            if (metric == detected || moved)
            {
                moves.Add(new MetricMove(metric, comparison.Ratio, comparison.RatioLow, comparison.RatioHigh));
            }
        }
        return moves;
    }

    /// <summary>Steps of several metrics whose commit ranges overlap are one change that moved them together.</summary>
    private static List<ChangePoint> Merge(List<ChangePoint> found)
    {
        var merged = new List<ChangePoint>();
        foreach (var point in found.OrderBy(p => p.Before).ThenBy(p => p.Metric))
        {
            var overlap = merged.FindIndex(m => m.Environment == point.Environment && point.Before < m.After && m.Before < point.After);
            if (overlap < 0)
            {
                merged.Add(point);
                continue;
            }
            var existing = merged[overlap];
            var moves = existing.Moves.Concat(point.Moves.Where(m => existing.Moves.All(e => e.Metric != m.Metric))).OrderBy(m => m.Metric).ToList();
            merged[overlap] = existing with { Before = Math.Max(existing.Before, point.Before), After = Math.Min(existing.After, point.After), Moves = moves };
        }
        return merged;
    }

    private static List<RunnerChange> RunnerChanges(IReadOnlyList<HistoryRecord> points, double minimum)
    {
        var changes = new List<RunnerChange>();
        for (var i = 1; i < points.Count; i++)
        {
            if (points[i].Environment == points[i - 1].Environment)
            {
                continue;
            }
            var before = Run(points, i - 1, -1);
            var after = Run(points, i, +1);
            var ratio = before.Length > 0 && after.Length > 0
                ? Math.Exp(ChangePointDetector.Median(after) - ChangePointDetector.Median(before))
                : (double?)null;
            changes.Add(new RunnerChange(i, points[i - 1].Environment, points[i].Environment, ratio, ratio is { } r && Math.Abs(r - 1) >= minimum));
        }
        return changes;
    }

    /// <summary>Log wall medians of up to five nights on the same runner from <paramref name="start"/> on, in one direction.</summary>
    private static double[] Run(IReadOnlyList<HistoryRecord> points, int start, int step)
    {
        var values = new List<double>();
        for (var i = start; i >= 0 && i < points.Count && points[i].Environment == points[start].Environment && values.Count < 5; i += step)
        {
            values.Add(Math.Log(points[i].WallSeconds!.Median));
        }
        return [.. values];
    }

    /// <summary>Each night's wall level: the median of its runner's nights between change points (the centre of the noise band).</summary>
    private static List<double> Levels(IReadOnlyList<HistoryRecord> points, List<ChangePoint> found)
    {
        var levels = new List<double>();
        for (var i = 0; i < points.Count; i++)
        {
            var environment = points[i].Environment;
            var cuts = found.Where(c => c.Environment == environment && c.Metric == TrendMetric.WallSeconds).ToList();
            var low = cuts.Where(c => c.After <= i).Select(c => c.After).DefaultIfEmpty(0).Max();
            var high = cuts.Where(c => c.Before >= i).Select(c => c.Before).DefaultIfEmpty(points.Count - 1).Min();
            var same = Enumerable.Range(low, high - low + 1).Where(j => points[j].Environment == environment).Select(j => points[j].WallSeconds!.Median)
                .ToArray();
            levels.Add(ChangePointDetector.Median(same));
        }
        return levels;
    }
}
