using Filare.Perf.Analysis;
using Filare.Perf.Instructions;
using Filare.Perf.Profilers;
using Filare.Perf.Reporting;
using Filare.Perf.Results;

namespace Filare.Perf.Tests;

/// <summary>
/// The fused verdict (docs/performance/report.md "One verdict per scenario"): every row of the rule,
/// from paired wall times and instruction counts as PerfRun writes them, through the analysis.
/// </summary>
public sealed partial class ReportMarkdownTests
{
    private static InstructionRun Counted(long python, long dot = 0) => new(
        InstructionStatus.Ok, null, python + dot,
        [new ProcessInstructions(100, 1, ProcessKind.Python, "python -m filare run demo01.yml", python, 0, null),
         new ProcessInstructions(101, 100, ProcessKind.Dot, "/usr/bin/dot -Tsvg", dot, 0, null)],
        0, 10, 120, Valgrind.ToolName, "3.19.0", "3.11.7", "s/instructions/head/valgrind", []);

    /// <summary>Per pair head/base factors: the wall-time verdict each of the four rows of the rule needs.</summary>
    private static double[] Wall(string verdict) => verdict switch
    {
        "slower" => Shifted(1.10),
        "faster" => Shifted(0.90),
        "unchanged" => Shifted(1.0),
        // One pair far off: the interval straddles +5% and the test is not significant.
        _ => s_baseWalls.Select((w, i) => Math.Round(w * new[] { 1.12, 0.97, 1.09, 0.99, 1.06 }[i], 6)).ToArray(),
    };

    private static ScenarioAnalysis Fused(string wall, string work)
    {
        const long before = 1_000_000_000;
        // "more"/"less": 8%, beyond the wall-time threshold (5%) too; "a little more/less": 3%, beyond the instruction threshold (1%) only.
        var after = work switch
        {
            "more" => 1_080_000_000, "less" => 920_000_000, "a little more" => 1_030_000_000, "a little less" => 970_000_000, _ => 1_001_000_000,
        };
        var scenario = Compared("demo01", s_baseWalls, Wall(wall));
        if (work != "not counted")
        {
            scenario = scenario with { Instructions = Counted(after), Base = scenario.Base! with { Instructions = Counted(before) } };
        }
        return Analysed(CompareMetrics("pr-7", AB(), scenario)).For("demo01");
    }

    [Theory]
    [InlineData("slower", "more", FusedOutcome.Slower, "🔴", "slower +")]
    [InlineData("slower", "same", FusedOutcome.SlowerWaiting, "🟡", "slower in wall time +")]
    [InlineData("slower", "less", FusedOutcome.SlowerWaiting, "🟡", ", less work (-8.0% in instructions): waiting (I/O")]
    [InlineData("slower", "not counted", FusedOutcome.Slower, "🔴", "in wall time (instructions not counted)")]
    [InlineData("faster", "less", FusedOutcome.Faster, "🟢", "in wall time; work -8.0% in instructions")]
    [InlineData("faster", "same", FusedOutcome.Faster, "🟢", ", same work (+0.1% in instructions, within ±1%): less waiting")]
    [InlineData("faster", "more", FusedOutcome.Faster, "🟢", "with more work (+8.0% in instructions)")]
    [InlineData("faster", "not counted", FusedOutcome.Faster, "🟢", "in wall time (instructions not counted)")]
    [InlineData("unchanged", "more", FusedOutcome.SlowerWork, "🟠", "more work (+8.0% in instructions); wall time +")]
    [InlineData("unchanged", "a little more", FusedOutcome.Unchanged, "⚪", "; work +3.0% in instructions, smaller than the wall-time threshold")]
    [InlineData("unchanged", "same", FusedOutcome.Unchanged, "⚪", "in wall time; same work")]
    [InlineData("unchanged", "less", FusedOutcome.FasterWork, "🔵", "less work (-8.0% in instructions); wall time +")]
    [InlineData("unchanged", "a little less", FusedOutcome.Unchanged, "⚪", "; work -3.0% in instructions, smaller than the wall-time threshold")]
    [InlineData("unchanged", "not counted", FusedOutcome.Unchanged, "⚪", "in wall time")]
    [InlineData("inconclusive", "more", FusedOutcome.SlowerWork, "🟠", "slower (work +8.0% in instructions; wall time +")]
    [InlineData("inconclusive", "less", FusedOutcome.FasterWork, "🔵", "faster (work -8.0% in instructions; wall time +")]
    [InlineData("inconclusive", "same", FusedOutcome.SameWork, "⚪", "same work (+0.1% in instructions, within ±1%); wall time +")]
    [InlineData("inconclusive", "not counted", FusedOutcome.Inconclusive, "❔", "inconclusive: wall time +")]
    public void Every_row_of_the_fusion_rule(string wall, string work, FusedOutcome outcome, string mark, string words)
    {
        var found = Fused(wall, work);

        // The wall-time verdict is the row's own (the fixture would test nothing if it drifted).
        Assert.Equal(wall, found.Paired!.WallSeconds.Verdict.ToString().ToLowerInvariant());
        var fused = found.Fused!;
        Assert.Equal(outcome, fused.Outcome);
        Assert.Equal(mark, fused.Mark());
        Assert.Contains(words, fused.Words, StringComparison.Ordinal);
        // Wall time's change is always quoted with its interval.
        Assert.Matches(@"[+-]\d+\.\d% \[[+-]\d+\.\d%, [+-]\d+\.\d%\]", fused.Words);
        Assert.Equal(FusedVerdict.Rule(found.Paired.WallSeconds.Verdict, fused.Signal, Math.Abs(fused.WorkChange ?? 0) >= 0.05), fused.Outcome);
    }

    [Fact]
    public void A_scenario_whose_count_is_off_by_its_file_or_kind_is_not_told_to_enable_instructions()
    {
        var off = Compared("tests", s_baseWalls, Wall("inconclusive")) with { Instructions = InstructionRun.Skipped(InstructionRun.OffForScenario, "3.19.0") };
        var missing = Compared("demo01", s_baseWalls, Wall("inconclusive"));

        var analysis = Analysed(CompareMetrics("pr-7", AB(), off, missing));

        var words = analysis.For("tests").Fused!.Words;
        Assert.Equal(FusedOutcome.Inconclusive, analysis.For("tests").Fused!.Outcome);
        Assert.Contains("instructions are off for this scenario", words, StringComparison.Ordinal);
        Assert.DoesNotContain("--enable-instructions", words, StringComparison.Ordinal);
        // A run without counts at all is still told how to get them.
        Assert.Contains("--enable-instructions would decide the work", analysis.For("demo01").Fused!.Words, StringComparison.Ordinal);
    }

    [Fact]
    public void Slower_wall_time_with_the_same_work_names_the_processes_and_the_headline_says_same_work()
    {
        var analysis = Analysed(CompareMetrics("pr-7", AB(), Compared("demo01", s_baseWalls, Wall("slower")) with
        {
            Instructions = Counted(1_001_000_000, 50_000_000),
            Base = Compared("demo01", s_baseWalls, s_baseWalls).Base! with { Instructions = Counted(1_000_000_000, 50_000_000) },
        }));
        var found = analysis.For("demo01");

        // Within the instruction threshold a process's count is "same", not a signed delta (no change without its uncertainty).
        Assert.Contains("per process: python same, dot same", found.Fused!.Words, StringComparison.Ordinal);
        var headline = HeaderSection.Headline(analysis.Summary, s => s);
        Assert.StartsWith("🟡 1 slower in wall time with the same work (demo01 +10.", headline, StringComparison.Ordinal);
    }

    [Fact]
    public void The_headline_quotes_work_as_instructions_never_as_slower_by()
    {
        var metrics = CompareMetrics("pr-7", AB(),
            Compared("multi-page", s_baseWalls, Wall("inconclusive")) with
            {
                Instructions = Counted(1_125_000_000),
                Base = Compared("multi-page", s_baseWalls, s_baseWalls).Base! with { Instructions = Counted(1_000_000_000) },
            },
            Compared("demo01", s_baseWalls, Wall("slower")));

        var headline = HeaderSection.Headline(Analysed(metrics).Summary, s => s);

        Assert.Equal("🔴 1 slower (demo01 +10.1% runtime) · 🟠 1 more work, not proven in wall time (multi-page +12.5% instructions)", headline);
        Assert.DoesNotContain("inconclusive", headline, StringComparison.Ordinal);
    }
}

/// <summary>The PR comment reads in ten seconds: its size for six scenarios, and the verdict table's column rules.</summary>
public sealed partial class ReportMarkdownTests
{
    /// <summary>Six scenarios as the shipped scenarios/ has them, each with a cProfile capture on both sides and its artifact.</summary>
    private static (ReportInput Input, RunMetrics Metrics) SixScenarios(bool counted = true)
    {
        ProfilerRun Profile(string scenario, string side) => new(CProfile.Name, ProfilerStatus.Ok, null, "3.12.3", 1.5, 1.2, 0,
            [new Artifact("pstats", $"{scenario}/{side}/pr-7-2222222-{scenario}-{side}-cprofile.pstats", 1234, new string('a', 64))], [],
            new CallStats(10_000, 9_990, 1.1, []));
        ScenarioResult Scenario(string name, string wall, double work)
        {
            var scenario = Compared(name, s_baseWalls, Wall(wall), baseProfilers: [Profile(name, "base")], headProfilers: [Profile(name, "head")]);
            return counted
                ? scenario with { Instructions = Counted((long)(1_000_000_000 * work)), Base = scenario.Base! with { Instructions = Counted(1_000_000_000) } }
                : scenario;
        }
        var metrics = CompareMetrics("pr-7-2222222", AB(),
            Scenario("demo01", "slower", 1.2), Scenario("multi-page", "inconclusive", 1.125), Scenario("rendering", "inconclusive", 1.207),
            Scenario("pytest-render-bom", "inconclusive", 1.001), Scenario("bomqty", "unchanged", 1.0),
            Compared("bomqty-multipliers", s_baseWalls, s_baseWalls,
                side: new SideResult(ScenarioStatus.Timeout, "run 1: timed out after 60 s", [], [], null, [])));
        var links = new ReportLinks("https://github.com/o/r/actions/runs/42",
            metrics.Scenarios.Select((s, i) => (s.Name, i))
                .ToDictionary(s => $"perf-{s.Name}", s => $"https://github.com/o/r/actions/runs/42/artifacts/{100 + s.i}"));
        return (new ReportInput(Analysed(metrics), links, "pull_request #7"), metrics);
    }

    [Fact]
    public void The_comment_for_six_scenarios_fits_six_kilobytes_and_leads_with_one_verdict_table()
    {
        var (input, _) = SixScenarios();

        var comment = ReportMarkdown.RenderComment(input);
        var full = ReportMarkdown.Render(input);

        if (Environment.GetEnvironmentVariable("FIL_PERF_DUMP") is { Length: > 0 } dump) { File.WriteAllText(dump + "/comment.md",
            comment); File.WriteAllText(dump + "/full.md", full); }
        var size = System.Text.Encoding.UTF8.GetByteCount(comment);
        Assert.True(size <= 6 * 1024, $"the comment is {size} bytes:\n{comment}");
        // The full report is the job summary: longer, and the comment is not a copy of it.
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(full) > 2 * size);
        var table = comment[comment.IndexOf("| Scenario | Verdict |", StringComparison.Ordinal)..];
        Assert.StartsWith("| Scenario | Verdict | Wall time [95% interval] | Work (instructions) |\n", table, StringComparison.Ordinal);
        Assert.Contains("| multi-page | 🟠 **more work** | +", comment, StringComparison.Ordinal);
        Assert.Contains("| pytest-render-bom | ⚪ same work | +", comment, StringComparison.Ordinal);
        Assert.Contains("| bomqty-multipliers | ❌ base timed out | - | - |\n", comment, StringComparison.Ordinal);
        // One verdict table: the detailed runtime and memory tables, the profilers and the chart stay in the job summary.
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(comment, @"^\| Scenario \|", System.Text.RegularExpressions.RegexOptions.Multiline));
        Assert.DoesNotContain("Profiler reports", comment, StringComparison.Ordinal);
        Assert.Contains("Profiler reports", full, StringComparison.Ordinal);
        Assert.Contains("#### Change per scenario", full, StringComparison.Ordinal);
        // The headline never reads "inconclusive" for a scenario whose work moved.
        Assert.StartsWith("### 🔴 1 slower (demo01 +10.1% runtime) · 🟠 2 more work, not proven in wall time " +
            "(multi-page +12.5% instructions, rendering +20.7% instructions)", comment, StringComparison.Ordinal);
    }

    [Fact]
    public void A_column_that_says_the_same_in_every_row_is_stated_once_and_one_that_differs_stays()
    {
        var (counted, _) = SixScenarios();
        var (uncounted, _) = SixScenarios(counted: false);

        var withWork = ReportMarkdown.RenderComment(counted);
        var withoutWork = ReportMarkdown.RenderComment(uncounted);

        // No A/A run: "not calibrated" in every row becomes one statement; peak RSS unchanged everywhere likewise.
        Assert.DoesNotContain("| not calibrated |", withWork, StringComparison.Ordinal);
        Assert.Contains("Noise floor: not calibrated", withWork, StringComparison.Ordinal);
        Assert.Contains("Peak RSS: ⚪ unchanged in every scenario", withWork, StringComparison.Ordinal);
        Assert.DoesNotContain("| Peak RSS |", withWork, StringComparison.Ordinal);
        // The work column differs by row, so it stays; without counts it has nothing to say and goes.
        Assert.Contains("| Work (instructions) |", withWork, StringComparison.Ordinal);
        Assert.DoesNotContain("Work (instructions)", withoutWork, StringComparison.Ordinal);
        // The failed row has no figures: it neither keeps nor blocks a stated column, and keeps its verdict.
        Assert.Contains("| bomqty-multipliers | ❌ base timed out |", withoutWork, StringComparison.Ordinal);

        var table = new MarkdownTable(new Column("Scenario"), new Column("A"), new Column("B"));
        table.Row("x", "same", "1").Row("y", "same", "2").Aside("z", MarkdownTable.None, "3");
        var (markdown, stated) = table.RenderCompact();
        Assert.Equal(["A: same"], stated);
        Assert.StartsWith("| Scenario | B |\n", markdown, StringComparison.Ordinal);
        var blocked = new MarkdownTable(new Column("Scenario"), new Column("A")).Row("x", "same").Row("y", "same").Aside("z", "❌ failed");
        Assert.Empty(blocked.RenderCompact().Stated);
    }
}
