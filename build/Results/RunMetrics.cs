
namespace Filare.Perf.Results;

public enum ScenarioStatus { Pending, Ok, Failed, Timeout, Error, Skipped }

/// <summary>Whether PerfRun got to its end (metrics.json: "running", "complete"): a crashed run stays running.</summary>
public enum RunState { Running, Complete }

/// <summary>
/// metrics.json: everything one PerfRun learned, versioned (docs/performance/metrics.md).
/// Rewritten after every step, so a crash leaves the finished scenarios on disk.
/// </summary>
public sealed record RunMetrics(
    string Schema,
    int SchemaVersion,
    string RunLabel,
    RunState Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    RunEnvironment Environment,
    PerformanceSettings Settings,
    IReadOnlyList<ScenarioResult> Scenarios,
    CompareRun? Compare = null)
{
    public const string SchemaName = "filare-perf/metrics";
    public const int CurrentVersion = 1;
    public const string FileName = "metrics.json";

    /// <summary>Each side's interpreter, packages and Filare import (head; base under --compare-ref).</summary>
    public IReadOnlyDictionary<string, SideEnvironment>? Sides { get; init; }
}

public sealed record ScenarioResult(
    string Name,
    string Description,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Command,
    string WorkingDirectory,
    ScenarioStatus Status,
    string? Message,
    int RunsPlanned,
    int WarmupsPlanned,
    IReadOnlyList<RunSample> Warmups,
    IReadOnlyList<RunSample> Samples,
    ScenarioStatistics? Statistics,
    IReadOnlyList<ProfilerRun> Profilers,
    SideResult? Base = null,
    PairedResult? Paired = null,
    InstructionRun? Instructions = null,
    InstructionComparison? InstructionChange = null,
    PairStop? Adaptive = null)
{
    /// <summary>This run's clean samples as one side of a comparison (derived: not written to metrics.json).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public SideResult Head => new(Status, Message, Warmups, Samples, Statistics, Profilers, Instructions);
}

public sealed record RunEnvironment(
    string CpuModel,
    int LogicalCpus,
    long? MemoryBytes,
    string Os,
    string Kernel,
    string Architecture,
    string PythonVersion,
    string PythonImplementation,
    string PythonExecutable,
    string FilareRoot,
    string? FilareCommit,
    string? FilareBranch,
    bool? FilareDirty,
    string? HarnessCommit,
    string DotnetVersion,
    CiRun? Ci);

/// <summary>Where a CI run came from, so a report can link back to it.</summary>
/// <param name="PullRequest">The PR the run profiled (from the gate); untrusted once it comes back in an artifact.</param>
public sealed record CiRun(string Provider, string? Repository, string? RunId, string? RunAttempt, string? EventName, string? Ref, string? Sha, string? Workflow, string? ServerUrl, int? PullRequest = null);
