using System.Globalization;
using System.Text;
using Filare.Perf.Results;

namespace Filare.Perf.Reporting;

/// <summary>
/// Median runtime per scenario as a Mermaid xychart: the head (or this run) as bars and the base (or
/// baseline) as a line over them, so neither hides the other; the y-axis starts at 0 so heights
/// compare; colours are set, not left to the theme. A value that failed or is missing is not plotted
/// (xychart has no gaps: the scenario is left out and named below), never drawn as 0.
/// </summary>
public static class ChartSection
{
    /// <summary>Head bars in GitHub's accent blue, the base line in a dark orange that reads on light and dark themes.</summary>
    public const string Palette = "#0969da, #bc4c00";

    public sealed record Point(string Scenario, double? Before, double? After);

    /// <summary>What the chart plots, and what it leaves out and why.</summary>
    public static (IReadOnlyList<Point> Plotted, IReadOnlyList<string> Left) Points(ReportContext context)
    {
        var withBefore = context.Compared || context.Baseline is not null;
        var plotted = new List<Point>();
        var left = new List<string>();
        foreach (var scenario in context.Metrics.Scenarios)
        {
            var after = scenario.Status == ScenarioStatus.Ok ? scenario.Statistics?.WallSeconds.Median : null;
            double? before = context.Compared
                ? scenario.Base is { Status: ScenarioStatus.Ok, Statistics: { } b } ? b.WallSeconds.Median : null
                : context.Baseline?.Scenarios.FirstOrDefault(c => c.Scenario == scenario.Name)?.WallSeconds?.BaselineMedian;
            if (after is null || withBefore && before is null)
            {
                var why = after is null ? $"{(context.Compared ? "head" : "this run")} {Cells.Status(scenario.Status)}"
                    : context.Compared ? scenario.Base is { } side ? $"base {Cells.Status(side.Status)}" : "no base run"
                    : "not in the baseline";
                left.Add($"{Markdown.Escape(scenario.Name)} ({why})");
                continue;
            }
            plotted.Add(new Point(scenario.Name, withBefore ? before : null, after));
        }
        return (plotted, left);
    }

    public static void Write(ReportContext context, StringBuilder text)
    {
        var (plotted, left) = Points(context);
        var withBefore = context.Compared || context.Baseline is not null;
        // One scenario with nothing beside it is the table's number again.
        if (plotted.Count == 0 || !withBefore && plotted.Count < 2)
        {
            return;
        }
        var unit = Unit.Time(plotted.SelectMany(p => new[] { p.Before ?? 0, p.After ?? 0 }));
        var (before, after) = context.Compared ? ("base", "head") : withBefore ? ("baseline", "this run") : ("", "this run");
        var top = Top(plotted.Max(p => Math.Max(p.Before ?? 0, p.After ?? 0)) * unit.Scale);
        text.AppendLine("#### Median runtime").AppendLine();
        text.AppendLine("```mermaid");
        text.AppendLine($"%%{{init: {{\"themeVariables\": {{\"xyChart\": {{\"plotColorPalette\": \"{Palette}\"}}}}}}}}%%");
        text.AppendLine("xychart-beta");
        text.AppendLine($"  title \"Median runtime ({unit.Name}): bars {after}{(withBefore ? $", line {before}" : "")}\"");
        text.AppendLine("  x-axis [" + string.Join(", ", plotted.Select(p => Markdown.MermaidLabel(p.Scenario))) + "]");
        text.AppendLine($"  y-axis \"{unit.Name}\" 0 --> {Number(top)}");
        text.AppendLine("  bar [" + string.Join(", ", plotted.Select(p => unit.Number(p.After!.Value))) + "]");
        if (withBefore)
        {
            text.AppendLine("  line [" + string.Join(", ", plotted.Select(p => unit.Number(p.Before!.Value))) + "]");
        }
        text.AppendLine("```").AppendLine();
        text.AppendLine($"<sub>Blue bars: {after}. {(withBefore ? $"Orange line: {before}. " : "")}{(left.Count > 0 ? $"Not plotted (no value to draw): {string.Join(", ", left)}." : "")}</sub>").AppendLine();
    }

    /// <summary>A round top a little above the largest value, so the tallest bar does not touch the frame.</summary>
    private static double Top(double largest)
    {
        if (largest <= 0)
        {
            return 1;
        }
        var step = Math.Pow(10, Math.Floor(Math.Log10(largest * 1.1))) / 2;
        return Math.Ceiling(largest * 1.1 / step) * step;
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
