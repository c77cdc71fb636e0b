using Filare.Perf.Results;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests.Sharding;

/// <summary>PerfReport over a folder of shards: one run, one headline, one verdict table, the same verdicts as the run unsharded.</summary>
public sealed class ShardMergeTests
{
    private static readonly (string Name, double Base, double Head)[] s_scenarios =
    [
        ("alpha", 1.00, 1.30), ("bravo", 2.00, 2.00), ("charlie", 1.50, 1.10), ("delta", 0.50, 0.51), ("echo", 3.00, 3.60),
    ];

    private static ScenarioResult Scenario(string name, double baseWall, double headWall)
    {
        // Small, deterministic jitter: the paired test has a spread to work with.
        double[] jitter = [0.00, 0.01, -0.01, 0.005, -0.005, 0.002];
        List<RunSample> Samples(double wall, string prefix, int first) =>
            jitter.Select((j, i) => new RunSample(SampleKind.Run, i + 1, RunStatus.Ok, wall * (1 + j), wall * 0.9, 0.02,
            (long)(wall * 100) << 20, 0, null, 0, $"{prefix}/run-{i + 1}/stdout.txt", $"{prefix}/run-{i + 1}/stderr.txt", $"{prefix}/run-{i + 1}/output", null,
                first + 2 * i)).ToList();
        var head = Samples(headWall, name, 2);
        var @base = Samples(baseWall, $"{name}/base", 1);
        return new ScenarioResult(name, "fixture", ["fixture"], ["python"], "/src", ScenarioStatus.Ok, null, head.Count, 0, [], head,
            ScenarioStatistics.Of(head), [],
            new SideResult(ScenarioStatus.Ok, null, [], @base, ScenarioStatistics.Of(@base), []));
    }

    private static RunMetrics Run(string cpu, IEnumerable<ScenarioResult> scenarios) => new(
        RunMetrics.SchemaName, RunMetrics.CurrentVersion, "pr-7", RunState.Complete, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddMinutes(9),
        new RunEnvironment(cpu, 4, 16L << 30, "Linux", "6.8", "x64", "3.12.3", "CPython", "python3", "/src", new string('c', 40), "feature", false, null,
            "10.0", null),
        new PerformanceSettings("outputs/perf", "pr-7", null, null, null,
            new PySpySettings(false, 100, SpyOutput.Svg, false, false, false), new ScaleneSettings(false, 0.01, true, true, "filare"),
            new MemraySettings(false, false, MemrayFormat.Flamegraph, false, 50), new CProfileSettings(false, CProfileSort.Tottime, CProfileFormat.Pstats)),
        [.. scenarios],
        new CompareRun("origin/master", new string('b', 40), CompareMode.AB, CompareStatus.Ok, null, "/tmp/base", "shared interpreter", "python3", "3.12.3"));

    /// <summary>Writes the set whole under outputs/perf/whole and as shards (the split rule's,
    /// 2 or 3) under outputs/perf/sharded/perf-metrics-shardKofN/.</summary>
    internal static void Write(TestRoot root, int shards, Func<int, string> cpuOf)
    {
        var all = s_scenarios.Select(s => Scenario(s.Name, s.Base, s.Head)).ToList();
        _ = new MetricsStore(root.RunFolder("whole"), Run("AMD EPYC 7763", all));
        var plan = Filare.Perf.Sharding.ShardPlan.Split([.. all.Select(s =>
            new Filare.Perf.Sharding.ScenarioCost(s.Name, s.Statistics!.WallSeconds.Median, Filare.Perf.Sharding.CostSource.ScenarioFile))], shards);
        foreach (var shard in plan)
        {
            var folder = Path.Combine(root.Path, "outputs", "perf", "sharded", "perf-metrics" + shard.Spec.Suffix, "pr-7" + shard.Spec.Suffix);
            _ = new MetricsStore(folder, Run(cpuOf(shard.Spec.Index),
                all.Where(s => shard.Scenarios.Contains(s.Name))) with { Shard = new ShardRun(shard.Spec.Index, shard.Spec.Count) });
        }
    }

    private static async Task<string> ReportAsync(TestRoot root, string input)
    {
        var outcome = await root.RunAsync("PerfReport", "--report-input", input, "--baseline", "none");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        return File.ReadAllText(Path.Combine(root.Path, input, "report.md"));
    }

    private static string WithoutShardLines(string report) => string.Join('\n', report.Split('\n')
        .Where(l => !l.StartsWith("Sharded over ", StringComparison.Ordinal) && !l.StartsWith("- shard ", StringComparison.Ordinal)
            && !l.StartsWith("**Time to verdict**", StringComparison.Ordinal)))
        is var text ? System.Text.RegularExpressions.Regex.Replace(text, "\n{3,}", "\n\n") : "";

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Shards_merged_give_the_same_report_as_the_run_unsharded(int shards)
    {
        using var root = new TestRoot();
        Write(root, shards, _ => "AMD EPYC 7763");

        var whole = await ReportAsync(root, "outputs/perf/whole");
        var merged = await ReportAsync(root, "outputs/perf/sharded");

        // One headline, one verdict table: the merged report is the whole run's, plus the list of shards.
        Assert.Single(merged.Split('\n'), l => l.StartsWith("| Scenario | Runtime", StringComparison.Ordinal));
        Assert.Contains("🔴 **slower**", whole, StringComparison.Ordinal);
        Assert.Contains("🟢 **faster**", whole, StringComparison.Ordinal);
        Assert.Equal(WithoutShardLines(whole), WithoutShardLines(merged));
        Assert.Contains($"Sharded over {shards} runners", merged, StringComparison.Ordinal);
        Assert.Equal(shards, merged.Split('\n').Count(l => l.StartsWith("- shard ", StringComparison.Ordinal)));
        Assert.DoesNotContain("different CPU models", merged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shards_on_different_cpu_models_are_named_beside_their_scenarios_and_keep_their_verdicts()
    {
        using var root = new TestRoot();
        Write(root, 2, i => i == 1 ? "AMD EPYC 7763" : "Intel Xeon Platinum 8370C");

        var whole = await ReportAsync(root, "outputs/perf/whole");
        var merged = await ReportAsync(root, "outputs/perf/sharded");

        Assert.Contains("The shards ran on different CPU models:", merged, StringComparison.Ordinal);
        var rows = merged.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && l.Contains("<sub>on ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(rows);
        Assert.Contains(rows, r => r.Contains("<sub>on Intel Xeon Platinum 8370C</sub>", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("<sub>on AMD EPYC 7763</sub>", StringComparison.Ordinal));
        // Verdicts unchanged: the rows are the whole run's with the runner beside the name.
        var plain = merged.Replace(" <sub>on Intel Xeon Platinum 8370C</sub>", "", StringComparison.Ordinal)
            .Replace(" <sub>on AMD EPYC 7763</sub>", "", StringComparison.Ordinal);
        foreach (var (name, _, _) in s_scenarios)
        {
            Assert.Equal(
                whole.Split('\n').Where(l => l.StartsWith($"| {name} |", StringComparison.Ordinal)),
                plain.Split('\n').Where(l => l.StartsWith($"| {name} |", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task A_missing_shard_is_named_and_the_others_are_still_reported()
    {
        using var root = new TestRoot();
        Write(root, 3, _ => "AMD EPYC 7763");
        Directory.Delete(Path.Combine(root.Path, "outputs", "perf", "sharded", "perf-metrics-shard2of3"), recursive: true);

        var merged = await ReportAsync(root, "outputs/perf/sharded");

        Assert.Contains("shard(s) 2/3 have no metrics.json", merged, StringComparison.Ordinal);
        Assert.Equal(2, merged.Split('\n').Count(l => l.StartsWith("- shard ", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_sharded_baseline_gives_the_captures_of_every_shards_scenarios_not_only_the_first_shards()
    {
        using var root = new TestRoot();
        Write(root, 3, _ => "AMD EPYC 7763");
        var sharded = Path.Combine(root.Path, "outputs", "perf", "sharded");
        var files = Directory.GetFiles(sharded, RunMetrics.FileName, SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        foreach (var file in files)
        {
            foreach (var scenario in MetricsStore.Read(file).Scenarios)
            {
                Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(file)!, scenario.Name));
                File.WriteAllText(Path.Combine(Path.GetDirectoryName(file)!, scenario.Name, $"{scenario.Name}-cprofile.pstats"), scenario.Name);
            }
        }

        var merged = MergedFolder.ForBaseline(sharded, files[0]);
        var single = MergedFolder.ForBaseline(root.RunFolder("whole"), Path.Combine(root.RunFolder("whole"), RunMetrics.FileName));

        try
        {
            Assert.Equal(s_scenarios.Select(s => s.Name).Order(StringComparer.Ordinal),
                Directory.GetDirectories(merged).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.All(s_scenarios, s => Assert.Equal(s.Name, File.ReadAllText(Path.Combine(merged, s.Name, $"{s.Name}-cprofile.pstats"))));
            Assert.Equal(root.RunFolder("whole"), single);
        }
        finally
        {
            Directory.Delete(merged, recursive: true);
        }
    }
}
