using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Filare.Perf.Reporting;
using Filare.Perf.Trend;
using Filare.Perf.TrendReport;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests;

/// <summary>
/// Mermaid reads <c>%%{init: ...}%%</c> directives anywhere in a chart, inside quoted labels too: a
/// scenario or branch name must not restyle the chart (themeCSS with an outside URL, a palette that
/// hides the bars). Every chart the report and trend.md draw from hostile names goes through
/// Mermaid's own parse(), and the configuration it returns must be exactly the chart's own init line.
/// </summary>
public sealed partial class ReportMarkdownTests
{
    public static readonly string[] HostileNames =
    [
        "s1 %%{init: {'themeCSS':'.bar-plot-0 rect { fill: url(https://evil.example/t.png) }'}}%%",
        "s2 %%{init: {\"themeVariables\": {\"xyChart\": {\"plotColorPalette\": \"#ffffff00, #ffffff00\"}}}}%%",
        "s3 %%%{init: {'theme':'dark'}}%%%",
        "s4\"] %%{init: {'theme':'forest'}}%% [\"",
        "s5 #quot;#35;%%{init:{'themeCSS':'*{display:none}'}}%%",
        "---\nconfig:\n  theme: dark\n---\ns6",
    ];

    [Fact]
    public void A_mermaid_label_keeps_only_allowed_characters()
    {
        // %% becomes one %, braces and quotes spaces: no directive can start.
        Assert.Equal("\"s1 % init: themeCSS : .bar-plot-0 rect fill: url(https://evil.example/t.png) %\"", Markdown.MermaidLabel(HostileNames[0]));
        Assert.Equal("\"master demo01: CPU% (%)\"", Markdown.MermaidLabel("master demo01: CPU% (%)"));
        Assert.Equal("\"s3 % init: theme : dark %\"", Markdown.MermaidLabel(HostileNames[2]));
        Assert.Equal("\"pytest-render-bom\"", Markdown.MermaidLabel("pytest-render-bom"));
        Assert.Equal(Markdown.MaxMermaidLabel + 2, Markdown.MermaidLabel(new string('x', 500)).Length);
    }

    [Fact]
    public async Task Mermaid_parses_every_chart_drawn_from_hostile_names_to_exactly_the_charts_own_init()
    {
        MermaidParser.SkipUnlessInstalled();
        var scenarios = HostileNames.Select((name, i) => Compared(name, s_baseWalls, Shifted(1 + i / 10.0))).ToArray();
        var report = ReportMarkdown.Render(new ReportInput(Analysed(CompareMetrics("pr-7", AB(), scenarios))));
        var records = HostileNames.SelectMany(name => Enumerable.Range(0, 4).Select(night => HistoryData.Record(name, name, night, 1 + night / 10.0))).ToList();
        var trend = TrendMarkdown.Render(TrendAnalyzer.Analyze(records, new TrendSettings()));
        var charts = MermaidParser.Blocks(report).Concat(MermaidParser.Blocks(trend)).ToList();
        // The report draws its change per scenario as text (docs/performance/report.md); trend.md keeps its Mermaid charts.
        Assert.True(charts.Count >= HostileNames.Length, $"{charts.Count} charts");
        // The check can fail: the first name, quoted as the label was before the allow-list, brings its themeCSS.
        var first = charts[0];
        var before = new Regex("title \"[^\"\n]*\"").Replace(first, $"title \"{HostileNames[0]}\"", 1);
        Assert.NotEqual(first, before);
        charts.Add(before);

        var results = (await MermaidParser.ParseAsync(charts)).Select(line => JsonNode.Parse(line)!).ToList();

        for (var i = 0; i < charts.Count - 1; i++)
        {
            Assert.True(results[i]["ok"]!.GetValue<bool>(), results[i].ToJsonString());
            Assert.True(JsonNode.DeepEquals(OwnInit(charts[i]), results[i]["config"]), $"{results[i]["config"]!.ToJsonString()}\nfrom\n{charts[i]}");
        }
        Assert.Contains("evil.example", results[^1]["config"]!.ToJsonString(), StringComparison.Ordinal);
    }

    /// <summary>The configuration a chart sets itself: its first line's init directive, or none.</summary>
    private static JsonNode OwnInit(string chart) =>
        Regex.Match(chart, @"\A%%\{init: (.*)\}%%\n") is { Success: true } init ? JsonNode.Parse(init.Groups[1].Value)! : new JsonObject();
}
