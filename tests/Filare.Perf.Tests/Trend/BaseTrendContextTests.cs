using Filare.Perf.Analysis;
using Filare.Perf.Comparison;
using Filare.Perf.History;
using Filare.Perf.Reporting;
using Filare.Perf.Tests.Support;
using Filare.Perf.Trend;

namespace Filare.Perf.Tests.Trend;

/// <summary>A PR report says when its base branch moved in its recent nights, from RunAnalysis.</summary>
public sealed class BaseTrendContextTests : IDisposable
{
    private readonly string _history = Directory.CreateTempSubdirectory("filare-perf-base-trend-").FullName;

    public void Dispose() => Directory.Delete(_history, recursive: true);

    [Fact]
    public void A_base_branch_with_a_change_point_makes_the_report_say_the_base_moved_with_the_commits_and_a_link()
    {
        var walls = SyntheticSeries.Step(4, 30, 20, 0.08, 0.01);
        new HistoryFolder(_history).Append(walls.Select((w, i) => HistoryData.Record("master", "demo01", i, w)));
        var source = new BaseTrendSource(_history, "perf-history", new TrendSettings(Repository: "filare/filare"));
        var notes = new List<string>();

        var analysis = RunAnalysis.Of(new AnalysisInput(Pr(), new ComparisonSettings(), BaseTrend: source.Load("master", notes)));
        var report = ReportMarkdown.Render(new ReportInput(analysis));

        Assert.Empty(notes);
        var context = analysis.For("demo01").BaseTrend!;
        Assert.True(context.Moved);
        var change = Assert.Single(context.ChangePoints);
        Assert.True(change.Before < 20 && 20 <= change.After);
        Assert.Contains("> ⚠️ **The base branch moved**: [master](https://github.com/filare/filare/blob/perf-history/master/trend.md) " +
            "had a change in its last 60 nights: demo01 wall time ×1.0", report, StringComparison.Ordinal);
        Assert.Contains($"and `{HistoryData.Sha(change.After)[..7]}`", report, StringComparison.Ordinal);
        Assert.Contains("This PR is measured on a base that changed.", report, StringComparison.Ordinal);
    }

    [Fact]
    public void A_steady_base_gets_one_quiet_line_and_no_history_gets_none()
    {
        new HistoryFolder(_history).Append(SyntheticSeries.Step(9, 20, 0, 0, 0.01).Select((w, i) => HistoryData.Record("master", "demo01", i, w)));
        var source = new BaseTrendSource(_history, "perf-history", new TrendSettings());

        var steady = ReportMarkdown.Render(new ReportInput(RunAnalysis.Of(new AnalysisInput(Pr(), new ComparisonSettings(),
            BaseTrend: source.Load("master", [])))));
        var none = ReportMarkdown.Render(new ReportInput(RunAnalysis.Of(new AnalysisInput(Pr(), new ComparisonSettings(),
            BaseTrend: source.Load("beta", [])))));

        Assert.Contains("**Base branch trend** (`master`): no change point in its last 60 nights.", steady, StringComparison.Ordinal);
        Assert.DoesNotContain("Base branch", none, StringComparison.Ordinal);
        Assert.DoesNotContain("base branch moved", none, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_base_history_is_a_note_not_a_failure()
    {
        Directory.CreateDirectory(Path.Combine(_history, "master"));
        File.WriteAllText(Path.Combine(_history, "master", HistoryRecord.FileName),
            HistoryFile.Line(HistoryData.Record("master", "demo01", 1, 1.0) with { SchemaVersion = 2 }) + "\n");
        var notes = new List<string>();

        var trend = new BaseTrendSource(_history, "perf-history", new TrendSettings()).Load("master", notes);

        Assert.Null(trend);
        Assert.Contains("schema version 2", Assert.Single(notes), StringComparison.Ordinal);
    }

    private static Results.RunMetrics Pr() =>
        HistoryData.Run("pr-12", HistoryData.Sha(99), "feature", DateTimeOffset.UnixEpoch, ("demo01", [1.0, 1.1, 1.2]));
}
