using Perfolizer.Mathematics.SignificanceTesting.Base;
using Perfolizer.Mathematics.SignificanceTesting.MannWhitney;
using Perfolizer.Metrology;
using Pragmastat;

namespace Filare.Perf.Comparison;

/// <summary>For every metric here, more is worse: more time, more CPU, more memory.</summary>
public enum Verdict { Slower, Faster, Unchanged, Inconclusive }

/// <param name="Alpha">Largest p-value of the one-sided Mann–Whitney U test that counts as a change.</param>
/// <param name="MinimumEffect">Smallest relative change worth a verdict: noise on shared runners is a few percent.</param>
/// <param name="InstructionThreshold">Smallest relative change in instructions worth a verdict (--instructions-threshold).</param>
/// <param name="HeapThreshold">Smallest relative change of the heap peak worth a more/less verdict (--heap-threshold).</param>
public sealed record ComparisonSettings(double Alpha = 0.01, double MinimumEffect = 0.05, int BootstrapResamples = 2000, int Seed = 1125,
    double InstructionThreshold = 0.01,
    double HeapThreshold = 0.01);

/// <summary>
/// One metric of one scenario, current against baseline: the ratio of medians with a bootstrap
/// confidence interval, and a verdict only where the samples support it. <see cref="Paired"/>: from
/// interleaved same-runner pairs (<see cref="PairedComparison"/>), where the runs are pair counts.
/// <see cref="NoiseFloor"/>: the calibrated noise of the runner that raised the threshold, if any.
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
    string Why,
    bool Paired = false,
    double? NoiseFloor = null)
{
    public static MetricComparison Of(string metric, IReadOnlyList<double> baseline, IReadOnlyList<double> current, ComparisonSettings settings,
        double? noiseFloor = null)
    {
        var baseMedian = Median(baseline);
        var currentMedian = Median(current);
        var ratio = baseMedian > 0 ? currentMedian / baseMedian : double.NaN;
        if (baseline.Count < 2 || current.Count < 2 || !double.IsFinite(ratio))
        {
            return new MetricComparison(metric, baseline.Count, current.Count, baseMedian, currentMedian, ratio, double.NaN, double.NaN, null,
                Verdict.Inconclusive, "too few runs to test (2 per side at least)", NoiseFloor: noiseFloor);
        }
        var (low, high) = BootstrapRatio(baseline, current, settings);
        var greater = MannWhitney(current, baseline, AlternativeHypothesis.Greater);
        var less = MannWhitney(current, baseline, AlternativeHypothesis.Less);
        var (verdict, why, p) = Decide(ratio, low, high, greater, less, settings, noiseFloor);
        return new MetricComparison(metric, baseline.Count, current.Count, baseMedian, currentMedian, ratio, low, high, p, verdict, why,
            NoiseFloor: noiseFloor);
    }

    /// <summary>
    /// The same rules for stored baselines and same-runner pairs: significant and at least the
    /// minimum effect (raised to the runner's calibrated noise floor) is a change; an interval inside
    /// the threshold is no change; anything else needs more runs.
    /// </summary>
    public static (Verdict Verdict, string Why, double P) Decide(double ratio, double low, double high, double greater, double less,
        ComparisonSettings settings, double? noiseFloor)
    {
        var threshold = Math.Max(settings.MinimumEffect, noiseFloor is { } floor && double.IsFinite(floor) ? floor : 0);
        var limit = noiseFloor is { } f && f > settings.MinimumEffect ? $"{threshold * 100:0.#}% (the runner's noise floor)" : $"{threshold * 100:0.#}%";
        var p = Math.Min(greater, less);
        return greater < settings.Alpha && ratio >= 1 + threshold
            ? (Verdict.Slower, $"p = {greater:0.####} < {settings.Alpha} and +{(ratio - 1) * 100:0.#}% ≥ {limit}", greater)
            : less < settings.Alpha && ratio <= 1 - threshold
            ? (Verdict.Faster, $"p = {less:0.####} < {settings.Alpha} and {(ratio - 1) * 100:0.#}% ≤ -{limit}", less)
            : low >= 1 - threshold && high <= 1 + threshold ? (Verdict.Unchanged, p < settings.Alpha
                ? $"a real change (p = {p:0.####}) whose interval [{low:0.###}, {high:0.###}] lies within ±{limit}"
                : $"the interval [{low:0.###}, {high:0.###}] lies within ±{limit}", p)
            // Significant but smaller than the threshold, with an interval reaching past it: more runs would tell which.
            : p < settings.Alpha ? (Verdict.Inconclusive, $"a real change (p = {p:0.####}) of {(ratio - 1) * 100:+0.#;-0.#}%, " +
                $"below {limit}, but the interval [{low:0.###}, {high:0.###}] reaches past it: more runs would tell", p)
            : (Verdict.Inconclusive,
                $"no significant change (p = {p:0.####}) but the interval [{low:0.###}, {high:0.###}] is wider than ±{limit}: more runs would tell", p);
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
        return sorted.Length == 0 ? (double.NaN, double.NaN) : (Quantile.Of(sorted, 0.025), Quantile.Of(sorted, 0.975));
    }

    public static double Median(IReadOnlyList<double> values) =>
        values.Count == 0 ? double.NaN : Quantile.Of(values.Order().ToArray(), 0.5);
}
