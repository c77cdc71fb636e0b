using Filare.Perf.Tests.Support;
using Filare.Perf.Trend;
using Filare.Perf.TrendReport;

namespace Filare.Perf.Tests.Trend;

/// <summary>trend.md's charts go through Mermaid's own parser, as the report's do (ReportLayoutTests).</summary>
public sealed class TrendChartParseTests
{
    [Fact]
    public async Task Every_trend_chart_parses_with_mermaids_own_parser_and_a_broken_one_does_not()
    {
        MermaidParser.SkipUnlessInstalled();
        // A step, a runner change and a scenario with odd characters in its name: every chart kind trend.md draws.
        var step = SyntheticSeries.Step(7, 30, 15, 0.10, 0.01);
        var records = step.Select((v, i) => HistoryData.Record("master", "demo01", i, v, cpu: i < 20 ? "AMD EPYC 7763" : "Intel Xeon 8370C"))
            .Concat(SyntheticSeries.Drift(3, 12, 0.01, 0.01).Select((v, i) => HistoryData.Record("beta", "bom \"qty\" [x]", i, v)))
            .ToList();
        var markdown = TrendMarkdown.Render(TrendAnalyzer.Analyze(records, new TrendSettings()));
        var charts = MermaidParser.Blocks(markdown).ToList();
        Assert.True(charts.Count >= 4, $"{charts.Count} charts");
        charts.Add("xychart-beta\n  x-axis [\"a\", \"b\"\n  line [1, 2]\n");

        var results = await MermaidParser.ParseAsync(charts);

        Assert.All(results.Take(results.Count - 1), r =>
            Assert.True(r.Contains("\"ok\":true", StringComparison.Ordinal) && r.Contains("\"type\":\"xychart\"", StringComparison.Ordinal), r));
        Assert.Contains("\"ok\":false", results[^1], StringComparison.Ordinal);
    }
}
