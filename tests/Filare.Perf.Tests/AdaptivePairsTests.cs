using Filare.Perf.Comparison;
using Filare.Perf.Harness;
using Filare.Perf.Measurement;
using Filare.Perf.Results;
using Filare.Perf.Scenarios;

namespace Filare.Perf.Tests;

/// <summary>
/// The adaptive stopping rule over seeded synthetic samples: the interleaved loop is the real one,
/// only the runs are drawn from a seeded distribution instead of started.
/// </summary>
public sealed class AdaptivePairsTests
{
    private static readonly ComparisonSettings Settings = new();

    private static MeasuredSide Side(string name)
    {
        var scenario = new Scenario("synthetic", "", [], [new LiteralPart("true")], ".", new Dictionary<string, string>(), TimeSpan.FromSeconds(10), 6, 0, [],
            "synthetic.yml", 1);
        var prepared = new PreparedScenario(scenario, ["true"], "/", "/", "python3", new Dictionary<string, string>(), null);
        return new MeasuredSide(name, prepared, Path.Combine(Path.GetTempPath(), "filare-perf-synthetic", name), new Dictionary<string, string>());
    }

    /// <summary>Log-normal wall times around 1 s (base) and 1 s × <paramref name="headRatio"/> (head), seeded.</summary>
    private static Func<RunRequest, CancellationToken, Task<RunSample>> Synthetic(double headRatio, double noise, int seed, TimeSpan? delay = null,
        int? failBaseAt = null)
    {
        var random = new Random(seed);
        return async (request, cancellation) =>
        {
            if (delay is { } wait)
            {
                await Task.Delay(wait, cancellation);
            }
            var isHead = request.RunDirectory.Contains($"{Path.DirectorySeparatorChar}head{Path.DirectorySeparatorChar}", StringComparison.Ordinal);
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            var wall = (isHead ? headRatio : 1) * Math.Exp(noise * normal);
            var failed = !isHead && request.Kind == SampleKind.Run && request.Index == failBaseAt;
            return new RunSample(request.Kind, request.Index, failed ? RunStatus.Failed : RunStatus.Ok, wall, wall * 0.9, 0.01, 1 << 20, failed ? 1 : 0, null,
                0, "", "", "", failed ? "exit code 1" : null);
        };
    }

    private static async Task<InterleavedScenario> MeasureAsync(Func<RunRequest, CancellationToken, Task<RunSample>> run, PairPlan plan) =>
        await new ScenarioMeasurement(run, (_, _, _) => { })
            .MeasureInterleavedAsync(Side("head"), Side("base"), plan, 1, TestContext.Current.CancellationToken);

    private static PairPlan Plan(int minimum = 6, int maximum = 30, TimeSpan? budget = null) =>
        PairPlan.Balanced(minimum, maximum, budget, pairs => PairedStopping.Decided([.. pairs.Select(p => new RunPair(p.Base, p.Head))], Settings));

    /// <summary>Each side went first in as many pairs as it went second.</summary>
    private static void AssertBalanced(InterleavedScenario measured)
    {
        var heads = measured.Head.Samples.ToDictionary(s => s.Index);
        var baseFirst = measured.Base.Samples.Count(b => heads.TryGetValue(b.Index, out var h) && b.Order < h.Order);
        var headFirst = measured.Base.Samples.Count(b => heads.TryGetValue(b.Index, out var h) && h.Order < b.Order);
        Assert.Equal(baseFirst, headFirst);
        Assert.Equal(measured.Head.Samples.Count, measured.Stop.Pairs);
        Assert.Equal(0, measured.Stop.Pairs % 2);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task A_clear_slowdown_stops_early_as_decided(int seed)
    {
        var measured = await MeasureAsync(Synthetic(1.15, 0.02, seed), Plan());

        Assert.Equal(StopReason.Decided, measured.Stop.Reason);
        Assert.InRange(measured.Stop.Pairs, 6, 10);
        Assert.Contains("lies above +5%", measured.Stop.Why, StringComparison.Ordinal);
        AssertBalanced(measured);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Quiet_equal_sides_stop_early_as_unchanged(int seed)
    {
        var measured = await MeasureAsync(Synthetic(1.0, 0.01, seed), Plan());

        Assert.Equal(StopReason.Decided, measured.Stop.Reason);
        Assert.Contains("within ±5%", measured.Stop.Why, StringComparison.Ordinal);
        AssertBalanced(measured);
    }

    /// <summary>The plan PerfRun makes when the counts taken before Measure show this work verdict and ratio.</summary>
    private static PairPlan WithWork(PairPlan plan, Verdict work, double ratio) =>
        plan with { WorkDecided = pairs => PairedStopping.WorkDecided([.. pairs.Select(p => new RunPair(p.Base, p.Head))], Settings, work, ratio) };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task More_work_in_instructions_stops_noisy_pairs_at_the_minimum_as_work_decided(int seed)
    {
        // The same 4% under 25% noise that runs to the cap without counts (below).
        var measured = await MeasureAsync(Synthetic(1.04, 0.25, seed), WithWork(Plan(maximum: 31), Verdict.Slower, 1.05));

        Assert.Equal(StopReason.WorkDecided, measured.Stop.Reason);
        Assert.Equal(6, measured.Stop.Pairs);
        Assert.Contains("more work (+5.0% instructions)", measured.Stop.Why, StringComparison.Ordinal);
        AssertBalanced(measured);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Unchanged_work_never_stops_the_pairs_early(int seed)
    {
        var measured = await MeasureAsync(Synthetic(1.04, 0.25, seed), WithWork(Plan(maximum: 31), Verdict.Unchanged, 1.0001));

        Assert.Equal(StopReason.MaxRuns, measured.Stop.Reason);
        Assert.Equal(30, measured.Stop.Pairs);
    }

    [Fact]
    public void Work_does_not_stop_the_pairs_when_wall_time_excludes_its_direction()
    {
        // Every head run 3% faster, quietly: the interval lies below 1, so more work does not decide; less work does.
        var pairs = Enumerable.Range(0, 8).Select(i => new RunPair(1 + i * 0.001, (1 + i * 0.001) * 0.97)).ToList();

        Assert.Null(PairedStopping.WorkDecided(pairs, Settings, Verdict.Slower, 1.05));
        Assert.NotNull(PairedStopping.WorkDecided(pairs, Settings, Verdict.Faster, 0.95));
        Assert.Null(PairedStopping.WorkDecided([.. pairs.Take(3)], Settings, Verdict.Faster, 0.95));
        Assert.Null(PairedStopping.WorkDecided(pairs, Settings, Verdict.Inconclusive, 1.05));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Noise_keeps_adding_pairs_up_to_the_cap(int seed)
    {
        // A 4% change under 25% noise per run: no interval of 30 pairs lies clear of the 5% boundaries.
        var measured = await MeasureAsync(Synthetic(1.04, 0.25, seed), Plan(maximum: 31));

        Assert.Equal(StopReason.MaxRuns, measured.Stop.Reason);
        Assert.Equal(30, measured.Stop.Pairs);
        Assert.Equal(30, measured.Stop.MaximumPairs);
        AssertBalanced(measured);
    }

    [Fact]
    public async Task The_time_budget_stops_adding_pairs_before_the_cap()
    {
        var measured = await MeasureAsync(Synthetic(1.04, 0.25, 7, delay: TimeSpan.FromMilliseconds(25)), Plan(budget: TimeSpan.FromSeconds(0.6)));

        Assert.Equal(StopReason.TimeBudget, measured.Stop.Reason);
        Assert.InRange(measured.Stop.Pairs, 6, 28);
        AssertBalanced(measured);
    }

    [Fact]
    public async Task A_failing_base_stops_the_pairs_and_the_minimum_is_always_run()
    {
        var failing = await MeasureAsync(Synthetic(1.04, 0.25, 1, failBaseAt: 8), Plan());
        var decided = await MeasureAsync(Synthetic(1.5, 0.001, 1), Plan(minimum: 5));

        Assert.Equal(StopReason.Failure, failing.Stop.Reason);
        Assert.Equal(8, failing.Base.Samples.Count);
        Assert.NotNull(failing.Base.FirstFailure);
        // Decided after 4 pairs, but the scenario's minimum (5, made even) is run first.
        Assert.Equal((StopReason.Decided, 6), (decided.Stop.Reason, decided.Stop.Pairs));
    }

    [Fact]
    public void Plans_are_even_at_both_ends_and_never_below_the_minimum()
    {
        Assert.Equal((6, 30), (PairPlan.Balanced(5, 31, null, _ => null).Minimum, PairPlan.Balanced(5, 31, null, _ => null).Maximum));
        Assert.Equal((40, 40), (PairPlan.Balanced(40, 30, null, _ => null).Minimum, PairPlan.Balanced(40, 30, null, _ => null).Maximum));
    }

    [Fact]
    public void The_rule_decides_only_when_the_whole_interval_is_on_one_side_of_a_boundary()
    {
        RunPair[] Pairs(params double[] ratios) => [.. ratios.Select(r => new RunPair(1, r))];

        Assert.Contains("above", PairedStopping.Decided(Pairs(1.2, 1.21, 1.19, 1.2, 1.22, 1.18), Settings), StringComparison.Ordinal);
        Assert.Contains("below", PairedStopping.Decided(Pairs(0.8, 0.81, 0.79, 0.8, 0.82, 0.78), Settings), StringComparison.Ordinal);
        Assert.Contains("within", PairedStopping.Decided(Pairs(1.0, 1.01, 0.99, 1.0, 1.005, 0.995), Settings), StringComparison.Ordinal);
        Assert.Null(PairedStopping.Decided(Pairs(1.0, 1.1, 0.95, 1.05, 1.08, 1.02), Settings));
        Assert.Null(PairedStopping.Decided(Pairs(1.2, 1.2, 1.2), Settings));
        // Above +5% but too spread for the paired test (p ≥ 0.01): no verdict yet, so no stop.
        Assert.Null(PairedStopping.Decided(Pairs(1.06, 1.9, 1.1, 1.07, 1.6, 1.08), Settings));
    }
}
