using System.Globalization;
using System.Text;
using Filare.Perf.Comparison;
using Filare.Perf.Profilers;
using Filare.Perf.Results;

namespace Filare.Perf.Reporting;

/// <summary>Where a reviewer can download what the report mentions; empty outside GitHub.</summary>
public sealed record ReportLinks(string? RunUrl, IReadOnlyDictionary<string, string> Artifacts)
{
    public static readonly ReportLinks None = new(null, new Dictionary<string, string>());
}

/// <summary>Everything one report shows.</summary>
public sealed record ReportInput(
    RunMetrics Current,
    RunComparison? Comparison = null,
    string? BaselineProblem = null,
    ReportLinks? Links = null,
    IReadOnlyList<HotspotDiff>? Hotspots = null,
    string? Trigger = null,
    ComparisonSettings? Settings = null);

/// <summary>
/// The report as Markdown: headline table with verdicts against the baseline, profiler statuses
/// with links, a runtime chart, hotspot changes and the top functions. Used for summary.md, the
/// job summary and the PR comment.
/// </summary>
public static class ReportMarkdown
{
    public const string CommentMarker = "<!-- filare-perf-report -->";
    private static readonly string[] s_tools = [PySpy.Name, Scalene.Name, Memray.Name, CProfile.Name];

    public static string Render(ReportInput input)
    {
        var text = new StringBuilder();
        var metrics = input.Current;
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
        text.AppendLine(BaselineLine(input));
        text.AppendLine();

        text.AppendLine("| Scenario | Status | Runtime (median ± IQR/2) | vs baseline | CPU | Peak RSS | vs baseline | cProfile calls |");
        text.AppendLine("|---|---|---:|---|---:|---:|---|---:|");
        foreach (var scenario in metrics.Scenarios)
        {
            var s = scenario.Statistics;
            var comparison = input.Comparison?.Scenarios.FirstOrDefault(c => c.Scenario == scenario.Name);
            var calls = scenario.Profilers.FirstOrDefault(p => p.Tool == CProfile.Name)?.Calls?.TotalCalls;
            text.AppendLine("| " + string.Join(" | ",
                Markdown.Escape(scenario.Name),
                scenario.Status.ToString().ToLowerInvariant(),
                s is null ? "-" : Format.Runtime(s.WallSeconds),
                VerdictCell(comparison?.WallSeconds, comparison?.Missing, "slower", "faster"),
                s is null ? "-" : Format.Percent(s.CpuPercent.Median),
                s is null ? "-" : Format.Bytes(s.PeakRssBytes.Median),
                VerdictCell(comparison?.PeakRssBytes, comparison?.Missing, "more memory", "less memory"),
                CallsCell(calls, comparison?.Calls)) + " |");
        }
        if (input.Comparison is { Caveats.Count: > 0 } caveated)
        {
            text.AppendLine();
            foreach (var caveat in caveated.Caveats)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"> ⚠️ Not like for like: {Markdown.Escape(caveat)}. Verdicts may reflect the machines, not the change.");
            }
        }

        AppendProfilers(text, metrics, links);
        AppendChart(text, metrics, input.Comparison is null ? null : input);
        AppendHotspots(text, input.Hotspots);
        AppendTopFunctions(text, metrics);
        AppendProblems(text, metrics);
        text.AppendLine();
        var settings = input.Settings ?? new ComparisonSettings();
        text.AppendLine(CultureInfo.InvariantCulture, $"<sub>Verdicts: one-sided Mann–Whitney U on the clean runs (p &lt; {settings.Alpha}) and a change of at least {settings.MinimumEffect * 100:0.#}%; the interval is a 95% bootstrap interval of the ratio of medians. Informational only.</sub>");
        return text.ToString();
    }

    private static string BaselineLine(ReportInput input) => input.Comparison switch
    {
        { } comparison => $"**Baseline** {Markdown.Escape(comparison.BaselineLabel)} ({Markdown.Code(Short(comparison.BaselineCommit) ?? "no commit")}, {Markdown.Escape(comparison.BaselineOrigin)})",
        null when input.BaselineProblem is not null => $"**Baseline** none: {Markdown.Escape(input.BaselineProblem)}",
        _ => "**Baseline** none requested",
    };

    private static string VerdictCell(MetricComparison? comparison, string? missing, string worse, string better)
    {
        if (comparison is null)
        {
            return missing is null ? "-" : Markdown.Escape(missing);
        }
        var change = Percent(comparison.Ratio - 1);
        var interval = double.IsFinite(comparison.RatioLow) ? $" [{Percent(comparison.RatioLow - 1)}, {Percent(comparison.RatioHigh - 1)}]" : "";
        return comparison.Verdict switch
        {
            Verdict.Slower => $"🔴 **{worse}** {change}{interval}",
            Verdict.Faster => $"🟢 **{better}** {change}{interval}",
            Verdict.Unchanged => $"⚪ unchanged {change}",
            _ => $"❔ inconclusive {change}{interval}",
        };
    }

    private static string CallsCell(long? calls, CallCountChange? change) => (calls, change) switch
    {
        (null, _) => "-",
        (_, null) => Format.Count(calls.Value),
        (_, { Delta: 0 }) => $"{Format.Count(calls.Value)} (same)",
        (_, { } c) => $"{Format.Count(calls.Value)} ({(c.Delta > 0 ? "+" : "")}{Format.Count(c.Delta)})",
    };

    private static void AppendProfilers(StringBuilder text, RunMetrics metrics, ReportLinks links)
    {
        var profiled = metrics.Scenarios.Where(s => s.Profilers.Count > 0).ToList();
        if (profiled.Count == 0)
        {
            return;
        }
        var tools = s_tools.Where(t => profiled.Any(s => s.Profilers.Any(p => p.Tool == t))).ToList();
        text.AppendLine();
        text.AppendLine("### Profiler reports");
        text.AppendLine();
        text.AppendLine("| Scenario | " + string.Join(" | ", tools) + " |");
        text.AppendLine("|---|" + string.Concat(tools.Select(_ => "---|")));
        foreach (var scenario in profiled)
        {
            var cells = tools.Select(tool => scenario.Profilers.FirstOrDefault(p => p.Tool == tool) is { } run ? ProfilerCell(scenario.Name, run, links) : "-");
            text.AppendLine($"| {Markdown.Escape(scenario.Name)} | {string.Join(" | ", cells)} |");
        }
    }

    /// <summary>On GitHub a file lives inside its scenario's artifact (a zip): link the artifact, name the file.</summary>
    private static string ProfilerCell(string scenario, ProfilerRun run, ReportLinks links)
    {
        var status = Markdown.Escape(run.StatusText);
        if (run.Artifacts.Count == 0)
        {
            return status;
        }
        var files = run.Artifacts.Select(a => links.Artifacts.TryGetValue($"perf-{scenario}", out var url)
            ? $"{Markdown.Link(a.Kind, url)} <sub>{Markdown.Escape(Path.GetFileName(a.Path))}</sub>"
            : Markdown.Link(a.Kind, a.Path));
        var overhead = run.OverheadRatio is { } ratio ? string.Create(CultureInfo.InvariantCulture, $" ({ratio:0.0}× clean)") : "";
        return $"{status}{overhead}: {string.Join(", ", files)}";
    }

    private static void AppendChart(StringBuilder text, RunMetrics metrics, ReportInput? withBaseline)
    {
        var measured = metrics.Scenarios.Where(s => s.Statistics is not null).ToList();
        if (measured.Count == 0)
        {
            return;
        }
        text.AppendLine();
        text.AppendLine("### Median runtime" + (withBaseline is null ? "" : " (first bar: baseline, second: this run)"));
        text.AppendLine();
        text.AppendLine("```mermaid");
        text.AppendLine("xychart-beta");
        text.AppendLine("  x-axis [" + string.Join(", ", measured.Select(s => Markdown.MermaidLabel(s.Name))) + "]");
        text.AppendLine("  y-axis \"seconds\"");
        if (withBaseline?.Comparison is { } comparison)
        {
            var baseline = measured.Select(s => comparison.Scenarios.FirstOrDefault(c => c.Scenario == s.Name)?.WallSeconds?.BaselineMedian ?? 0);
            text.AppendLine("  bar [" + string.Join(", ", baseline.Select(Number)) + "]");
        }
        text.AppendLine("  bar [" + string.Join(", ", measured.Select(s => Number(s.Statistics!.WallSeconds.Median))) + "]");
        text.AppendLine("```");
    }

    private static void AppendHotspots(StringBuilder text, IReadOnlyList<HotspotDiff>? diffs)
    {
        foreach (var diff in diffs ?? [])
        {
            text.AppendLine();
            text.AppendLine($"<details><summary>Where the time moved in {Markdown.Escape(diff.Scenario)} (cProfile, own time)</summary>");
            text.AppendLine();
            text.AppendLine("| | Function | File | Baseline | Now | Change | Calls |");
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
        var problems = metrics.Scenarios.Where(s => s.Message is not null).ToList();
        if (problems.Count == 0)
        {
            return;
        }
        text.AppendLine();
        text.AppendLine("### Problems");
        foreach (var scenario in problems)
        {
            text.AppendLine();
            text.AppendLine($"**{Markdown.Escape(scenario.Name)}** ({scenario.Status.ToString().ToLowerInvariant()}):");
            text.AppendLine();
            text.AppendLine(Markdown.Fence(scenario.Message!));
        }
    }

    private static string? Short(string? commit) => commit is { Length: > 10 } ? commit[..10] : commit;

    private static string Percent(double fraction) => string.Create(CultureInfo.InvariantCulture, $"{(fraction >= 0 ? "+" : "")}{fraction * 100:0.0}%");

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
