using Filare.Perf.Measurement;
using Filare.Perf.Results;
using Filare.Perf.Scenarios;

namespace Filare.Perf.Harness;

public sealed record MeasuredScenario(IReadOnlyList<RunSample> Warmups, IReadOnlyList<RunSample> Samples, RunSample? FirstFailure);

/// <summary>One side of a measurement: a prepared scenario, where its runs go, and its variables.</summary>
public sealed record MeasuredSide(string Name, PreparedScenario Scenario, string Folder, IReadOnlyDictionary<string, string> Environment);

public sealed record InterleavedScenario(MeasuredScenario Head, MeasuredScenario Base, PairStop Stop);

/// <summary>
/// Warmups, then clean runs with no profiler attached. The first failing run ends a side: repeating
/// a crash or a five-minute timeout tells nothing new.
/// </summary>
/// <param name="run">Runs one request: <see cref="TreeRunner.RunAsync"/>, or seeded synthetic samples in the stopping rule's tests.</param>
public sealed class ScenarioMeasurement(Func<RunRequest, CancellationToken, Task<RunSample>> run, Action<MeasuredSide, RunSample, int> progress)
{
    public ScenarioMeasurement(TreeRunner runner, Action<MeasuredSide, RunSample, int> progress)
        : this(runner.RunAsync, progress)
    {
    }

    public async Task<MeasuredScenario> MeasureAsync(MeasuredSide side, int runs, int warmups, CancellationToken cancellation)
    {
        var warmupSamples = new List<RunSample>();
        var samples = new List<RunSample>();
        foreach (var (kind, count, into) in new[] { (SampleKind.Warmup, warmups, warmupSamples), (SampleKind.Run, runs, samples) })
        {
            for (var index = 1; index <= count; index++)
            {
                var sample = await RunOnceAsync(side, kind, index, null, count, cancellation).ConfigureAwait(false);
                into.Add(sample);
                if (sample.Status != RunStatus.Ok)
                {
                    return new MeasuredScenario(warmupSamples, samples, sample);
                }
            }
        }
        return new MeasuredScenario(warmupSamples, samples, null);
    }

    /// <summary>
    /// Both sides on this runner, alternating run by run: warmups of both first, then pairs whose
    /// order flips every pair (base, head · head, base · …). What drifts during a scenario (a
    /// neighbour's load, CPU clocks, the page cache) then lands on both sides alike, and going
    /// first or second favours neither. After the plan's minimum, pairs are added two at a time
    /// (so each side has gone first equally often at every stop) until the plan's rule decides,
    /// the maximum is reached or the next two pairs would overrun the time budget. A failing head
    /// ends the scenario; a failing base ends only the base, and the head's runs go on alone.
    /// </summary>
    public async Task<InterleavedScenario> MeasureInterleavedAsync(MeasuredSide head, MeasuredSide @base, PairPlan plan, int warmups,
        CancellationToken cancellation)
    {
        var sides = new[] { new Progress(@base), new Progress(head) };
        var order = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var maximum = plan.Maximum;
        PairStop Stop(StopReason reason, string why) => new(plan.Minimum, maximum, plan.TimeBudget?.TotalSeconds, sides[1].Samples.Count, reason, why);
        foreach (var (kind, count) in new[] { (SampleKind.Warmup, warmups), (SampleKind.Run, plan.Minimum) })
        {
            for (var index = 1; index <= count; index++)
            {
                if (await RunPairAsync(sides, kind, index, () => ++order, count, cancellation).ConfigureAwait(false) is { } failed)
                {
                    return new InterleavedScenario(sides[1].Result, sides[0].Result, Stop(StopReason.Failure, failed));
                }
            }
        }
        for (var index = plan.Minimum + 1; ; index += 2)
        {
            if (sides.Any(s => s.Failure is not null))
            {
                return new InterleavedScenario(sides[1].Result, sides[0].Result, Stop(StopReason.Failure, "the base failed: no more pairs to compare"));
            }
            var pairs = sides[0].Samples.Zip(sides[1].Samples, (b, h) => (b.WallSeconds, h.WallSeconds)).ToList();
            if (plan.Decided(pairs) is { } decided)
            {
                return new InterleavedScenario(sides[1].Result, sides[0].Result, Stop(StopReason.Decided, decided));
            }
            if (plan.WorkDecided?.Invoke(pairs) is { } work)
            {
                return new InterleavedScenario(sides[1].Result, sides[0].Result, Stop(StopReason.WorkDecided, work));
            }
            if (index + 1 > maximum)
            {
                return new InterleavedScenario(sides[1].Result, sides[0].Result,
                    Stop(StopReason.MaxRuns, $"{maximum} runs per side (--max-runs) and the interval is still wider than the decision needs"));
            }
            var perPair = clock.Elapsed / Math.Max(1, warmups + index - 1);
            if (plan.TimeBudget is { } budget && clock.Elapsed + 2 * perPair > budget)
            {
                return new InterleavedScenario(sides[1].Result, sides[0].Result,
                    Stop(StopReason.TimeBudget, $"two more pairs would pass the {budget.TotalSeconds:0} s time budget (--time-budget)"));
            }
            for (var next = index; next <= index + 1; next++)
            {
                if (await RunPairAsync(sides, SampleKind.Run, next, () => ++order, maximum, cancellation).ConfigureAwait(false) is { } failed)
                {
                    return new InterleavedScenario(sides[1].Result, sides[0].Result, Stop(StopReason.Failure, failed));
                }
            }
        }
    }

    /// <summary>Pair <paramref name="index"/>, base first when it is odd; the head's failure, if it failed (it ends the scenario).</summary>
    private async Task<string?> RunPairAsync(Progress[] sides, SampleKind kind, int index, Func<int> order, int count, CancellationToken cancellation)
    {
        var schedule = index % 2 == 1 ? sides : [sides[1], sides[0]];
        foreach (var side in schedule)
        {
            if (side.Failure is not null)
            {
                continue;
            }
            RunSample sample;
            var place = order();
            try
            {
                sample = await RunOnceAsync(side.Side, kind, index, place, count, cancellation).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The other side keeps what it measured; this side ends with the reason.
                sample = new RunSample(kind, index, RunStatus.Error, 0, null, null, null, null, null, 0, "", "", "", e.Message, place);
            }
            (kind == SampleKind.Warmup ? side.Warmups : side.Samples).Add(sample);
            side.Failure = sample.Status == RunStatus.Ok ? null : sample;
            if (sides[1].Failure is not null)
            {
                // A failing head ends the scenario at once: the base has nothing left to be compared with.
                return $"the head failed ({kind} {index})";
            }
        }
        return null;
    }

    private async Task<RunSample> RunOnceAsync(MeasuredSide side, SampleKind kind, int index, int? order, int count, CancellationToken cancellation)
    {
        var runDirectory = Path.Combine(side.Folder, $"{kind.Name()}-{index}");
        var outputDirectory = Path.Combine(runDirectory, "output");
        var scenario = side.Scenario;
        var sample = await run(scenario.Request(kind, index, scenario.Argv(outputDirectory), runDirectory, outputDirectory, side.Environment), cancellation)
            .ConfigureAwait(false);
        sample = sample with { Order = order };
        progress(side, sample, count);
        return sample;
    }

    private sealed class Progress(MeasuredSide side)
    {
        public MeasuredSide Side { get; } = side;

        public List<RunSample> Warmups { get; } = [];

        public List<RunSample> Samples { get; } = [];

        public RunSample? Failure { get; set; }

        public MeasuredScenario Result => new(Warmups, Samples, Failure);
    }
}
