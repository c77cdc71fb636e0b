using System.Text.RegularExpressions;
using Filare.Perf.Results;

namespace Filare.Perf.Harness;

/// <summary>
/// What a run keeps on disk for its artifacts: every measured run writes Filare's outputs
/// (<c>run-N/output</c>, <c>warmup-N/output</c>: 1.4 MB a run for multi-page), and a reviewer opens one run's at most. At the end
/// of PerfRun the head's first <c>keep</c> clean runs keep theirs; every other output folder is deleted
/// (stdout, stderr and the profilers' reports stay). Then each artifact's size is checked against the budget.
/// </summary>
internal static partial class OutputPruning
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
                if (RunFolder().IsMatch(Path.GetFileName(Path.GetDirectoryName(output)!)) && !keepers.Contains(Path.GetFullPath(output)))
                {
                    deleted += Size(output);
                    Directory.Delete(output, recursive: true);
                }
            }
        }
        var budget = (long)(budgetMegabytes * 1024 * 1024);
        var artifacts = metrics.Scenarios
            .Select(s => new ArtifactSize(ArtifactNames.Scenario(s.Name), Size(Path.Combine(runFolder, s.Name)), budget))
            .Prepend(new ArtifactSize(ArtifactNames.Metrics, MetricsBytes(runFolder), budget))
            .ToList();
        return new StorageRecord(keep, kept, deleted, budget, artifacts);
    }

    private static long MetricsBytes(string runFolder) =>
        new[] { RunMetrics.FileName, "summary.md" }.Select(f => Path.Combine(runFolder, f)).Where(File.Exists).Sum(f => new FileInfo(f).Length)
        + Directory.EnumerateFiles(runFolder, "*", SearchOption.AllDirectories)
            .Where(f => s_metricsSuffixes.Any(x => f.EndsWith(x, StringComparison.Ordinal)))
            .Sum(f => new FileInfo(f).Length);

    private static long Size(string folder) => Directory.Exists(folder)
        ? new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Where(f => f.LinkTarget is null).Sum(f => f.Length)
        : 0;

    [GeneratedRegex(@"\A[a-z][a-z0-9]*-[0-9]+\z")]
    private static partial Regex RunFolder();
}
