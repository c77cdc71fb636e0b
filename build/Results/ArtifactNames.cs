using Filare.Perf.Storage;

namespace Filare.Perf.Results;

/// <summary>
/// The names CI uploads a run's files under, in one place: the workflow writes them, the report finds
/// baselines and links files by them. A matrix run (nightly: one target per branch) appends its
/// target's suffix to every name it uploads.
/// </summary>
public static class ArtifactNames
{
    /// <summary>metrics.json, summary.md and the pstats files: what the report downloads.</summary>
    public const string Metrics = "perf-metrics";

    /// <summary>All of a scenario's files, profiler reports included.</summary>
    public static string Scenario(string scenario, string suffix = "") => $"perf-{scenario}{suffix}";

    /// <summary>The suffix of a matrix target that profiles a branch.</summary>
    public static string BranchSuffix(string branch) => "-" + RunLabel.Safe(branch);

    /// <summary>
    /// The suffix of a downloaded metrics artifact, from the folder download-artifact unpacked it
    /// into (named after the artifact); "" for any other folder.
    /// </summary>
    public static string SuffixOf(string artifactFolder) =>
        artifactFolder.StartsWith(Metrics, StringComparison.Ordinal) ? artifactFolder[Metrics.Length..] : "";
}
