using Filare.Perf.Comparison;
using Filare.Perf.Results;

namespace Filare.Perf.Analysis;

/// <summary>cProfile's call count: deterministic for the same input, so any difference is real.</summary>
public sealed record CallCountChange(long Baseline, long Current)
{
    public long Delta => Current - Baseline;
}

/// <summary>One scenario against its baseline, or why it cannot be (<see cref="Missing"/>).</summary>
public sealed record ScenarioComparison(
    string Scenario,
    MetricComparison? WallSeconds,
    MetricComparison? CpuPercent,
    MetricComparison? PeakRssBytes,
    CallCountChange? Calls,
    string? Missing,
    NoiseFloor? NoiseFloor = null)
{
    /// <param name="before">The baseline's run of this scenario, if it has one.</param>
    /// <param name="floor">The runner's calibrated noise floor (from an A/A run): it raises the threshold of a verdict.</param>
    public static ScenarioComparison Of(ScenarioResult? before, ScenarioResult scenario, ComparisonSettings settings, NoiseFloor? floor)
    {
        if (before is null || before.Statistics is null || scenario.Statistics is null)
        {
            var why = before is null ? "not in the baseline" : before.Statistics is null ? "no clean run in the baseline" : "no clean run now";
            return new ScenarioComparison(scenario.Name, null, null, null, null, why);
        }
        return new ScenarioComparison(
            scenario.Name,
            MetricComparison.Of("wall time", Values(before, s => s.WallSeconds), Values(scenario, s => s.WallSeconds), settings, floor?.WallSeconds),
            MetricComparison.Of("CPU", Values(before, s => s.CpuPercent ?? double.NaN), Values(scenario, s => s.CpuPercent ?? double.NaN), settings,
                floor?.CpuPercent),
            MetricComparison.Of("peak RSS", Values(before, s => s.PeakRssBytes ?? double.NaN), Values(scenario, s => s.PeakRssBytes ?? double.NaN), settings,
                floor?.PeakRssBytes),
            TotalCalls(before) is { } was && TotalCalls(scenario) is { } now ? new CallCountChange(was, now) : null,
            null,
            floor);
    }

    private static List<double> Values(ScenarioResult scenario, Func<RunSample, double> metric) =>
        scenario.Samples.Where(s => s.Status == RunStatus.Ok).Select(metric).Where(double.IsFinite).ToList();

    private static long? TotalCalls(ScenarioResult scenario) =>
        scenario.Profilers.FirstOrDefault(p => p.Tool == ProfilerNames.CProfile && p.Status == ProfilerStatus.Ok)?.Calls?.TotalCalls;
}

/// <summary>The current run against a baseline run, scenario by scenario, with what makes them hard to compare.</summary>
public sealed record RunComparison(
    string BaselineLabel,
    string BaselineOrigin,
    string? BaselineCommit,
    IReadOnlyList<ScenarioComparison> Scenarios,
    IReadOnlyList<string> Caveats)
{
    /// <summary>Numbers from another CPU or another Python are not comparable: say so beside every verdict.</summary>
    public static IReadOnlyList<string> CaveatsOf(RunMetrics baseline, RunMetrics current)
    {
        var caveats = new List<string>();
        if (baseline.Environment.CpuModel != current.Environment.CpuModel)
        {
            caveats.Add($"different CPU: {baseline.Environment.CpuModel} (baseline) vs {current.Environment.CpuModel}");
        }
        if (baseline.Environment.PythonVersion != current.Environment.PythonVersion)
        {
            caveats.Add($"different Python: {baseline.Environment.PythonVersion} (baseline) vs {current.Environment.PythonVersion}");
        }
        if (baseline.Environment.LogicalCpus != current.Environment.LogicalCpus)
        {
            caveats.Add($"different CPU count: {baseline.Environment.LogicalCpus} (baseline) vs {current.Environment.LogicalCpus}");
        }
        return caveats;
    }
}
