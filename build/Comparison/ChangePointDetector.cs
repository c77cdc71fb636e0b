using Perfolizer.Mathematics.Cpd;
using Perfolizer.Mathematics.Distributions.ContinuousDistributions;

namespace Filare.Perf.Comparison;

/// <summary>How candidate change points are found; both are then held to the same significance and magnitude test.</summary>
public enum ChangePointMethod
{
    /// <summary>Perfolizer's ED-PELT (Haynes, Fearnhead and Eckley 2017): nonparametric, penalised exact segmentation.</summary>
    EdPelt,

    /// <summary>Binary segmentation at the split with the largest t statistic, kept at p ≤ alpha (Hunter/Otava's test).</summary>
    TTest,
}

/// <summary>
/// A step in a series: <see cref="Index"/> is the best estimate of the first point after it, and
/// [<see cref="From"/>, <see cref="To"/>] every first-point-after the data cannot rule out, so the
/// change lies between point From − 1 and point To: the commit range to read.
/// </summary>
public sealed record Split(int Index, int From, int To, double PValue);

/// <param name="Alpha">Largest two-sided p-value (pooled t-test, log scale) of the segments either side that keeps a step.</param>
/// <param name="MinMagnitude">Smallest relative step kept (0.02 = 2%).</param>
/// <param name="LocationThreshold">A candidate first-point-after stays in the range while
/// its fit is within this many σ² of the best (profile likelihood).</param>
public sealed record DetectorSettings(ChangePointMethod Method = ChangePointMethod.EdPelt, double Alpha = 0.001, double MinMagnitude = 0.02, int MinSegment = 3,
    double LocationThreshold = 9.0);

/// <summary>
/// Change points of one series of one metric on one runner. The values are taken on a log scale, so a
/// step is a ratio wherever the level is. Candidates come from <see cref="ChangePointMethod"/>; each is
/// kept only when the segments either side differ at p ≤ alpha and by at least the minimum magnitude,
/// re-checked after every removal (a removed step merges its neighbours).
/// </summary>
public static class ChangePointDetector
{
    public const int EdPeltMinimumLength = 12;

    public static IReadOnlyList<Split> Detect(IReadOnlyList<double> values, DetectorSettings settings)
    {
        var logs = values.Select(v => Math.Log(v)).ToArray();
        if (logs.Length < 2 * settings.MinSegment || logs.Any(v => !double.IsFinite(v)))
        {
            return [];
        }
        // ED-PELT's empirical-distribution cost needs a dozen points to see a shift at all; a young
        // history is searched with the t-test alone, which the same significance test then keeps or drops.
        var candidates = settings.Method == ChangePointMethod.EdPelt && logs.Length >= EdPeltMinimumLength
            ? EdPelt(logs, settings.MinSegment)
            : BinarySegmentation(logs, 0, logs.Length, settings);
        var kept = Refine(logs, Prune(logs, candidates.Order().ToList(), settings), settings.MinSegment);
        var splits = new List<Split>();
        for (var i = 0; i < kept.Count; i++)
        {
            var start = i == 0 ? 0 : kept[i - 1];
            var end = i == kept.Count - 1 ? logs.Length : kept[i + 1];
            var (from, to) = Location(logs, start, end, kept[i], settings.LocationThreshold);
            splits.Add(new Split(kept[i], from, to, StepPValue(logs[start..kept[i]], logs[kept[i]..end])));
        }
        return splits;
    }

    /// <summary>ED-PELT's indexes, as first points after each change, at least MinSegment apart.</summary>
    private static List<int> EdPelt(double[] logs, int minSegment) =>
        [.. EdPeltChangePointDetector.Instance.GetChangePointIndexes(logs, minSegment).Where(i => i >= minSegment && i <= logs.Length - minSegment)];

    private static List<int> BinarySegmentation(double[] logs, int start, int end, DetectorSettings settings)
    {
        var best = -1;
        var bestT = 0.0;
        for (var k = start + settings.MinSegment; k <= end - settings.MinSegment; k++)
        {
            var t = Math.Abs(StudentT(logs[start..k], logs[k..end]).T);
            if (t > bestT)
            {
                (best, bestT) = (k, t);
            }
        }
        if (best < 0 || StepPValue(logs[start..best], logs[best..end]) > settings.Alpha)
        {
            return [];
        }
        return [.. BinarySegmentation(logs, start, best, settings), best, .. BinarySegmentation(logs, best, end, settings)];
    }

    /// <summary>Drops the weakest step that fails the test, then tests again: its neighbours now face a longer segment.</summary>
    private static List<int> Prune(double[] logs, List<int> points, DetectorSettings settings)
    {
        while (true)
        {
            var worst = -1;
            var worstP = -1.0;
            for (var i = 0; i < points.Count; i++)
            {
                var before = logs[(i == 0 ? 0 : points[i - 1])..points[i]];
                var after = logs[points[i]..(i == points.Count - 1 ? logs.Length : points[i + 1])];
                var p = StepPValue(before, after);
                var magnitude = Math.Abs(Math.Exp(Median(after) - Median(before)) - 1);
                var score = magnitude < settings.MinMagnitude ? 2 + (1 - magnitude) : p;
                if ((p > settings.Alpha || magnitude < settings.MinMagnitude) && score > worstP)
                {
                    (worst, worstP) = (i, score);
                }
            }
            if (worst < 0)
            {
                return points;
            }
            points.RemoveAt(worst);
        }
    }

    /// <summary>
    /// Each step moved to the least-squares best split between its neighbours: ED-PELT's cost is built
    /// for the distribution's shape, so it places a step in the mean a point or two off.
    /// </summary>
    private static List<int> Refine(double[] logs, List<int> points, int minSegment)
    {
        for (var i = 0; i < points.Count; i++)
        {
            var start = i == 0 ? 0 : points[i - 1];
            var end = i == points.Count - 1 ? logs.Length : points[i + 1];
            var best = points[i];
            var bestCost = double.MaxValue;
            for (var k = Math.Max(start + 1, start + minSegment - 1); k <= Math.Min(end - 1, end - minSegment + 1); k++)
            {
                var cost = Sse(logs[start..k]) + Sse(logs[k..end]);
                if (cost < bestCost)
                {
                    (best, bestCost) = (k, cost);
                }
            }
            points[i] = best;
        }
        return points;
    }

    /// <summary>The first-points-after whose two-level fit of [start, end) is within the threshold of the best one, as a contiguous range around it.</summary>
    private static (int From, int To) Location(double[] logs, int start, int end, int best, double threshold)
    {
        var segment = logs[start..end];
        var cost = new double[segment.Length + 1];
        for (var k = 1; k < segment.Length; k++)
        {
            cost[k] = Sse(segment[..k]) + Sse(segment[k..]);
        }
        var at = best - start;
        var variance = Math.Max(cost[at] / Math.Max(1, segment.Length - 2), 1e-12);
        var from = at;
        while (from > 1 && (cost[from - 1] - cost[at]) / variance <= threshold)
        {
            from--;
        }
        var to = at;
        while (to < segment.Length - 1 && (cost[to + 1] - cost[at]) / variance <= threshold)
        {
            to++;
        }
        return (from + start, to + start);
    }

    /// <summary>
    /// Two-sided p-value of Student's t-test with the pooled variance; 1 when a side has fewer than
    /// two points. Pooled, not Welch's: on the log scale one runner's nightly noise is multiplicative
    /// and alike either side of a step, and Welch's Satterthwaite degrees of freedom fall to about 2
    /// for 3 + 3 nights when one side is a little noisier, so a 5× slowdown over three nights would
    /// stay under p ≤ 0.001 (measured: p = 0.0018 for 0.215, 0.218, 0.176 → 1.078, 1.029, 1.060).
    /// </summary>
    public static double StepPValue(double[] a, double[] b)
    {
        var (t, df) = StudentT(a, b);
        if (double.IsNaN(t))
        {
            return 1;
        }
        if (double.IsInfinity(t))
        {
            return 0;
        }
        return 2 * (1 - new StudentDistribution(df).Cdf(Math.Abs(t)));
    }

    private static (double T, double Df) StudentT(double[] a, double[] b)
    {
        if (a.Length < 2 || b.Length < 2)
        {
            return (double.NaN, 1);
        }
        var (ma, mb) = (a.Average(), b.Average());
        var df = a.Length + b.Length - 2;
        var pooled = (a.Sum(v => (v - ma) * (v - ma)) + b.Sum(v => (v - mb) * (v - mb))) / df;
        var se = Math.Sqrt(pooled * (1.0 / a.Length + 1.0 / b.Length));
        if (se < 1e-12)
        {
            return (Math.Abs(mb - ma) < 1e-12 ? double.NaN : double.PositiveInfinity * Math.Sign(mb - ma), df);
        }
        return ((mb - ma) / se, df);
    }

    private static double Sse(double[] values)
    {
        var mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean));
    }

    public static double Median(double[] values) => Comparison.MetricComparison.Median(values);
}
