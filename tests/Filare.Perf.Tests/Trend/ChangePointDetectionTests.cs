using Filare.Perf.History;
using Filare.Perf.Tests.Support;
using Filare.Perf.Trend;
using Filare.Perf.TrendReport;
using Filare.Perf.Comparison;

namespace Filare.Perf.Tests.Trend;

/// <summary>
/// Detection on seeded synthetic nights, printed as counts (the table in docs/performance/history.md):
/// the noise is lognormal with the given σ on every night's median, not on the runs behind it.
/// </summary>
public sealed class ChangePointDetectionTests(ITestOutputHelper output)
{
    private const int Series = 20;

    [Theory]
    [InlineData(ChangePointMethod.EdPelt)]
    [InlineData(ChangePointMethod.TTest)]
    public void A_5_percent_step_in_1_5_percent_noise_is_found_at_the_right_commit_and_no_step_gives_none(ChangePointMethod method)
    {
        var settings = new TrendSettings(Method: method);
        int found = 0, exact = 0, falseSteps = 0, width = 0, clean = 0;
        for (var seed = 1; seed <= Series; seed++)
        {
            var at = 10 + seed % 11;
            var trend = Analyze(SyntheticSeries.Step(seed, 30, at, 0.05, 0.015), settings);
            // The right commit: the range (last night before, first night after] holds the first night with the step.
            var hit = trend.ChangePoints.FirstOrDefault(c => c.Before < at && at <= c.After && c.Primary.Ratio > 1);
            found += hit is null ? 0 : 1;
            exact += hit is { } h && h.Before == at - 1 && h.After == at ? 1 : 0;
            width += hit is null ? 0 : hit.After - hit.Before;
            falseSteps += trend.ChangePoints.Count(c => c != hit);
            var flat = Analyze(SyntheticSeries.Step(seed + 1000, 30, 0, 0, 0.015), settings);
            clean += flat.ChangePoints.Count == 0 && flat.Drifts.Count == 0 ? 1 : 0;
        }
        output.WriteLine($"| {method} | 5% step, 1.5% noise, 30 nights | found at the right commit {found}/{Series} (one-night " +
            $"range {exact}, mean range {width / (double)Math.Max(1, found):0.0} nights) | other change points {falseSteps} |");
        output.WriteLine($"| {method} | no step, 1.5% noise, 30 nights | no change point or drift {clean}/{Series} | |");
        Assert.True(found >= 19, $"{method}: found {found}/{Series}");
        Assert.True(clean >= 19, $"{method}: no change point in {clean}/{Series}");
    }

    [Theory]
    [InlineData(ChangePointMethod.EdPelt)]
    [InlineData(ChangePointMethod.TTest)]
    public void A_1_percent_per_night_drift_over_20_nights_is_reported_as_a_drift(ChangePointMethod method)
    {
        var settings = new TrendSettings(Method: method);
        var drifts = 0;
        var reported = 0;
        for (var seed = 1; seed <= Series; seed++)
        {
            var trend = Analyze(SyntheticSeries.Drift(seed, 20, 0.01, 0.015), settings);
            drifts += trend.Drifts.Any(d => d.Metric == TrendMetric.WallSeconds && d.PerPoint is > 0.005 and < 0.015) ? 1 : 0;
            reported += trend.Drifts.Count > 0 || trend.ChangePoints.Count > 0 ? 1 : 0;
        }
        output.WriteLine($"| {method} | 1%/night drift, 1.5% noise, 20 nights | reported " +
            $"as a drift {drifts}/{Series}, reported at all {reported}/{Series} | |");
        Assert.True(drifts >= 19, $"{method}: drift in {drifts}/{Series}");
    }

    [Fact]
    public void A_large_step_in_a_young_history_with_unequal_noise_is_found()
    {
        // Six real nights of the stand-in on a loaded machine (PerfTrendEndToEndTests failed on them):
        // the first three noisier than the last three. Welch's degrees of freedom (about 2) left this
        // 5× step at p = 0.0018, over the 0.001 bar, and trend.md said "No change point".
        double[] nights = [0.2147, 0.2178, 0.1762, 1.0783, 1.029, 1.0595];
        var records = nights.Select((v, i) => HistoryData.Record("master", "demo01", i, v)).ToList();

        var change = Assert.Single(TrendAnalyzer.Analyze(records, new TrendSettings()).Series.Single().ChangePoints);

        Assert.Equal((2, 3), (change.Before, change.After));
        Assert.InRange(change.Primary.Ratio, 4.5, 5.5);
        // And noise alone, however unequal, is still no step.
        double[] flat = [0.2147, 0.2178, 0.1762, 0.2051, 0.2032, 0.2046];
        Assert.Empty(TrendAnalyzer.Analyze(flat.Select((v, i) => HistoryData.Record("master", "demo01", i, v)).ToList(), new TrendSettings()).Series.Single()
            .ChangePoints);
    }

    [Fact]
    public void A_step_on_a_runner_change_is_labelled_runner_changed_and_a_later_step_on_the_new_runner_is_found()
    {
        var values = SyntheticSeries.Step(7, 45, 15, 0.10, 0.01);
        for (var i = 30; i < 45; i++)
        {
            values[i] *= 1.06;
        }
        var records = values.Select((v, i) => HistoryData.Record("master", "demo01", i, v, cpu: i < 15 ? "AMD EPYC 7763" : "Intel Xeon 8370C")).ToList();

        var trend = TrendAnalyzer.Analyze(records, new TrendSettings()).Series.Single();
        var markdown = TrendMarkdown.Render(new TrendResult([trend], [], new TrendSettings()));

        var runner = Assert.Single(trend.RunnerChanges);
        Assert.Equal(15, runner.Index);
        Assert.True(runner.Stepped);
        Assert.InRange(runner.Ratio!.Value, 1.07, 1.13);
        var change = Assert.Single(trend.ChangePoints);
        Assert.True(change.Before < 30 && 30 <= change.After, $"{change.Before}..{change.After}");
        Assert.Contains("Intel Xeon 8370C", change.Environment, StringComparison.Ordinal);
        Assert.Contains("**Runner changed** at 2026-01-16: AMD EPYC 7763 · CPython 3.12.3 → Intel Xeon 8370C · CPython 3.12.3; wall ×1.1", markdown,
            StringComparison.Ordinal);
        Assert.Contains("(runner changed: not a change in Filare)", markdown, StringComparison.Ordinal);
        output.WriteLine($"| EdPelt | 10% step on a runner change, then a 6% step | runner change labelled at night " +
            $"{runner.Index}, {trend.ChangePoints.Count} change point (nights {change.Before}→{change.After}) | |");
    }

    [Fact]
    public void A_python_change_is_a_runner_change_too()
    {
        var values = SyntheticSeries.Step(3, 30, 15, 0.08, 0.01);
        var records = values.Select((v, i) => HistoryData.Record("beta", "bom", i, v, python: i < 15 ? "3.12.3" : "3.13.0")).ToList();

        var trend = TrendAnalyzer.Analyze(records, new TrendSettings()).Series.Single();

        Assert.Empty(trend.ChangePoints);
        Assert.True(Assert.Single(trend.RunnerChanges).Stepped);
    }

    [Fact]
    public void Metrics_that_moved_at_the_same_commit_are_one_change_point()
    {
        var walls = SyntheticSeries.Step(11, 30, 12, 0.06, 0.01);
        var rss = SyntheticSeries.Step(12, 30, 12, 0.15, 0.005).Select(v => v * (100 << 20)).ToArray();
        var records = walls.Select((w, i) => HistoryData.Record("master", "demo01", i, w, rss: rss[i])).ToList();

        var change = Assert.Single(TrendAnalyzer.Analyze(records, new TrendSettings()).Series.Single().ChangePoints);

        Assert.Equal(TrendMetric.WallSeconds, change.Metric);
        Assert.Equal([TrendMetric.WallSeconds, TrendMetric.PeakRssBytes], change.Moves.Select(m => m.Metric));
        var memory = change.Moves.Single(m => m.Metric == TrendMetric.PeakRssBytes);
        Assert.InRange(memory.Ratio, 1.12, 1.18);
        Assert.True(memory.Low > 1 && memory.Low <= memory.Ratio && memory.Ratio <= memory.High);
    }

    [Fact]
    public void A_step_below_the_smallest_magnitude_is_not_reported_and_the_noise_floor_raises_it()
    {
        var values = SyntheticSeries.Step(5, 30, 15, 0.015, 0.002);
        var quiet = values.Select((v, i) => HistoryData.Record("master", "demo01", i, v)).ToList();
        var floorValues = SyntheticSeries.Step(6, 30, 15, 0.03, 0.002);
        var noisyRunner = floorValues.Select((v, i) => HistoryData.Record("master", "demo01", i, v, noise: 0.04)).ToList();

        Assert.Empty(Analyze(quiet, new TrendSettings()).ChangePoints);
        Assert.Single(Analyze(quiet, new TrendSettings(MinMagnitude: 0.01)).ChangePoints);
        var floored = Analyze(noisyRunner, new TrendSettings());
        Assert.Equal(0.04, floored.MinMagnitude);
        Assert.Empty(floored.ChangePoints);
        Assert.Single(Analyze(floorValues.Select((v, i) => HistoryData.Record("master", "demo01", i, v)).ToList(), new TrendSettings()).ChangePoints);
    }

    private static SeriesTrend Analyze(double[] walls, TrendSettings settings) =>
        Analyze(walls.Select((w, i) => HistoryData.Record("master", "demo01", i, w)).ToList(), settings);

    private static SeriesTrend Analyze(IReadOnlyList<HistoryRecord> records, TrendSettings settings) =>
        TrendAnalyzer.Analyze(records, settings).Series.Single();
}
