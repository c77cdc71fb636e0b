using Filare.Perf.Actions;
using Filare.Perf.Analysis;
using Filare.Perf.Comparison;
using Filare.Perf.Profilers;
using Filare.Perf.Reporting;
using Filare.Perf.Results;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests;

public sealed partial class ReportMarkdownTests
{
    private static RunSample Sample(int index, double wall, long rss = 100 * 1024 * 1024) =>
        new(SampleKind.Run, index, RunStatus.Ok, wall, wall * 0.9, wall * 0.05, rss, 0, null, 0, $"s/run-{index}/stdout.txt", $"s/run-{index}/stderr.txt",
            $"s/run-{index}/output", null);

    private static ScenarioResult Scenario(string name, double[] walls, IReadOnlyList<ProfilerRun>? profilers = null, ScenarioStatus status = ScenarioStatus.Ok,
        string? message = null)
    {
        var samples = walls.Select((w, i) => Sample(i + 1, w)).ToList();
        return new ScenarioResult(name, "d", ["render"], ["filare", "run"], "/src", status, message, walls.Length, 1, [], samples,
            ScenarioStatistics.Of(samples), profilers ?? []);
    }

    private static RunMetrics Metrics(string label, string commit, params ScenarioResult[] scenarios) => new(
        RunMetrics.SchemaName, RunMetrics.CurrentVersion, label, RunState.Complete,
        new DateTimeOffset(2026, 11, 25, 3, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 25, 3, 5, 0, TimeSpan.Zero),
        new RunEnvironment("AMD EPYC 7763", 4, 16L << 30, "Ubuntu 24.04", "6.8.0", "x64", "3.12.3", "CPython", "/usr/bin/python3", "/src", commit, "main",
            false, null, "10.0.0", null),
        new PerformanceSettings("outputs/perf", label, null, null, null,
            new PySpySettings(true, 100, SpyOutput.Svg, false, false, false), new ScaleneSettings(true, 0.01, true, true, "filare"),
            new MemraySettings(false, false, MemrayFormat.Flamegraph, false, 50), new CProfileSettings(true, CProfileSort.Tottime, CProfileFormat.Pstats)),
        scenarios);

    /// <summary>The run analysed as PerfReport does, against an optional baseline.</summary>
    private static RunAnalysis Analysed(RunMetrics current, RunMetrics? baseline = null, string origin = "", ComparisonSettings? settings = null,
        IReadOnlyList<HotspotDiff>? sideHotspots = null) =>
        RunAnalysis.Of(new AnalysisInput(current, settings ?? new ComparisonSettings(), baseline is null ? null : new BaselineRun(baseline, origin),
            SideHotspots: sideHotspots));

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
        var links = new ReportLinks("https://github.com/o/r/actions/runs/42",
            new Dictionary<string, string> { ["perf-demo01"] = "https://github.com/o/r/actions/runs/42/artifacts/7" });

        var markdown = ReportMarkdown.Render(new ReportInput(Analysed(current, baseline, "perf.yml run 41 on main"), links, "pull_request #1"));

        Assert.StartsWith("### 🔴 1 slower (demo01 +15.0% runtime) · ❌ rendering failed · ⚪ 1 unchanged\n", markdown, StringComparison.Ordinal);
        Assert.StartsWith("🔴 **slower** +15.0% [", Row(markdown, BaselineTable, "demo01")[2], StringComparison.Ordinal);
        // 2.5% more calls is beyond the default tolerance (0.1%): a real change, shown as one.
        Assert.Equal("10,000 → 10,250 (+2.5%)", Row(markdown, BaselineTable, "demo01")[4]);
        Assert.Contains("skipped: ptrace not permitted", markdown, StringComparison.Ordinal);
        Assert.Contains("empty: run too short for Scalene to sample", markdown, StringComparison.Ordinal);
        Assert.Contains("failed: program exited with code 3", markdown, StringComparison.Ordinal);
        Assert.Contains("[zip](https://github.com/o/r/actions/runs/42/artifacts/7)", markdown, StringComparison.Ordinal);
        Assert.Contains("#### Change per scenario", markdown, StringComparison.Ordinal);
        Snapshot.Match("report-with-baseline", markdown);
        Snapshot.Match("comment-with-baseline",
            ReportMarkdown.RenderComment(new ReportInput(Analysed(current, baseline, "perf.yml run 41 on main"), links, "pull_request #1")));
    }

    [Fact]
    public void Without_a_baseline_the_report_says_why()
    {
        var current = Metrics("local", "3333333333", Scenario("demo01", [1.0, 1.1, 1.0]));

        var markdown = ReportMarkdown.Render(new ReportInput(RunAnalysis.Of(new AnalysisInput(current, new ComparisonSettings(),
            BaselineProblem: "the previous run's perf-metrics artifact has expired"))));

        Assert.Contains("nothing to compare with (no baseline: the previous run's perf-metrics artifact has expired)", markdown, StringComparison.Ordinal);
        // One scenario and nothing beside it: a chart would repeat the table's number.
        Assert.DoesNotContain("mermaid", markdown, StringComparison.Ordinal);
        Snapshot.Match("report-without-baseline", markdown);
    }

    [Fact]
    public void Hostile_names_and_tool_output_cannot_break_the_table_or_inject_html()
    {
        var hostile = "x|y`<script>alert(1)</script>";
        var current = Metrics("feature-|<img src=x onerror=alert(1)>", "4444",
            Scenario(hostile, [1.0, 1.0], status: ScenarioStatus.Failed, message: "```\n</details><script>alert(2)</script>"));

        var markdown = ReportMarkdown.Render(new ReportInput(Analysed(current)));

        // The failure message sits in a fence longer than any backtick run inside it, where GitHub shows HTML as text.
        const string fenced = "````text\n```\n</details><script>alert(2)</script>\n````";
        Assert.Contains(fenced, markdown, StringComparison.Ordinal);
        var outsideFences = markdown.Replace(fenced, "", StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", outsideFences, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", outsideFences, StringComparison.Ordinal);
        Assert.Contains("x\\|y\\`&lt;script&gt;", markdown, StringComparison.Ordinal);
        var tableRows = markdown.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && l.Contains("failed", StringComparison.Ordinal))
            .ToList();
        var row = Assert.Single(tableRows);
        var header = markdown.Split('\n').First(l => l.StartsWith(ResultsTable, StringComparison.Ordinal));
        Assert.Equal(header.Count(c => c == '|'), row.Replace("\\|", "", StringComparison.Ordinal).Count(c => c == '|'));
    }

    /// <summary>
    /// A scenario measured on both sides, paired by run index; the schedule interleaves them (base
    /// first in each pair). Base files live under the scenario's base/ folder, as PerfRun writes them.
    /// </summary>
    private static ScenarioResult Compared(string name, double[] baseWalls, double[] headWalls, long[]? baseRss = null, long[]? headRss = null,
        IReadOnlyList<ProfilerRun>? baseProfilers = null, IReadOnlyList<ProfilerRun>? headProfilers = null, SideResult? side = null,
        PairedResult? stored = null)
    {
        var head = headWalls.Select((w, i) => Sample(i + 1, w, headRss?[i] ?? 100L << 20) with { Order = 2 * i + 2 }).ToList();
        var @base = baseWalls.Select((w, i) => Sample(i + 1, w, baseRss?[i] ?? 100L << 20) with
        {
            Order = 2 * i + 1, Stdout = $"{name}/base/run-{i + 1}/stdout.txt", Stderr = $"{name}/base/run-{i + 1}/stderr.txt",
            OutputDirectory = $"{name}/base/run-{i + 1}/output",
        }).ToList();
        return new ScenarioResult(name, "d", ["render"], ["filare", "run"], "/src", ScenarioStatus.Ok, null, headWalls.Length, 1, [], head,
            ScenarioStatistics.Of(head), headProfilers ?? [],
            side ?? new SideResult(ScenarioStatus.Ok, null, [], @base, ScenarioStatistics.Of(@base), baseProfilers ?? []), stored);
    }

    private static CompareRun AB(string reference = "origin/main", CompareStatus status = CompareStatus.Ok, string? problem = null) =>
        new(reference, status == CompareStatus.Ok ? "1111111111aaaaaaaaaa" : null, CompareMode.AB, status, problem, status == CompareStatus.Ok
            ? "/tmp/filare-base"
            : null, status == CompareStatus.Ok ? "new venv" : null, null, status == CompareStatus.Ok ? "3.12.3" : null);

    private static CompareRun AA() =>
        new("HEAD", "2222222222bbbbbbbbbb", CompareMode.AA, CompareStatus.Ok, null, "/tmp/filare-base", "shared interpreter", null, "3.12.3");

    private static RunMetrics CompareMetrics(string label, CompareRun compare, params ScenarioResult[] scenarios) =>
        Metrics(label, "2222222222bbbb", scenarios) with { Compare = compare };

    private static double[] Times(double[] walls, double factor) => walls.Select(w => Math.Round(w * factor, 6)).ToArray();

    /// <summary>The cells of the table row that starts with this scenario name (escaped pipes stay inside their cell).</summary>
    private static string[] Row(string markdown, string table, string scenario)
    {
        var start = markdown.IndexOf(table, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no table with header {table}:\n{markdown}");
        var line = markdown[start..].Split('\n').First(l => l.StartsWith($"| {scenario} |", StringComparison.Ordinal));
        return line.Replace("\\|", "\u0001", StringComparison.Ordinal).Split('|')[1..^1].Select(c => c.Trim().Replace('\u0001', '|').Replace('\u00a0', ' '))
            .ToArray();
    }

    private const string PairedTable = "| Scenario | Runtime, base → head | Runtime change [95% interval] | Noise floor |";
    private const string PairedMemory = "| Scenario | Peak RSS, base → head | Peak RSS change [95% interval] | Noise floor |";
    private const string BaselineTable = "| Scenario | Runtime, baseline → now | Runtime change [95% interval] | Noise floor |";
    private const string ResultsTable = "| Scenario | Status | Runtime (median ± IQR/2) |";

    // Run-to-run noise of about 2%, and per-pair noise far below it: what interleaving buys.
    private static readonly double[] s_baseWalls = [1.00, 1.02, 0.98, 1.01, 0.99];
    private static readonly double[] s_pairNoise = [1.004, 0.997, 1.002, 0.999, 1.001];

    private static double[] Shifted(double shift) => s_baseWalls.Select((w, i) => Math.Round(w * shift * s_pairNoise[i], 6)).ToArray();

    [Fact]
    public void A_compare_run_leads_with_paired_verdicts_recomputed_by_the_report()
    {
        // PerfRun stored "faster" for both: the report computes the verdicts again from the pairs.
        var stale = PairedVerdicts.Of(Compared("x", [1.1, 1.1], [1.0, 1.0]), new ComparisonSettings(), null, false);
        var current = CompareMetrics("pr-7-2222222", AB(),
            Compared("slow", s_baseWalls, Shifted(1.10), stored: stale),
            Compared("same", s_baseWalls, [1.01, 0.99, 1.00, 0.98, 1.02], stored: stale));

        var markdown = ReportMarkdown.Render(new ReportInput(Analysed(current)));

        Assert.StartsWith("### 🔴 1 slower (slow +10.", markdown, StringComparison.Ordinal);
        Assert.Contains("head `2222222222` against `origin/main` (`1111111111`) on the same runner, 5 interleaved " +
            "pairs per scenario. These are the verdicts to act on.", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain(BaselineTable, markdown, StringComparison.Ordinal);
        Assert.DoesNotContain(ResultsTable, markdown, StringComparison.Ordinal);
        var slow = Row(markdown, PairedTable, "slow");
        Assert.Matches(@"^1\.000 → 1\.1\d\d s$", slow[1]);
        Assert.StartsWith("🔴 **slower** +10.", slow[2], StringComparison.Ordinal);
        Assert.Matches(@"\[\+\d+\.\d%,\s\+\d+\.\d%\]", slow[2]);
        Assert.Equal("not calibrated", slow[3]);
        Assert.StartsWith("⚪ unchanged", Row(markdown, PairedMemory, "slow")[2], StringComparison.Ordinal);
        var same = Row(markdown, PairedTable, "same");
        Assert.DoesNotContain("slower", same[2], StringComparison.Ordinal);
        Assert.DoesNotContain("faster", same[2], StringComparison.Ordinal);
        Assert.Matches(@"\[[-+]\d+\.\d%, [-+]\d+\.\d%\]", same[2]);
        Assert.Contains("noise floor: not calibrated", markdown, StringComparison.Ordinal);
        Assert.Contains("paired trimmed t-test on log ratios of interleaved runs (p &lt; 0.01) and a change of " +
            "at least max(5%, noise floor); 95% bootstrap interval over pairs", markdown, StringComparison.Ordinal);
        // The change chart: slow's interval right of +5%, same's around 0.
        Assert.Matches(@"\nslow +[ ─├┤●┆│]+  \+10\.\d% \[\+\d+\.\d%, \+\d+\.\d%\] slower\n", markdown);
        Assert.Matches(@"\nsame +[ ─├┤●┆│]+  [+-]\d+\.\d% \[[^\n]* unchanged\n", markdown);

        // The report's own settings decide: a 15% minimum effect makes the same 10% unchanged.
        var lenient = ReportMarkdown.Render(new ReportInput(Analysed(current, settings: new ComparisonSettings(MinimumEffect: 0.15))));
        Assert.StartsWith("⚪ unchanged +10.", Row(lenient, PairedTable, "slow")[2], StringComparison.Ordinal);
        Assert.StartsWith("### ⚪ 2 unchanged\n", lenient, StringComparison.Ordinal);
    }

    [Fact]
    public void An_aa_run_says_it_calibrates_and_shows_the_noise_floor_it_measured()
    {
        var scenario = Compared("demo01", s_baseWalls, [1.03, 0.99, 0.97, 1.02, 1.00]);
        var current = CompareMetrics("nightly-aa", AA(), scenario);
        var floor = PairedVerdicts.Of(scenario, new ComparisonSettings(), null, true)!.NoiseFloor!;

        var markdown = ReportMarkdown.Render(new ReportInput(Analysed(current)));

        Assert.StartsWith("### A/A calibration, any change is noise: ⚪ 1 unchanged\n", markdown, StringComparison.Ordinal);
        Assert.Contains("A/A run, `HEAD` (`2222222222`) on both sides, 5 interleaved pairs per scenario. It measures this runner's noise", markdown,
            StringComparison.Ordinal);
        Assert.Contains("noise floor: measured by this A/A run", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("These are the verdicts to act on", markdown, StringComparison.Ordinal);
        Assert.True(floor.WallSeconds > 0.01, $"a 2% noisy A/A has a floor: {floor.WallSeconds}");
        Assert.Equal(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"±{floor.WallSeconds * 100:0.0}%"),
            Row(markdown, PairedTable, "demo01")[3]);
        Assert.Equal("±0.0%", Row(markdown, PairedMemory, "demo01")[3]);
    }

    [Fact]
    public void An_aa_baseline_calibrates_both_kinds_of_verdict_and_a_shift_below_its_floor_is_not_slower()
    {
        // The A/A baseline's pairs disagree by up to 11%: that is this runner's noise.
        var baseline = CompareMetrics("nightly-aa", AA(), Compared("demo01", [1.10, 0.90, 1.08, 0.92, 1.00], [1.00, 1.00, 1.00, 1.00, 1.00]));
        // An 8% shift with almost no noise: past the 5% minimum effect, inside the 11% floor.
        var current = CompareMetrics("pr-7-2222222", AB(), Compared("demo01", s_baseWalls, Shifted(1.08)));
        var settings = new ComparisonSettings();

        var analysis = Analysed(current, baseline, "perf.yml run 9 on master", settings);
        var calibration = analysis.Calibration;
        var calibrated = ReportMarkdown.Render(new ReportInput(analysis));
        // The same samples from an A/B run calibrate nothing.
        var uncalibrated = ReportMarkdown.Render(new ReportInput(Analysed(current, baseline with { Compare = AB() }, "perf.yml run 9 on master", settings)));

        Assert.NotNull(calibration);
        Assert.False(calibration.ThisRun);
        Assert.Contains("noise floor: from the A/A run nightly-aa", calibrated, StringComparison.Ordinal);
        var paired = Row(calibrated, PairedTable, "demo01");
        Assert.StartsWith("⚪ unchanged +8.", paired[2], StringComparison.Ordinal);
        Assert.Equal("±11.1%", paired[3]);
        // With a same-runner A/B, the stored baseline is context, collapsed below it.
        Assert.Contains("<details><summary>Against the stored baseline nightly-aa (`2222222222`, perf.yml run 9 on master): context, not the verdict</summary>",
            calibrated, StringComparison.Ordinal);
        var stored = Row(calibrated, BaselineTable, "demo01");
        Assert.StartsWith("⚪ unchanged +8.", stored[2], StringComparison.Ordinal);
        Assert.Equal("±11.1%", stored[3]);

        Assert.Contains("noise floor: not calibrated", uncalibrated, StringComparison.Ordinal);
        Assert.StartsWith("🔴 **slower** +8.", Row(uncalibrated, PairedTable, "demo01")[2], StringComparison.Ordinal);
        Assert.StartsWith("🔴 **slower** +8.", Row(uncalibrated, BaselineTable, "demo01")[2], StringComparison.Ordinal);
        Assert.Equal("not calibrated", Row(uncalibrated, BaselineTable, "demo01")[3]);
    }

    [Fact]
    public void A_compare_that_could_not_be_prepared_says_why_and_reports_the_head_alone()
    {
        var head = Scenario("demo01", [1.0, 1.01, 0.99]);
        var current = CompareMetrics("pr-7-2222222", AB("no-such-ref", CompareStatus.Failed, "git rev-parse no-such-ref: unknown revision"), head);

        var markdown = ReportMarkdown.Render(new ReportInput(Analysed(current)));

        Assert.Contains("the same-runner comparison with `no-such-ref` failed (git rev-parse no-such-ref: unknown " +
            "revision); head `2222222222` alone, nothing to compare with", markdown, StringComparison.Ordinal);
        Assert.StartsWith("### ➖ Nothing compared: 1 scenario measured\n", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain(PairedTable, markdown, StringComparison.Ordinal);
        Assert.Equal(["demo01", "ok", "1.000 ± 0.005 s"], Row(markdown, ResultsTable, "demo01")[..3]);
        Assert.DoesNotContain("Same-runner verdicts", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_base_side_that_failed_is_shown_in_its_row_and_under_problems()
    {
        var failed = new SideResult(ScenarioStatus.Failed, "run 2: exit code 1: ImportError: cannot import name 'layout'\nTraceback (most recent call last):",
            [], [], null, []);
        var current = CompareMetrics("pr-7-2222222", AB(), Compared("demo01", s_baseWalls, s_baseWalls, side: failed),
            Compared("bomqty", s_baseWalls, s_baseWalls));

        var markdown = ReportMarkdown.Render(new ReportInput(Analysed(current)));

        var row = Row(markdown, PairedTable, "demo01");
        // The message is under Problems, never in a numeric cell.
        Assert.Equal("– → 1.000 s", row[1]);
        Assert.Equal("❌ base failed", row[2]);
        Assert.Equal("-", row[3]);
        Assert.StartsWith("⚪ unchanged", Row(markdown, PairedTable, "bomqty")[2], StringComparison.Ordinal);
        Assert.Contains("**demo01**, base (failed; the head ran):\n\n```text\nrun 2: exit code 1: ImportError", markdown, StringComparison.Ordinal);
        Assert.StartsWith("### ❌ demo01 failed on the base only: not compared · ⚪ 1 unchanged\n", markdown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CompareStatus.Ok)]
    [InlineData(CompareStatus.Failed)]
    public void An_untrusted_ref_and_problem_cannot_inject_html_or_mentions(CompareStatus status)
    {
        const string hostile = "`<script>` @everyone";
        var current = CompareMetrics("pr-7", AB(hostile, status, status == CompareStatus.Ok ? null : $"no ref {hostile} | [x](https://evil.test)"),
            status == CompareStatus.Ok ? Compared("demo01", s_baseWalls, s_baseWalls) : Scenario("demo01", [1.0, 1.0]));

        var markdown = ReportMarkdown.Render(new ReportInput(Analysed(current)));

        // Inside a code span GitHub shows HTML as text and mentions no one; the span's own backticks cannot be closed early.
        Assert.Contains("`'<script>' @everyone`", markdown, StringComparison.Ordinal);
        // Fenced blocks (Problems quotes the whole refusal) are text too: GitHub renders neither HTML, links nor mentions there.
        var fences = System.Text.RegularExpressions.Regex.Matches(markdown, "(?ms)^(`{3,})text\n(.*?)\n\\1$");
        var outsideCode = System.Text.RegularExpressions.Regex.Replace(markdown, "(?ms)^(`{3,})text\n.*?\n\\1$", "");
        outsideCode = System.Text.RegularExpressions.Regex.Replace(outsideCode, "`[^`\n]*`", "");
        Assert.DoesNotContain("<script>", outsideCode, StringComparison.Ordinal);
        Assert.DoesNotContain("@everyone", outsideCode, StringComparison.Ordinal);
        Assert.DoesNotContain("](https://evil", outsideCode, StringComparison.Ordinal);
        if (status == CompareStatus.Failed)
        {
            Assert.Contains("no ref \\`&lt;script&gt;\\` @\u2060everyone \\| \\[x\\](https\\:\\/\\/evil.test)", markdown, StringComparison.Ordinal);
            Assert.Contains(fences, f => f.Groups[2].Value == $"no ref {hostile} | [x](https://evil.test)");
        }
    }

    [Fact]
    public void Profiler_reports_of_both_sides_and_the_hotspots_between_them_are_shown()
    {
        ProfilerRun Profile(string side, long calls) => new(CProfile.Name, ProfilerStatus.Ok, null, "3.12.3", 1.5, 1.2, 0,
            [new Artifact("pstats", side == "base" ? "demo01/base/pr-7-demo01-base-cprofile.pstats" : "demo01/pr-7-demo01-head-cprofile.pstats", 1234,
                new string('a', 64))], [],
            new CallStats(calls, calls, 1.1, []));
        var current = CompareMetrics("pr-7", AB(),
            Compared("demo01", s_baseWalls, Shifted(1.10), baseProfilers: [Profile("base", 10_000)], headProfilers: [Profile("head", 10_250)]));
        var diff = new HotspotDiff("demo01", [new HotspotChange("filare/render.py", "layout", 0.5, 0.6, 0.1, 1200, 1300)], []);
        var links = new ReportLinks(null, new Dictionary<string, string> { ["perf-demo01"] = "https://github.com/o/r/actions/runs/42/artifacts/7" });

        var markdown = ReportMarkdown.Render(new ReportInput(Analysed(current, sideHotspots: [diff]), links));

        // One line per scenario, both sides in one cell (base · head), one short link to the artifact holding both sides files.
        Assert.Contains("| demo01 | ok 1.2× · 1.2× | [zip](https://github.com/o/r/actions/runs/42/artifacts/7) |", markdown, StringComparison.Ordinal);
        Assert.Equal("10,000 → 10,250 (+2.5%)", Row(markdown, PairedTable, "demo01")[4]);
        // Shown as a change because +0.1 s is beyond the floor (the runs' wall-time spread applied to 0.6 s), which the title states once.
        Assert.Contains("Where the time moved in demo01 from base to head (cProfile, own time; beyond noise: ±", markdown, StringComparison.Ordinal);
        Assert.Contains("| Function (file) | Own time, base → head | Change | Calls, base → head (exact counts) |", markdown, StringComparison.Ordinal);
        Assert.Contains("| layout (filare/render.py) | 0.500\u00a0→\u00a00.600\u00a0s | +0.100 s | 1,200 → 1,300 |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_compare_report_matches_its_snapshot()
    {
        ProfilerRun Profile(string side, long calls) => new(CProfile.Name, ProfilerStatus.Ok, null, "3.12.3", 1.5, 1.2, 0,
            [new Artifact("pstats", $"demo01/{(side == "base" ? "base/" : "")}pr-7-2222222-demo01-{side}-cprofile.pstats", 1234, new string('a', 64))], [],
            new CallStats(calls, calls - 10, 1.1, [new FunctionStats("layout", "/src/filare/render.py", 42, 1200, 1200, 0.5, 0.9)]));
        var current = CompareMetrics("pr-7-2222222", AB(),
            Compared("demo01", s_baseWalls, Shifted(1.10), headRss: [110L << 20, 111L << 20, 109L << 20, 110L << 20, 110L << 20],
                baseProfilers: [Profile("base", 10_000)], headProfilers: [Profile("head", 10_250),
                    new ProfilerRun(PySpy.Name, ProfilerStatus.Skipped, "ptrace not permitted", "0.4.1", null, null, null, [], [])]),
            Compared("bomqty", [0.50, 0.51, 0.49, 0.50, 0.50], [0.50, 0.50, 0.50, 0.51, 0.49]),
            Compared("rendering", s_baseWalls, s_baseWalls, side: new SideResult(ScenarioStatus.Timeout, "run 1: timed out after 60 s", [], [], null, [])));
        var diff = new HotspotDiff("demo01",
            [new HotspotChange("filare/render.py", "layout", 0.5, 0.6, 0.1, 1200, 1300)],
            [new HotspotChange("filare/bom.py", "quantities", 0.2, 0.15, -0.05, 300, 300)]);
        var links = new ReportLinks("https://github.com/o/r/actions/runs/42",
            new Dictionary<string, string> { ["perf-demo01"] = "https://github.com/o/r/actions/runs/42/artifacts/7" });

        // Last night's A/A run on master is the baseline: it calibrates both tables' verdicts.
        var baseline = CompareMetrics("nightly-aa", AA(),
            Compared("demo01", [1.00, 1.02, 0.98, 1.01, 0.99], [1.01, 1.00, 0.99, 1.03, 0.98]),
            Compared("bomqty", [0.50, 0.51, 0.49, 0.50, 0.50], [0.50, 0.50, 0.51, 0.50, 0.49]));
        var settings = new ComparisonSettings();
        var analysis = Analysed(current, baseline, "perf.yml run 41 on master", settings, [diff]);

        var markdown = ReportMarkdown.Render(new ReportInput(analysis, links, "pull_request #7"));

        Snapshot.Match("report-compare", markdown);
        Snapshot.Match("comment-compare", ReportMarkdown.RenderComment(new ReportInput(analysis, links, "pull_request #7")));
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
