using Filare.Perf.Measurement;
using Filare.Perf.Scenarios;

namespace Filare.Perf.Harness;

public sealed record MeasuredScenario(IReadOnlyList<RunSample> Warmups, IReadOnlyList<RunSample> Samples, RunSample? FirstFailure);

/// <summary>One side of a measurement: a prepared scenario, where its runs go, and its variables.</summary>
public sealed record MeasuredSide(string Name, PreparedScenario Scenario, string Folder, IReadOnlyDictionary<string, string> Environment);

public sealed record InterleavedScenario(MeasuredScenario Head, MeasuredScenario Base);

/// <summary>
/// Warmups, then clean runs with no profiler attached. The first failing run ends a side: repeating
/// a crash or a five-minute timeout tells nothing new.
/// </summary>
public sealed class ScenarioMeasurement(TreeRunner runner, Action<MeasuredSide, RunSample, int> progress)
{
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
    /// first or second favours neither. A failing head ends the scenario; a failing base ends only
    /// the base, and the head's runs go on alone.
    /// </summary>
    /// <remarks>Pass an even <paramref name="runs"/>: with an odd count one order has an extra pair, and the median ratio would lean its way.</remarks>
    public async Task<InterleavedScenario> MeasureInterleavedAsync(MeasuredSide head, MeasuredSide @base, int runs, int warmups, CancellationToken cancellation)
    {
        var sides = new[] { new Progress(@base), new Progress(head) };
        var order = 0;
        foreach (var (kind, count) in new[] { (SampleKind.Warmup, warmups), (SampleKind.Run, runs) })
        {
            for (var index = 1; index <= count; index++)
            {
                var schedule = index % 2 == 1 ? sides : [sides[1], sides[0]];
                foreach (var side in schedule)
                {
                    if (side.Failure is not null)
                    {
                        continue;
                    }
                    RunSample sample;
                    try
                    {
                        sample = await RunOnceAsync(side.Side, kind, index, ++order, count, cancellation).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // The other side keeps what it measured; this side ends with the reason.
                        sample = new RunSample(kind, index, RunStatus.Error, 0, null, null, null, null, null, 0, "", "", "", e.Message, order);
                    }
                    (kind == SampleKind.Warmup ? side.Warmups : side.Samples).Add(sample);
                    side.Failure = sample.Status == RunStatus.Ok ? null : sample;
                    if (sides[1].Failure is not null)
                    {
                        // A failing head ends the scenario at once: the base has nothing left to be compared with.
                        return new InterleavedScenario(sides[1].Result, sides[0].Result);
                    }
                }
            }
        }
        return new InterleavedScenario(sides[1].Result, sides[0].Result);
    }

    private async Task<RunSample> RunOnceAsync(MeasuredSide side, SampleKind kind, int index, int? order, int count, CancellationToken cancellation)
    {
        var runDirectory = Path.Combine(side.Folder, $"{kind.Name()}-{index}");
        var outputDirectory = Path.Combine(runDirectory, "output");
        var scenario = side.Scenario;
        var sample = await runner.RunAsync(scenario.Request(kind, index, scenario.Argv(outputDirectory), runDirectory, outputDirectory, side.Environment), cancellation).ConfigureAwait(false);
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
