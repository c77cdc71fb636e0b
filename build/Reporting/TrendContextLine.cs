using System.Globalization;
using Filare.Perf.Analysis;
using Filare.Perf.Git;
using Filare.Perf.Trend;

namespace Filare.Perf.Reporting;

/// <summary>
/// The report's line about the base branch's history: a link to its trend, and, when it had a
/// change point or a drift in its recent nights, which scenario moved and between which commits: a
/// PR measured on a base that just regressed is told so.
/// </summary>
public static class TrendContextLine
{
    public static string? Render(RunAnalysis analysis)
    {
        var contexts = analysis.BaseTrends;
        if (contexts.Count == 0)
        {
            return null;
        }
        var first = contexts[0];
        var branch = first.TrendUrl is { } url ? Markdown.Link(first.Branch, url) : Markdown.Code(first.Branch);
        if (contexts.All(c => c.Nights == 0))
        {
            return $"**Base branch trend** ({branch}): no recorded nights of these scenarios yet.";
        }
        var moved = contexts.Where(c => c.Moved).ToList();
        if (moved.Count == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"**Base branch trend** ({branch}): no change point in its last {first.Window} nights.");
        }
        var changes = moved.SelectMany(Describe).ToList();
        return $"> ⚠️ **The base branch moved**: {branch} had {(changes.Count == 1 ? "a change" : $"{changes.Count} changes")} " +
            $"in its last {first.Window} nights: {string.Join("; ", changes)}. This PR is measured on a base that changed.";
    }

    private static IEnumerable<string> Describe(TrendContext context)
    {
        var scenario = Markdown.Escape(context.Points.Count > 0 ? context.Points[0].Scenario : "");
        foreach (var change in context.ChangePoints)
        {
            var primary = change.Primary;
            yield return string.Create(CultureInfo.InvariantCulture,
                $"{scenario} {TrendMetrics.Name(change.Metric)} ×{primary.Ratio:0.000} ({primary.Low:0.000}–{primary.High:0.000}) between " +
                    $"{Markdown.Code(ShortSha.Of(context.Points[change.Before].Commit, ShortSha.InChart))} " +
                    $"and {Markdown.Code(ShortSha.Of(context.Points[change.After].Commit, ShortSha.InChart))}");
        }
        foreach (var drift in context.Drifts)
        {
            yield return $"{scenario} {TrendMetrics.Name(drift.Metric)} drifting {Results.Format.Change(drift.PerPoint)} a night";
        }
    }
}
