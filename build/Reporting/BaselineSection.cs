using System.Text;
using Filare.Perf.Analysis;
using Filare.Perf.Results;

namespace Filare.Perf.Reporting;

/// <summary>
/// This run against the stored baseline. Without a same-runner A/B it is the verdict and leads;
/// with one it is context in a collapsed block, with its caveats, so there is one verdict to act on.
/// With neither, this run's own figures.
/// </summary>
public static class BaselineSection
{
    public static void Write(ReportContext context, StringBuilder text)
    {
        if (context.Baseline is { } baseline)
        {
            var body = new StringBuilder();
            foreach (var caveat in baseline.Caveats)
            {
                body.AppendLine($"> ⚠️ Not like for like: {Markdown.Escape(caveat)}. Verdicts may reflect the machines, not the change.").AppendLine();
            }
            VerdictTables.Write(body, context.Metrics.Scenarios.Where(s => s.Status != ScenarioStatus.Skipped).Select(s => Row(context, baseline, s)).ToList(),
                "baseline", "now");
            var title = $"Against the stored baseline {Markdown.Escape(baseline.BaselineLabel)} " +
                $"({Markdown.Code(Cells.Short(baseline.BaselineCommit) ?? "no commit")}, {Markdown.Escape(baseline.BaselineOrigin)})";
            if (context.Compared)
            {
                text.AppendLine($"<details><summary>{title}: context, not the verdict</summary>").AppendLine();
                text.AppendLine("Runs from another job, maybe on another machine: the same-runner comparison above is the one to act on.").AppendLine();
                text.Append(body).AppendLine("</details>").AppendLine();
                return;
            }
            text.AppendLine($"#### {title}").AppendLine().Append(body);
            text.AppendLine(MethodSection.Legend(context)).AppendLine();
            return;
        }
        if (!context.Compared)
        {
            Results(context, text);
        }
    }

    internal static VerdictRow Row(ReportContext context, RunComparison baseline, ScenarioResult scenario)
    {
        var comparison = baseline.Scenarios.FirstOrDefault(c => c.Scenario == scenario.Name);
        var calls = context.Calls(scenario.Name);
        if (comparison is null || comparison.Missing is not null)
        {
            var why = ScenarioProblem.IsFailed(scenario.Status) ? $"{Cells.Failure} {Cells.Status(scenario.Status)}"
                : "➖ " + Markdown.Escape(comparison?.Missing ?? "not compared");
            return new VerdictRow(scenario.Name, null, scenario.Statistics?.WallSeconds.Median, why, MarkdownTable.None,
                null, scenario.Statistics?.PeakRssBytes.Median, why, MarkdownTable.None, Cells.Calls(null, calls?.Head))
            with { Runner = ShardsSection.CpuNote(context, scenario.Name) };
        }
        return new VerdictRow(scenario.Name,
            comparison.WallSeconds?.BaselineMedian, comparison.WallSeconds?.CurrentMedian, Cells.Verdict(comparison.WallSeconds, "slower", "faster"),
            Cells.Floor(comparison.NoiseFloor?.WallSeconds),
            comparison.PeakRssBytes?.BaselineMedian, comparison.PeakRssBytes?.CurrentMedian, Cells.Verdict(comparison.PeakRssBytes, "more", "less"),
            Cells.Floor(comparison.NoiseFloor?.PeakRssBytes),
            Cells.Calls(calls?.Baseline, calls?.Head))
            with { Runner = ShardsSection.CpuNote(context, scenario.Name) };
    }

    /// <summary>Nothing to compare with: this run's medians, with the spread of its runs.</summary>
    private static void Results(ReportContext context, StringBuilder text)
    {
        var scenarios = context.Metrics.Scenarios;
        var time = Unit.Time(scenarios.Select(s => s.Statistics?.WallSeconds.Median ?? double.NaN));
        var memory = Unit.Memory(scenarios.Select(s => s.Statistics?.PeakRssBytes.Median ?? double.NaN));
        var table = new MarkdownTable(new Column("Scenario"), new Column("Status"), Column.Right("Runtime (median ± IQR/2)"), Column.Right("CPU"),
            Column.Right("Peak RSS"), Column.Right("cProfile calls"));
        foreach (var scenario in scenarios)
        {
            var s = scenario.Statistics;
            table.Row(Markdown.Escape(scenario.Name),
                ScenarioProblem.IsFailed(scenario.Status) ? $"{Cells.Failure} {Cells.Status(scenario.Status)}" : Cells.Status(scenario.Status),
                s is null ? MarkdownTable.None : $"{time.Number(s.WallSeconds.Median)} ± {time.Number(s.WallSeconds.Iqr / 2)} {time.Name}",
                s is null ? MarkdownTable.None : Format.Percent(s.CpuPercent.Median),
                s is null ? MarkdownTable.None : memory.Of(s.PeakRssBytes.Median),
                Cells.Calls(null, context.Calls(scenario.Name)?.Head));
        }
        text.AppendLine("#### This run").AppendLine().Append(table.Render()).AppendLine();
    }
}
