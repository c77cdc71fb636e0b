using Filare.Perf.Scenarios;

namespace Filare.Perf.Measurement;

public sealed record MeasuredScenario(IReadOnlyList<RunSample> Warmups, IReadOnlyList<RunSample> Samples, RunSample? FirstFailure);

/// <summary>
/// Warmups, then clean runs with no profiler attached, one after another. The first failing run
/// ends the scenario: repeating a crash or a five-minute timeout tells nothing new.
/// </summary>
public sealed class ScenarioMeasurement(TreeRunner runner, IReadOnlyDictionary<string, string> environment, Action<PreparedScenario, RunSample, int> progress)
{
    public async Task<MeasuredScenario> MeasureAsync(PreparedScenario scenario, string scenarioFolder, int runs, int warmups, CancellationToken cancellation)
    {
        var warmupSamples = new List<RunSample>();
        var samples = new List<RunSample>();
        foreach (var (kind, count, into) in new[] { ("warmup", warmups, warmupSamples), ("run", runs, samples) })
        {
            for (var index = 1; index <= count; index++)
            {
                var sample = await RunOnceAsync(scenario, scenarioFolder, kind, index, cancellation).ConfigureAwait(false);
                into.Add(sample);
                progress(scenario, sample, count);
                if (sample.Status != RunStatus.Ok)
                {
                    return new MeasuredScenario(warmupSamples, samples, sample);
                }
            }
        }
        return new MeasuredScenario(warmupSamples, samples, null);
    }

    private Task<RunSample> RunOnceAsync(PreparedScenario scenario, string scenarioFolder, string kind, int index, CancellationToken cancellation)
    {
        var runDirectory = Path.Combine(scenarioFolder, $"{kind}-{index}");
        var outputDirectory = Path.Combine(runDirectory, "output");
        return runner.RunAsync(scenario.Request(kind, index, scenario.Argv(outputDirectory), runDirectory, outputDirectory, environment), cancellation);
    }
}
