using Filare.Perf.Analysis;
using Filare.Perf.Comparison;
using Filare.Perf.Heap;
using Filare.Perf.Reporting;
using Filare.Perf.Results;

namespace Filare.Perf.Tests;

/// <summary>The pure parts of the heap run: verdicts, sites matched across sides, floors, the report's section and the comment's.</summary>
public sealed class HeapVerdictTests
{
    private static HeapSite Site(string? own, string at, long bytes) => new(own, at, bytes, bytes / 100);

    private static HeapRun Run(long peak, IReadOnlyList<HeapSite>? sites = null, long dotRss = 0, int exitCode = 0, HeapStatus status = HeapStatus.Ok,
        int groups = 3,
        long pythonRss = 120_000_000)
    {
        var program = new HeapProcess(100, ["filare", "run"], exitCode, peak, peak - 1000, 340_000, 16, peak - 500, 340_000, "at exit", peak / 2, groups,
            sites ?? [Site("src/filare/cli.py:12", "<frozen importlib._bootstrap_external>:729", peak / 2)], 20, 1.5, 9.0);
        List<ProcessMemory> processes = [new(100, 1, ProcessKind.Python, "python -m filare run", pythonRss)];
        if (dotRss > 0)
        {
            processes.Add(new ProcessMemory(101, 100, ProcessKind.Dot, "/usr/bin/dot -Tsvg", dotRss));
        }
        return new HeapRun(status, status == HeapStatus.Ok ? null : "under tracemalloc: killed by signal 11", status == HeapStatus.Ok ? program : null, [],
            processes,
            exitCode, 10, 6.5, 120, "s/heap/head", []);
    }

    [Fact]
    public void A_change_at_the_threshold_is_more_memory_one_below_it_unchanged_and_a_drop_less()
    {
        var more = HeapVerdicts.Of(Run(45_000_000), Run(45_450_000), HeapVerdicts.AgainstBase, 0.01, null, false)!;
        var same = HeapVerdicts.Of(Run(45_000_000), Run(45_400_000), HeapVerdicts.AgainstBase, 0.01, null, false)!;
        var less = HeapVerdicts.Of(Run(45_000_000), Run(40_000_000), HeapVerdicts.AgainstBase, 0.01, null, false)!;

        Assert.Equal(MemoryVerdict.More, more.Peak.Verdict);
        Assert.Equal(MemoryVerdict.Unchanged, same.Peak.Verdict);
        Assert.Equal(MemoryVerdict.Less, less.Peak.Verdict);
        Assert.Equal(MemoryVerdict.Less, less.AtExit!.Verdict);
        Assert.Null(more.NoiseFloor);
    }

    [Fact]
    public void An_a_a_run_measures_the_floor_and_a_floor_above_the_threshold_raises_it()
    {
        var aa = HeapVerdicts.Of(Run(45_601_612), Run(45_601_174), HeapVerdicts.AgainstBase, 0.01, null, isCalibration: true)!;
        var raised = HeapVerdicts.Of(Run(45_000_000), Run(45_900_000), HeapVerdicts.AgainstBase, 0.01, calibratedFloor: 0.03, isCalibration: false)!;

        Assert.Equal(MemoryVerdict.Unchanged, aa.Peak.Verdict);
        Assert.Equal(0.00001, aa.NoiseFloor!.Value, 5);
        Assert.Equal(MemoryVerdict.Unchanged, raised.Peak.Verdict);
        Assert.Equal(0.03, raised.Threshold);
        Assert.Contains("noise floor", raised.Peak.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_side_whose_heap_run_crashed_or_did_other_work_gets_no_verdict()
    {
        var crashed = HeapVerdicts.Of(Run(45_000_000), Run(0, status: HeapStatus.Failed, exitCode: -11), HeapVerdicts.AgainstBase, 0.01, null, false)!;
        var exited = HeapVerdicts.Of(Run(45_000_000), Run(45_000_000, exitCode: 2), HeapVerdicts.AgainstBase, 0.01, null, false)!;
        var skipped = HeapVerdicts.Of(HeapRun.Skipped("off"), HeapRun.Skipped("off"), HeapVerdicts.AgainstBase, 0.01, null, false);

        Assert.Equal(MemoryVerdict.Inconclusive, crashed.Peak.Verdict);
        Assert.Contains("head's heap run did not finish", crashed.Peak.Why, StringComparison.Ordinal);
        Assert.Equal(MemoryVerdict.Inconclusive, exited.Peak.Verdict);
        Assert.Contains("not the same work", exited.Peak.Why, StringComparison.Ordinal);
        Assert.Null(skipped);
    }

    [Fact]
    public void Sites_are_matched_on_filares_line_and_the_allocating_line_and_ranked_by_their_change()
    {
        const string Lib = "yaml/constructor.py:411";
        var before = Run(30_000_000, [Site("src/filare/parse.py:40", Lib, 5_000_000), Site("src/filare/bom.py:88", "src/filare/bom.py:88", 2_000_000),
            Site(null, "enum.py:922", 100_000)]);
        var after = Run(36_000_000, [Site("src/filare/parse.py:40", Lib, 5_100_000), Site("src/filare/bom.py:88", "src/filare/bom.py:88", 500_000),
            Site("src/filare/cache.py:7", "src/filare/cache.py:7", 7_000_000)]);

        var change = HeapVerdicts.Of(before, after, HeapVerdicts.AgainstBase, 0.01, null, false)!;

        Assert.Equal(["src/filare/cache.py:7", "src/filare/parse.py:40"], change.Grew.Select(g => g.Site));
        Assert.Equal(7_000_000, change.Grew[0].Change);
        Assert.Equal(Lib, change.Grew[1].AllocatedAt);
        Assert.Equal(["src/filare/bom.py:88", null], change.Shrank.Select(s => s.Site));
        Assert.Equal(-1_500_000, change.Shrank[0].Change);
        // Both lists were whole (3 groups, 3 kept): a site on one side only is really at 0 on the other.
        Assert.All(change.Grew, g => Assert.True(g.Listed));
    }

    [Fact]
    public void Peak_rss_per_kind_pins_growth_on_dot_and_memray_figures_ride_along()
    {
        ProfilerRun Memray(long peak, long allocations) =>
            new(ProfilerNames.Memray, ProfilerStatus.Ok, null, "1.19.1", 1, 2, 0, [], [], Memory: new MemoryStats(peak, allocations, 10));

        var change = HeapVerdicts.Of(Run(45_000_000, dotRss: 20_000_000), Run(45_000_000, dotRss: 60_000_000), HeapVerdicts.AgainstBase, 0.01, null, false,
            [Memray(50_000_000, 1_000_000)], [Memray(50_100_000, 1_200_000)])!;

        Assert.Equal(MemoryVerdict.Unchanged, change.Peak.Verdict);
        Assert.Equal(MemoryVerdict.Unchanged, change.Rss.Single(r => r.Scope == "python peak RSS").Verdict);
        Assert.Equal(MemoryVerdict.More, change.Rss.Single(r => r.Scope == "dot peak RSS").Verdict);
        Assert.Equal(MemoryVerdict.Unchanged, change.Memray.Single(m => m.Scope == "memray peak").Verdict);
        Assert.Equal(MemoryVerdict.More, change.Memray.Single(m => m.Scope == "memray allocations").Verdict);
    }

    [Fact]
    public void The_report_and_the_comment_say_more_memory_and_name_the_line_that_grew_escaped()
    {
        var before = Run(30_000_000, [Site("src/filare/parse.py:40", "yaml/constructor.py:411", 5_000_000)]);
        var after = Run(36_000_000,
            [Site("src/filare/parse.py:40", "yaml/constructor.py:411", 5_000_000), Site("src/filare/c`a|che.py:7", "src/filare/c`a|che.py:7", 6_000_000)]);
        var metrics = Metrics(Scenario("demo01", after, before)) with
        {
            Compare = new CompareRun("origin/main", "1111111111aaaaaaaaaa", CompareMode.AB, CompareStatus.Ok, null, "/tmp/base", "new venv", null, "3.12.3"),
        };
        var input = new ReportInput(RunAnalysis.Of(metrics, new ComparisonSettings()));

        var report = ReportMarkdown.Render(input);
        var comment = ReportMarkdown.RenderComment(input);

        Assert.Contains("### Where the memory went", report, StringComparison.Ordinal);
        Assert.Contains("🔴 **more memory** +20%", report, StringComparison.Ordinal);
        Assert.Contains("`src/filare/c'a|che.py:7`", report, StringComparison.Ordinal);
        Assert.Contains("+6.00 MB", report, StringComparison.Ordinal);
        Assert.Contains("**Where the memory went**", comment, StringComparison.Ordinal);
        Assert.Contains("`src/filare/c'a|che.py:7` +6.00 MB", comment, StringComparison.Ordinal);
        Assert.DoesNotContain("allocation sites whose size", comment, StringComparison.Ordinal);
    }

    [Fact]
    public void Peak_rss_per_process_within_the_threshold_reads_same_and_beyond_it_its_change()
    {
        // The python process's peak RSS jitters by 0.3% (within the 1% heap threshold); dot's triples.
        var metrics = Metrics(Scenario("demo01", Run(45_000_000, dotRss: 60_000_000, pythonRss: 120_400_000), Run(45_000_000, dotRss: 20_000_000))) with
        {
            Compare = new CompareRun("origin/main", "1111111111aaaaaaaaaa", CompareMode.AB, CompareStatus.Ok, null, "/tmp/base", "new venv", null, "3.12.3"),
        };

        var report = ReportMarkdown.Render(new ReportInput(RunAnalysis.Of(metrics, new ComparisonSettings())));

        Assert.Contains("| python same, dot +200% |", report, StringComparison.Ordinal);
        Assert.DoesNotContain("python +0.3", report, StringComparison.Ordinal);
    }

    [Fact]
    public void The_timeout_scales_with_the_clean_runs_and_has_a_floor_and_a_ceiling()
    {
        var scenario = TimeSpan.FromSeconds(300);
        Assert.Equal(TimeSpan.FromSeconds(HeapTracer.SlowdownFactor * 10), HeapTracer.Timeout(scenario, 10));
        Assert.Equal(HeapTracer.MinimumTimeout, HeapTracer.Timeout(scenario, 0.2));
        Assert.Equal(scenario * HeapTracer.SlowdownFactor, HeapTracer.Timeout(scenario, null));
    }

    [Theory]
    [InlineData("kind: command\ncommand: [filare, run, a.yml]", true)]
    [InlineData("command: [filare, run, a.yml]\nheap: false", false)]
    [InlineData("kind: pytest\npytest: {paths: [tests/]}", false)]
    [InlineData("kind: pytest\npytest: {paths: [tests/]}\nheap: true", true)]
    public void Scenarios_trace_the_heap_unless_they_opt_out_and_pytest_only_when_it_opts_in(string yaml, bool traced)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("filare-perf-scenario-").FullName, "case.yml");
        File.WriteAllText(file, "name: case\n" + yaml + "\n");

        Assert.Equal(traced, Scenarios.ScenarioFile.Load(file, "scenarios/case.yml").TracesHeap);
    }

    private static ScenarioResult Scenario(string name, HeapRun head, HeapRun @base)
    {
        var samples = new[] { 1.0, 1.01 }.Select((w, i) => new RunSample(SampleKind.Run, i + 1, RunStatus.Ok, w, 0.9, 0.1, 100L << 20, 0, null, 0,
            $"{name}/run-{i + 1}/stdout.txt", $"{name}/run-{i + 1}/stderr.txt", $"{name}/run-{i + 1}/output", null) { Order = i + 1 }).ToList();
        return new ScenarioResult(name, "d", ["render"], ["filare", "run"], "/src", ScenarioStatus.Ok, null, 2, 0, [], samples, ScenarioStatistics.Of(samples),
            [],
            new SideResult(ScenarioStatus.Ok, null, [], samples, ScenarioStatistics.Of(samples), [], Heap: @base)) { Heap = head };
    }

    private static RunMetrics Metrics(params ScenarioResult[] scenarios) => new(
        RunMetrics.SchemaName, RunMetrics.CurrentVersion, "local", RunState.Complete,
        new DateTimeOffset(2026, 11, 25, 3, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 25, 3, 5, 0, TimeSpan.Zero),
        new RunEnvironment("AMD EPYC 7763", 4, 16L << 30, "Ubuntu 24.04", "6.8.0", "x64", "3.12.3", "CPython", "/usr/bin/python3", "/src", "2222222222bbbb",
            "main", false, null, "10.0.0", null),
        new PerformanceSettings("outputs/perf", "local", null, null, null,
            new PySpySettings(true, 100, SpyOutput.Svg, false, false, false), new ScaleneSettings(true, 0.01, true, true, "filare"),
            new MemraySettings(false, false, MemrayFormat.Flamegraph, false, 50), new CProfileSettings(true, CProfileSort.Tottime, CProfileFormat.Pstats)),
        scenarios);
}
