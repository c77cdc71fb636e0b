using System.Text;
using Filare.Perf.Results;

namespace Filare.Perf.Reporting;

/// <summary>
/// The same-runner comparison, head against base from interleaved pairs: when there is one, it is
/// the verdict to act on. A compare whose base could not be prepared says so in the header instead.
/// </summary>
public static class CompareSection
{
    private const int ShownPackages = 8;

    public static void Write(ReportContext context, StringBuilder text)
    {
        if (!context.Compared)
        {
            return;
        }
        var metrics = context.Metrics;
        text.AppendLine(context.IsCalibration ? "#### A/A: base and head are the same commit" : "#### Head against base (same runner, paired)");
        text.AppendLine();
        // A skipped scenario has no figures: the headline counts it and Problems says why.
        VerdictTables.Write(text, metrics.Scenarios.Where(s => s.Status != ScenarioStatus.Skipped).Select(s => Row(context, s)).ToList(), "base", "head");
        Caveats(context, text);
        PairsSection.Append(text, metrics);
        text.AppendLine(MethodSection.Legend(context));
        text.AppendLine();
    }

    /// <summary>What makes the sides unlike, beside the verdict: in the comment too.</summary>
    public static void Caveats(ReportContext context, StringBuilder text)
    {
        var metrics = context.Metrics;
        if (!context.Compared)
        {
            return;
        }
        if (metrics.Compare!.PythonVersion is { Length: > 0 } python && python != metrics.Environment.PythonVersion)
        {
            text.AppendLine($"> ⚠️ Not like for like: the base ran Python {Markdown.Escape(python)}, the head " +
                $"{Markdown.Escape(metrics.Environment.PythonVersion)}. Verdicts may reflect the interpreters, not the change.");
            text.AppendLine();
        }
        if (metrics.Compare.PackageDifferences is { Count: > 0 } packages)
        {
            // A dependency bump between the sides is a cause the reviewer must be able to see beside the verdict.
            var shown = string.Join(", ", packages.Take(ShownPackages).Select(Markdown.Escape));
            var more = packages.Count > ShownPackages ? $" and {packages.Count - ShownPackages} more (metrics.json `compare.packageDifferences`)" : "";
            text.AppendLine($"> ⚠️ The sides' installed packages differ: {shown}{more}. A verdict can come from them as well as from Filare's code.");
            text.AppendLine();
        }
    }

    internal static VerdictRow Row(ReportContext context, ScenarioResult scenario)
    {
        var side = scenario.Base;
        var result = context.Paired(scenario.Name);
        var missing = scenario.Status == ScenarioStatus.Skipped ? "⏭️ skipped"
            : side is null ? "➖ no base run"
            : side.Status != ScenarioStatus.Ok ? $"{Cells.Failure} base {Cells.Status(side.Status)}"
            : scenario.Status != ScenarioStatus.Ok ? $"{Cells.Failure} head {Cells.Status(scenario.Status)}"
            : result is not { Pairs: > 0 } ? "➖ no clean pair"
            : null;
        var floor = context.Floor(scenario.Name);
        var calls = Cells.Calls(context.Calls(scenario.Name)?.Paired);
        if (missing is not null)
        {
            return new VerdictRow(scenario.Name, Median(side?.Statistics, side), Median(scenario.Statistics, scenario.Head), missing, MarkdownTable.None,
                Rss(side?.Statistics, side), Rss(scenario.Statistics, scenario.Head), missing, MarkdownTable.None, calls)
            with { Runner = ShardsSection.CpuNote(context, scenario.Name) };
        }
        return new VerdictRow(scenario.Name,
            side!.Statistics?.WallSeconds.Median, scenario.Statistics?.WallSeconds.Median, Cells.Verdict(result!.WallSeconds, "slower", "faster"),
            Cells.Floor(floor?.WallSeconds),
            side.Statistics?.PeakRssBytes.Median, scenario.Statistics?.PeakRssBytes.Median, Cells.Verdict(result.PeakRssBytes, "more", "less"),
            Cells.Floor(floor?.PeakRssBytes),
            calls)
            with { Runner = ShardsSection.CpuNote(context, scenario.Name) };
    }

    private static double? Median(ScenarioStatistics? statistics, SideResult? side) =>
        side?.Status == ScenarioStatus.Ok ? statistics?.WallSeconds.Median : null;

    private static double? Rss(ScenarioStatistics? statistics, SideResult? side) =>
        side?.Status == ScenarioStatus.Ok ? statistics?.PeakRssBytes.Median : null;
}
