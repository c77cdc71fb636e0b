using System.Globalization;
using System.Text;
using Filare.Perf.Analysis;
using Filare.Perf.Flamegraphs;
using Filare.Perf.ImportTime;
using Filare.Perf.Profilers;
using Filare.Perf.Results;

namespace Filare.Perf.Reporting;

/// <summary>
/// The report's "where the time went": import time against wall time per side, the top modules,
/// the imports that grew or are new or gone (with who imported them), and the py-spy frames whose
/// share grew. Informational; renders only what <see cref="RunAnalysis"/> found. Module and frame
/// names come from the PR's code: every one is escaped.
/// </summary>
public static class WhereTimeWent
{
    public static void Append(StringBuilder text, RunAnalysis analysis)
    {
        var scenarios = analysis.Scenarios.Where(s => s.Imports is not null || s.SampleGrowth is not null).ToList();
        if (scenarios.Count == 0)
        {
            return;
        }
        text.AppendLine();
        text.AppendLine("### Where the time went");
        AppendImportTimes(text, scenarios.Where(s => s.Imports is not null).ToList(), analysis.Compared);
        foreach (var scenario in scenarios)
        {
            if (scenario.Imports is { } imports)
            {
                AppendTopModules(text, scenario.Name, imports.Head, analysis.Compared);
                if (imports.Diff is { } diff)
                {
                    AppendImportDiff(text, scenario.Name, diff);
                }
            }
            if (scenario.SampleGrowth is { } growth)
            {
                AppendSampleGrowth(text, scenario.Name, growth);
            }
        }
        if (analysis.Compared)
        {
            text.AppendLine();
            text.AppendLine("<sub>Differential flamegraphs (profiler table: diff-flamegraph in the head's shape, diff-flamegraph-negated in the base's): red frames grew, blue shrank, as shares of each side's own total. Import times are noisy at the millisecond level.</sub>");
        }
    }

    private static void AppendImportTimes(StringBuilder text, IReadOnlyList<ScenarioAnalysis> scenarios, bool compared)
    {
        if (scenarios.Count == 0)
        {
            return;
        }
        text.AppendLine();
        text.AppendLine("| Scenario | Import time | Wall time (same runs) | Share | Modules | Runs |" + (compared ? " Change |" : ""));
        text.AppendLine("|---|---:|---:|---:|---:|---|" + (compared ? "---:|" : ""));
        foreach (var scenario in scenarios)
        {
            var imports = scenario.Imports!;
            if (imports.Base is { } side)
            {
                text.AppendLine($"| {Markdown.Escape(scenario.Name)} (base) | {Row(side)} |" + (compared ? " |" : ""));
            }
            var change = imports.Base is { TotalSeconds: > 0 } b
                ? $" {Signed(imports.Head.TotalSeconds - b.TotalSeconds)} ({Format.Change(imports.Head.TotalSeconds / b.TotalSeconds - 1)}) |"
                : compared ? " - |" : "";
            text.AppendLine($"| {Markdown.Escape(scenario.Name)}{(compared ? " (head)" : "")} | {Row(imports.Head)} |{change}");
        }
    }

    private static string Row(ImportStats stats) =>
        $"{Format.Seconds(stats.TotalSeconds)} | {Format.Seconds(stats.WallSeconds)} | {Format.Percent(stats.ShareOfWall * 100)} | {Format.Count(stats.Modules)} | {(stats.Runs == 1 ? "one run" : $"median of {stats.Runs}")}";

    private static void AppendTopModules(StringBuilder text, string scenario, ImportStats head, bool compared)
    {
        if (head.Top.Count == 0)
        {
            return;
        }
        text.AppendLine();
        text.AppendLine($"<details><summary>{Markdown.Escape(scenario)}: top {head.Top.Count} modules by cumulative import time{(compared ? " (head)" : "")}</summary>");
        text.AppendLine();
        text.AppendLine("| Module | Cumulative | Self | Imported by |");
        text.AppendLine("|---|---:|---:|---|");
        foreach (var module in head.Top)
        {
            text.AppendLine($"| {Markdown.Escape(module.Module)} | {Format.Seconds(module.CumulativeSeconds)} | {Format.Seconds(module.SelfSeconds)} | {Chain(module.Chain)} |");
        }
        text.AppendLine();
        text.AppendLine("</details>");
    }

    internal static void AppendImportDiff(StringBuilder text, string scenario, ImportDiff diff)
    {
        text.AppendLine();
        if (diff.New.Count + diff.Gone.Count + diff.Grew.Count == 0)
        {
            // A header with no rows reads as a rendering bug; say what "nothing" means instead.
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{Markdown.Escape(scenario)}: imports from base to head: {Signed(diff.ChangeUs / 1e6)} in all; no import is new or gone, none grew by {ImportDiff.MinimumGrowthUs / 1000} ms and {ImportDiff.MinimumGrowth:0%} or more."));
            return;
        }
        text.AppendLine($"<details><summary>{Markdown.Escape(scenario)}: imports from base to head: {Signed(diff.ChangeUs / 1e6)} in all; {diff.New.Count} new, {diff.Gone.Count} gone, {diff.Grew.Count} grew most</summary>");
        text.AppendLine();
        text.AppendLine("| | Module | Base | Head | Change | Imported by |");
        text.AppendLine("|---|---|---:|---:|---:|---|");
        foreach (var row in diff.New)
        {
            text.AppendLine($"| new | {OneSide(row)} | - | {Us(row.CumulativeUs)} | {Signed(row.CumulativeUs / 1e6)} | {Chain(row.Chain)} |");
        }
        foreach (var row in diff.Gone)
        {
            text.AppendLine($"| gone | {OneSide(row)} | {Us(row.CumulativeUs)} | - | {Signed(-row.CumulativeUs / 1e6)} | {Chain(row.Chain)} |");
        }
        foreach (var row in diff.Grew)
        {
            text.AppendLine($"| grew | {Markdown.Escape(row.Module)} | {Us(row.BaseCumulativeUs)} | {Us(row.HeadCumulativeUs)} | {Signed(row.ChangeUs / 1e6)} | {Chain(row.Chain)} |");
        }
        text.AppendLine();
        text.AppendLine("</details>");
    }

    private static void AppendSampleGrowth(StringBuilder text, string scenario, SampleGrowth growth)
    {
        text.AppendLine();
        if (growth.Grew.Count == 0)
        {
            text.AppendLine($"{Markdown.Escape(scenario)}: no frame's self share of py-spy's samples grew from base to head.");
            return;
        }
        text.AppendLine($"<details><summary>{Markdown.Escape(scenario)}: what grew in py-spy's samples ({growth.Grew.Count} frames, self share, base {Format.Count(growth.BaseSamples)} → head {Format.Count(growth.HeadSamples)} samples)</summary>");
        text.AppendLine();
        text.AppendLine("| Frame | Base | Head | Change | Called from |");
        text.AppendLine("|---|---:|---:|---:|---|");
        foreach (var frame in growth.Grew)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {Markdown.Escape(frame.Frame)}{(frame.HeadOnly ? " (new)" : "")} | {Share(frame.BaseSelfShare)} | {Share(frame.HeadSelfShare)} | +{frame.SelfShareChange * 100:0.0} points | {Chain(frame.Path.Take(frame.Path.Count - 1).ToList())} |"));
        }
        text.AppendLine();
        text.AppendLine("</details>");
    }

    private static string OneSide(OneSideImport row) =>
        Markdown.Escape(row.Module) + (row.Modules > 1 ? $" (+{Format.Count(row.Modules - 1)} modules it pulled in)" : "");

    /// <summary>The importers (or callers), nearest last; a long chain keeps its top and its last two.</summary>
    private static string Chain(IReadOnlyList<string> chain) => chain.Count switch
    {
        0 => "(top level)",
        <= 4 => string.Join(" → ", chain.Select(Markdown.Escape)),
        _ => string.Join(" → ", new[] { chain[0], "…", chain[^2], chain[^1] }.Select(Markdown.Escape)),
    };

    private static string Us(long microseconds) => Format.Seconds(microseconds / 1e6);

    private static string Signed(double seconds) => (seconds >= 0 ? "+" : "-") + Format.Seconds(Math.Abs(seconds));

    private static string Share(double share) => string.Create(CultureInfo.InvariantCulture, $"{share * 100:0.0}%");
}
