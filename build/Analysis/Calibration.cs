using Filare.Perf.Comparison;
using Filare.Perf.Results;

namespace Filare.Perf.Analysis;

/// <summary>
/// The runner's noise floor per scenario and the A/A run that measured it: this run when it is an
/// A/A itself, else the baseline run when that was one. Without either, verdicts are not calibrated
/// and only the minimum effect stands between noise and a verdict.
/// </summary>
/// <param name="RunLabel">The A/A run's label (untrusted text once it comes back in an artifact).</param>
/// <param name="ThisRun">The floor was measured by the run being reported, not by its baseline.</param>
/// <param name="CallSpreads">Per scenario, how far the A/A run's cProfile call counts of its two sides were apart (a fraction).</param>
public sealed record Calibration(string RunLabel, bool ThisRun, IReadOnlyDictionary<string, NoiseFloor> Floors,
    IReadOnlyDictionary<string, double>? CallSpreads = null)
{
    public NoiseFloor? For(string scenario) => Floors.GetValueOrDefault(scenario);

    public static Calibration? Of(RunMetrics current, RunMetrics? baseline, ComparisonSettings settings) =>
        IsCalibration(current) ? From(current, true, settings)
        : baseline is not null && IsCalibration(baseline) ? From(baseline, false, settings)
        : null;

    /// <summary>A run whose base side was prepared and is the same commit as the head.</summary>
    public static bool IsCalibration(RunMetrics metrics) => metrics.Compare is { Mode: CompareMode.AA, Status: CompareStatus.Ok };

    /// <summary>Recomputed from the pairs where there are any; the floor the run stored otherwise.</summary>
    private static Calibration From(RunMetrics aa, bool thisRun, ComparisonSettings settings)
    {
        var floors = new Dictionary<string, NoiseFloor>();
        foreach (var scenario in aa.Scenarios)
        {
            if ((PairedVerdicts.Of(scenario, settings, null, true)?.NoiseFloor ?? scenario.Paired?.NoiseFloor) is { } floor)
            {
                floors[scenario.Name] = floor;
            }
        }
        return new Calibration(aa.RunLabel, thisRun, floors, Analysis.CallCountTolerance.SpreadOf(aa));
    }
}
