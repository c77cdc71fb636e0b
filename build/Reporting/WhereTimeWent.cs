using System.Globalization;
using System.Text;
using Filare.Perf.Analysis;
using Filare.Perf.ImportTime;
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
            text.AppendLine("<sub>Differential flamegraphs (profiler table: diff-flamegraph in the head's shape, diff-flamegraph-negated in the base's): red " +
                "frames grew, blue shrank, as shares of each side's own total; a frame whose change is " +
                "within noise is grey (py-spy: the floor above; import time: the spread of its runs).</sub>");
        }
    }

    private static void AppendImportTimes(StringBuilder text, IReadOnlyList<ScenarioAnalysis> scenarios, bool compared)
    {
        if (scenarios.Count == 0)
        {
            return;
        }
        // Six columns at most (MarkdownTable.MaxColumns): the share rides with the import time.
        var table = new MarkdownTable(new Column("Scenario"), Column.Right("Import time (share of wall)"), Column.Right("Wall time (same runs)"),
            Column.Right("Modules"), new Column("Runs"), Column.Right("Change"));
        foreach (var scenario in scenarios)
        {
            var imports = scenario.Imports!;
            if (imports.Base is { } side)
            {
                table.Row([$"{Markdown.Escape(scenario.Name)} (base)", .. Cells(side), MarkdownTable.None]);
            }
            // A change is shown only with its test: beyond the noise of both sides' runs, else "within noise".
            var change = imports.Base is not { TotalSeconds: > 0 } b ? MarkdownTable.None
                : imports.Diff is not { TotalChanged: true } ? "within noise"
                : $"{Signed(imports.Head.TotalSeconds - b.TotalSeconds)} ({Format.Change(imports.Head.TotalSeconds / b.TotalSeconds - 1)})";
            table.Row([$"{Markdown.Escape(scenario.Name)}{(compared ? " (head)" : "")}", .. Cells(imports.Head), change]);
        }
        text.AppendLine();
        text.Append(table.Render());
    }

    private static string[] Cells(ImportStats stats) =>
    [
        $"{Format.Seconds(stats.TotalSeconds)} ({Format.Percent(stats.ShareOfWall * 100)})", Format.Seconds(stats.WallSeconds), Format.Count(stats.Modules),
        stats.Runs == 1 ? "one run" : $"median of {stats.Runs}",
    ];

    private static void AppendTopModules(StringBuilder text, string scenario, ImportStats head, bool compared)
    {
        if (head.Top.Count == 0)
        {
            return;
        }
        var table = new MarkdownTable(new Column("Module"), Column.Right("Cumulative"), Column.Right("Self"), new Column("Imported by"));
        foreach (var module in head.Top)
        {
            table.Row(Markdown.Escape(module.Module), Format.Seconds(module.CumulativeSeconds), Format.Seconds(module.SelfSeconds), Chain(module.Chain));
        }
        Collapsed(text, $"{Markdown.Escape(scenario)}: top {head.Top.Count} modules by cumulative import time{(compared ? " (head)" : "")}", table);
    }

    internal static void AppendImportDiff(StringBuilder text, string scenario, ImportDiff diff)
    {
        var total = Total(diff);
        if (diff.New.Count + diff.Gone.Count + diff.Grew.Count + diff.Shrunk.Count == 0)
        {
            // A header with no rows reads as a rendering bug; say what "nothing" means instead.
            text.AppendLine();
            text.AppendLine($"{Markdown.Escape(scenario)}: no import changed beyond noise, none is new or gone ({total}).");
            return;
        }
        var table = new MarkdownTable(new Column(""), new Column("Module"), Column.Right("Base"), Column.Right("Head"), Column.Right("Change"),
            new Column("Imported by"));
        foreach (var row in diff.New)
        {
            table.Row("new", OneSide(row), MarkdownTable.None, Us(row.CumulativeUs), Signed(row.CumulativeUs / 1e6), Chain(row.Chain));
        }
        foreach (var row in diff.Gone)
        {
            table.Row("gone", OneSide(row), Us(row.CumulativeUs), MarkdownTable.None, Signed(-row.CumulativeUs / 1e6), Chain(row.Chain));
        }
        foreach (var (word, rows) in new[] { ("grew", diff.Grew), ("shrank", diff.Shrunk) })
        {
            foreach (var row in rows)
            {
                table.Row(word, Markdown.Escape(row.Module), Us(row.BaseCumulativeUs), Us(row.HeadCumulativeUs), Signed(row.ChangeUs / 1e6), Chain(row.Chain));
            }
        }
        var changed = diff.Grew.Count + diff.Shrunk.Count == 0
            ? "no import changed beyond noise"
            : $"{diff.Grew.Count} grew, {diff.Shrunk.Count} shrank beyond noise";
        Collapsed(text, $"{Markdown.Escape(scenario)}: imports from base to head: {diff.New.Count} new, {diff.Gone.Count} gone, {changed} ({total})", table);
    }

    /// <summary>"all imports +0.532 s, within noise (±0.610 s over 3 + 3 runs)": the total carries its floor, and is a change only beyond it.</summary>
    private static string Total(ImportDiff diff)
    {
        var floor = Format.Seconds(diff.TotalFloorUs / 1e6);
        return diff.Runs < 2 ? $"all imports {Signed(diff.ChangeUs / 1e6)}, one run per side: not tested against noise"
            : diff.TotalChanged ? $"all imports {Signed(diff.ChangeUs / 1e6)}, beyond noise (spread {floor}, {diff.Runs}+ runs per side)"
            : $"all imports within noise (spread {floor}, {diff.Runs}+ runs per side)";
    }

    internal static void AppendSampleGrowth(StringBuilder text, string scenario, SampleGrowth growth)
    {
        var floor = growth.Floor is { } f ? $" (floor {f.SharesText})" : "";
        var beyond = growth.Floor is { } g ? $"; grew beyond noise, floor {g.SharesText}" : "";
        if (growth.Grew.Count == 0)
        {
            text.AppendLine();
            text.AppendLine($"{Markdown.Escape(scenario)}: no frame's self share of py-spy's samples grew beyond noise from base to head{floor}.");
            return;
        }
        var table = new MarkdownTable(new Column("Frame"), Column.Right("Base"), Column.Right("Head"), Column.Right("Change"), new Column("Called from"));
        foreach (var frame in growth.Grew)
        {
            table.Row($"{Markdown.Escape(frame.Frame)}{(frame.HeadOnly ? " (new)" : "")}", Share(frame.BaseSelfShare), Share(frame.HeadSelfShare),
                string.Create(CultureInfo.InvariantCulture, $"+{frame.SelfShareChange * 100:0.0} points"),
                Chain(frame.Path.Take(frame.Path.Count - 1).ToList()));
        }
        Collapsed(text, $"{Markdown.Escape(scenario)}: what grew in py-spy's samples ({growth.Grew.Count} frame{(growth.Grew.Count == 1 ? "" : "s")}, " +
            $"self share, base {Format.Count(growth.BaseSamples)} → head {Format.Count(growth.HeadSamples)} samples{beyond})", table);
    }

    private static void Collapsed(StringBuilder text, string summary, MarkdownTable table) =>
        text.AppendLine().Append(table.RenderCollapsed(summary));

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
