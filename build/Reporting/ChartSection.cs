using System.Globalization;
using System.Text;
using Filare.Perf.Analysis;
using Filare.Perf.Results;

namespace Filare.Perf.Reporting;

/// <summary>
/// The change per scenario as a forest plot in a monospace block: one line per scenario, its
/// wall-time change as ● with its 95% interval ├──┤, the work's change (instructions) as ◆, the
/// ±threshold as ┆ and no change as │, on one axis shared by every line. It replaces a Mermaid bar
/// chart of median runtimes, which at six scenarios ran the x labels into each other, drew the base
/// as one line joining unrelated scenarios and showed absolute seconds that differ by scenario
/// rather than the change a reviewer acts on. A line per scenario reads at any count; Mermaid's
/// xychart has no error bars, so the interval, the point of the verdict, could not be drawn there.
/// </summary>
public static class ChartSection
{
    /// <summary>Cells of the axis: an odd count puts 0 in the middle.</summary>
    public const int Width = 41;

    private const int NameWidth = 18;

    /// <summary>One plotted scenario: fractions (0.1 = +10%).</summary>
    public sealed record Point(string Scenario, double Change, double Low, double High, double? Work, string Verdict);

    /// <summary>What the chart plots, and the scenarios it leaves out (no comparison to draw) by name.</summary>
    public static (IReadOnlyList<Point> Plotted, IReadOnlyList<string> Left) Points(ReportContext context)
    {
        var plotted = new List<Point>();
        var left = new List<string>();
        foreach (var scenario in context.Summary.Scenarios)
        {
            if (scenario.Fused is { Wall: var wall } fused && double.IsFinite(wall.Change) && double.IsFinite(wall.Low) && double.IsFinite(wall.High))
            {
                plotted.Add(new Point(scenario.Scenario, wall.Change, wall.Low, wall.High, fused.WorkChange, FusedVerdict.Name(fused.Outcome)));
            }
            else
            {
                left.Add(scenario.Scenario);
            }
        }
        return (plotted, left);
    }

    public static void Write(ReportContext context, StringBuilder text)
    {
        var (plotted, left) = Points(context);
        if (plotted.Count == 0)
        {
            return;
        }
        var threshold = context.Settings.MinimumEffect;
        text.AppendLine("#### Change per scenario").AppendLine();
        text.AppendLine("```text");
        foreach (var line in Lines(plotted, threshold))
        {
            text.AppendLine(line);
        }
        text.AppendLine("```").AppendLine();
        var against = context.Compared ? "head against base" : "against the stored baseline";
        var rest = left.Count > 0 ? $" Not plotted (no comparison to draw): {string.Join(", ", left.Select(Markdown.Escape))}." : "";
        text.AppendLine($"<sub>Wall time {against}: ● the change, ├─┤ its 95% interval, ◆ the change in instructions (work), │ no change, "
            + $"┆ ±{Cells.Share(threshold)}; ◀ ▶ beyond the axis.{rest}</sub>").AppendLine();
    }

    /// <summary>The plot's lines: the axis labels, then one line per scenario. Scenario names are shown as text in a code block (never Markdown).</summary>
    public static IReadOnlyList<string> Lines(IReadOnlyList<Point> points, double threshold)
    {
        var range = Range(points, threshold);
        var lines = new List<string> { new string(' ', NameWidth) + Axis(range) };
        foreach (var point in points)
        {
            var row = new char[Width];
            Array.Fill(row, ' ');
            row[Cell(0, range)] = '│';
            row[Cell(-threshold, range)] = '┆';
            row[Cell(threshold, range)] = '┆';
            var (low, high) = (Cell(point.Low, range), Cell(point.High, range));
            for (var i = low; i <= high; i++)
            {
                row[i] = '─';
            }
            row[low] = point.Low < -range ? '◀' : '├';
            row[high] = point.High > range ? '▶' : '┤';
            if (point.Work is { } work)
            {
                row[Cell(work, range)] = work < -range ? '◀' : work > range ? '▶' : '◆';
            }
            row[Cell(point.Change, range)] = point.Change < -range ? '◀' : point.Change > range ? '▶' : '●';
            var work2 = point.Work is { } w ? $", work {Format.Change(w)}" : "";
            lines.Add($"{Name(point.Scenario)}{new string(row)}  {Format.Change(point.Change)} " +
                $"[{Format.Change(point.Low)}, {Format.Change(point.High)}]{work2} {point.Verdict}");
        }
        return lines;
    }

    /// <summary>A round half-width that holds every interval, at least twice the threshold; far outliers are clipped, not allowed to squash the rest.</summary>
    public static double Range(IReadOnlyList<Point> points, double threshold)
    {
        var largest = points.SelectMany(p => new[] { Math.Abs(p.Low), Math.Abs(p.High), Math.Abs(p.Work ?? 0) }).Max();
        var steps = new[] { 0.05, 0.1, 0.2, 0.5, 1.0 };
        return steps.FirstOrDefault(s => s >= largest && s >= 2 * threshold, 1.0);
    }

    private static int Cell(double value, double range) =>
        Math.Clamp((int)Math.Round((value + range) / (2 * range) * (Width - 1), MidpointRounding.AwayFromZero), 0, Width - 1);

    /// <summary>"-10%      -5%       0       +5%      +10%" over the axis' cells.</summary>
    private static string Axis(double range)
    {
        var row = new char[Width + 6];
        Array.Fill(row, ' ');
        foreach (var value in new[] { -range, -range / 2, 0, range / 2, range })
        {
            var label = value == 0 ? "0" : string.Create(CultureInfo.InvariantCulture, $"{(value > 0 ? "+" : "")}{value * 100:0.#}%");
            var start = Math.Clamp(Cell(value, range) - label.Length / 2, 0, row.Length - label.Length);
            label.CopyTo(0, row, start, label.Length);
        }
        return new string(row).TrimEnd();
    }

    /// <summary>Inside a code block nothing is Markdown, but a backtick fence or a line break in an untrusted name could end it: neither passes.</summary>
    private static string Name(string scenario)
    {
        var safe = new string(scenario.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or ' ' ? c : '?').ToArray());
        return (safe.Length > NameWidth - 2 ? safe[..(NameWidth - 3)] + "…" : safe).PadRight(NameWidth);
    }
}
