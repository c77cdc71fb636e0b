using Filare.Perf.Comparison;
using Filare.Perf.Results;

namespace Filare.Perf.Analysis;

/// <summary>What every analyser may read besides its scenario: the input and the run-level findings made before them.</summary>
public sealed record AnalysisContext(AnalysisInput Input, Calibration? Calibration)
{
    public RunMetrics Current => Input.Current;

    public ComparisonSettings Settings => Input.Settings;

    public bool Compared => Current.Compare is { Status: CompareStatus.Ok };

    public bool IsCalibration => Analysis.Calibration.IsCalibration(Current);

    /// <summary>The baseline's run of a scenario, if there is a baseline and it has one.</summary>
    public ScenarioResult? BaselineOf(ScenarioResult scenario) => Input.Baseline?.Metrics.Matching(scenario);
}

/// <summary>
/// One per-scenario analysis: reads the scenario's results (and what earlier analysers found) and
/// returns the findings with its own field set. Pure: whatever needs files or processes is read
/// into <see cref="AnalysisInput"/> first.
/// </summary>
public interface IScenarioAnalyser
{
    ScenarioAnalysis Analyse(ScenarioResult scenario, ScenarioAnalysis found, AnalysisContext context);
}

/// <summary>Runs the analysers: the run-level calibration first, then each analyser over every scenario, in order.</summary>
public static class RunAnalyzer
{
    /// <summary>In order: a later analyser sees what the earlier ones found.</summary>
    public static readonly IReadOnlyList<IScenarioAnalyser> Analysers =
    [
        new PairedAnalyser(),
        new BaselineAnalyser(),
        new HotspotAnalyser(),
        new InstructionAnalyser(),
        new HeapAnalyser(),
        new CallCountAnalyser(),
        new ProblemAnalyser(),
        new VerdictAnalyser(),
        new FusedVerdictAnalyser(),
        new TrendContextAnalyser(),
        new ImportAnalyser(),
        new SampleGrowthAnalyser(),
    ];

    public static RunAnalysis Analyse(AnalysisInput input)
    {
        var current = input.Current;
        var context = new AnalysisContext(input, Calibration.Of(current, input.Baseline?.Metrics, input.Settings));
        var found = current.Scenarios.Select(s => new ScenarioAnalysis(s.Name)).ToArray();
        foreach (var analyser in Analysers)
        {
            for (var i = 0; i < found.Length; i++)
            {
                found[i] = analyser.Analyse(current.Scenarios[i], found[i], context);
            }
        }
        var baseline = input.Baseline is { } b
            ? new RunComparison(b.Metrics.RunLabel, b.Origin, b.Metrics.Environment.FilareCommit, [.. found.Select(f => f.Baseline!)],
                RunComparison.CaveatsOf(b.Metrics, current))
            : null;
        return new RunAnalysis(current, input.Settings, context.Calibration, baseline, input.BaselineProblem, found);
    }
}

/// <summary>Head against base from the interleaved pairs of a compare run; an A/A run measures its noise floor.</summary>
public sealed class PairedAnalyser : IScenarioAnalyser
{
    public ScenarioAnalysis Analyse(ScenarioResult scenario, ScenarioAnalysis found, AnalysisContext context)
    {
        var calibrated = context.Calibration?.For(scenario.Name);
        if (!context.Compared)
        {
            return found with { NoiseFloor = calibrated };
        }
        var isCalibration = context.IsCalibration;
        var paired = PairedVerdicts.Of(scenario, context.Settings, isCalibration ? null : calibrated, isCalibration);
        return found with { Paired = paired, NoiseFloor = isCalibration ? paired?.NoiseFloor : calibrated };
    }
}

/// <summary>The scenario against the stored baseline run: unpaired verdicts, against the calibrated floor.</summary>
public sealed class BaselineAnalyser : IScenarioAnalyser
{
    public ScenarioAnalysis Analyse(ScenarioResult scenario, ScenarioAnalysis found, AnalysisContext context) =>
        context.Input.Baseline is null ? found
            : found with { Baseline = ScenarioComparison.Of(context.BaselineOf(scenario), scenario, context.Settings,
                context.Calibration?.For(scenario.Name)) };
}

/// <summary>
/// The base branch's trend beside the scenario: when the base had a change point or a drift in its
/// recent nights, a PR measured on it is measured on a base that moved.
/// </summary>
public sealed class TrendContextAnalyser : IScenarioAnalyser
{
    public ScenarioAnalysis Analyse(ScenarioResult scenario, ScenarioAnalysis found, AnalysisContext context) =>
        context.Input.BaseTrend is { } trend ? found with { BaseTrend = trend.For(scenario.Name) } : found;
}
