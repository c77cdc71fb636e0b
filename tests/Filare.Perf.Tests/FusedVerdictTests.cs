using Filare.Perf.Analysis;
using Filare.Perf.Comparison;
using Filare.Perf.Instructions;
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
        var after = work switch { "more" => 1_080_000_000, "less" => 920_000_000, _ => 1_001_000_000 };
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
    [InlineData("unchanged", "more", FusedOutcome.Unchanged, "⚪", "; work +8.0% in instructions, too little to show")]
    [InlineData("unchanged", "same", FusedOutcome.Unchanged, "⚪", "in wall time; same work")]
    [InlineData("unchanged", "less", FusedOutcome.Unchanged, "⚪", "; work -8.0% in instructions, too little to show")]
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
        Assert.Equal(FusedVerdict.Rule(found.Paired.WallSeconds.Verdict, fused.Signal), fused.Outcome);
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

        Assert.Contains("per process: python +0.1%, dot +0.0%", found.Fused!.Words, StringComparison.Ordinal);
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

        Assert.Equal("🔴 1 slower (demo01 +10.1% runtime) · 🟠 1 more work, wall time not yet conclusive (multi-page +12.5% instructions)", headline);
        Assert.DoesNotContain("inconclusive", headline, StringComparison.Ordinal);
    }
}
