using Filare.Perf.Analysis;
using Filare.Perf.Results;
using Spectre.Console;

namespace Filare.Perf.Reporting;

/// <summary>
/// The report in a terminal, in the design of the Markdown one: the headline first, then per
/// scenario the verdict to act on (head against base when there is one, else the baseline) with
/// its interval and floor, base → head in one cell.
/// </summary>
public static class ConsoleReport
{
    public static void Write(IAnsiConsole console, RunAnalysis analysis)
    {
        var context = ReportContext.Of(new ReportInput(analysis));
        var metrics = context.Metrics;
        console.MarkupLine($"[bold]Filare performance: {Markup.Escape(metrics.RunLabel)}[/]");
        console.MarkupLine(Markup.Escape(HeaderSection.Headline(context.Summary, t => t)));
        var (before, after) = context.Compared ? ("base", "head") : ("baseline", "now");
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Scenario").AddColumn("Status");
        var rows = context.Compared ? metrics.Scenarios.Select(s => CompareSection.Row(context, s)).ToList()
            : context.Baseline is { } baseline ? metrics.Scenarios.Select(s => BaselineSection.Row(context, baseline, s)).ToList()
            : null;
        if (rows is null)
        {
            table.AddColumn(new TableColumn("Runtime (median ± IQR/2)").RightAligned()).AddColumn(new TableColumn("CPU").RightAligned())
                .AddColumn(new TableColumn("Peak RSS").RightAligned());
        }
        else
        {
            table.AddColumn(new TableColumn($"Runtime, {before} → {after}").RightAligned()).AddColumn("Runtime change [[95%]]").AddColumn("Floor")
                .AddColumn(new TableColumn($"Peak RSS, {before} → {after}").RightAligned()).AddColumn("Peak RSS change [[95%]]");
        }
        table.AddColumn("Profilers");
        var time = Unit.Time(rows?.SelectMany(r => new[] { r.WallBefore, r.WallAfter }).OfType<double>()
            ?? metrics.Scenarios.Select(s => s.Statistics?.WallSeconds.Median ?? 0));
        var memory = Unit.Memory(rows?.SelectMany(r => new[] { r.RssBefore, r.RssAfter }).OfType<double>()
            ?? metrics.Scenarios.Select(s => s.Statistics?.PeakRssBytes.Median ?? 0));
        foreach (var scenario in metrics.Scenarios)
        {
            var color = scenario.Status switch
            {
                ScenarioStatus.Ok => "green",
                ScenarioStatus.Skipped => "yellow",
                _ => "red",
            };
            var cells = new List<string> { Markup.Escape(scenario.Name), $"[{color}]{Cells.Status(scenario.Status)}[/]" };
            var s = scenario.Statistics;
            if (rows?.FirstOrDefault(r => r.Scenario == scenario.Name) is { } row)
            {
                cells.AddRange([
                    Markup.Escape(Span(time, row.WallBefore, row.WallAfter)), Plain(row.WallVerdict), Markup.Escape(row.WallFloor),
                    Markup.Escape(Span(memory, row.RssBefore, row.RssAfter)), Plain(row.RssVerdict),
                ]);
            }
            else
            {
                cells.AddRange([
                    s is null ? "-" : Markup.Escape($"{time.Number(s.WallSeconds.Median)} ± {time.Number(s.WallSeconds.Iqr / 2)} {time.Name}"),
                    s is null ? "-" : Format.Percent(s.CpuPercent.Median),
                    s is null ? "-" : Markup.Escape(memory.Of(s.PeakRssBytes.Median)),
                ]);
            }
            cells.Add(Markup.Escape(string.Join(", ", scenario.Profilers.Select(p => $"{p.Tool}: {p.StatusText}"))));
            table.AddRow(cells.ToArray());
        }
        console.Write(table);
    }

    private static string Span(Unit unit, double? before, double? after) => before is null && after is null ? "-" : unit.Span(before, after);

    /// <summary>A Markdown verdict cell for the terminal: no bold, coloured by its verdict.</summary>
    private static string Plain(string cell)
    {
        var text = Markup.Escape(cell.Replace("**", "", StringComparison.Ordinal).Replace("\\", "", StringComparison.Ordinal));
        return cell.StartsWith(Cells.Worse, StringComparison.Ordinal) || cell.StartsWith(Cells.Failure, StringComparison.Ordinal) ? $"[red]{text}[/]"
            : cell.StartsWith(Cells.Better, StringComparison.Ordinal) ? $"[green]{text}[/]"
            : cell.StartsWith(Cells.Unknown, StringComparison.Ordinal) ? $"[yellow]{text}[/]"
            : text;
    }
}
