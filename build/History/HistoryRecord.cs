using Filare.Perf.Results;

namespace Filare.Perf.History;

/// <summary>
/// One line of a history file (<c>&lt;branch&gt;/history.jsonl</c>): one scenario of one trusted run on
/// one Filare branch. Versioned: a reader refuses a version it does not know rather than guess
/// (docs/performance/history.md).
/// </summary>
/// <param name="Commit">Filare's full 40-hex commit the run measured.</param>
/// <param name="Date">When the run started (UTC).</param>
/// <param name="Repository">owner/name of the GitHub repository the commit is in, when the run was on GitHub.</param>
/// <param name="NoiseFloor">The runner's noise as an A/A run measured it in this run (a fraction per metric), when it was one.</param>
public sealed record HistoryRecord(
    string Schema,
    int SchemaVersion,
    string Branch,
    string Scenario,
    string Commit,
    DateTimeOffset Date,
    string RunLabel,
    string? RunUrl,
    string? Repository,
    HistoryRunner Runner,
    HistoryPython Python,
    ScenarioStatus? Status,
    int Runs,
    HistoryMetric? WallSeconds,
    HistoryMetric? CpuPercent,
    HistoryMetric? PeakRssBytes,
    HistoryMetric? Instructions,
    HistoryNoise? NoiseFloor)
{
    public const string SchemaName = "filare-perf/history";
    public const int CurrentVersion = 1;
    public const string FileName = "history.jsonl";

    /// <summary>The same run and scenario appended twice (a re-run job) is one record.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public (string RunLabel, string Scenario, string Commit, DateTimeOffset Date) Key => (RunLabel, Scenario, Commit, Date);

    /// <summary>Runs on another CPU model or Python are another population: their difference is not a change in Filare.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Environment => $"{Runner.CpuModel} · {Python.Implementation} {Python.Version}";

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsOk => Status == ScenarioStatus.Ok && WallSeconds is not null;
}

public sealed record HistoryRunner(string CpuModel, int LogicalCpus, string Os, string Architecture);

public sealed record HistoryPython(string Implementation, string Version);

/// <summary>
/// The median of the run's clean samples and a distribution-free interval of it: the order
/// statistics that cover the median with at least 95% (at n ≥ 6), else the sample's range.
/// </summary>
public sealed record HistoryMetric(double Median, double Low, double High, int N);

public sealed record HistoryNoise(double? WallSeconds, double? CpuPercent, double? PeakRssBytes);
