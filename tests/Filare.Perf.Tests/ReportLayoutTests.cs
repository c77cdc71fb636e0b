using System.Text.RegularExpressions;
using Filare.Perf.Analysis;
using Filare.Perf.Comparison;
using Filare.Perf.Reporting;
using Filare.Perf.Results;

namespace Filare.Perf.Tests;

/// <summary>The report's layout: headline per combination, narrow comment tables, a chart that plots no failure, Mermaid that parses.</summary>
public sealed partial class ReportMarkdownTests
{

    private static SideResult FailedSide(ScenarioStatus status, string message) => new(status, message, [], [], null, []);

    private static ScenarioResult FailedHead(ScenarioResult scenario, string message) =>
        scenario with { Status = ScenarioStatus.Failed, Message = message, Samples = [], Statistics = null };

    /// <summary>Every kind of report this file builds, as (name, input): the width and Mermaid checks run over all of them.</summary>
    private static IEnumerable<(string Name, ReportInput Input)> Kinds()
    {
        var links = new ReportLinks("https://github.com/o/r/actions/runs/42", new Dictionary<string, string>
        {
            ["perf-demo01"] = "https://github.com/o/r/actions/runs/42/artifacts/7",
            ["perf-metrics"] = "https://github.com/o/r/actions/runs/42/artifacts/8",
        });
        var compare = CompareMetrics("pr-7-2222222", AB(),
            Compared("demo01", s_baseWalls, Shifted(1.10), baseProfilers: [CProfileRun(1_939_751)], headProfilers: [CProfileRun(1_935_325)]),
            Compared("bomqty", s_baseWalls, Shifted(1.024)),
            Compared("rendering", s_baseWalls, s_baseWalls, side: FailedSide(ScenarioStatus.Timeout, "run 1: timed out after 60 s")));
        yield return ("compare", new ReportInput(Analysed(compare), links, "pull_request #7"));
        var baseline = Metrics("main-1", "1111111111", Scenario("demo01", [1.00, 1.01, 0.99, 1.02, 1.00]), Scenario("bomqty", [0.5, 0.5, 0.51, 0.49, 0.5]));
        var now = Metrics("pr-1", "2222222222", Scenario("demo01", [1.15, 1.16, 1.14, 1.17, 1.15]), Scenario("bomqty", [0.5, 0.5, 0.5, 0.5, 0.5]),
            Scenario("a-scenario-with-a-rather-long-name", [], status: ScenarioStatus.Failed, message: new string('x', 300)));
        yield return ("baseline", new ReportInput(Analysed(now, baseline, "perf.yml run 41 on main"), links));
        yield return ("alone", new ReportInput(RunAnalysis.Of(new AnalysisInput(now, new ComparisonSettings(),
            BaselineProblem: "the previous run's perf-metrics artifact has expired (retention) and cannot be downloaded any more"))));
        var aa = CompareMetrics("nightly-aa", AA(), Compared("demo01", s_baseWalls, [1.03, 0.99, 0.97, 1.02, 1.00]),
            Compared("bomqty", s_baseWalls, s_baseWalls));
        yield return ("aa", new ReportInput(Analysed(aa), links));
    }

    [Fact]
    public void The_comment_form_has_tables_of_at_most_six_columns_and_short_cells()
    {
        foreach (var (name, input) in Kinds())
        {
            var comment = ReportMarkdown.RenderComment(input);
            var rows = comment.Split('\n').Where(l => l.StartsWith('|')).ToList();
            Assert.True(rows.Count > 0, $"{name}: the comment has its verdict table\n{comment}");
            foreach (var row in rows)
            {
                var cells = Cells(row);
                Assert.True(cells.Count <= MarkdownTable.MaxColumns, $"{name}: {cells.Count} columns: {row}");
                foreach (var cell in cells)
                {
                    var text = Visible(cell);
                    Assert.True(text.Length <= 40, $"{name}: a cell of {text.Length} characters outside links: '{text}'");
                }
            }
        }
    }

    [Fact]
    public void The_comment_is_the_short_form_headline_verdicts_and_links()
    {
        var (_, input) = Kinds().First(k => k.Name == "compare");

        var comment = ReportMarkdown.RenderComment(input);
        var full = ReportMarkdown.Render(input);

        Assert.StartsWith("### 🔴 1 slower (demo01 +10.", comment, StringComparison.Ordinal);
        // One verdict table in the comment; the detailed runtime and memory tables only in the full report.
        Assert.Contains("| Scenario | Verdict | Wall time [95% interval] |", comment, StringComparison.Ordinal);
        Assert.DoesNotContain(PairedTable, comment, StringComparison.Ordinal);
        Assert.Contains(PairedTable, full, StringComparison.Ordinal);
        Assert.Contains("[job summary](https://github.com/o/r/actions/runs/42)", comment, StringComparison.Ordinal);
        Assert.Contains("[perf-metrics](https://github.com/o/r/actions/runs/42/artifacts/8)", comment, StringComparison.Ordinal);
        Assert.DoesNotContain("mermaid", comment, StringComparison.Ordinal);
        Assert.DoesNotContain("Problems", comment.Replace("problems, profiles", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("#### Problems", full, StringComparison.Ordinal);
        Assert.Equal(full.Split('\n')[0], comment.Split('\n')[0]);
    }

    [Fact]
    public void The_change_chart_draws_each_interval_around_its_change_and_names_what_it_leaves_out()
    {
        var drawn = 0;
        foreach (var (name, input) in Kinds())
        {
            var report = ReportMarkdown.Render(input);
            var block = Regex.Match(report, "#### Change per scenario\n\n```text\n(.*?)\n```", RegexOptions.Singleline);
            if (!block.Success)
            {
                continue;
            }
            var lines = block.Groups[1].Value.Split('\n');
            foreach (var line in lines.Skip(1))
            {
                drawn++;
                var plot = line.Substring(18, ChartSection.Width);
                // One change per line, inside its interval; nothing drawn as 0 for a missing value.
                // One change per line, inside its interval (a narrow interval may be the change's cell alone).
                Assert.True(plot.Count(c => c == '●') == 1 || plot.Any(c => c is '◀' or '▶'), $"{name}: {line}");
                var (first, last) = (plot.IndexOfAny(['├', '◀', '●']), plot.LastIndexOfAny(['┤', '▶', '●']));
                Assert.True(first >= 0 && plot[first..(last + 1)].All(c => "─├┤●◆◀▶".Contains(c)), $"{name}: {line}");
                Assert.Matches(@"  [+-]\d+\.\d% \[[+-]\d+\.\d%, [+-]\d+\.\d%\]", line);
            }
            Assert.DoesNotContain("```mermaid", report, StringComparison.Ordinal);
        }
        Assert.True(drawn >= 4, $"lines drawn over the report kinds: {drawn}");
        // The timed-out base of "rendering" is left out and named, not drawn as no change.
        var compare = ReportMarkdown.Render(Kinds().First(k => k.Name == "compare").Input);
        Assert.Contains("Not plotted (no comparison to draw): rendering.", compare, StringComparison.Ordinal);
    }

    [Fact]
    public void The_change_chart_reads_at_six_scenarios_and_clips_an_outlier_instead_of_squashing_the_rest()
    {
        var points = Enumerable.Range(0, 6)
            .Select(i => new ChartSection.Point($"scenario-with-a-long-name-{i}", 0.02 * i, 0.02 * i - 0.01, 0.02 * i + 0.01, 0.03 * i, "x"))
            .Append(new ChartSection.Point("outlier", 3.0, 2.5, 3.5, null, "slower")).ToList();

        var lines = ChartSection.Lines(points, 0.05);

        Assert.Equal(8, lines.Count);
        // Every line fits a 780 px column in GitHub's code font (about 100 characters).
        Assert.All(lines, l => Assert.True(l.Length <= 100, l));
        // The axis holds the six, and the outlier is clipped at its edge (▶) rather than widening the axis to 350%.
        Assert.Equal(0.2, ChartSection.Range(points.Take(6).ToList(), 0.05));
        Assert.Equal(1.0, ChartSection.Range(points, 0.05));
        Assert.Contains('▶', lines[^1]);
        Assert.StartsWith("scenario-with-a…", lines[1], StringComparison.Ordinal);
        Assert.Contains('◆', lines[2]);
    }

    [Fact]
    public void Packages_that_differ_between_the_sides_are_shown_beside_the_verdict_escaped_and_capped()
    {
        var packages = Enumerable.Range(1, 10).Select(i => $"pkg{i}: 1.{i} → 2.{i}").Prepend("**graphviz**: 0.20 → 0.21").ToList();
        var differing = CompareMetrics("pr-7", AB() with { PackageDifferences = packages }, Compared("demo01", s_baseWalls, Shifted(1.0)));
        var same = CompareMetrics("pr-7", AB(), Compared("demo01", s_baseWalls, Shifted(1.0)));

        var report = ReportMarkdown.Render(new ReportInput(Analysed(differing)));

        Assert.Contains("> ⚠️ The sides' installed packages differ: \\*\\*graphviz\\*\\*: 0.20 → 0.21, pkg1: 1.1 → 2.1,", report, StringComparison.Ordinal);
        Assert.Contains("pkg7: 1.7 → 2.7 and 3 more (metrics.json `compare.packageDifferences`)", report, StringComparison.Ordinal);
        Assert.DoesNotContain("pkg8", report, StringComparison.Ordinal);
        Assert.DoesNotContain("installed packages differ", ReportMarkdown.Render(new ReportInput(Analysed(same))), StringComparison.Ordinal);
    }

    [Fact]
    public void Headline_when_all_are_unchanged()
    {
        var current = CompareMetrics("pr-7", AB(), Compared("demo01", s_baseWalls, Shifted(1.0)), Compared("bomqty", s_baseWalls, Shifted(1.01)));

        Assert.Equal("### ⚪ 2 unchanged", Headline(current));
    }

    [Fact]
    public void Headline_when_one_is_slower()
    {
        var current = CompareMetrics("pr-7", AB(), Compared("demo01", s_baseWalls, Shifted(1.10)), Compared("bomqty", s_baseWalls, Shifted(1.0)),
            Compared("rendering", s_baseWalls, Shifted(1.0)));

        Assert.Matches(@"^### 🔴 1 slower \(demo01 \+10\.\d% runtime\) · ⚪ 2 unchanged$", Headline(current));
    }

    [Fact]
    public void Headline_when_a_side_failed()
    {
        var baseOnly = CompareMetrics("pr-7", AB(), Compared("demo01", s_baseWalls, Shifted(1.0),
            side: FailedSide(ScenarioStatus.Failed, "warmup 1: exit code 1: ImportError")), Compared("bomqty", s_baseWalls, Shifted(1.0)));
        var headOnly = CompareMetrics("pr-7", AB(), FailedHead(Compared("demo01", s_baseWalls, s_baseWalls), "warmup 1: exit code 1: KeyError: 'x'"),
            Compared("bomqty", s_baseWalls, Shifted(1.0)));

        Assert.Equal("### ❌ demo01 failed on the base only: not compared · ⚪ 1 unchanged", Headline(baseOnly));
        Assert.Equal("### ❌ demo01 failed on the head only: likely this change · ⚪ 1 unchanged", Headline(headOnly));
    }

    [Fact]
    public void Headline_when_both_sides_failed_the_same_way_and_the_error_is_printed_once()
    {
        const string error = "warmup 1: exit code 1: UnknownTemplateDesignator: Unknown " +
            "template/designator '<--'\n  File \"{0}/src/filare/parser.py\", line 12";
        var head = FailedHead(Compared("rendering", s_baseWalls, s_baseWalls,
            side: FailedSide(ScenarioStatus.Failed, string.Format(System.Globalization.CultureInfo.InvariantCulture, error, "/tmp/filare-base"))),
            string.Format(System.Globalization.CultureInfo.InvariantCulture, error, "/src"));
        var current = CompareMetrics("pr-7", AB(), head, Compared("demo01", s_baseWalls, Shifted(1.0)));

        var markdown = ReportMarkdown.Render(new ReportInput(Analysed(current)));

        Assert.Equal("### ❌ rendering failed on both sides, same error (not caused by this change) · ⚪ 1 unchanged", markdown.Split('\n')[0]);
        // The base's traceback names its worktree: read as the head's paths, it is the same error.
        Assert.Contains("**rendering**: failed, same on base and head (not caused by this change):", markdown, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(markdown, "UnknownTemplateDesignator"));

        var different = CompareMetrics("pr-7", AB(), FailedHead(head, "run 1: exit code 2: KeyError: 'layout'"));
        var both = ReportMarkdown.Render(new ReportInput(Analysed(different)));
        Assert.Equal("### ❌ rendering failed on both sides, with different errors", both.Split('\n')[0]);
        Assert.Contains("**rendering**, base (failed):", both, StringComparison.Ordinal);
        Assert.Contains("**rendering**, head (failed):", both, StringComparison.Ordinal);
    }

    [Fact]
    public void Call_counts_within_the_aa_spread_read_as_same_and_beyond_it_as_a_change()
    {
        // Last night's A/A: 0.05% apart on identical code, so the tolerance is 0.15%.
        var baseline = CompareMetrics("nightly-aa", AA(),
            Compared("demo01", s_baseWalls, s_baseWalls, baseProfilers: [CProfileRun(2_000_000)], headProfilers: [CProfileRun(2_001_000)]));
        var settings = new ComparisonSettings();
        ReportInput Input(long head)
        {
            var current = CompareMetrics("pr-7", AB(),
                Compared("demo01", s_baseWalls, s_baseWalls, baseProfilers: [CProfileRun(1_939_751)], headProfilers: [CProfileRun(head)]));
            return new ReportInput(Analysed(current, baseline, "perf.yml run 9 on master", settings));
        }

        var within = ReportMarkdown.Render(Input(1_937_000));
        var beyond = ReportMarkdown.Render(Input(1_930_000));
        var uncalibrated = ReportMarkdown.Render(new ReportInput(Analysed(CompareMetrics("pr-7", AB(),
            Compared("demo01", s_baseWalls, s_baseWalls, baseProfilers: [CProfileRun(1_939_751)], headProfilers: [CProfileRun(1_937_000)])))));

        Assert.Equal("same (1,937,000)", Row(within, PairedTable, "demo01")[4]);
        Assert.Contains("\"same\" within 3× the A/A run's spread", within, StringComparison.Ordinal);
        Assert.Equal("1,939,751 → 1,930,000 (-0.5%)", Row(beyond, PairedTable, "demo01")[4]);
        // -0.14% is past the 0.1% default: without an A/A run it is a change.
        Assert.Equal("1,939,751 → 1,937,000 (-0.1%)", Row(uncalibrated, PairedTable, "demo01")[4]);
        Assert.Contains("\"same\" within ±0.1% (no A/A spread known)", uncalibrated, StringComparison.Ordinal);
    }

    [Fact]
    public void The_table_builder_drops_empty_columns_and_tables_and_refuses_a_ragged_row()
    {
        var table = new MarkdownTable(new Column("Scenario"), Column.Right("Runtime"), new Column("Nothing"));
        table.Row("a", "1.0 s", "-").Row("b|c", "2.0 s", "");

        Assert.Equal("| Scenario | Runtime |\n|---|---:|\n| a | 1.0 s |\n| b|c | 2.0 s |\n", table.Render());
        Assert.Equal("", new MarkdownTable(new Column("Scenario"), new Column("Value")).Row("a", "-").Render());
        Assert.Throws<ArgumentException>(() => table.Row("only one"));
    }

    private static string Headline(RunMetrics metrics) => ReportMarkdown.Render(new ReportInput(Analysed(metrics))).Split('\n')[0];

    private static List<string> Cells(string row) =>
        row.Replace("\\|", "\u0001", StringComparison.Ordinal).Split('|')[1..^1].Select(c => c.Trim()).ToList();

    /// <summary>What a reader sees of a cell outside link targets: link text stays, Markdown marks go.</summary>
    private static string Visible(string cell)
    {
        var text = Regex.Replace(cell, @"\[([^\]]*)\]\([^)]*\)", "$1");
        text = Regex.Replace(text, "<[^>]+>", "");
        return new System.Globalization.StringInfo(text.Replace("**", "", StringComparison.Ordinal).Replace("\\", "", StringComparison.Ordinal)
            .Replace("&lt;", "<", StringComparison.Ordinal)).String;
    }
}
