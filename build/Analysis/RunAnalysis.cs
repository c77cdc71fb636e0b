using Filare.Perf.Comparison;
using Filare.Perf.Results;

namespace Filare.Perf.Analysis;

/// <summary>A stored run to compare with: its metrics, where it came from, and the folder of its captures when they are here.</summary>
/// <param name="Origin">Where it was found (a path, or "perf.yml run 41 on master"): untrusted text.</param>
public sealed record BaselineRun(RunMetrics Metrics, string Origin, string? Folder = null);

/// <summary>
/// What one analysis reads: the run, the settings its verdicts use, an optional baseline (or why there
/// is none), and the hotspot diffs read from the cProfile captures beforehand (reading them runs
/// Python; the analysis itself is pure).
/// </summary>
public sealed record AnalysisInput(
    RunMetrics Current,
    ComparisonSettings Settings,
    BaselineRun? Baseline = null,
    string? BaselineProblem = null,
    IReadOnlyList<HotspotDiff>? SideHotspots = null,
    IReadOnlyList<HotspotDiff>? BaselineHotspots = null,
    Trend.BranchTrend? BaseTrend = null,
    IReadOnlyList<ScenarioProfiles>? Profiles = null);

/// <summary>
/// Everything the analysis found about one scenario; each field is one analyser's finding
/// (<see cref="RunAnalyzer.Analysers"/>). A new per-scenario analysis adds one field here and one
/// <see cref="IScenarioAnalyser"/> (docs/architecture.md).
/// </summary>
/// <param name="Paired">Head against base from interleaved pairs, with the analysis's settings and calibration.</param>
/// <param name="NoiseFloor">The floor beside the same-runner verdict: measured by this run when it is A/A, else the calibration's.</param>
/// <param name="Baseline">This scenario against the stored baseline run, if there is one.</param>
/// <param name="SideHotspots">Where the time moved from the base side to the head (a compare run's own captures).</param>
/// <param name="BaselineHotspots">Where the time moved since the baseline run.</param>
/// <param name="Imports">Import time against wall time, and (A/B) which imports grew, are new or gone.</param>
/// <param name="SampleGrowth">(A/B with py-spy) the frames whose share of the samples grew most.</param>
/// <param name="Instructions">Instructions head against base (a compare run), else against the stored baseline's counts.</param>
/// <param name="Calls">cProfile's call counts of both comparisons, with their tolerance.</param>
/// <param name="Problem">What failed, on which side; the same message on both sides is merged.</param>
/// <param name="Verdict">The scenario's outcome for the headline, from the comparison that leads.</param>
/// <param name="BaseTrend">The base branch's recent nights of this scenario and the change points among them (docs/performance/history.md).</param>
public sealed record ScenarioAnalysis(
    string Name,
    PairedResult? Paired = null,
    NoiseFloor? NoiseFloor = null,
    ScenarioComparison? Baseline = null,
    HotspotDiff? SideHotspots = null,
    HotspotDiff? BaselineHotspots = null,
    ImportAnalysis? Imports = null,
    SampleGrowth? SampleGrowth = null,
    InstructionComparison? Instructions = null,
    ScenarioCalls? Calls = null,
    ScenarioProblem? Problem = null,
    ScenarioVerdict? Verdict = null,
    Trend.TrendContext? BaseTrend = null);

/// <summary>
/// One run analysed once: verdicts, noise floors, caveats and hotspot diffs. PerfRun makes one for
/// metrics.json, summary.md and the console; PerfReport one per run it reports, with its own
/// settings and baseline. Renderers (console, summary.md, job summary, PR comment) only read it.
/// </summary>
/// <param name="Calibration">The runner's noise floor, when this run or its baseline is an A/A run.</param>
/// <param name="Baseline">The comparison with the stored baseline run (its caveats too), if there is one.</param>
/// <param name="BaselineProblem">Why a requested baseline is missing.</param>
public sealed record RunAnalysis(
    RunMetrics Current,
    ComparisonSettings Settings,
    Calibration? Calibration,
    RunComparison? Baseline,
    string? BaselineProblem,
    IReadOnlyList<ScenarioAnalysis> Scenarios)
{
    public static RunAnalysis Of(AnalysisInput input) => RunAnalyzer.Analyse(input);

    public static RunAnalysis Of(RunMetrics current, ComparisonSettings settings) => Of(new AnalysisInput(current, settings));

    /// <summary>A same-runner comparison whose base was prepared: there are pairs to judge.</summary>
    public bool Compared => Current.Compare is { Status: CompareStatus.Ok };

    /// <summary>This run is itself an A/A calibration.</summary>
    public bool IsCalibration => Analysis.Calibration.IsCalibration(Current);

    /// <summary>The findings for a scenario (empty ones for a name the run does not have).</summary>
    public ScenarioAnalysis For(string scenario) => Scenarios.LastOrDefault(s => s.Name == scenario) ?? new ScenarioAnalysis(scenario);

    /// <summary>The headline's figures: every scenario's outcome, from the comparison that leads.</summary>
    public VerdictSummary Summary => new(VerdictSummary.SourceOf(Compared, Baseline is not null), IsCalibration,
        [.. Scenarios.Select(s => s.Verdict ?? new ScenarioVerdict(s.Name, ScenarioOutcome.NotCompared, [], s.Problem))]);

    public IReadOnlyList<ScenarioProblem> Problems => [.. Scenarios.Select(s => s.Problem).OfType<ScenarioProblem>()];

    public IReadOnlyList<HotspotDiff> SideHotspots => [.. Scenarios.Select(s => s.SideHotspots).OfType<HotspotDiff>()];

    /// <summary>The base branch's trend context of every scenario that has one.</summary>
    public IReadOnlyList<Trend.TrendContext> BaseTrends => [.. Scenarios.Select(s => s.BaseTrend).OfType<Trend.TrendContext>()];

    public IReadOnlyList<HotspotDiff> BaselineHotspots => [.. Scenarios.Select(s => s.BaselineHotspots).OfType<HotspotDiff>()];
}
