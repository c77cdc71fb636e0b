using Filare.Perf.Analysis;
using Filare.Perf.Comparison;
using Filare.Perf.Measurement;
using Filare.Perf.Results;
using Filare.Perf.Scenarios;

namespace Filare.Perf.Harness;

/// <summary>
/// The Measure target: warmups, then clean runs of every scenario; with a base side, interleaved
/// with the base's runs of the same scenario. Each scenario's result is saved before the next begins.
/// </summary>
internal sealed class MeasurePass(SessionOptions options, SessionConsole console, MetricsStore store, TreeRunner runner)
{
    public async Task RunAsync(Side head, Side? @base, CancellationToken cancellation)
    {
        var measurement = new ScenarioMeasurement(runner, (side, sample, count) =>
            console.Sample(side.Scenario.Name, @base is null ? null : side.Name, sample, count));
        // What CountInstructions saved before Measure: kept in each scenario's result, and the work it shows may end the pairs.
        foreach (var (scenario, counted) in head.WithResults(store.Current))
        {
            var runs = options.Settings.Runs ?? scenario.Scenario.Runs;
            var warmups = options.Settings.Warmups ?? scenario.Scenario.Warmups;
            if (scenario.SkipReason is not null)
            {
                console.Skipped(scenario.Name, scenario.SkipReason);
                store.Update(ScenarioResults.Of(scenario, ScenarioStatus.Skipped, scenario.SkipReason, [], [], runs, warmups));
                continue;
            }
            var result = await MeasureAsync(measurement, head, @base, scenario, runs, warmups, counted, cancellation).ConfigureAwait(false);
            result = result with
            {
                Instructions = counted?.Instructions,
                Base = result.Base is { } measuredBase ? measuredBase with { Instructions = counted?.Base?.Instructions } : null,
            };
            console.Broken(result);
            store.Update(result);
        }
    }

    private async Task<ScenarioResult> MeasureAsync(ScenarioMeasurement measurement, Side head, Side? @base, PreparedScenario scenario, int runs, int warmups,
        ScenarioResult? counted, CancellationToken cancellation)
    {
        SideResult? baseResult = null;
        PairStop? stop = null;
        try
        {
            var measuredHead = new MeasuredSide(head.Name, scenario, head.Folder(store.RunFolder, scenario.Name), head.Environment);
            var (baseScenario, unavailable) = @base?.Find(scenario) ?? (null, null);
            MeasuredScenario measured;
            if (baseScenario is null)
            {
                measured = await measurement.MeasureAsync(measuredHead, runs, warmups, cancellation).ConfigureAwait(false);
                baseResult = unavailable;
            }
            else
            {
                var plan = PairPlan.Balanced(runs, options.MaxRuns, options.TimeBudget, pairs => PairedStopping.Decided(Pairs(pairs), options.Comparison))
                    with { WorkDecided = WorkRule(counted) };
                if (plan.Minimum != runs)
                {
                    // Each side goes first in as many pairs as it goes second, or the median ratio leans one way.
                    runs = plan.Minimum;
                    console.EvenedPairs(scenario.Name, runs);
                }
                var measuredBase = new MeasuredSide(@base!.Name, baseScenario, @base.Folder(store.RunFolder, scenario.Name), @base.Environment);
                var both = await measurement.MeasureInterleavedAsync(measuredHead, measuredBase, plan, warmups, cancellation).ConfigureAwait(false);
                stop = both.Stop;
                console.PairsStopped(scenario.Name, stop);
                measured = both.Head;
                var (baseStatus, baseMessage) = both.Head.FirstFailure is not null && both.Base.FirstFailure is null
                    ? (ScenarioStatus.Skipped, "stopped: the head failed")
                    : Outcome(both.Base);
                baseResult = new SideResult(baseStatus, baseMessage, both.Base.Warmups, both.Base.Samples, ScenarioStatistics.Of(both.Base.Samples), []);
            }
            var (status, message) = Outcome(measured);
            return ScenarioResults.Of(scenario, status, message, measured.Warmups, measured.Samples, runs, warmups) with { Base = baseResult, Adaptive = stop };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One scenario's broken environment must not cost the others their results.
            return ScenarioResults.Of(scenario, ScenarioStatus.Error, e.Message, [], [], runs, warmups) with { Base = baseResult };
        }
    }

    /// <summary>
    /// The early stop on counted work (docs/performance/report.md "Stopping early on the work"): only when both sides were
    /// counted before Measure and their totals differ beyond --instructions-threshold; the verdict is the analysis' own.
    /// </summary>
    private Func<IReadOnlyList<(double Base, double Head)>, string?>? WorkRule(ScenarioResult? counted)
    {
        var work = InstructionVerdicts.Of(counted?.Base?.Instructions, counted?.Instructions, InstructionVerdicts.AgainstBase,
            options.Comparison.InstructionThreshold, null, false);
        if (work?.Total is not { Verdict: Verdict.Slower or Verdict.Faster } total)
        {
            return null;
        }
        return pairs => PairedStopping.WorkDecided(Pairs(pairs), options.Comparison, total.Verdict, total.Ratio);
    }

    private static List<RunPair> Pairs(IReadOnlyList<(double Base, double Head)> pairs) => [.. pairs.Select(p => new RunPair(p.Base, p.Head))];

    private static (ScenarioStatus Status, string? Message) Outcome(MeasuredScenario measured) => (
        measured.FirstFailure?.Status switch
        {
            null => ScenarioStatus.Ok,
            RunStatus.Timeout => ScenarioStatus.Timeout,
            RunStatus.Failed => ScenarioStatus.Failed,
            _ => ScenarioStatus.Error,
        },
        measured.FirstFailure is { } failure ? $"{failure.Kind.Name()} {failure.Index}: {failure.Message}" : null);
}

/// <summary>A scenario's entry in metrics.json, from its samples.</summary>
internal static class ScenarioResults
{
    public static ScenarioResult Of(PreparedScenario scenario, ScenarioStatus status, string? message, IReadOnlyList<RunSample> warmups,
        IReadOnlyList<RunSample> samples, int runs, int warmupCount) => new(
        scenario.Name,
        scenario.Scenario.Description,
        scenario.Scenario.Tags,
        scenario.Argv("{output}"),
        scenario.WorkingDirectory,
        status,
        message,
        runs,
        warmupCount,
        warmups,
        samples,
        ScenarioStatistics.Of(samples),
        []);
}
