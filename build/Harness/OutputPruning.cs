using Filare.Perf.Results;
using Filare.Perf.Storage;

namespace Filare.Perf.Harness;

/// <summary>
/// What a run keeps on disk for its artifacts: every run of Filare writes its outputs to an <c>output</c>
/// folder (1.4 MB a run for multi-page): clean runs and warmups (<c>run-N/output</c>), and also the counted
/// runs under Valgrind, the heap traces and every profiled run (<c>instructions/head/output</c>,
/// <c>scalene/output</c>, ...). A reviewer opens one run's at most. At the end of PerfRun the head's first
/// <c>keep</c> clean runs keep theirs; every other output folder is deleted (stdout, stderr and the
/// profilers' reports stay). Then each artifact's size, zipped as the upload stores it, is checked against the budget.
/// </summary>
internal static class OutputPruning
{
    /// <summary>The files of the perf-metrics artifact, as perf.yml's upload step lists them.</summary>
    private static readonly string[] s_metricsSuffixes = ["-cprofile.pstats", "-importtime.json", "-pyspy.txt"];

    public static StorageRecord Prune(string runFolder, RunMetrics metrics, int keep, double budgetMegabytes)
    {
        long deleted = 0;
        var kept = 0;
        foreach (var scenario in metrics.Scenarios)
        {
            var folder = Path.Combine(runFolder, scenario.Name);
            if (!Directory.Exists(folder))
            {
                continue;
            }
            var keepers = scenario.Samples.Where(s => s.Status == RunStatus.Ok).Take(keep)
                .Select(s => Path.GetFullPath(s.OutputDirectory, runFolder)).ToHashSet(StringComparer.Ordinal);
            kept += keepers.Count(Directory.Exists);
            foreach (var output in Directory.EnumerateDirectories(folder, "output", SearchOption.AllDirectories).ToList())
            {
                // A folder named output inside a kept one is Filare's own, and one inside a deleted one is gone already.
                if (Directory.Exists(output) && !keepers.Any(k => k == Path.GetFullPath(output) || Paths.IsInside(output, k)))
                {
                    deleted += Files(output).Sum(f => f.Length);
                    Directory.Delete(output, recursive: true);
                }
            }
        }
        var budget = (long)(budgetMegabytes * 1024 * 1024);
        var artifacts = metrics.Scenarios
            .Select(s => Size(ArtifactNames.Scenario(s.Name), Files(Path.Combine(runFolder, s.Name)), runFolder, budget))
            .Prepend(Size(ArtifactNames.Metrics, MetricsFiles(runFolder), runFolder, budget))
            .ToList();
        return new StorageRecord(keep, kept, deleted, budget, artifacts);
    }

    private static ArtifactSize Size(string name, IReadOnlyList<FileInfo> files, string root, long budget) =>
        new(name, files.Sum(f => f.Length), budget, ZippedSize.Of(files.Select(f => f.FullName), root));

    private static List<FileInfo> MetricsFiles(string runFolder) =>
        [.. new[] { RunMetrics.FileName, "summary.md" }.Select(f => new FileInfo(Path.Combine(runFolder, f))).Where(f => f.Exists),
         .. new DirectoryInfo(runFolder).EnumerateFiles("*", SearchOption.AllDirectories)
            .Where(f => f.LinkTarget is null && s_metricsSuffixes.Any(x => f.Name.EndsWith(x, StringComparison.Ordinal)))];

    private static List<FileInfo> Files(string folder) => Directory.Exists(folder)
        ? [.. new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Where(f => f.LinkTarget is null)]
        : [];
}
