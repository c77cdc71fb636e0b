using Filare.Perf.Analysis;
using Filare.Perf.Comparison;
using Filare.Perf.Results;

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
        Assert.Contains("lies within ±5%", comparison.Why, StringComparison.Ordinal);
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

    /// <summary>Base and head run back to back: the pair shares the runner's state of the
    /// moment (<paramref name="drift"/>), each run adds its own noise.</summary>
    private static List<RunPair> Pairs(Random random, int count, double shift, double noise, Func<int, double>? drift = null)
    {
        var @base = Runs(random, count, 1.0, noise);
        var head = Runs(random, count, shift, noise);
        return Enumerable.Range(0, count).Select(i => new RunPair(@base[i] * (drift?.Invoke(i) ?? 1), head[i] * (drift?.Invoke(i) ?? 1))).ToList();
    }

    [Fact]
    public void Paired_a_10_percent_slowdown_with_5_pairs_under_2_percent_noise_is_detected_in_at_least_19_of_20_trials()
    {
        var detected = Enumerable.Range(0, 20).Count(trial =>
            PairedComparison.Of("wall time", Pairs(new Random(3000 + trial), 5, 1.10, 0.02), s_settings).Verdict == Verdict.Slower);

        Assert.True(detected >= 19, $"detected {detected} of 20");
    }

    [Fact]
    public void Paired_identical_distributions_never_read_as_slower_in_20_trials()
    {
        var verdicts = Enumerable.Range(0, 20).Select(trial => PairedComparison.Of("wall time", Pairs(new Random(4000 + trial), 5, 1.0, 0.02), s_settings))
            .ToList();

        Assert.DoesNotContain(verdicts, v => v.Verdict == Verdict.Slower);
        Assert.All(verdicts, v => Assert.True(v.Paired));
    }

    [Fact]
    public void Drift_that_hits_both_halves_of_each_pair_cancels_where_unpaired_samples_cannot_tell()
    {
        // The runner slows by 30% over the run; base and head of a pair see the same moment of it.
        static double Trend(int i) => 1 + 0.3 * i / 4.0;
        var pairs = Pairs(new Random(5), 5, 1.0, 0.01, Trend);

        var paired = PairedComparison.Of("wall time", pairs, s_settings);
        var unpaired = MetricComparison.Of("wall time", pairs.Select(p => p.Base).ToList(), pairs.Select(p => p.Head).ToList(), s_settings);

        Assert.Equal(Verdict.Unchanged, paired.Verdict);
        Assert.InRange(paired.RatioHigh - paired.RatioLow, 0, 0.1);
        // Unpaired, the same numbers spread over 30%: no interval narrow enough to say anything.
        Assert.Equal(Verdict.Inconclusive, unpaired.Verdict);

        // Run one side after the other instead of interleaving, and the drift becomes a false "slower".
        var sequential = Runs(new Random(6), 10, 1.0, 0.01).Select((t, i) => t * (1 + 0.3 * i / 9.0)).ToArray();
        Assert.Equal(Verdict.Slower, MetricComparison.Of("wall time", sequential[..5], sequential[5..], s_settings).Verdict);
    }

    [Fact]
    public void Pairs_with_no_spread_at_all_are_unchanged_not_inconclusive()
    {
        var rss = Enumerable.Repeat(new RunPair(100 << 20, 100 << 20), 5).ToList();

        var comparison = PairedComparison.Of("peak RSS", rss, s_settings);

        Assert.Equal(Verdict.Unchanged, comparison.Verdict);
        Assert.Equal(1.0, comparison.Ratio);
        Assert.Equal((1.0, 1.0), (comparison.RatioLow, comparison.RatioHigh));
    }

    private static ScenarioResult AaScenario(Random random, int pairs, double noise)
    {
        RunSample Run(int index, double wall, long rss) =>
            new(SampleKind.Run, index, RunStatus.Ok, wall, wall * 0.9, wall * 0.05, rss, 0, null, 0, "o", "e", "d", null);
        var walls = Pairs(random, pairs, 1.0, noise);
        var head = walls.Select((p, i) => Run(i + 1, p.Head, 100L << 20)).ToList();
        var @base = walls.Select((p, i) => Run(i + 1, p.Base, 100L << 20)).ToList();
        return new ScenarioResult("demo01", "d", [], ["filare"], "/src", ScenarioStatus.Ok, null, pairs, 0, [], head, ScenarioStatistics.Of(head), [],
            new SideResult(ScenarioStatus.Ok, null, [], @base, ScenarioStatistics.Of(@base), []));
    }

    [Fact]
    public void An_aa_run_measures_a_noise_floor_that_covers_its_own_estimate_and_interval()
    {
        var scenario = AaScenario(new Random(8), 10, 0.02);

        var result = PairedVerdicts.Of(scenario, s_settings, null, isCalibration: true)!;

        var floor = Assert.IsType<NoiseFloor>(result.NoiseFloor);
        Assert.Equal(10, floor.Pairs);
        // Two runs of 2% noise each: their ratio varies by about 3%; the floor is the farthest of estimate and interval from 1.
        Assert.InRange(floor.WallSeconds, 0.003, 0.06);
        Assert.Equal(Math.Round(new[] { result.WallSeconds.Ratio, result.WallSeconds.RatioLow, result.WallSeconds.RatioHigh }.Max(r => Math.Abs(r - 1)), 4),
            floor.WallSeconds);
        Assert.Equal(0, floor.PeakRssBytes);
        Assert.Null(PairedVerdicts.Of(scenario, s_settings, null, isCalibration: false)!.NoiseFloor);
    }

    [Fact]
    public void A_calibrated_floor_above_the_minimum_effect_raises_the_bar_for_paired_and_stored_baseline_verdicts()
    {
        var pairs = Pairs(new Random(9), 5, 1.08, 0.005);
        var floor = new NoiseFloor(5, 0.10, 0.10, 0.10);

        Assert.Equal(Verdict.Slower, PairedComparison.Of("wall time", pairs, s_settings).Verdict);
        var calibrated = PairedComparison.Of("wall time", pairs, s_settings, floor.WallSeconds);
        Assert.Equal(Verdict.Unchanged, calibrated.Verdict);
        Assert.Equal(0.10, calibrated.NoiseFloor);
        Assert.Contains("(the runner's noise floor)", calibrated.Why, StringComparison.Ordinal);

        static RunMetrics Run(string label, double[] walls)
        {
            var samples = walls.Select((w, i) =>
                new RunSample(SampleKind.Run, i + 1, RunStatus.Ok, w, w * 0.9, w * 0.05, 100L << 20, 0, null, 0, "o", "e", "d", null)).ToList();
            var scenario = new ScenarioResult("demo01", "d", [], ["filare"], "/src", ScenarioStatus.Ok, null, walls.Length, 0, [], samples,
                ScenarioStatistics.Of(samples), []);
            return new RunMetrics(RunMetrics.SchemaName, RunMetrics.CurrentVersion, label, RunState.Complete, DateTimeOffset.UnixEpoch, null,
                new RunEnvironment("CPU", 4, null, "Linux", "6", "x64", "3.12.3", "CPython", "python3", "/src", null, null, null, null, "10", null),
                new PerformanceSettings("outputs/perf", label, null, null, null, new PySpySettings(false, 100, SpyOutput.Svg, false, false, false),
                    new ScaleneSettings(false, 0.01, true, true, "filare"), new MemraySettings(false, false, MemrayFormat.Flamegraph, false, 50),
                    new CProfileSettings(false, CProfileSort.Tottime, CProfileFormat.Pstats)),
                [scenario]);
        }
        var baseline = Run("base", [1.00, 1.01, 0.99, 1.00, 1.01]);
        var current = Run("head", [1.08, 1.09, 1.07, 1.08, 1.09]);

        Assert.Equal(Verdict.Slower,
            RunAnalysis.Of(new AnalysisInput(current, s_settings, new BaselineRun(baseline, "b"))).Baseline!.Scenarios[0].WallSeconds!.Verdict);
        var stored = ScenarioComparison.Of(baseline.Scenarios[0], current.Scenarios[0], s_settings, floor);
        Assert.Equal(Verdict.Unchanged, stored.WallSeconds!.Verdict);
        Assert.Equal(floor, stored.NoiseFloor);
    }

    [Fact]
    public void A_significant_change_below_a_calibrated_floor_whose_interval_reaches_past_it_is_inconclusive_not_unchanged()
    {
        // +20%, clearly real (p = 0.001), against a 25% floor; the interval [+10%, +30%] reaches past it.
        var (verdict, why, _) = MetricComparison.Decide(1.20, 1.10, 1.30, 0.001, 0.999, s_settings, 0.25);

        Assert.Equal(Verdict.Inconclusive, verdict);
        Assert.Contains("reaches past it", why, StringComparison.Ordinal);
        Assert.Equal(Verdict.Unchanged, MetricComparison.Decide(1.02, 1.01, 1.03, 0.001, 0.999, s_settings, 0.25).Verdict);
    }

    [Fact]
    public void Three_pairs_are_too_few_for_a_verdict_however_clear_the_shift()
    {
        var pairs = new[] { new RunPair(1.0, 1.3), new RunPair(1.0, 1.31), new RunPair(1.0, 1.29) };

        var three = PairedComparison.Of("wall time", pairs, s_settings);
        var four = PairedComparison.Of("wall time", [.. pairs, new RunPair(1.0, 1.3)], s_settings);

        Assert.Equal(Verdict.Inconclusive, three.Verdict);
        Assert.Contains("too few to judge", three.Why, StringComparison.Ordinal);
        Assert.Equal(1.3, three.Ratio, 2);
        Assert.Equal(Verdict.Slower, four.Verdict);
    }

    [Fact]
    public void One_pair_hit_by_a_burst_does_not_hide_a_real_ten_percent_slowdown()
    {
        var random = new Random(6);
        var pairs = Enumerable.Range(0, 9).Select(_ => new RunPair(1.0, 1.10 * (1 + (random.NextDouble() - 0.5) * 0.02))).ToList();
        // The base run of one pair lands in a neighbour's burst: that pair says "head 40% faster".
        pairs.Insert(4, new RunPair(1.0, 0.6));

        var comparison = PairedComparison.Of("wall time", pairs, s_settings);

        Assert.Equal(Verdict.Slower, comparison.Verdict);
        Assert.InRange(comparison.Ratio, 1.08, 1.12);
        // The same pairs through a plain paired t-test: the burst's variance hides the change.
        var logs = pairs.Select(p => Math.Log(p.Head / p.Base)).ToArray();
        var mean = logs.Average();
        var sd = Math.Sqrt(logs.Sum(l => (l - mean) * (l - mean)) / (logs.Length - 1));
        var plain = 1 - new Perfolizer.Mathematics.Distributions.ContinuousDistributions.StudentDistribution(logs.Length - 1)
            .Cdf(mean / (sd / Math.Sqrt(logs.Length)));
        Assert.True(plain > s_settings.Alpha, $"plain t-test p = {plain}");
    }
}
