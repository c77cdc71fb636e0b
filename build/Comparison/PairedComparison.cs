using Perfolizer.Mathematics.Distributions.ContinuousDistributions;

namespace Filare.Perf.Comparison;

/// <summary>A base run and the head run that followed or preceded it on the same runner.</summary>
public readonly record struct RunPair(double Base, double Head);

/// <summary>
/// Head against base from interleaved pairs. Each pair ran back to back, so what drifts on a shared
/// runner (a noisy neighbour, thermal state, the disk cache) hits both halves alike and cancels in
/// the pair's ratio. The estimate is the median of the per-pair ratios, with a bootstrap interval
/// over pairs; the test is a one-sided paired trimmed t-test on the log ratios, which reaches a
/// verdict with five pairs where a rank test on five pairs cannot go below p = 1/32.
/// </summary>
public static class PairedComparison
{
    /// <summary>Below this, a bootstrap over pairs is little more than the data's range: no verdict, no noise floor.</summary>
    public const int MinimumPairs = 4;

    public static MetricComparison Of(string metric, IReadOnlyList<RunPair> pairs, ComparisonSettings settings, double? noiseFloor = null)
    {
        var usable = pairs.Where(p => p.Base > 0 && p.Head > 0 && double.IsFinite(p.Base) && double.IsFinite(p.Head)).ToList();
        var baseMedian = MetricComparison.Median(usable.Select(p => p.Base).ToList());
        var headMedian = MetricComparison.Median(usable.Select(p => p.Head).ToList());
        var logs = usable.Select(p => Math.Log(p.Head / p.Base)).ToArray();
        if (logs.Length < 2)
        {
            return new MetricComparison(metric, usable.Count, usable.Count, baseMedian, headMedian, logs.Length == 1 ? Math.Exp(logs[0]) : double.NaN,
                double.NaN, double.NaN, null, Verdict.Inconclusive, "too few pairs to test (2 at least)", Paired: true, NoiseFloor: noiseFloor);
        }
        var ratio = Math.Exp(MetricComparison.Median(logs));
        var (low, high) = Bootstrap(logs, settings);
        var (greater, less) = TTest(logs);
        var (verdict, why, p) = logs.Length < MinimumPairs
            ? (Verdict.Inconclusive, $"{logs.Length} pairs are too few to judge ({MinimumPairs} at least)", Math.Min(greater, less))
            : MetricComparison.Decide(ratio, low, high, greater, less, settings, noiseFloor);
        return new MetricComparison(metric, usable.Count, usable.Count, baseMedian, headMedian, ratio, low, high, p, verdict, why, Paired: true,
            NoiseFloor: noiseFloor);
    }

    /// <summary>
    /// Share of pairs trimmed from each end: one pair in ten hit by a noise spike does not decide.
    /// More would cost too many degrees of freedom with the few pairs a PR run has.
    /// </summary>
    public const double Trim = 0.1;

    /// <summary>
    /// One-sided p-values that the head is larger / smaller: the Tukey–McLaughlin trimmed-mean t-test
    /// (10% each side, winsorized variance, n − 2g − 1 degrees of freedom). A paired t-test would let
    /// one pair hit by a neighbour's burst inflate the variance and hide a real change; trimming keeps
    /// the t-test's power with few pairs. Below ten pairs nothing is trimmed: it is the plain paired t-test.
    /// Equal log ratios have no spread: exact.
    /// </summary>
    private static (double Greater, double Less) TTest(double[] logs)
    {
        var sorted = logs.Order().ToArray();
        var n = sorted.Length;
        var g = (int)Math.Floor(Trim * n);
        var trimmed = sorted[g..(n - g)];
        var mean = trimmed.Average();
        var winsorized = sorted.Select(v => Math.Clamp(v, sorted[g], sorted[n - g - 1])).ToArray();
        var winsorizedMean = winsorized.Average();
        var variance = winsorized.Sum(v => (v - winsorizedMean) * (v - winsorizedMean)) / (n - 1);
        var standardError = Math.Sqrt(variance) / ((1 - 2.0 * g / n) * Math.Sqrt(n));
        if (standardError <= 1e-12 * Math.Max(1, Math.Abs(mean)))
        {
            return mean > 1e-12 ? (0, 1) : mean < -1e-12 ? (1, 0) : (1, 1);
        }
        var t = mean / standardError;
        var student = new StudentDistribution(n - 2 * g - 1);
        return (1 - student.Cdf(t), student.Cdf(t));
    }

    /// <summary>Percentile bootstrap over pairs of the median log ratio; seeded, so a report is reproducible.</summary>
    private static (double Low, double High) Bootstrap(double[] logs, ComparisonSettings settings)
    {
        var random = new Random(settings.Seed);
        var medians = new double[settings.BootstrapResamples];
        var resample = new double[logs.Length];
        for (var i = 0; i < medians.Length; i++)
        {
            for (var j = 0; j < resample.Length; j++)
            {
                resample[j] = logs[random.Next(logs.Length)];
            }
            medians[i] = MetricComparison.Median(resample);
        }
        Array.Sort(medians);
        return (Math.Exp(Quantile.Of(medians, 0.025)), Math.Exp(Quantile.Of(medians, 0.975)));
    }
}
