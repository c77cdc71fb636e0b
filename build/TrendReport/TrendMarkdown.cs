using System.Globalization;
using System.Text;
using Filare.Perf.Git;
using Filare.Perf.History;
using Filare.Perf.Reporting;
using Filare.Perf.Results;
using Filare.Perf.Trend;
using Filare.Perf.Comparison;

namespace Filare.Perf.TrendReport;

/// <summary>
/// trend.md and the history job's summary: per branch and scenario the change points with their
/// commit ranges and compare links, runner changes, drifts, and a chart per metric. Names from the
/// history are escaped; only validated 40-hex commits and owner/name repositories reach a link.
/// </summary>
public static class TrendMarkdown
{
    public const string FileName = "trend.md";

    public static string Render(TrendResult result)
    {
        var text = new StringBuilder("## Filare performance trends\n\n");
        var settings = result.Settings;
        text.AppendLine(CultureInfo.InvariantCulture, $"The last {settings.Points} nights of each branch and scenario. Change points: " +
            $"{Method(settings.Method)} within each runner's nights, kept at p ≤ {settings.Alpha.ToString("0.####", CultureInfo.InvariantCulture)} (t-test " +
            $"of the segments either side) and a step of at least the smallest magnitude; the commit " +
            $"range holds every night the data cannot rule out. Method: docs/performance/history.md.");
        text.AppendLine();
        if (result.Series.Count == 0)
        {
            text.AppendLine("No history yet: no branch has a recorded night.");
        }
        foreach (var series in result.Series)
        {
            AppendSeries(text, series, settings);
        }
        if (result.Warnings.Count > 0)
        {
            text.AppendLine("<details><summary>History warnings</summary>").AppendLine();
            foreach (var warning in result.Warnings)
            {
                text.AppendLine($"- {Markdown.Escape(warning)}");
            }
            text.AppendLine().AppendLine("</details>");
        }
        return text.ToString();
    }

    private static void AppendSeries(StringBuilder text, SeriesTrend series, TrendSettings settings)
    {
        text.AppendLine($"### {Markdown.Escape(series.Branch)} · {Markdown.Escape(series.Scenario)}").AppendLine();
        if (series.Points.Count == 0)
        {
            text.AppendLine("No successful night yet.").AppendLine();
            return;
        }
        var first = series.Points[0];
        var last = series.Points[^1];
        var floor = series.NoiseFloor is { } f ? $"noise floor {Percent(f)} (median of the branch's A/A nights)" : "noise floor not calibrated (no A/A night)";
        text.AppendLine(CultureInfo.InvariantCulture, $"{series.Points.Count} nights, {Day(first)} to {Day(last)} · latest " +
            $"{Format.Seconds(last.WallSeconds!.Median)} at {Markdown.Code(ShortSha.Of(last.Commit, ShortSha.InReport))} · " +
            $"{floor} · smallest step reported {Percent(series.MinMagnitude)}");
        text.AppendLine();
        if (series.ChangePoints.Count == 0 && series.Drifts.Count == 0)
        {
            text.AppendLine("No change point.").AppendLine();
        }
        else if (series.ChangePoints.Count > 0)
        {
            text.AppendLine("| Change | Metric | After ÷ before (95% CI) | Commit range | Moved together |");
            text.AppendLine("|---|---|---|---|---|");
            foreach (var change in series.ChangePoints)
            {
                var primary = change.Primary;
                var others = change.Moves.Where(m => m.Metric != change.Metric).Select(m => $"{TrendMetrics.Name(m.Metric)} {Ratio(m)}").ToList();
                text.AppendLine($"| {(primary.Ratio > 1 ? "🔺 slower" : "🔻 faster")} | {TrendMetrics.Name(change.Metric)} | {Ratio(primary)} " +
                    $"| {Range(series, change.Before, change.After, settings)} | {(others.Count == 0 ? "-" : string.Join(", ", others))} |");
            }
            text.AppendLine();
        }
        foreach (var drift in series.Drifts)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"**Drift** in {TrendMetrics.Name(drift.Metric)}: {Format.Change(drift.PerPoint)} a night over " +
                $"{drift.Last - drift.First + 1} nights ({Format.Change(drift.Total)} in all, Mann–Kendall " +
                $"p = {drift.PValue:0.#####}), {Range(series, drift.First, drift.Last, settings)}.");
            text.AppendLine();
        }
        foreach (var runner in series.RunnerChanges)
        {
            var step = runner.Ratio is { } r ? $"wall ×{r.ToString("0.000", CultureInfo.InvariantCulture)} across it" : "no step measurable";
            text.AppendLine($"- **Runner changed** at {Day(series.Points[runner.Index])}: {Markdown.Escape(runner.From)} → " +
                $"{Markdown.Escape(runner.To)}; {step}{(runner.Stepped ? " (runner changed: not a change in Filare)" : "")}.");
        }
        if (series.RunnerChanges.Count > 0)
        {
            text.AppendLine();
        }
        foreach (var metric in new[] { TrendMetric.WallSeconds, TrendMetric.PeakRssBytes, TrendMetric.Instructions })
        {
            if (MermaidTrendChart.Render(series, metric) is { } chart)
            {
                text.AppendLine(Markdown.Fence(chart.TrimEnd('\n'), "mermaid")).AppendLine();
            }
        }
        if (series.NoiseFloor is not null)
        {
            text.AppendLine("Wall chart: the nightly medians, and the noise band (each night's level ± the noise floor). " +
                "x labels: CP = first night after a change point, R = first night on another runner.").AppendLine();
        }
    }

    /// <summary>The commits either side, linked to GitHub's compare view when the repository is known; both ends are validated 40-hex commits.</summary>
    public static string Range(SeriesTrend series, int before, int after, TrendSettings settings)
    {
        var a = series.Points[before];
        var b = series.Points[after];
        var nights = $"{Day(a)} → {Day(b)}";
        var repository = settings.Repository ?? b.Repository;
        if (repository is not null && HistoryRecorder.IsRepositoryName(repository) && CommitSha.IsFull(a.Commit) && CommitSha.IsFull(b.Commit))
        {
            var range = $"{ShortSha.Of(a.Commit, ShortSha.InChart)}…{ShortSha.Of(b.Commit, ShortSha.InChart)}";
            return $"{Markdown.Link(range, CompareUrl(repository, a.Commit, b.Commit))} ({nights})";
        }
        return $"{Markdown.Code(ShortSha.Of(a.Commit, ShortSha.InChart) + "…" + ShortSha.Of(b.Commit, ShortSha.InChart))} ({nights})";
    }

    public static string CompareUrl(string repository, string before, string after) => $"https://github.com/{repository}/compare/{before}...{after}";

    private static string Method(ChangePointMethod method) => method == ChangePointMethod.EdPelt ? "ED-PELT (Perfolizer)" : "binary segmentation with a t-test";

    private static string Ratio(MetricMove move) => string.Create(CultureInfo.InvariantCulture, $"×{move.Ratio:0.000} ({move.Low:0.000}–{move.High:0.000})");

    private static string Percent(double fraction) => string.Create(CultureInfo.InvariantCulture, $"{fraction * 100:0.0}%");

    private static string Day(HistoryRecord point) => point.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
