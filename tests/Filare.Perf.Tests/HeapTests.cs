using Filare.Perf.Results;
using Filare.Perf.Tests.Support;
using static Filare.Perf.Tests.CompareRunTests;

namespace Filare.Perf.Tests;

/// <summary>
/// TraceHeap on the fixture program: one run per side under tracemalloc, its Python children traced,
/// every process's peak RSS read from /proc. The fixture keeps its work small: a traced run of it
/// takes a few seconds.
/// </summary>
public sealed class HeapTests
{
    private static readonly Dictionary<string, string> Quiet = new() { ["FIL_PERF_PROFILERS"] = "cprofile", ["FIL_PERF_ENABLE_CPROFILE"] = "false",
        ["FIL_PERF_RUN_LABEL"] = "local" };

    private const string KeepDefault = "parser.add_argument(\"--keep-mb\", type=int, default=0)";
    private const string DdCall = "dd_allocation(options.child_alloc_dd)";

    /// <summary>The fixture's line that makes the kept objects, as the heap run names it (relative to the Filare root).</summary>
    private static string KeepLine(TestRoot root)
    {
        var lines = File.ReadAllLines(root.File_("perf_fixture.py"));
        return $"perf_fixture.py:{Array.FindIndex(lines, l => l.Contains("return [[index] * 120", StringComparison.Ordinal)) + 1}";
    }

    [Fact]
    public async Task A_head_that_keeps_8_MB_more_is_more_memory_with_the_fixtures_line_on_top()
    {
        using var root = GitRoot(r => r.FixtureScenario("keep", "--work 1", runs: 2));
        var fixture = root.File_("perf_fixture.py");
        var text = File.ReadAllText(fixture);
        Assert.Contains(KeepDefault, text);
        File.WriteAllText(fixture,
            text.Replace(KeepDefault, KeepDefault.Replace("default=0", "default=8", StringComparison.Ordinal), StringComparison.Ordinal));
        Commit(root, "keep 8 MiB");

        var outcome = await root.RunAsync(Quiet, "PerfRun", "--compare-ref", "HEAD~1", "--enable-heap");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var scenario = Assert.Single(root.Metrics().Scenarios);
        Assert.Equal(HeapStatus.Ok, scenario.Heap!.Status);
        Assert.Equal(HeapStatus.Ok, scenario.Base!.Heap!.Status);
        var change = scenario.HeapChange!;
        Assert.True(change.Peak.Verdict == MemoryVerdict.More, $"{change.Peak.Verdict}: {change.Peak.Why}");
        // 8 MiB of lists on a heap of about 1 MB: several times the base's peak.
        Assert.InRange(change.Peak.After!.Value - change.Peak.Before!.Value, 7_000_000L, 12_000_000L);
        var top = change.Grew[0];
        Assert.Equal(KeepLine(root), top.Site);
        Assert.Equal(KeepLine(root), top.AllocatedAt);
        Assert.InRange(top.Change, 6_000_000L, 12_000_000L);
        var summary = File.ReadAllText(Path.Combine(root.RunFolder(), "summary.md"));
        Assert.Contains("### Where the memory went", summary, StringComparison.Ordinal);
        Assert.Contains("**more memory**", summary, StringComparison.Ordinal);
        Assert.Contains($"`{KeepLine(root)}`", summary, StringComparison.Ordinal);
        Assert.Contains("heap:", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_a_a_run_is_unchanged_with_a_heap_floor_under_a_tenth_of_a_percent_and_traces_the_python_child()
    {
        using var root = GitRoot(r => r.FixtureScenario("aa", "--work 1 --keep-mb 2 --child-alloc-mb 4", runs: 2));

        var outcome = await root.RunAsync(Quiet, "PerfRun", "--compare-ref", "HEAD", "--enable-heap");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var scenario = Assert.Single(root.Metrics().Scenarios);
        foreach (var side in new[] { scenario.Heap!, scenario.Base!.Heap! })
        {
            Assert.Equal(HeapStatus.Ok, side.Status);
            Assert.Equal(0, side.ExitCode);
            Assert.True(side.Program!.PeakBytes > 2_000_000, $"peak {side.Program.PeakBytes}");
            Assert.True(side.Program.ExitBlocks > 1000, $"blocks {side.Program.ExitBlocks}");
            // The child (python -c, started by the fixture) traced through sitecustomize: its 4 MiB block.
            var child = Assert.Single(side.Children);
            Assert.InRange(child.PeakBytes, 4L << 20, 5L << 20);
            Assert.Equal(2, side.Processes.Count(p => p.Kind == ProcessKind.Python));
            Assert.True(side.Slowdown > 0, "slowdown against the clean runs");
        }
        var change = scenario.HeapChange!;
        Assert.Equal(MemoryVerdict.Unchanged, change.Peak.Verdict);
        Assert.InRange(change.NoiseFloor!.Value, 0, 0.001);
        Assert.Equal(MemoryVerdict.Unchanged, change.Children!.Verdict);
    }

    [Fact]
    public async Task A_child_that_is_not_python_and_allocates_more_is_where_the_rss_grew()
    {
        using var root = GitRoot(r => r.FixtureScenario("dd", "--work 1 --child-alloc-dd 8", runs: 2));
        var fixture = root.File_("perf_fixture.py");
        var text = File.ReadAllText(fixture);
        Assert.Contains(DdCall, text);
        File.WriteAllText(fixture,
            text.Replace(DdCall, DdCall.Replace("child_alloc_dd)", "child_alloc_dd * 10)", StringComparison.Ordinal), StringComparison.Ordinal));
        Commit(root, "dd with ten times the buffer");

        var outcome = await root.RunAsync(Quiet, "PerfRun", "--compare-ref", "HEAD~1", "--enable-heap");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var scenario = Assert.Single(root.Metrics().Scenarios);
        var dd = Assert.Single(scenario.Heap!.Processes, p => p.Kind == ProcessKind.Other);
        Assert.Contains("dd", dd.Command, StringComparison.Ordinal);
        Assert.True(dd.PeakRssBytes > 80_000_000, $"dd {dd.PeakRssBytes}");
        var change = scenario.HeapChange!;
        var other = Assert.Single(change.Rss, r => r.Scope == "other peak RSS");
        Assert.Equal(MemoryVerdict.More, other.Verdict);
        Assert.True(other.Ratio > 4, $"other x{other.Ratio}");
        // The Python heap did not move: the growth is pinned on the child, not on the program.
        Assert.Equal(MemoryVerdict.Unchanged, change.Peak.Verdict);
        Assert.Contains("other +", File.ReadAllText(Path.Combine(root.RunFolder(), "summary.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_program_that_crashes_under_tracemalloc_keeps_its_other_results_and_is_named_in_the_report()
    {
        using var root = new TestRoot().FixtureScenario("crash", "--work 1 --crash-under-heap", runs: 2);

        var outcome = await root.RunAsync(Quiet, "PerfRun", "--enable-heap");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var scenario = Assert.Single(root.Metrics().Scenarios);
        Assert.Equal(ScenarioStatus.Ok, scenario.Status);
        Assert.Equal(2, scenario.Samples.Count(s => s.Status == RunStatus.Ok));
        Assert.NotNull(scenario.Statistics);
        Assert.Equal(HeapStatus.Failed, scenario.Heap!.Status);
        Assert.Contains("signal 11", scenario.Heap.Message, StringComparison.Ordinal);
        Assert.Null(scenario.Heap.Program);
        var summary = File.ReadAllText(Path.Combine(root.RunFolder(), "summary.md"));
        Assert.Contains("crash: the head's heap run failed", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Heap_runs_are_off_locally_and_a_scenario_can_opt_out()
    {
        using var root = new TestRoot().FixtureScenario("work", "--work 1", runs: 1)
            .Scenario("quiet", """
                name: quiet
                description: opts out
                command: [python, "{root}/perf_fixture.py", "--work", "1"]
                runs: 1
                warmups: 0
                heap: false
                """);

        var local = await root.RunAsync(Quiet, "PerfRun");
        Assert.True(local.ExitCode == 0, local.ToString());
        Assert.Matches(@"TraceHeap\s+Skipped\s+heap runs are off", local.Output);
        Assert.All(root.Metrics().Scenarios, s => Assert.Null(s.Heap));

        var enabled = await root.RunAsync(Quiet, "PerfRun", "--enable-heap");
        Assert.True(enabled.ExitCode == 0, enabled.ToString());
        var quiet = root.Metrics().Scenarios.Single(s => s.Name == "quiet");
        Assert.Equal(HeapStatus.Skipped, quiet.Heap!.Status);
        Assert.Contains("heap: false", quiet.Heap.Message, StringComparison.Ordinal);
        Assert.Equal(HeapStatus.Ok, root.Metrics().Scenarios.Single(s => s.Name == "work").Heap!.Status);
    }

    [Fact]
    public async Task Memrays_peak_and_allocations_are_compared_across_the_sides_with_both_flamegraphs()
    {
        using var root = GitRoot(r => r.FixtureScenario("memray", "--work 1 --keep-mb 1", runs: 2));
        var environment = Fakes.WithMemray(extra: new Dictionary<string, string>(Quiet) { ["FIL_PERF_PROFILERS"] = "memray" });

        var outcome = await root.RunAsync(environment, "PerfRun", "--compare-ref", "HEAD", "--enable-heap", "--profilers", "memray");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var scenario = Assert.Single(root.Metrics().Scenarios);
        var head = scenario.Profilers.Single(p => p.Tool == "memray").Memory!;
        var @base = scenario.Base!.Profilers.Single(p => p.Tool == "memray").Memory!;
        var memray = scenario.HeapChange!.Memray;
        var peak = Assert.Single(memray, m => m.Scope == "memray peak");
        Assert.Equal(@base.PeakBytes, peak.Before);
        Assert.Equal(head.PeakBytes, peak.After);
        var allocations = Assert.Single(memray, m => m.Scope == "memray allocations");
        Assert.Equal(@base.TotalAllocations, allocations.Before);
        Assert.Equal(head.TotalAllocations, allocations.After);
        var summary = File.ReadAllText(Path.Combine(root.RunFolder(), "summary.md"));
        Assert.Contains("Flamegraphs side by side: base `", summary, StringComparison.Ordinal);
        Assert.Contains(" · head `", summary, StringComparison.Ordinal);
    }
}
