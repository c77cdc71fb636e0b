using Perfolizer.Mathematics.SignificanceTesting.Base;
using Perfolizer.Mathematics.SignificanceTesting.MannWhitney;
using Perfolizer.Metrology;
using Pragmastat;

namespace Filare.Perf.Comparison;

/// <summary>For every metric here, more is worse: more time, more CPU, more memory.</summary>
public enum Verdict { Slower, Faster, Unchanged, Inconclusive }

/// <param name="Alpha">Largest p-value of the one-sided Mann–Whitney U test that counts as a change.</param>
/// <param name="MinimumEffect">Smallest relative change worth a verdict: noise on shared runners is a few percent.</param>
public sealed record ComparisonSettings(double Alpha = 0.01, double MinimumEffect = 0.05, int BootstrapResamples = 2000, int Seed = 1125);

/// <summary>
/// One metric of one scenario, current against baseline: the ratio of medians with a bootstrap
/// confidence interval, and a verdict only where the samples support it.
/// </summary>
public sealed record MetricComparison(
    string Metric,
    int BaselineRuns,
    int CurrentRuns,
    double BaselineMedian,
    double CurrentMedian,
    double Ratio,
    double RatioLow,
    double RatioHigh,
    double? PValue,
    Verdict Verdict,
    string Why)
{
    public static MetricComparison Of(string metric, IReadOnlyList<double> baseline, IReadOnlyList<double> current, ComparisonSettings settings)
    {
        var baseMedian = Median(baseline);
        var currentMedian = Median(current);
        var ratio = baseMedian > 0 ? currentMedian / baseMedian : double.NaN;
        if (baseline.Count < 2 || current.Count < 2 || !double.IsFinite(ratio))
        {
            return new MetricComparison(metric, baseline.Count, current.Count, baseMedian, currentMedian, ratio, double.NaN, double.NaN, null,
                Verdict.Inconclusive, "too few runs to test (2 per side at least)");
        }
        var (low, high) = BootstrapRatio(baseline, current, settings);
        var greater = MannWhitney(current, baseline, AlternativeHypothesis.Greater);
        var less = MannWhitney(current, baseline, AlternativeHypothesis.Less);
        var threshold = settings.MinimumEffect;
        (Verdict, string, double) decision =
            greater < settings.Alpha && ratio >= 1 + threshold ? (Verdict.Slower, $"p = {greater:0.####} < {settings.Alpha} and +{(ratio - 1) * 100:0.#}% ≥ {threshold * 100:0.#}%", greater)
            : less < settings.Alpha && ratio <= 1 - threshold ? (Verdict.Faster, $"p = {less:0.####} < {settings.Alpha} and {(ratio - 1) * 100:0.#}% ≤ -{threshold * 100:0.#}%", less)
            : Math.Min(greater, less) < settings.Alpha ? (Verdict.Unchanged, $"a real change (p = {Math.Min(greater, less):0.####}) smaller than {threshold * 100:0.#}%", Math.Min(greater, less))
            : low >= 1 - threshold && high <= 1 + threshold ? (Verdict.Unchanged, $"the interval [{low:0.###}, {high:0.###}] lies within ±{threshold * 100:0.#}%", Math.Min(greater, less))
            : (Verdict.Inconclusive, $"no significant change (p = {Math.Min(greater, less):0.####}) but the interval [{low:0.###}, {high:0.###}] is wider than ±{threshold * 100:0.#}%: more runs would tell", Math.Min(greater, less));
        return new MetricComparison(metric, baseline.Count, current.Count, baseMedian, currentMedian, ratio, low, high, decision.Item3, decision.Item1, decision.Item2);
    }

    private static double MannWhitney(IReadOnlyList<double> x, IReadOnlyList<double> y, AlternativeHypothesis hypothesis) =>
        MannWhitneyTest.Instance.Perform(new Sample(x.ToArray()), new Sample(y.ToArray()), hypothesis, Threshold.Zero).PValue.Value;

    /// <summary>Percentile bootstrap of the ratio of medians; seeded, so a report is reproducible.</summary>
    private static (double Low, double High) BootstrapRatio(IReadOnlyList<double> baseline, IReadOnlyList<double> current, ComparisonSettings settings)
    {
        var random = new Random(settings.Seed);
        var ratios = new double[settings.BootstrapResamples];
        var b = new double[baseline.Count];
        var c = new double[current.Count];
        for (var i = 0; i < ratios.Length; i++)
        {
            for (var j = 0; j < b.Length; j++)
            {
                b[j] = baseline[random.Next(baseline.Count)];
            }
            for (var j = 0; j < c.Length; j++)
            {
                c[j] = current[random.Next(current.Count)];
            }
            var denominator = Median(b);
            ratios[i] = denominator > 0 ? Median(c) / denominator : double.NaN;
        }
        var sorted = ratios.Where(double.IsFinite).Order().ToArray();
        return sorted.Length == 0 ? (double.NaN, double.NaN) : (Results.Summary.Quantile(sorted, 0.025), Results.Summary.Quantile(sorted, 0.975));
    }

    public static double Median(IReadOnlyList<double> values) =>
        values.Count == 0 ? double.NaN : Results.Summary.Quantile(values.Order().ToArray(), 0.5);
}
