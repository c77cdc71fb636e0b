using Perfolizer.Mathematics.Distributions.ContinuousDistributions;

namespace Filare.Perf.Comparison;

/// <summary>A drift across a runner's nights, as indexes into its own values.</summary>
public sealed record DriftFit(int First, int Last, double PerPoint, double Total, double PValue);

/// <summary>
/// A slow climb: Mann–Kendall's trend test at p ≤ alpha, a Theil–Sen slope whose total over the
/// window is at least the minimum magnitude, and a straight line that explains the nights better
/// than the steps found in them (BIC on the log values). Without the last test every step would
/// also be a "drift".
/// </summary>
public static class DriftDetector
{
    public static DriftFit? Find(IReadOnlyList<double> values, IReadOnlyList<Split> splits, DetectorSettings settings)
    {
        var logs = values.Select(v => Math.Log(v)).ToArray();
        var n = logs.Length;
        if (n < 8)
        {
            return null;
        }
        var p = MannKendall(logs);
        var slope = TheilSen(logs);
        var total = Math.Exp(slope * (n - 1)) - 1;
        if (p > settings.Alpha || Math.Abs(total) < settings.MinMagnitude)
        {
            return null;
        }
        var intercept = ChangePointDetector.Median(logs.Select((v, i) => v - slope * i).ToArray());
        var line = logs.Select((v, i) => (v - intercept - slope * i) * (v - intercept - slope * i)).Sum();
        var steps = StepCost(logs, splits);
        var bicLine = Bic(line, n, 2);
        var bicSteps = Bic(steps, n, 2 * splits.Count + 1);
        return bicLine < bicSteps ? new DriftFit(0, n - 1, Math.Exp(slope) - 1, total, p) : null;
    }

    private static double StepCost(double[] logs, IReadOnlyList<Split> splits)
    {
        var bounds = new[] { 0 }.Concat(splits.Select(s => s.Index)).Append(logs.Length).ToArray();
        var cost = 0.0;
        for (var i = 0; i + 1 < bounds.Length; i++)
        {
            var segment = logs[bounds[i]..bounds[i + 1]];
            var mean = segment.Average();
            cost += segment.Sum(v => (v - mean) * (v - mean));
        }
        return cost;
    }

    private static double Bic(double sse, int n, int parameters) => n * Math.Log(Math.Max(sse, 1e-300) / n) + parameters * Math.Log(n);

    /// <summary>Two-sided p-value of Mann–Kendall's S, normal approximation with continuity correction (no ties in real timings).</summary>
    public static double MannKendall(double[] values)
    {
        var n = values.Length;
        var s = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                s += Math.Sign(values[j] - values[i]);
            }
        }
        var variance = n * (n - 1) * (2.0 * n + 5) / 18;
        var z = s == 0 ? 0 : (s - Math.Sign(s)) / Math.Sqrt(variance);
        return 2 * (1 - NormalDistribution.Standard.Cdf(Math.Abs(z)));
    }

    /// <summary>The median of all pairwise slopes: one odd night cannot tilt it.</summary>
    public static double TheilSen(double[] values)
    {
        var slopes = new List<double>();
        for (var i = 0; i < values.Length; i++)
        {
            for (var j = i + 1; j < values.Length; j++)
            {
                slopes.Add((values[j] - values[i]) / (j - i));
            }
        }
        return ChangePointDetector.Median([.. slopes]);
    }
}
