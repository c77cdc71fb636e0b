using Spectre.Console;

namespace Filare.Perf.Results;

public static class ConsoleReport
{
    public static void Write(IAnsiConsole console, RunMetrics metrics)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"Filare performance: {Markup.Escape(metrics.RunLabel)}")
            .AddColumn("Scenario").AddColumn("Status")
            .AddColumn(new TableColumn("Runtime").RightAligned())
            .AddColumn(new TableColumn("CPU").RightAligned())
            .AddColumn(new TableColumn("Peak RSS").RightAligned())
            .AddColumn("Profilers");
        foreach (var scenario in metrics.Scenarios)
        {
            var s = scenario.Statistics;
            var status = scenario.Status.ToString().ToLowerInvariant();
            var color = scenario.Status switch
            {
                ScenarioStatus.Ok => "green",
                ScenarioStatus.Skipped => "yellow",
                _ => "red",
            };
            table.AddRow(
                Markup.Escape(scenario.Name),
                $"[{color}]{status}[/]",
                s is null ? "-" : Markup.Escape(Format.Runtime(s.WallSeconds)),
                s is null ? "-" : Format.Percent(s.CpuPercent.Median),
                s is null ? "-" : Markup.Escape(Format.Bytes(s.PeakRssBytes.Max)),
                Markup.Escape(string.Join(", ", scenario.Profilers.Select(p => $"{p.Tool}: {p.StatusText}"))));
        }
        console.Write(table);
    }
}
