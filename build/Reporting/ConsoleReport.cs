using System.Globalization;
using Filare.Perf.Analysis;
using Filare.Perf.Comparison;
using Filare.Perf.Results;
using Spectre.Console;

namespace Filare.Perf.Reporting;

public static class ConsoleReport
{
    /// <summary>The run's table, with head against base as the analysis judged it when the run compared two sides.</summary>
    public static void Write(IAnsiConsole console, RunAnalysis analysis)
    {
        var metrics = analysis.Current;
        var compared = analysis.Compared && metrics.Scenarios.Any(s => s.Base is not null);
        var table = new Table().Border(TableBorder.Rounded).Title($"Filare performance: {Markup.Escape(metrics.RunLabel)}")
            .AddColumn("Scenario").AddColumn("Status")
            .AddColumn(new TableColumn("Runtime").RightAligned())
            .AddColumn(new TableColumn("CPU").RightAligned())
            .AddColumn(new TableColumn("Peak RSS").RightAligned());
        if (compared)
        {
            table.AddColumn(new TableColumn("Base runtime").RightAligned()).AddColumn("Head vs base (paired)");
        }
        table.AddColumn("Profilers");
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
            var cells = new List<string>
            {
                Markup.Escape(scenario.Name),
                $"[{color}]{status}[/]",
                s is null ? "-" : Markup.Escape(Format.Runtime(s.WallSeconds)),
                s is null ? "-" : Format.Percent(s.CpuPercent.Median),
                s is null ? "-" : Markup.Escape(Format.Bytes(s.PeakRssBytes.Max)),
            };
            if (compared)
            {
                var result = analysis.For(scenario.Name).Paired;
                cells.Add(scenario.Base is { Status: ScenarioStatus.Ok, Statistics: { } b } ? Markup.Escape(Format.Runtime(b.WallSeconds))
                    : scenario.Base is { } side ? $"[red]{side.Status.ToString().ToLowerInvariant()}[/]"
                    : "-");
                cells.Add(Change(result));
            }
            cells.Add(Markup.Escape(string.Join(", ", scenario.Profilers.Select(p => $"{p.Tool}: {p.StatusText}"))));
            table.AddRow(cells.ToArray());
        }
        console.Write(table);
    }

    /// <summary>The wall time verdict and its interval; the floor too when an A/A run measured one.</summary>
    private static string Change(PairedResult? result)
    {
        if (result is not { Pairs: > 0, WallSeconds: { } wall } || !double.IsFinite(wall.Ratio))
        {
            return "-";
        }
        var change = Format.Change(wall.Ratio - 1);
        var interval = double.IsFinite(wall.RatioLow) ? $" [{Format.Change(wall.RatioLow - 1)}, {Format.Change(wall.RatioHigh - 1)}]" : "";
        var floor = result.NoiseFloor is { WallSeconds: var f } && double.IsFinite(f) ? string.Create(CultureInfo.InvariantCulture, $", floor ±{f * 100:0.0}%") : "";
        var verdict = wall.Verdict switch
        {
            Verdict.Slower => "[red]slower[/]",
            Verdict.Faster => "[green]faster[/]",
            Verdict.Unchanged => "[grey]unchanged[/]",
            _ => "[yellow]inconclusive[/]",
        };
        return $"{verdict} {Markup.Escape(change + interval + floor)} ({result.Pairs} pairs)";
    }
}
