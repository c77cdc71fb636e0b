
namespace Filare.Perf.Results;

/// <summary>One run's metrics as found on disk: the file, its folder's artifact suffix, and what it holds.</summary>
public sealed record FoundRun(string File, string ArtifactSuffix, RunMetrics Metrics);

/// <summary>A run to report: one whole run, or the shards of one run merged; <see cref="Shards"/> lists the files of the latter.</summary>
public sealed record MergedRun(RunMetrics Metrics, IReadOnlyList<FoundRun> Shards)
{
    /// <summary>The file of a whole run; the first shard's of a merged one.</summary>
    public string File { get; init; } = Shards.Count > 0 ? Shards[0].File : "";

    /// <summary>The matrix target's artifact suffix, without the shard's.</summary>
    public string Suffix { get; init; } = "";
}

/// <summary>
/// PerfReport's and the baseline's view of a sharded run: the shards' metrics.json, written by N
/// runners, become one run with one verdict per scenario. A scenario was measured whole on one runner
/// (both sides interleaved), so its verdict is its shard's; only the run-level fields are combined.
/// </summary>
public static class ShardMerge
{
    /// <summary>Whole runs as they are; shards grouped by run (label, commit, shard count,
    /// compared commit) and merged, in input order of their first file.</summary>
    public static IReadOnlyList<MergedRun> Group(IReadOnlyList<FoundRun> runs)
    {
        var result = new List<MergedRun>();
        var groups = runs.Where(r => r.Metrics.Shard is not null)
            .GroupBy(r => (r.Metrics.RunLabel, r.Metrics.Environment.FilareCommit, r.Metrics.Shard!.Count, r.Metrics.Compare?.Commit))
            .ToDictionary(g => g.First(), g => g.ToList());
        foreach (var run in runs)
        {
            if (run.Metrics.Shard is null)
            {
                result.Add(new MergedRun(run.Metrics, []) { File = run.File, Suffix = run.ArtifactSuffix });
            }
            else if (groups.TryGetValue(run, out var shards))
            {
                var shard = run.Metrics.Shard!;
                var suffix = TargetSuffix(run.ArtifactSuffix, new ShardSpec(shard.Index, shard.Count));
                result.Add(new MergedRun(Merge(shards), shards.OrderBy(s => s.Metrics.Shard!.Index).ToList()) { Suffix = suffix });
            }
        }
        return result;
    }

    /// <summary>perf-metrics-beta-shard2of3 came from the target -beta: the shard's part of a suffix is dropped.</summary>
    public static string TargetSuffix(string artifactSuffix, ShardSpec shard) =>
        artifactSuffix.EndsWith(shard.Suffix, StringComparison.Ordinal) ? artifactSuffix[..^shard.Suffix.Length] : artifactSuffix;

    /// <summary>The shards of one run as one run; a shard that is missing or appears twice is a problem the caller reports.</summary>
    public static RunMetrics Merge(IReadOnlyList<FoundRun> shards)
    {
        var ordered = shards.OrderBy(s => s.Metrics.Shard!.Index).ThenBy(s => s.File, StringComparer.Ordinal).ToList();
        var first = ordered[0].Metrics;
        // Scenario order of an unsharded run: the catalog's, which is by file name, and files are named after their scenario.
        var scenarios = ordered.SelectMany(s => s.Metrics.Scenarios)
            .GroupBy(s => s.Name, StringComparer.Ordinal).Select(g => g.First())
            .OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        // The worst compare status speaks for the run: one shard whose base could not be prepared is not hidden by the others.
        var compare = ordered.Select(s => s.Metrics.Compare).OfType<CompareRun>().OrderBy(c => c.Status == CompareStatus.Ok).FirstOrDefault();
        return first with
        {
            Status = ordered.All(s => s.Metrics.Status == RunState.Complete) ? RunState.Complete : RunState.Running,
            StartedAt = ordered.Min(s => s.Metrics.StartedAt),
            FinishedAt = ordered.All(s => s.Metrics.FinishedAt is not null) ? ordered.Max(s => s.Metrics.FinishedAt) : null,
            Scenarios = scenarios,
            Compare = compare,
            Shard = null,
            // Each shard uploads its own artifacts: their names carry its suffix.
            Storage = ordered.Select(s => s.Metrics.Storage).OfType<StorageRecord>().FirstOrDefault() is { } storage
                ? storage with
                {
                    KeptOutputs = ordered.Sum(s => s.Metrics.Storage?.KeptOutputs ?? 0),
                    DeletedBytes = ordered.Sum(s => s.Metrics.Storage?.DeletedBytes ?? 0),
                    Artifacts = [.. ordered.SelectMany(s => (s.Metrics.Storage?.Artifacts ?? []).Select(a => a with { Name = a.Name + ShardSuffixOf(s) }))],
                }
                : null,
            MergedShards = ordered.Select(s => new MergedShard(
                s.Metrics.Shard!.Index, s.Metrics.Shard.Count, s.Metrics.Scenarios.Select(x => x.Name).ToList(),
                s.Metrics.Environment.CpuModel, s.Metrics.Environment.LogicalCpus, s.Metrics.Environment.PythonVersion, s.ArtifactSuffix,
                s.Metrics.FinishedAt is { } end ? (end - s.Metrics.StartedAt).TotalSeconds : null)).ToList(),
        };
    }

    private static string ShardSuffixOf(FoundRun shard) => new ShardSpec(shard.Metrics.Shard!.Index, shard.Metrics.Shard.Count).Suffix;

    /// <summary>What is wrong with a merged run's shards: missing or repeated shard numbers, a scenario in two shards.</summary>
    public static IReadOnlyList<string> Problems(MergedRun run)
    {
        if (run.Shards.Count == 0)
        {
            return [];
        }
        var problems = new List<string>();
        var count = run.Shards[0].Metrics.Shard!.Count;
        var present = run.Shards.Select(s => s.Metrics.Shard!.Index).ToList();
        var missing = Enumerable.Range(1, count).Except(present).ToList();
        if (missing.Count > 0)
        {
            problems.Add($"run {run.Metrics.RunLabel}: shard(s) {string.Join(", ", missing.Select(m => $"{m}/{count}"))} " +
                $"have no metrics.json; their scenarios are not in this report (the shard's job log says why)");
        }
        foreach (var repeated in present.GroupBy(i => i).Where(g => g.Count() > 1))
        {
            problems.Add($"run {run.Metrics.RunLabel}: shard {repeated.Key}/{count} is here {repeated.Count()} times; the first by file name is reported");
        }
        foreach (var twice in run.Shards.SelectMany(s => s.Metrics.Scenarios.Select(x => (x.Name, s.Metrics.Shard!.Index))).GroupBy(p => p.Name)
            .Where(g => g.Count() > 1))
        {
            problems.Add($"scenario {twice.Key} ran in shards {string.Join(", ", twice.Select(p => p.Index))}; the first is reported");
        }
        return problems;
    }

    /// <summary>The CPU models of a merged run's shards, when they differ: scenario → its runner's CPU model.</summary>
    public static IReadOnlyDictionary<string, string> MixedCpuModels(RunMetrics merged)
    {
        if (merged.MergedShards is not { } shards || shards.Select(s => s.CpuModel).Distinct(StringComparer.Ordinal).Count() < 2)
        {
            return new Dictionary<string, string>();
        }
        return shards.SelectMany(s => s.Scenarios.Select(n => (n, s.CpuModel))).GroupBy(p => p.n)
            .ToDictionary(g => g.Key, g => g.First().CpuModel, StringComparer.Ordinal);
    }
}
