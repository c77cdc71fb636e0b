using System.Globalization;
using System.Text;
using Filare.Perf.Results;

namespace Filare.Perf.Reporting;

/// <summary>
/// Each profiler's status and files per scenario; in a compare run one row per side, the base
/// first (both sides' files are in the scenario's artifact).
/// </summary>
public static class ProfilersSection
{
    private static readonly IReadOnlyList<string> s_order = ProfilerNames.InReportOrder;

    public static void Write(ReportContext context, StringBuilder text)
    {
        var rows = new List<(string Scenario, string Label, IReadOnlyList<ProfilerRun> Runs)>();
        foreach (var scenario in context.Metrics.Scenarios)
        {
            if (context.Compared && scenario.Base is { Profilers.Count: > 0 } side)
            {
                rows.Add((scenario.Name, $"{Markdown.Escape(scenario.Name)} (base)", side.Profilers));
            }
            if (scenario.Profilers.Count > 0)
            {
                rows.Add((scenario.Name, Markdown.Escape(scenario.Name) + (context.Compared ? " (head)" : ""), scenario.Profilers));
            }
        }
        if (rows.Count == 0)
        {
            return;
        }
        var seen = rows.SelectMany(r => r.Runs.Select(p => p.Tool)).Distinct(StringComparer.Ordinal).ToList();
        var tools = s_order.Where(seen.Contains).Concat(seen.Where(t => !s_order.Contains(t)).Order(StringComparer.Ordinal)).ToList();
        text.AppendLine("#### Profiler reports").AppendLine();
        // Narrow enough for a comment: at most five tools beside the scenario per table.
        foreach (var chunk in tools.Chunk(MarkdownTable.MaxColumns - 1))
        {
            var table = new MarkdownTable([new Column("Scenario"), .. chunk.Select(t => new Column(Markdown.Escape(t)))]);
            foreach (var (scenario, label, runs) in rows)
            {
                table.Row([label, .. chunk.Select(tool => runs.FirstOrDefault(p => p.Tool == tool) is { } run ? Cell(scenario, run, context.Links) : MarkdownTable.None)]);
            }
            text.Append(table.Render()).AppendLine();
        }
        if (rows.Any(r => r.Runs.Any(p => p.OverheadRatio is not null)))
        {
            text.AppendLine("<sub>N× clean: the profiled run's wall time against the median of the clean (unprofiled) runs, i.e. what the profiler itself cost.</sub>").AppendLine();
        }
    }

    /// <summary>
    /// On GitHub a file lives inside its scenario's artifact (a zip): link the artifact (its URL came
    /// from the API), name the file. A path read from metrics.json is never a link target: a fork writes it.
    /// </summary>
    private static string Cell(string scenario, ProfilerRun run, ReportLinks links)
    {
        var status = Markdown.Escape(run.StatusText);
        if (run.Artifacts.Count == 0)
        {
            return status;
        }
        var files = run.Artifacts.Select(a => links.ScenarioArtifact(scenario) is { } url
            ? $"{Markdown.Link(a.Kind, url)} <sub>{Markdown.Escape(Path.GetFileName(a.Path))}</sub>"
            : $"{Markdown.Escape(a.Kind)} <sub>{Markdown.Escape(Path.GetFileName(a.Path))}</sub>");
        var overhead = run.OverheadRatio is { } ratio ? string.Create(CultureInfo.InvariantCulture, $" ({ratio:0.0}× clean)") : "";
        return $"{status}{overhead}: {string.Join(", ", files)}";
    }
}
