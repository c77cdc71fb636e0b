using Filare.Perf.ImportTime;
using Filare.Perf.Processes;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests;

/// <summary>-X importtime's lines from the real interpreter, split from the program's stderr, as a tree; and two trees compared.</summary>
public sealed class ImportTimeTests
{
    private static async Task<string> FixtureStderrAsync(string imports = "fast,slow", int slowMs = 60)
    {
        var result = await ToolProcess.RunAsync("python3", ["-X", "importtime", Repository.Fixture, "--import-tree", "--imports", imports, "--slow-import-ms",
            slowMs.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            Path.GetTempPath(), TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded, result.StandardError);
        return result.StandardError;
    }

    [Fact]
    public async Task The_real_interpreters_lines_become_a_tree_with_the_slow_module_under_its_importer()
    {
        var log = ImportTimeLog.Parse(await FixtureStderrAsync());
        var tree = ImportTree.Of(log.Records);

        Assert.Equal(0, log.Malformed);
        Assert.Equal(1, log.Headers);
        var slow = tree["fixture_pkg.slow"]!;
        Assert.Equal("fixture_pkg.app", slow.Parent);
        Assert.Equal(1, slow.Depth);
        // It sleeps 60 ms while it is imported: that is its own time, and inside its importer's.
        Assert.True(slow.SelfUs >= 60_000, $"self {slow.SelfUs} µs");
        Assert.True(tree["fixture_pkg.app"]!.CumulativeUs >= slow.CumulativeUs + tree["fixture_pkg.fast"]!.CumulativeUs);
        Assert.Equal(["fixture_pkg.app"], tree.Chain("fixture_pkg.slow"));
        Assert.Null(tree["fixture_pkg.app"]!.Parent);
        Assert.Equal("fixture_pkg.slow",
            tree.Top(50).First(m => m.Module.StartsWith("fixture_pkg.", StringComparison.Ordinal) && m.Module != "fixture_pkg.app").Module);
        // The total is the top-level imports' cumulative times; it holds the slow one.
        Assert.Equal(tree.Modules.Where(m => m.Parent is null).Sum(m => m.CumulativeUs), tree.TotalUs);
        Assert.True(tree.TotalUs > slow.CumulativeUs);
        // Collapsed by self time, the flamegraph's width of a module is its cumulative time.
        var stacks = tree.ToCollapsed();
        Assert.Equal(slow.SelfUs, stacks.Counts["fixture_pkg.app;fixture_pkg.slow"]);
        Assert.Equal(tree.Modules.Sum(m => m.SelfUs), stacks.Total);
    }

    [Fact]
    public async Task The_programs_own_stderr_is_kept_whole_even_when_a_line_of_cpythons_is_glued_to_it()
    {
        var stderr = await FixtureStderrAsync();
        Assert.Contains("fixture: slow module imported; import time:", stderr);

        var log = ImportTimeLog.Parse(stderr);

        // The slow module wrote its text without a newline, then CPython's line followed on the same line.
        Assert.Equal("fixture: slow module imported; (imports done)\n", log.ProgramStderr);
        Assert.All(log.Lines, line => Assert.StartsWith("import time:", line));
        Assert.Equal(log.Records.Count + 1, log.Lines.Count);
        Assert.Contains(log.Records, r => r.Module == "fixture_pkg.slow");
    }

    [Fact]
    public void Malformed_and_truncated_lines_are_counted_not_fatal_and_orphans_become_top_level()
    {
        const string stderr = "import time: self [us] | cumulative | imported package\n"
            + "import time:        10 |         10 |     deep\n"          // its parent never printed (cut off)
            + "import time:        20 |         30 |   child\n"
            + "import time:    abc |   1 | bad\n"
            + "import time:        40\n"
            + "Traceback (most recent call last):\n"
            + "import time:        50 |        80 | top\n"
            + "import time:        5 |        5 | last_cut_o";              // no newline: the process died

        var log = ImportTimeLog.Parse(stderr);
        var tree = ImportTree.Of(log.Records);

        Assert.Equal(2, log.Malformed);
        Assert.Equal("Traceback (most recent call last):\n", log.ProgramStderr);
        Assert.Equal(["top", "child", "deep"], tree.Chain("deep").Append("deep"));
        Assert.Equal(["deep", "child", "top", "last_cut_o"], tree.Modules.Select(m => m.Module));
        Assert.Equal(85, tree.TotalUs);
        Assert.Empty(ImportTimeLog.Parse("").Records);
        Assert.Empty(ImportTree.Of([]).Modules);
    }

    [Fact]
    public void Several_runs_merge_by_median_per_module()
    {
        ImportTree Run(long a, long b, bool withC) => ImportTree.Of(
            [new("b", b, b, 1), .. withC ? new[] { new ImportRecord("c", 7, 7, 1) } : [], new("a", a, a + b + (withC ? 7 : 0), 0)]);

        var merged = ImportTree.Median([Run(100, 10, false), Run(300, 30, true), Run(200, 20, false)]);

        Assert.Equal(3, merged.Runs);
        Assert.Equal((200, 20), (merged["a"]!.SelfUs, merged["b"]!.SelfUs));
        Assert.Equal((7, 1), (merged["c"]!.SelfUs, merged["c"]!.Runs));
        Assert.Equal("a", merged["c"]!.Parent);
        // Cumulative times add up again from the medians, so the tree, its flamegraph and its total agree.
        Assert.Equal(227, merged["a"]!.CumulativeUs);
        Assert.Equal(227, merged.TotalUs);
        Assert.Equal(merged.TotalUs, merged.ToCollapsed().Total);
    }

    [Fact]
    public async Task The_diff_lists_what_grew_and_what_is_new_or_gone_where_it_starts_with_its_importer_chain()
    {
        // Four runs per side, interleaved, merged as the profiler merges them: a change is tested against their spread.
        var (bases, heads) = (new List<ImportTree>(), new List<ImportTree>());
        for (var i = 0; i < 4; i++)
        {
            // 400 ms: beyond the total import time's spread even on a loaded runner (a site-packages .pth can cost 0.3 s, and varies).
            var first = await FixtureStderrAsync(i % 2 == 0 ? "fast" : "slow,extra", 400);
            var second = await FixtureStderrAsync(i % 2 == 0 ? "slow,extra" : "fast", 400);
            bases.Add(ImportTree.Of(ImportTimeLog.Parse(i % 2 == 0 ? first : second).Records));
            heads.Add(ImportTree.Of(ImportTimeLog.Parse(i % 2 == 0 ? second : first).Records));
        }
        var (@base, head) = (ImportTree.Median(bases), ImportTree.Median(heads));

        var diff = ImportDiff.Of(@base, head, count: 500);

        var slow = diff.New.Single(n => n.Module == "fixture_pkg.slow");
        Assert.Equal(["fixture_pkg.app"], slow.Chain);
        // extra pulled in fractions and what fractions imports: one row, the modules counted.
        var extra = diff.New.Single(n => n.Module == "fixture_pkg.extra");
        Assert.True(extra.Modules >= 2, $"{extra.Modules} modules");
        Assert.DoesNotContain(diff.New, n => n.Module == "fractions");
        Assert.Equal("fixture_pkg.fast", Assert.Single(diff.Gone).Module);
        // app now imports a module that sleeps 60 ms: it grew (the whole total need not: site's own time is noisier than that).
        // app now imports a module that sleeps 400 ms: it grew, unless this runner's total import time spread more than that
        // (a loaded shared runner can): then the rule must leave it out, as it leaves out every module within the total's noise.
        var (before, after) = (@base["fixture_pkg.app"]!.Values, head["fixture_pkg.app"]!.Values);
        var beyond = ImportNoise.Of(before, after, diff.TotalFloorUs).Beyond;
        Assert.True(ImportNoise.Of(before, after).Beyond, $"base {string.Join(",", before)}, head {string.Join(",", after)}");
        Assert.Equal(beyond, diff.Grew.Any(g => g.Module == "fixture_pkg.app" && g.Chain.Count == 0 && g.ChangeUs > 0));
        // Small growth is the runner's noise, not listed; every listed one passed the noise test.
        Assert.All(diff.Grew, g => Assert.True(g.ChangeUs >= Math.Max(1000, g.BaseCumulativeUs / 10), $"{g.Module} +{g.ChangeUs} µs"));
        Assert.All(diff.Grew.Concat(diff.Shrunk), g =>
            Assert.True(ImportNoise.Of(@base[g.Module]!.Values, head[g.Module]!.Values, diff.TotalFloorUs).Beyond, g.Module));
        Assert.Equal(head.TotalUs - @base.TotalUs, diff.ChangeUs);
        Assert.Equal(4, diff.Runs);
    }

    [Fact]
    public async Task An_a_a_of_the_fixture_reports_no_import_grown_or_shrunk_and_one_run_per_side_never_reports_a_change()
    {
        var (bases, heads) = (new List<ImportTree>(), new List<ImportTree>());
        for (var i = 0; i < 4; i++)
        {
            // Interleaved, each side first as often: the first run of a pair pays for a cold page cache.
            (i % 2 == 0 ? bases : heads).Add(ImportTree.Of(ImportTimeLog.Parse(await FixtureStderrAsync()).Records));
            (i % 2 == 0 ? heads : bases).Add(ImportTree.Of(ImportTimeLog.Parse(await FixtureStderrAsync()).Records));
        }

        var aa = ImportDiff.Of(ImportTree.Median(bases), ImportTree.Median(heads), count: 500);
        // One run per side, even with a real 60 ms sleep added on the head: nothing to test it against.
        var single = ImportDiff.Of(bases[0], ImportTree.Of(ImportTimeLog.Parse(await FixtureStderrAsync("fast,slow,extra")).Records), count: 500);

        Assert.Empty(aa.Grew);
        Assert.Empty(aa.Shrunk);
        Assert.Empty(aa.New);
        Assert.Empty(aa.Gone);
        Assert.False(aa.TotalChanged);
        var text = new System.Text.StringBuilder();
        Filare.Perf.Reporting.WhereTimeWent.AppendImportDiff(text, "fixture", aa);
        Assert.Contains("fixture: no import changed beyond noise, none is new or gone (all imports within noise (spread ", text.ToString(),
            StringComparison.Ordinal);
        Assert.Empty(single.Grew);
        Assert.False(single.TotalChanged);
        Assert.NotEmpty(single.New);
    }

    [Fact]
    public void A_module_changes_only_when_the_sides_runs_are_apart_beyond_their_spread()
    {
        // 3 + 3 runs, µs: apart by 10 ms with 2 ms spreads: beyond; overlapping runs: within; apart but by less than the spread: within.
        Assert.True(ImportNoise.Of([20_000, 21_000, 22_000], [30_000, 31_000, 32_000]).Beyond);
        Assert.False(ImportNoise.Of([20_000, 29_000, 22_000], [21_000, 31_000, 32_000]).Beyond);
        Assert.False(ImportNoise.Of([20_000, 21_000, 30_000], [31_000, 31_500, 60_000]).Beyond);
        // Below 1 ms or 10% of the base it is never a change, however tight the runs.
        Assert.False(ImportNoise.Of([20_000, 20_001, 20_002], [20_900, 20_901, 20_902]).Beyond);
        Assert.Equal(2000, ImportNoise.Of([20_000, 21_000, 22_000], [30_000, 31_000, 32_000]).FloorUs);
    }

    [Fact]
    public void A_diff_with_nothing_to_list_is_one_sentence_not_a_table_without_rows()
    {
        var nothing = new ImportDiff(40_000, 40_400, [], [], [], [], 900, false, 3);
        var text = new System.Text.StringBuilder();

        Filare.Perf.Reporting.WhereTimeWent.AppendImportDiff(text, "demo01", nothing);

        Assert.DoesNotContain("| Module |", text.ToString());
        Assert.Contains("demo01: no import changed beyond noise, none is new or gone (all imports within noise (spread 0.9 ms, 3+ runs per side)).",
            text.ToString());
    }

    [Fact]
    public void A_module_printed_twice_by_an_outer_import_is_two_nodes_and_its_chain_does_not_loop()
    {
        // Real Filare 1.6: filare.cli imports filare.models.harness_quantity; importing the package
        // filare.models first imports harness_quantity too (the inner line, with its work); then the
        // outer import completes and CPython prints the module again.
        const string stderr = """
            import time: self [us] | cumulative | imported package
            import time:       263 |        263 |   filare
            import time:     17513 |      17513 |         filare.models.harness_quantity
            import time:      2529 |      20042 |       filare.index_table
            import time:       650 |      20692 |     filare.models
            import time:        19 |      20711 |   filare.models.harness_quantity
            import time:       262 |      21236 | filare.cli
            """;

        var tree = ImportTree.Of(ImportTimeLog.Parse(stderr).Records);

        Assert.Equal(17513, tree["filare.models.harness_quantity"]!.SelfUs);
        Assert.Equal(["filare.cli", "filare.models.harness_quantity (outer)", "filare.models", "filare.index_table"],
            tree.Chain("filare.models.harness_quantity"));
        Assert.Equal(["filare.cli", "filare.models.harness_quantity (outer)"], tree.Chain("filare.models"));
        Assert.Equal(21236, tree.TotalUs);
        Assert.Equal(tree.TotalUs, tree.ToCollapsed().Total);
    }
}
