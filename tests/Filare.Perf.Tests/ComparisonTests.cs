using Filare.Perf.Comparison;

namespace Filare.Perf.Tests;

/// <summary>Verdicts on synthetic samples with fixed seeds: the false-alarm and detection rates the report promises.</summary>
public sealed class ComparisonTests
{
    private static readonly ComparisonSettings s_settings = new();

    /// <summary>Run times: a median of one second with log-normal noise, as on a quiet shared runner.</summary>
    private static double[] Runs(Random random, int count, double median, double noise) =>
        Enumerable.Range(0, count).Select(_ =>
        {
            // Box–Muller: the standard library has no normal sampler.
            var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            return median * Math.Exp(noise * gaussian);
        }).ToArray();

    [Fact]
    public void Identical_distributions_never_read_as_slower_in_20_trials()
    {
        var verdicts = Enumerable.Range(0, 20).Select(trial =>
        {
            var random = new Random(1000 + trial);
            return MetricComparison.Of("wall time", Runs(random, 5, 1.0, 0.03), Runs(random, 5, 1.0, 0.03), s_settings).Verdict;
        }).ToList();

        Assert.DoesNotContain(Verdict.Slower, verdicts);
        Assert.DoesNotContain(Verdict.Faster, verdicts);
    }

    [Fact]
    public void A_10_percent_slowdown_with_5_runs_a_side_is_detected_in_at_least_19_of_20_trials()
    {
        var detected = Enumerable.Range(0, 20).Count(trial =>
        {
            var random = new Random(2000 + trial);
            return MetricComparison.Of("wall time", Runs(random, 5, 1.0, 0.02), Runs(random, 5, 1.10, 0.02), s_settings).Verdict == Verdict.Slower;
        });

        Assert.True(detected >= 19, $"detected {detected} of 20");
    }

    [Fact]
    public void A_10_percent_speedup_reads_as_faster()
    {
        var random = new Random(7);

        var comparison = MetricComparison.Of("wall time", Runs(random, 5, 1.0, 0.02), Runs(random, 5, 0.9, 0.02), s_settings);

        Assert.Equal(Verdict.Faster, comparison.Verdict);
        Assert.InRange(comparison.Ratio, 0.85, 0.95);
        Assert.True(comparison.RatioLow <= comparison.Ratio && comparison.Ratio <= comparison.RatioHigh);
    }

    [Fact]
    public void A_significant_change_below_the_minimum_effect_is_unchanged_not_slower()
    {
        // 2% slower with almost no noise: real, and below the 5% that matters.
        double[] baseline = [1.000, 1.001, 1.002, 1.001, 1.000];
        double[] current = [1.020, 1.021, 1.022, 1.021, 1.020];

        var comparison = MetricComparison.Of("wall time", baseline, current, s_settings);

        Assert.Equal(Verdict.Unchanged, comparison.Verdict);
        Assert.Contains("smaller than 5%", comparison.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Wide_noise_without_significance_is_inconclusive_and_says_more_runs_would_tell()
    {
        double[] baseline = [1.0, 1.4, 0.8, 1.2, 0.9];
        double[] current = [1.3, 0.9, 1.1, 1.5, 1.0];

        var comparison = MetricComparison.Of("wall time", baseline, current, s_settings);

        Assert.Equal(Verdict.Inconclusive, comparison.Verdict);
        Assert.Contains("more runs would tell", comparison.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void One_run_a_side_is_too_few_for_any_verdict()
    {
        var comparison = MetricComparison.Of("wall time", [1.0], [2.0], s_settings);

        Assert.Equal(Verdict.Inconclusive, comparison.Verdict);
        Assert.Equal(2.0, comparison.Ratio);
        Assert.Null(comparison.PValue);
    }

    [Fact]
    public void The_bootstrap_interval_is_reproducible_for_the_same_samples()
    {
        double[] baseline = [1.0, 1.1, 0.95, 1.05, 1.02];
        double[] current = [1.2, 1.15, 1.25, 1.18, 1.22];

        var first = MetricComparison.Of("wall time", baseline, current, s_settings);
        var second = MetricComparison.Of("wall time", baseline, current, s_settings);

        Assert.Equal(first.RatioLow, second.RatioLow);
        Assert.Equal(first.RatioHigh, second.RatioHigh);
        Assert.True(first.RatioLow > 1, "all resamples of a clear slowdown stay above 1");
    }
}
