using System.Globalization;
using System.Text;
using Filare.Perf.Git;
using Filare.Perf.History;
using Filare.Perf.Reporting;
using Filare.Perf.Trend;

namespace Filare.Perf.TrendReport;

/// <summary>
/// A Mermaid <c>xychart-beta</c> line chart of one metric over a series' nights: the nightly medians,
/// and, where the branch's A/A noise floor is known, the band level × (1 ± floor) around each night's
/// level (the median of its runner's nights between change points). xychart-beta has no legend and
/// no markers, so the x labels carry them: <c>R</c> for a night on another runner than the one
/// before, <c>CP</c> for the first night after a change point.
/// </summary>
public static class MermaidTrendChart
{
    public static string? Render(SeriesTrend series, TrendMetric metric)
    {
        var values = series.Points.Select(p => TrendMetrics.Value(p, metric)).ToList();
        if (values.Count < 2 || values.Any(v => v is null))
        {
            return null;
        }
        var (scale, unit) = Unit(metric, values.Max()!.Value);
        var text = new StringBuilder("xychart-beta\n");
        text.Append("    title ").Append(Markdown.MermaidLabel($"{series.Branch} {series.Scenario}: {TrendMetrics.Name(metric)}")).Append('\n');
        text.Append("    x-axis [").Append(string.Join(", ", series.Points.Select((p, i) => Markdown.MermaidLabel(Label(series, p, i))))).Append("]\n");
        text.Append("    y-axis ").Append(Markdown.MermaidLabel($"{TrendMetrics.Name(metric)} ({unit})")).Append('\n');
        text.Append("    line [").Append(string.Join(", ", values.Select(v => Number(v!.Value / scale)))).Append("]\n");
        if (metric == TrendMetric.WallSeconds && series.NoiseFloor is { } floor)
        {
            text.Append("    line [").Append(string.Join(", ", series.Level.Select(l => Number(l * (1 + floor) / scale)))).Append("]\n");
            text.Append("    line [").Append(string.Join(", ", series.Level.Select(l => Number(l * (1 - floor) / scale)))).Append("]\n");
        }
        return text.ToString();
    }

    private static string Label(SeriesTrend series, HistoryRecord point, int index)
    {
        var label = point.Date.ToString("MM-dd", CultureInfo.InvariantCulture) + " " + ShortSha.Of(point.Commit, ShortSha.InChart);
        if (series.RunnerChanges.Any(r => r.Index == index))
        {
            label = "R " + label;
        }
        if (series.ChangePoints.Any(c => c.After == index))
        {
            label = "CP " + label;
        }
        return label;
    }

    private static (double Scale, string Unit) Unit(TrendMetric metric, double max) => metric switch
    {
        TrendMetric.WallSeconds => max < 1 ? (0.001, "ms") : (1, "s"),
        TrendMetric.PeakRssBytes => (1024 * 1024, "MiB"),
        TrendMetric.Instructions => max >= 1e9 ? (1e9, "G instructions") : (1e6, "M instructions"),
        _ => (1, "%"),
    };

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
