
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

    /// <summary>One side's environment, when it was recorded.</summary>
    public SideEnvironment? Side(SideKind side) => Sides?.GetValueOrDefault(side.Key());

    /// <summary>This run's result of another run's scenario (the baseline's of the current run's): runs meet by scenario name here only.</summary>
    public ScenarioResult? Matching(ScenarioResult scenario) => Scenarios.FirstOrDefault(s => s.Name == scenario.Name);

    /// <summary>Which shard of a sharded run this is (<c>--shard K/N</c>); null: the run is whole.</summary>
    public ShardRun? Shard { get; init; }

    /// <summary>What PerfRun left for upload: outputs kept and deleted, and each artifact's size against the budget.</summary>
    public StorageRecord? Storage { get; init; }

    /// <summary>Set by PerfReport on the run it merged from shards: each shard's runner and scenarios (never written by PerfRun).</summary>
    public IReadOnlyList<MergedShard>? MergedShards { get; init; }
}

/// <param name="ExpectedSeconds">What the split rule expected this shard to take; null when the gate passed its scenarios.</param>
public sealed record ShardRun(int Index, int Count, double? ExpectedSeconds = null);

/// <summary>One shard of a merged run: where its metrics came from and the runner it ran on.</summary>
/// <param name="ArtifactSuffix">The suffix of its artifacts (matrix target and shard), for links to its files.</param>
public sealed record MergedShard(int Index, int Count, IReadOnlyList<string> Scenarios, string CpuModel, int LogicalCpus, string PythonVersion,
    string ArtifactSuffix, double? WallSeconds);

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
    PairStop? Adaptive = null,
    HeapRun? Heap = null,
    HeapComparison? HeapChange = null)
{
    /// <summary>This run's clean samples as one side of a comparison (derived: not written to metrics.json).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public SideResult Head => new(Status, Message, Warmups, Samples, Statistics, Profilers, Instructions, Heap);
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
public sealed record CiRun(string Provider, string? Repository, string? RunId, string? RunAttempt, string? EventName, string? Ref, string? Sha,
    string? Workflow, string? ServerUrl, int? PullRequest = null);

/// <summary>What PerfRun kept for its artifacts (docs/performance/metrics.md).</summary>
/// <param name="KeepOutputs">--keep-outputs: Filare output folders kept per scenario (the head's first clean runs).</param>
/// <param name="DeletedBytes">Bytes of Filare output folders (clean, warmup, counted and profiled runs') deleted before upload.</param>
public sealed record StorageRecord(int KeepOutputs, int KeptOutputs, long DeletedBytes, long BudgetBytes, IReadOnlyList<ArtifactSize> Artifacts);

/// <summary>One artifact as perf.yml uploads it (before the matrix suffixes), its size when PerfRun ended.</summary>
/// <param name="Bytes">Its files' bytes on disk.</param>
/// <param name="ZippedBytes">About what the upload stores (zipped; null in runs before it was measured): what the budget is checked against.</param>
public sealed record ArtifactSize(string Name, long Bytes, long BudgetBytes, long? ZippedBytes = null)
{
    /// <summary>The size that costs storage: zipped when measured, else on disk.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long Stored => ZippedBytes ?? Bytes;

    [System.Text.Json.Serialization.JsonIgnore]
    public bool OverBudget => BudgetBytes > 0 && Stored > BudgetBytes;
}
