using Filare.Perf.Analysis;
using Filare.Perf.Comparison;
using Filare.Perf.Results;

namespace Filare.Perf.Reporting;

/// <summary>Per scenario, cProfile's call counts base → head and baseline → now, each with its tolerance.</summary>
public sealed record ScenarioCalls(CallCountComparison? Paired, CallCountComparison? Baseline, long? Head);

/// <summary>
/// What the sections render: the run, its analysed verdicts and figures, and where its files are.
/// Built once per report; no section computes a verdict or a figure of its own.
/// </summary>
public sealed record ReportContext(
    RunMetrics Metrics,
    ComparisonSettings Settings,
    Calibration? Calibration,
    IReadOnlyDictionary<string, PairedResult> Paired,
    RunComparison? Baseline,
    string? BaselineProblem,
    ReportLinks Links,
    IReadOnlyList<HotspotDiff> Hotspots,
    IReadOnlyList<HotspotDiff> SideHotspots,
    string? Trigger,
    IReadOnlyDictionary<string, ScenarioCalls> Calls,
    IReadOnlyList<ScenarioProblem> Problems,
    VerdictSummary Summary)
{
    /// <summary>A same-runner A/B (or A/A) whose base was prepared.</summary>
    public bool Compared => Metrics.Compare is { Status: CompareRun.Ok };

    public bool IsCalibration => Summary.IsCalibration;

    public static ReportContext Of(ReportInput input)
    {
        var metrics = input.Current;
        var settings = input.Settings ?? new ComparisonSettings();
        var calibration = input.Calibration ?? Calibration.Of(metrics, null, settings);
        var paired = Calibration.Paired(metrics, settings, calibration);
        var problems = Analysis.Problems.Of(metrics);
        // An A/A run measures the spread: its own counts are judged by the default tolerance.
        var spreads = calibration is { ThisRun: false, CallSpreads: { } s } ? s : new Dictionary<string, double>();
        var calls = metrics.Scenarios.ToDictionary(s => s.Name, s =>
        {
            var head = CallCountTolerance.Calls(s.Profilers);
            var spread = spreads.TryGetValue(s.Name, out var value) ? value : (double?)null;
            var before = input.Comparison?.Scenarios.FirstOrDefault(c => c.Scenario == s.Name)?.Calls;
            return new ScenarioCalls(
                metrics.Compare is { Status: CompareRun.Ok } ? CallCountTolerance.Compare(CallCountTolerance.Calls(s.Base?.Profilers), head, spread) : null,
                before is null ? null : CallCountTolerance.Compare(before.Baseline, before.Current, spread),
                head);
        }, StringComparer.Ordinal);
        return new ReportContext(metrics, settings, calibration, paired, input.Comparison, input.BaselineProblem, input.Links ?? ReportLinks.None,
            input.Hotspots ?? [], input.SideHotspots ?? [], input.Trigger, calls, problems,
            VerdictSummary.Of(metrics, paired, input.Comparison, problems));
    }
}
