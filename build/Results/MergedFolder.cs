using System.Text.RegularExpressions;

namespace Filare.Perf.Results;

/// <summary>
/// One folder for a merged run's files, as an unsharded run lays them out (&lt;scenario&gt;/…), so the
/// readers of captures (hotspot, import and sample diffs), which only read inside one run folder, work
/// unchanged. Files are copied, never linked: a link would lead outside the folder those readers check.
/// </summary>
public static partial class MergedFolder
{
    /// <summary>Copies the shards' scenario folders into a new temporary folder and returns it; Filare's own outputs (run-N/output) are left behind.</summary>
    public static string Create(IReadOnlyList<FoundRun> shards)
    {
        var target = Path.Combine(Path.GetTempPath(), $"filare-perf-merged-{Guid.NewGuid():N}");
        Directory.CreateDirectory(target);
        foreach (var shard in shards)
        {
            var source = Path.GetDirectoryName(Path.GetFullPath(shard.File))!;
            // Names come from metrics.json, which a PR's code wrote: only a scenario name, never a path.
            foreach (var scenario in shard.Metrics.Scenarios.Where(s => ScenarioName().IsMatch(s.Name)))
            {
                Copy(Path.Combine(source, scenario.Name), Path.Combine(target, scenario.Name));
            }
        }
        return target;
    }

    /// <summary>
    /// The folder whose captures belong to the baseline read from <paramref name="path"/>: for the shards of one run
    /// (a sharded previous run's artifacts) a merged folder of every shard's scenarios, else the metrics.json's own folder.
    /// </summary>
    public static string ForBaseline(string path, string metricsFile)
    {
        var found = Directory.Exists(path)
            ? Directory.EnumerateFiles(path, RunMetrics.FileName, SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
            : [];
        if (found.Count > 1
            && ShardMerge.Group([.. found.Select(f => new FoundRun(f, "", MetricsStore.Read(f)))]) is [{ Shards.Count: > 1 } run])
        {
            return Create(run.Shards);
        }
        return Path.GetDirectoryName(Path.GetFullPath(metricsFile))!;
    }

    private static void Copy(string from, string to)
    {
        var info = new DirectoryInfo(from);
        if (!info.Exists || info.LinkTarget is not null)
        {
            return;
        }
        Directory.CreateDirectory(to);
        foreach (var entry in info.EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is not null)
            {
                continue;
            }
            if (entry is FileInfo file)
            {
                file.CopyTo(Path.Combine(to, file.Name), overwrite: false);
            }
            else if (!(RunFolder().IsMatch(info.Name) && entry.Name == "output"))
            {
                Copy(entry.FullName, Path.Combine(to, entry.Name));
            }
        }
    }

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._-]*\z")]
    private static partial Regex ScenarioName();

    [GeneratedRegex(@"\A[a-z][a-z0-9]*-[0-9]+\z")]
    private static partial Regex RunFolder();
}
