using System.Text.Json.Serialization;
using Filare.Perf.Comparison;

namespace Filare.Perf.Results;

/// <summary>What a same-runner comparison measured the head against (metrics.json: "a/b", "a/a").</summary>
public enum CompareMode
{
    /// <summary>Another commit: the change's effect.</summary>
    [JsonStringEnumMemberName("a/b")]
    AB,

    /// <summary>The same clean commit on both sides: the runner's own noise, nothing else.</summary>
    [JsonStringEnumMemberName("a/a")]
    AA,
}

/// <summary>Whether the base side could be prepared (metrics.json: "ok", "failed").</summary>
public enum CompareStatus { Ok, Failed }

/// <summary>
/// The base side of a same-runner A/B (--compare-ref): which commit, checked out where, run by which
/// interpreter, and whether it could be prepared at all. A base that could not be prepared leaves
/// <see cref="Problem"/> set and the head's results as they are.
/// </summary>
/// <param name="Ref">The ref as given (untrusted text: escape it when rendering).</param>
/// <param name="Environment">How the base got its interpreter: <c>own .venv</c>, <c>new venv</c> or <c>shared interpreter</c>.</param>
public sealed record CompareRun(
    string Ref,
    string? Commit,
    CompareMode Mode,
    CompareStatus Status,
    string? Problem,
    string? FilareRoot,
    string? Environment,
    string? PythonExecutable,
    string? PythonVersion)
{
    /// <summary>Why the base got this interpreter (--compare-env, and under auto what the dependency files showed).</summary>
    public string? EnvironmentReason { get; init; }

    /// <summary>The dependency declarations compared (pyproject.toml, uv.lock, …) and those that differ.</summary>
    public IReadOnlyList<string>? DependencyFiles { get; init; }

    public IReadOnlyList<string>? DifferingFiles { get; init; }

    /// <summary>Installed packages whose version differs between the sides: <c>name: base → head</c>.</summary>
    public IReadOnlyList<string>? PackageDifferences { get; init; }
}

/// <summary>One side of a scenario in a comparison: its runs, statistics and profiles.</summary>
public sealed record SideResult(
    ScenarioStatus Status,
    string? Message,
    IReadOnlyList<RunSample> Warmups,
    IReadOnlyList<RunSample> Samples,
    ScenarioStatistics? Statistics,
    IReadOnlyList<ProfilerRun> Profilers,
    InstructionRun? Instructions = null);

/// <summary>
/// Head against base from interleaved pairs, as PerfRun computed it with its settings; the report
/// computes it again with its own. <see cref="NoiseFloor"/> is set by an A/A run: the runner's noise.
/// </summary>
public sealed record PairedResult(
    int Pairs,
    MetricComparison WallSeconds,
    MetricComparison CpuPercent,
    MetricComparison PeakRssBytes,
    NoiseFloor? NoiseFloor);
