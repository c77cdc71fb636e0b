using Filare.Perf.Results;

namespace Filare.Perf.Analysis;

/// <summary>
/// Instructions of the head against the base of a compare run; without a base, against the stored
/// baseline's counts, with caveats for what changes counts besides Filare. An A/A run measures the
/// instruction noise floor; an A/A baseline's floor raises the threshold.
/// </summary>
public sealed class InstructionAnalyser : IScenarioAnalyser
{
    public ScenarioAnalysis Analyse(ScenarioResult scenario, ScenarioAnalysis found, AnalysisContext context)
    {
        var threshold = context.Settings.InstructionThreshold;
        var stored = context.BaselineOf(scenario);
        var floor = context.Input.Baseline is { } baseline && Calibration.IsCalibration(baseline.Metrics) && stored is not null
            ? FloorOf(stored, threshold)
            : null;
        if (context.Compared)
        {
            return found with
            {
                Instructions = InstructionVerdicts.Of(scenario.Base?.Instructions, scenario.Instructions, InstructionVerdicts.AgainstBase, threshold, floor,
                    context.IsCalibration),
            };
        }
        if (stored?.Instructions is not { } before || scenario.Instructions is not { } after)
        {
            return found;
        }
        var was = context.Input.Baseline!.Metrics.Environment;
        var now = context.Current.Environment;
        var caveats = InstructionVerdicts.Caveats(before, new CountedOn(was.PythonVersion, was.Architecture), after,
            new CountedOn(now.PythonVersion, now.Architecture));
        return found with { Instructions = InstructionVerdicts.Of(before, after, InstructionVerdicts.AgainstBaseline, threshold, floor, false, caveats) };
    }

    /// <summary>An A/A run's floor, from its counts (or what it stored when they are gone).</summary>
    private static double? FloorOf(ScenarioResult aa, double threshold) =>
        InstructionVerdicts.Of(aa.Base?.Instructions, aa.Instructions, InstructionVerdicts.AgainstBase, threshold, null, true)?.NoiseFloor
            ?? aa.InstructionChange?.NoiseFloor;
}
