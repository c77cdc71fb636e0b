using System.Globalization;
using System.Text;
using Filare.Perf.Analysis;
using Filare.Perf.Comparison;
using Filare.Perf.Profilers;
using Filare.Perf.Results;
using Filare.Perf.Checkout;

namespace Filare.Perf.Reporting;

/// <summary>Where a reviewer can download what the report mentions; empty outside GitHub.</summary>
/// <param name="Suffix">The matrix suffix of the reported run's artifacts (<see cref="ArtifactNames"/>).</param>
public sealed record ReportLinks(string? RunUrl, IReadOnlyDictionary<string, string> Artifacts, string Suffix = "")
{
    public static readonly ReportLinks None = new(null, new Dictionary<string, string>());

    /// <summary>The download of a scenario's artifact from this run, if there is one.</summary>
    public string? ScenarioArtifact(string scenario) => Artifacts.GetValueOrDefault(ArtifactNames.Scenario(scenario, Suffix));
}

/// <summary>
/// Everything one report shows: the run's analysis (verdicts, noise floors, caveats, hotspot diffs),
/// where its files can be downloaded, and what triggered it.
/// </summary>
public sealed record ReportInput(
    RunAnalysis Analysis,
    ReportLinks? Links = null,
    string? Trigger = null);

/// <summary>
/// The report as Markdown: for a compare run first the same-runner table (head against base from
/// interleaved pairs), then the headline table with verdicts against the baseline, profiler statuses
/// with links, a runtime chart, hotspot changes and the top functions. Every verdict has the
/// runner's noise floor beside it. Used for summary.md, the job summary and the PR comment.
/// </summary>
public static class ReportMarkdown
{
    public const string CommentMarker = "<!-- filare-perf-report -->";
    private static readonly string[] s_tools = [PySpy.Name, Scalene.Name, Memray.Name, CProfile.Name];

    public static string Render(ReportInput input)
    {
        var text = new StringBuilder();
        var analysis = input.Analysis;
        var metrics = analysis.Current;
        var environment = metrics.Environment;
        var links = input.Links ?? ReportLinks.None;
        text.AppendLine(CultureInfo.InvariantCulture, $"## Filare performance: {Markdown.Escape(metrics.RunLabel)}");
        text.AppendLine();
        var facts = new List<string>
        {
            $"**Commit** {Markdown.Code(Short(environment.FilareCommit) ?? "not a git checkout")}{(environment.FilareDirty == true ? " (with uncommitted changes)" : "")}",
            $"**Runner** {Markdown.Escape(environment.CpuModel)}, {environment.LogicalCpus} CPUs",
            $"**Python** {Markdown.Escape(environment.PythonImplementation)} {Markdown.Escape(environment.PythonVersion)}",
        };
        if (input.Trigger is not null)
        {
            facts.Insert(0, $"**Trigger** {Markdown.Escape(input.Trigger)}");
        }
        if (links.RunUrl is not null)
        {
            facts.Add(Markdown.Link("workflow run", links.RunUrl));
        }
        text.AppendLine(string.Join(" · ", facts));
        text.AppendLine();

        var settings = analysis.Settings;
        var calibration = analysis.Calibration;
        var compared = analysis.Compared;
        if (metrics.Compare is { } compare)
        {
            AppendCompare(text, analysis, compare);
            PairsSection.Append(text, metrics);
        }

        text.AppendLine(BaselineLine(analysis));
        text.AppendLine();
        if (analysis.Baseline is not null && !compared)
        {
            text.AppendLine(NoiseFloorLine(calibration, settings));
            text.AppendLine();
        }
        // The floor column only where there are verdicts for it to stand beside.
        var floors = analysis.Baseline is not null;
        text.AppendLine("| Scenario | Status | Runtime (median ± IQR/2) | vs baseline |" + (floors ? " Noise floor |" : "") + " CPU | Peak RSS | vs baseline | cProfile calls |");
        text.AppendLine("|---|---|---:|---|" + (floors ? "---|" : "") + "---:|---:|---|---:|");
        foreach (var scenario in metrics.Scenarios)
        {
            var s = scenario.Statistics;
            var comparison = analysis.Baseline?.Scenarios.FirstOrDefault(c => c.Scenario == scenario.Name);
            var calls = scenario.Profilers.FirstOrDefault(p => p.Tool == CProfile.Name)?.Calls?.TotalCalls;
            var cells = new List<string>
            {
                Markdown.Escape(scenario.Name),
                scenario.Status.ToString().ToLowerInvariant(),
                s is null ? "-" : Format.Runtime(s.WallSeconds),
                VerdictCell(comparison?.WallSeconds, comparison?.Missing, "slower", "faster"),
            };
            if (floors)
            {
                cells.Add(comparison?.Missing is null ? FloorCell(comparison?.NoiseFloor) : "-");
            }
            cells.AddRange([
                s is null ? "-" : Format.Percent(s.CpuPercent.Median),
                s is null ? "-" : Format.Bytes(s.PeakRssBytes.Median),
                VerdictCell(comparison?.PeakRssBytes, comparison?.Missing, "more memory", "less memory"),
                CallsCell(calls, comparison?.Calls),
            ]);
            text.AppendLine("| " + string.Join(" | ", cells) + " |");
        }
        if (analysis.Baseline is { Caveats.Count: > 0 } caveated)
        {
            text.AppendLine();
            foreach (var caveat in caveated.Caveats)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"> ⚠️ Not like for like: {Markdown.Escape(caveat)}. Verdicts may reflect the machines, not the change.");
            }
        }

        InstructionsSection.Append(text, analysis);
        AppendProfilers(text, metrics, links, compared);
        AppendChart(text, metrics, compared, analysis.Baseline);
        AppendHotspots(text, analysis.SideHotspots, "from base to head", "Base", "Head");
        AppendHotspots(text, analysis.BaselineHotspots, "since the baseline", "Baseline", "Now");
        AppendTopFunctions(text, metrics);
        AppendProblems(text, metrics);
        text.AppendLine();
        var footer = new List<string>();
        if (compared)
        {
            footer.Add(string.Create(CultureInfo.InvariantCulture, $"Same-runner verdicts: paired trimmed t-test on log ratios of interleaved runs (p &lt; {settings.Alpha}) and a change of at least max({settings.MinimumEffect * 100:0.#}%, noise floor); 95% bootstrap interval over pairs. The noise floor is what an A/A run (the same commit on both sides) could not tell from no change: the farthest of its estimate and 95% interval from a ratio of 1."));
        }
        if (!compared || analysis.Baseline is not null)
        {
            footer.Add(string.Create(CultureInfo.InvariantCulture, $"Verdicts against the baseline: one-sided Mann–Whitney U on the clean runs (p &lt; {settings.Alpha}) and a change of at least max({settings.MinimumEffect * 100:0.#}%, noise floor); the interval is a 95% bootstrap interval of the ratio of medians."));
        }
        text.AppendLine($"<sub>{string.Join(" ", footer)} Informational only.</sub>");
        return text.ToString();
    }

    /// <summary>
    /// The same-runner comparison leads: what was compared (or why it could not be), where the noise
    /// floor comes from, and head against base per scenario from interleaved pairs.
    /// </summary>
    private static void AppendCompare(StringBuilder text, RunAnalysis analysis, CompareRun compare)
    {
        var metrics = analysis.Current;
        var reference = Markdown.Code(compare.Ref);
        var commit = Markdown.Code(Short(compare.Commit) ?? "unresolved");
        if (compare.Status != CompareStatus.Ok)
        {
            text.AppendLine($"**Same-runner comparison with {reference} failed**: {Markdown.Escape(compare.Problem ?? "no reason given")}; the results below are the head's alone.");
            text.AppendLine();
            return;
        }
        // Scenarios whose base failed have no pairs: they say so in their row, not in this count.
        var counts = analysis.Scenarios.Select(s => s.Paired).OfType<PairedResult>().Select(p => p.Pairs).Where(n => n > 0).Distinct().Order().ToList();
        var pairs = counts switch
        {
            [] => "",
            [var n] => $", {n} pair{(n == 1 ? "" : "s")} per scenario",
            _ => $", {counts[0]}–{counts[^1]} pairs per scenario",
        };
        var where = compare.Environment is { Length: > 0 } environment ? $"; base interpreter: {Markdown.Escape(environment)}" : "";
        var isCalibration = analysis.IsCalibration;
        text.AppendLine(isCalibration
            ? $"**A/A calibration**: the same commit on both sides measures this runner's noise ({commit}, interleaved{pairs}{where})."
            : $"**Compared on this runner** with {reference} ({commit}), interleaved{pairs}{where}.");
        text.AppendLine();
        text.AppendLine(NoiseFloorLine(analysis.Calibration, analysis.Settings));
        text.AppendLine();

        text.AppendLine("| Scenario | Base runtime | Head runtime | Change (paired, 95% interval) | Noise floor | Base peak RSS | Head peak RSS | Change | cProfile calls base → head |");
        text.AppendLine("|---|---:|---:|---|---|---:|---:|---|---:|");
        foreach (var scenario in metrics.Scenarios)
        {
            var side = scenario.Base;
            var found = analysis.For(scenario.Name);
            var result = found.Paired;
            var missing = side is null ? "no base run"
                : side.Status != ScenarioStatus.Ok || scenario.Status != ScenarioStatus.Ok ? "-"
                : result is not { Pairs: > 0 } ? "no clean pair"
                : null;
            var floor = found.NoiseFloor;
            text.AppendLine("| " + string.Join(" | ",
                Markdown.Escape(scenario.Name),
                SideCell(side, "base", s => Format.Runtime(s.WallSeconds)),
                SideCell(scenario.Head, null, s => Format.Runtime(s.WallSeconds)),
                missing is null ? VerdictCell(result!.WallSeconds, null, "slower", "faster") : Markdown.Escape(missing),
                missing is null ? FloorCell(floor) : "-",
                SideCell(side, "base", s => Format.Bytes(s.PeakRssBytes.Median), quiet: true),
                SideCell(scenario.Head, null, s => Format.Bytes(s.PeakRssBytes.Median), quiet: true),
                missing is null ? VerdictCell(result!.PeakRssBytes, null, "more memory", "less memory") : "-",
                SideCallsCell(side?.Profilers, scenario.Profilers)) + " |");
        }
        if (compare.PythonVersion is { Length: > 0 } python && python != metrics.Environment.PythonVersion)
        {
            text.AppendLine();
            text.AppendLine($"> ⚠️ Not like for like: the base ran Python {Markdown.Escape(python)}, the head {Markdown.Escape(metrics.Environment.PythonVersion)}. Verdicts may reflect the interpreters, not the change.");
        }
        text.AppendLine();
    }

    private static string NoiseFloorLine(Calibration? calibration, ComparisonSettings settings) => calibration switch
    {
        { ThisRun: true } => "**Noise floor** measured by this A/A run, per scenario: a change smaller than it is this runner's own noise.",
        { } aa => string.Create(CultureInfo.InvariantCulture, $"**Noise floor** from the A/A run {Markdown.Escape(aa.RunLabel)} (the baseline): a verdict needs a change beyond it as well as {settings.MinimumEffect * 100:0.#}%."),
        null => string.Create(CultureInfo.InvariantCulture, $"**Noise floor** not calibrated: neither this run nor its baseline is an A/A run, so a verdict needs a change of {settings.MinimumEffect * 100:0.#}% alone."),
    };

    /// <summary>One side's value, or why it has none: a failed base says so in its row (the whole message is under Problems).</summary>
    private static string SideCell(SideResult? side, string? name, Func<ScenarioStatistics, string> value, bool quiet = false)
    {
        if (side is null)
        {
            return "-";
        }
        if (side.Status == ScenarioStatus.Ok && side.Statistics is { } statistics)
        {
            return value(statistics);
        }
        if (quiet)
        {
            return "-";
        }
        var status = (name is null ? "" : name + " ") + side.Status.ToString().ToLowerInvariant();
        return side.Message is { } message ? $"{status}: {Markdown.Escape(Brief(message))}" : status;
    }

    private static string SideCallsCell(IReadOnlyList<ProfilerRun>? side, IReadOnlyList<ProfilerRun> head)
    {
        var before = side?.FirstOrDefault(p => p.Tool == CProfile.Name)?.Calls?.TotalCalls;
        var after = head.FirstOrDefault(p => p.Tool == CProfile.Name)?.Calls?.TotalCalls;
        return (before, after) switch
        {
            (null, null) => "-",
            ({ } b, null) => $"{Format.Count(b)} → -",
            (null, { } a) => $"- → {Format.Count(a)}",
            ({ } b, { } a) => $"{Format.Count(b)} → {Format.Count(a)}{(a == b ? " (same)" : $" ({(a > b ? "+" : "")}{Format.Count(a - b)})")}",
        };
    }

    /// <summary>The calibrated noise per metric shown beside a verdict; "not calibrated" says the minimum effect stood alone.</summary>
    private static string FloorCell(NoiseFloor? floor)
    {
        var parts = new List<string>();
        if (floor is not null && double.IsFinite(floor.WallSeconds))
        {
            parts.Add($"time ±{Share(floor.WallSeconds)}");
        }
        if (floor is not null && double.IsFinite(floor.PeakRssBytes))
        {
            parts.Add($"RSS ±{Share(floor.PeakRssBytes)}");
        }
        return parts.Count == 0 ? "not calibrated" : string.Join(", ", parts);
    }

    /// <summary>The first line of a message, short enough for a table cell.</summary>
    private static string Brief(string message)
    {
        var line = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        return line.Length <= 80 ? line : line[..79] + "…";
    }

    private static string BaselineLine(RunAnalysis analysis) => analysis.Baseline switch
    {
        { } comparison => $"**Baseline** {Markdown.Escape(comparison.BaselineLabel)} ({Markdown.Code(Short(comparison.BaselineCommit) ?? "no commit")}, {Markdown.Escape(comparison.BaselineOrigin)})",
        null when analysis.BaselineProblem is not null => $"**Baseline** none: {Markdown.Escape(analysis.BaselineProblem)}",
        _ => "**Baseline** none requested",
    };

    private static string VerdictCell(MetricComparison? comparison, string? missing, string worse, string better)
    {
        if (comparison is null)
        {
            return missing is null ? "-" : Markdown.Escape(missing);
        }
        var change = double.IsFinite(comparison.Ratio) ? Format.Change(comparison.Ratio - 1) : "";
        var interval = double.IsFinite(comparison.RatioLow) ? $" [{Format.Change(comparison.RatioLow - 1)}, {Format.Change(comparison.RatioHigh - 1)}]" : "";
        return comparison.Verdict switch
        {
            Verdict.Slower => $"🔴 **{worse}** {change}{interval}",
            Verdict.Faster => $"🟢 **{better}** {change}{interval}",
            Verdict.Unchanged => $"⚪ unchanged {change}",
            _ => $"❔ inconclusive {change}{interval}".TrimEnd(),
        };
    }

    private static string CallsCell(long? calls, CallCountChange? change) => (calls, change) switch
    {
        (null, _) => "-",
        (_, null) => Format.Count(calls.Value),
        (_, { Delta: 0 }) => $"{Format.Count(calls.Value)} (same)",
        (_, { } c) => $"{Format.Count(calls.Value)} ({(c.Delta > 0 ? "+" : "")}{Format.Count(c.Delta)})",
    };

    /// <summary>One row per scenario; in a compare run one per side, the base first (both sides' files are in the scenario's artifact).</summary>
    private static void AppendProfilers(StringBuilder text, RunMetrics metrics, ReportLinks links, bool compared)
    {
        var rows = new List<(string Scenario, string Label, IReadOnlyList<ProfilerRun> Runs)>();
        foreach (var scenario in metrics.Scenarios)
        {
            if (compared && scenario.Base is { Profilers.Count: > 0 } side)
            {
                rows.Add((scenario.Name, $"{Markdown.Escape(scenario.Name)} (base)", side.Profilers));
            }
            if (scenario.Profilers.Count > 0)
            {
                rows.Add((scenario.Name, Markdown.Escape(scenario.Name) + (compared ? " (head)" : ""), scenario.Profilers));
            }
        }
        if (rows.Count == 0)
        {
            return;
        }
        var tools = s_tools.Where(t => rows.Any(r => r.Runs.Any(p => p.Tool == t))).ToList();
        text.AppendLine();
        text.AppendLine("### Profiler reports");
        text.AppendLine();
        text.AppendLine("| Scenario | " + string.Join(" | ", tools) + " |");
        text.AppendLine("|---|" + string.Concat(tools.Select(_ => "---|")));
        foreach (var (scenario, label, runs) in rows)
        {
            var cells = tools.Select(tool => runs.FirstOrDefault(p => p.Tool == tool) is { } run ? ProfilerCell(scenario, run, links) : "-");
            text.AppendLine($"| {label} | {string.Join(" | ", cells)} |");
        }
    }

    /// <summary>
    /// On GitHub a file lives inside its scenario's artifact (a zip): link the artifact (its URL came
    /// from the API), name the file. A path read from metrics.json is never a link target: a fork writes it.
    /// </summary>
    private static string ProfilerCell(string scenario, ProfilerRun run, ReportLinks links)
    {
        var status = Markdown.Escape(run.StatusText);
        if (run.Artifacts.Count == 0)
        {
            return status;
        }
        var files = run.Artifacts.Select(a => links.ScenarioArtifact(scenario) is { } url
            ? $"{Markdown.Link(a.Kind, url)} <sub>{Markdown.Escape(Path.GetFileName(a.Path))}</sub>"
            : $"{Markdown.Escape(a.Kind)} <sub>{Markdown.Escape(Path.GetFileName(a.Path))}</sub>");
        var overhead = run.OverheadRatio is { } ratio ? string.Create(CultureInfo.InvariantCulture, $" ({ratio:0.0}× clean)") : "";
        return $"{status}{overhead}: {string.Join(", ", files)}";
    }

    /// <summary>A compare run charts its two sides; otherwise the baseline (if any) beside this run.</summary>
    private static void AppendChart(StringBuilder text, RunMetrics metrics, bool compared, RunComparison? comparison)
    {
        var measured = metrics.Scenarios.Where(s => s.Statistics is not null).ToList();
        if (measured.Count == 0)
        {
            return;
        }
        var before = compared ? measured.Select(s => s.Base?.Statistics?.WallSeconds.Median ?? 0).ToList()
            : comparison is null ? null
            : measured.Select(s => comparison.Scenarios.FirstOrDefault(c => c.Scenario == s.Name)?.WallSeconds?.BaselineMedian ?? 0).ToList();
        text.AppendLine();
        text.AppendLine("### Median runtime" + (compared ? " (first bar: base, second: head)" : before is null ? "" : " (first bar: baseline, second: this run)"));
        text.AppendLine();
        text.AppendLine("```mermaid");
        text.AppendLine("xychart-beta");
        text.AppendLine("  x-axis [" + string.Join(", ", measured.Select(s => Markdown.MermaidLabel(s.Name))) + "]");
        text.AppendLine("  y-axis \"seconds\"");
        if (before is not null)
        {
            text.AppendLine("  bar [" + string.Join(", ", before.Select(Number)) + "]");
        }
        text.AppendLine("  bar [" + string.Join(", ", measured.Select(s => Number(s.Statistics!.WallSeconds.Median))) + "]");
        text.AppendLine("```");
    }

    private static void AppendHotspots(StringBuilder text, IReadOnlyList<HotspotDiff>? diffs, string between, string before, string after)
    {
        foreach (var diff in diffs ?? [])
        {
            text.AppendLine();
            text.AppendLine($"<details><summary>Where the time moved in {Markdown.Escape(diff.Scenario)} {between} (cProfile, own time)</summary>");
            text.AppendLine();
            text.AppendLine($"| | Function | File | {before} | {after} | Change | Calls |");
            text.AppendLine("|---|---|---|---:|---:|---:|---:|");
            foreach (var (label, rows) in new[] { ("grew", diff.Grew), ("shrank", diff.Shrank) })
            {
                foreach (var row in rows)
                {
                    text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {label} | {Markdown.Escape(row.Function)} | {Markdown.Escape(row.File)} | {Format.Seconds(row.BaselineSeconds)} | {Format.Seconds(row.CurrentSeconds)} | {(row.DeltaSeconds > 0 ? "+" : "-")}{Format.Seconds(Math.Abs(row.DeltaSeconds))} | {Format.Count(row.BaselineCalls)} → {Format.Count(row.CurrentCalls)} |"));
                }
            }
            text.AppendLine();
            text.AppendLine("</details>");
        }
    }

    private static void AppendTopFunctions(StringBuilder text, RunMetrics metrics)
    {
        foreach (var scenario in metrics.Scenarios)
        {
            var calls = scenario.Profilers.FirstOrDefault(p => p.Tool == CProfile.Name)?.Calls;
            if (calls is null || calls.Top.Count == 0)
            {
                continue;
            }
            text.AppendLine();
            text.AppendLine($"<details><summary>Top 10 functions of {Markdown.Escape(scenario.Name)} (cProfile)</summary>");
            text.AppendLine();
            text.AppendLine("| Function | File:line | Calls | Own time | Cumulative |");
            text.AppendLine("|---|---|---:|---:|---:|");
            foreach (var function in calls.Top.Take(10))
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {Markdown.Escape(function.Function)} | {Markdown.Escape(Path.GetFileName(function.File))}:{function.Line} | {Format.Count(function.Calls)} | {Format.Seconds(function.TotalSeconds)} | {Format.Seconds(function.CumulativeSeconds)} |");
            }
            text.AppendLine();
            text.AppendLine("</details>");
        }
    }

    private static void AppendProblems(StringBuilder text, RunMetrics metrics)
    {
        var problems = metrics.Scenarios.SelectMany(s => new[] { (s.Name, Side: "", s.Status, s.Message), (s.Name, Side: "base, ", s.Base?.Status ?? ScenarioStatus.Ok, s.Base?.Message) })
            .Where(p => p.Message is not null).ToList();
        if (problems.Count == 0)
        {
            return;
        }
        text.AppendLine();
        text.AppendLine("### Problems");
        foreach (var (name, side, status, message) in problems)
        {
            text.AppendLine();
            text.AppendLine($"**{Markdown.Escape(name)}** ({side}{status.ToString().ToLowerInvariant()}):");
            text.AppendLine();
            text.AppendLine(Markdown.Fence(message!));
        }
    }

    private static string? Short(string? commit) => commit is null ? null : ShortSha.Of(commit, ShortSha.InReport);


    private static string Share(double fraction) => string.Create(CultureInfo.InvariantCulture, $"{fraction * 100:0.0}%");

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
