using Filare.Perf.Results;

namespace Filare.Perf.Analysis;

/// <summary>
/// The heap of the head against the base of a compare run; without a base, against the stored
/// baseline's heap run. An A/A run measures the heap noise floor; an A/A baseline's floor raises the
/// threshold. Memray's peak and allocation count ride along when it ran on both sides.
/// </summary>
public sealed class HeapAnalyser : IScenarioAnalyser
{
    public ScenarioAnalysis Analyse(ScenarioResult scenario, ScenarioAnalysis found, AnalysisContext context)
    {
        var threshold = context.Settings.HeapThreshold;
        var stored = context.BaselineOf(scenario);
        var floor = context.Input.Baseline is { } baseline && Calibration.IsCalibration(baseline.Metrics) && stored is not null
            ? FloorOf(stored, threshold)
            : null;
        if (context.Compared)
        {
            return found with
            {
                Heap = HeapVerdicts.Of(scenario.Base?.Heap, scenario.Heap, HeapVerdicts.AgainstBase, threshold, floor, context.IsCalibration,
                    scenario.Base?.Profilers, scenario.Profilers),
            };
        }
        if (stored?.Heap is not { } before || scenario.Heap is not { } after)
        {
            return found;
        }
        return found with { Heap = HeapVerdicts.Of(before, after, HeapVerdicts.AgainstBaseline, threshold, floor, false, stored.Profilers,
            scenario.Profilers) };
    }

    /// <summary>An A/A run's floor, from its heap runs (or what it stored when they are gone).</summary>
    private static double? FloorOf(ScenarioResult aa, double threshold) =>
        HeapVerdicts.Of(aa.Base?.Heap, aa.Heap, HeapVerdicts.AgainstBase, threshold, null, true)?.NoiseFloor ?? aa.HeapChange?.NoiseFloor;
}
