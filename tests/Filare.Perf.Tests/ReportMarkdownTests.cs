using Filare.Perf.Comparison;
using Filare.Perf.Measurement;
using Filare.Perf.Profilers;
using Filare.Perf.Reporting;
using Filare.Perf.Results;
using Filare.Perf.Settings;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests;

public sealed class ReportMarkdownTests
{
    private static RunSample Sample(int index, double wall, long rss = 100 * 1024 * 1024) =>
        new("run", index, RunStatus.Ok, wall, wall * 0.9, wall * 0.05, rss, 0, null, 0, $"s/run-{index}/stdout.txt", $"s/run-{index}/stderr.txt", $"s/run-{index}/output", null);

    private static ScenarioResult Scenario(string name, double[] walls, IReadOnlyList<ProfilerRun>? profilers = null, ScenarioStatus status = ScenarioStatus.Ok, string? message = null)
    {
        var samples = walls.Select((w, i) => Sample(i + 1, w)).ToList();
        return new ScenarioResult(name, "d", ["render"], ["filare", "run"], "/src", status, message, walls.Length, 1, [], samples, ScenarioStatistics.Of(samples), profilers ?? []);
    }

    private static RunMetrics Metrics(string label, string commit, params ScenarioResult[] scenarios) => new(
        RunMetrics.SchemaName, RunMetrics.CurrentVersion, label, "complete",
        new DateTimeOffset(2026, 11, 25, 3, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 25, 3, 5, 0, TimeSpan.Zero),
        new RunEnvironment("AMD EPYC 7763", 4, 16L << 30, "Ubuntu 24.04", "6.8.0", "x64", "3.12.3", "CPython", "/usr/bin/python3", "/src", commit, "main", false, null, "10.0.0", null),
        new PerformanceSettings("outputs/perf", label, null, null, null,
            new PySpySettings(true, 100, SpyOutput.Svg, false, false, false), new ScaleneSettings(true, 0.01, true, true, "filare"),
            new MemraySettings(false, false, MemrayFormat.Flamegraph, false, 50), new CProfileSettings(true, CProfileSort.Tottime, CProfileFormat.Pstats)),
        scenarios);

    private static ProfilerRun CProfileRun(long calls) => new(CProfile.Name, ProfilerStatus.Ok, null, "3.12.3", 1.5, 1.2, 0,
        [new Artifact("pstats", "demo01/pr-1-demo01-cprofile.pstats", 1234, new string('a', 64))], [],
        new CallStats(calls, calls - 10, 1.1, [new FunctionStats("layout", "/src/filare/render.py", 42, 1200, 1200, 0.5, 0.9)]));

    [Fact]
    public void Renders_verdicts_profilers_chart_and_top_functions_against_a_baseline()
    {
        var baseline = Metrics("main-1111111", "1111111111aaaa",
            Scenario("demo01", [1.00, 1.01, 0.99, 1.02, 1.00], [CProfileRun(10_000)]),
            Scenario("bomqty", [0.50, 0.51, 0.50, 0.49, 0.50]));
        var current = Metrics("pr-1-2222222", "2222222222bbbb",
            Scenario("demo01", [1.15, 1.16, 1.14, 1.17, 1.15], [
                CProfileRun(10_250),
                new ProfilerRun(PySpy.Name, ProfilerStatus.Skipped, "ptrace not permitted", "0.4.1", null, null, null, [], ["fix"]),
                new ProfilerRun(Scalene.Name, ProfilerStatus.Empty, "run too short for Scalene to sample", "1.5.16", 0.2, 1.1, 0, [], []),
                new ProfilerRun(Memray.Name, ProfilerStatus.Failed, "program exited with code 3", "1.19.1", 2.0, 2.0, 3, [], []),
            ]),
            Scenario("bomqty", [0.50, 0.50, 0.51, 0.49, 0.50]),
            Scenario("rendering", [], status: ScenarioStatus.Failed, message: "run 1: exit code 2: Error: no such file"));
        var comparison = RunComparison.Of(baseline, "perf.yml run 41 on main", current, new ComparisonSettings());
        var links = new ReportLinks("https://github.com/o/r/actions/runs/42", new Dictionary<string, string> { ["perf-demo01"] = "https://github.com/o/r/actions/runs/42/artifacts/7" });

        var markdown = ReportMarkdown.Render(new ReportInput(current, comparison, Links: links, Trigger: "pull_request #1"));

        Assert.Contains("🔴 **slower** +15.0%", markdown, StringComparison.Ordinal);
        Assert.Contains("10,250 (+250)", markdown, StringComparison.Ordinal);
        Assert.Contains("skipped: ptrace not permitted", markdown, StringComparison.Ordinal);
        Assert.Contains("empty: run too short for Scalene to sample", markdown, StringComparison.Ordinal);
        Assert.Contains("failed: program exited with code 3", markdown, StringComparison.Ordinal);
        Assert.Contains("[pstats](https://github.com/o/r/actions/runs/42/artifacts/7)", markdown, StringComparison.Ordinal);
        Assert.Contains("xychart-beta", markdown, StringComparison.Ordinal);
        Snapshot.Match("report-with-baseline", markdown);
    }

    [Fact]
    public void Without_a_baseline_the_report_says_why()
    {
        var current = Metrics("local", "3333333333", Scenario("demo01", [1.0, 1.1, 1.0]));

        var markdown = ReportMarkdown.Render(new ReportInput(current, BaselineProblem: "the previous run's perf-metrics artifact has expired"));

        Assert.Contains("**Baseline** none: the previous run's perf-metrics artifact has expired", markdown, StringComparison.Ordinal);
        Snapshot.Match("report-without-baseline", markdown);
    }

    [Fact]
    public void Hostile_names_and_tool_output_cannot_break_the_table_or_inject_html()
    {
        var hostile = "x|y`<script>alert(1)</script>";
        var current = Metrics("feature-|<img src=x onerror=alert(1)>", "4444", Scenario(hostile, [1.0, 1.0], status: ScenarioStatus.Failed, message: "```\n</details><script>alert(2)</script>"));

        var markdown = ReportMarkdown.Render(new ReportInput(current));

        // The failure message sits in a fence longer than any backtick run inside it, where GitHub shows HTML as text.
        const string fenced = "````text\n```\n</details><script>alert(2)</script>\n````";
        Assert.Contains(fenced, markdown, StringComparison.Ordinal);
        var outsideFences = markdown.Replace(fenced, "", StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", outsideFences, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", outsideFences, StringComparison.Ordinal);
        Assert.Contains("x\\|y\\`&lt;script&gt;", markdown, StringComparison.Ordinal);
        var tableRows = markdown.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && l.Contains("failed", StringComparison.Ordinal)).ToList();
        var row = Assert.Single(tableRows);
        Assert.Equal(9, row.Replace("\\|", "", StringComparison.Ordinal).Count(c => c == '|'));
    }

    [Fact]
    public void A_summary_over_the_step_summary_limit_is_cut_with_a_note()
    {
        var text = string.Concat(Enumerable.Repeat("| row | with | some | text |\n", 60_000));

        var cut = JobSummary.Truncate(text, JobSummary.StepSummaryLimit);

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(cut) <= JobSummary.StepSummaryLimit);
        Assert.Contains("GitHub limits a job summary to 1 MiB", cut, StringComparison.Ordinal);
        Assert.EndsWith("\n", cut, StringComparison.Ordinal);
        Assert.Equal(text[..100], cut[..100]);
        Assert.Equal("short\n", JobSummary.Truncate("short\n", JobSummary.StepSummaryLimit));
    }
}
