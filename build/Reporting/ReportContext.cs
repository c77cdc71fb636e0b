using Filare.Perf.Analysis;
using Filare.Perf.Comparison;
using Filare.Perf.Results;

namespace Filare.Perf.Reporting;

/// <summary>
/// What the sections render: the run's analysis looked up by scenario, and where its files are.
/// Nothing here computes a verdict or a figure: <see cref="RunAnalysis"/> did, once.
/// </summary>
public sealed record ReportContext(RunAnalysis Analysis, ReportLinks Links, string? Trigger)
{
    public RunMetrics Metrics => Analysis.Current;

    public ComparisonSettings Settings => Analysis.Settings;

    public Calibration? Calibration => Analysis.Calibration;

    public RunComparison? Baseline => Analysis.Baseline;

    public string? BaselineProblem => Analysis.BaselineProblem;

    /// <summary>A same-runner A/B (or A/A) whose base was prepared.</summary>
    public bool Compared => Analysis.Compared;

    public bool IsCalibration => Analysis.IsCalibration;

    public VerdictSummary Summary => Analysis.Summary;

    public IReadOnlyList<ScenarioProblem> Problems => Analysis.Problems;

    public IReadOnlyList<HotspotDiff> Hotspots => Analysis.BaselineHotspots;

    public IReadOnlyList<HotspotDiff> SideHotspots => Analysis.SideHotspots;

    public PairedResult? Paired(string scenario) => Analysis.For(scenario).Paired;

    /// <summary>The floor beside the same-runner verdict: this A/A run's own, else the calibration's.</summary>
    public NoiseFloor? Floor(string scenario) => Analysis.For(scenario).NoiseFloor;

    public ScenarioCalls? Calls(string scenario) => Analysis.For(scenario).Calls;

    public static ReportContext Of(ReportInput input) => new(input.Analysis, input.Links ?? ReportLinks.None, input.Trigger);
}
