using System.Globalization;
using System.Text;
using Filare.Perf.Results;

namespace Filare.Perf.Reporting;

/// <summary>
/// Each profiler's status per scenario, one line per scenario: in a compare run both sides in one
/// cell ("ok 1.2× · 1.1×", base first), and one link to the scenario's artifact, which holds every
/// file of both sides (their names are in metrics.json and the artifact; a file name per cell made
/// the table three wide cells of names per row).
/// </summary>
public static class ProfilersSection
{
    private static readonly IReadOnlyList<string> s_order = ProfilerNames.InReportOrder;

    public static void Write(ReportContext context, StringBuilder text)
    {
        var rows = context.Metrics.Scenarios
            .Select(s => (Scenario: s.Name, Base: context.Compared ? s.Base?.Profilers ?? [] : [], Head: s.Profilers))
            .Where(r => r.Base.Count > 0 || r.Head.Count > 0)
            .ToList();
        if (rows.Count == 0)
        {
            return;
        }
        var seen = rows.SelectMany(r => r.Base.Concat(r.Head).Select(p => p.Tool)).Distinct(StringComparer.Ordinal).ToList();
        var tools = s_order.Where(seen.Contains).Concat(seen.Where(t => !s_order.Contains(t)).Order(StringComparer.Ordinal)).ToList();
        text.AppendLine("#### Profiler reports").AppendLine();
        // Narrow enough for a comment: at most four tools beside the scenario and its files per table.
        foreach (var chunk in tools.Chunk(MarkdownTable.MaxColumns - 2))
        {
            var table = new MarkdownTable([new Column("Scenario"), .. chunk.Select(t => new Column(Markdown.Escape(t))), new Column("Files")]);
            foreach (var (scenario, @base, head) in rows)
            {
                var files = context.Links.ScenarioArtifact(scenario) is { } url
                    ? Markdown.Link("zip", url)
                    : Markdown.Code(ArtifactNames.Scenario(scenario, context.Links.Suffix));
                table.Row([Markdown.Escape(scenario), .. chunk.Select(tool =>
                    Cell(@base.FirstOrDefault(p => p.Tool == tool), head.FirstOrDefault(p => p.Tool == tool), context.Compared)), files]);
            }
            text.Append(table.Render()).AppendLine();
        }
        var sides = context.Compared ? " Two figures: base · head." : "";
        text.AppendLine($"<sub>N×: the profiled run's wall time against the median of the clean " +
            $"(unprofiled) runs, i.e. what the profiler itself cost.{sides}</sub>").AppendLine();
    }

    /// <summary>"ok 1.2× · 1.1×"; differing statuses are named per side. A path from metrics.json is never a link target: a fork writes it.</summary>
    private static string Cell(ProfilerRun? @base, ProfilerRun? head, bool compared)
    {
        if (@base is null && head is null)
        {
            return MarkdownTable.None;
        }
        // What the profiler cost means something only for a run that profiled.
        string Overhead(ProfilerRun? run) =>
            run is { Status: ProfilerStatus.Ok, OverheadRatio: { } ratio } ? string.Create(CultureInfo.InvariantCulture, $"{ratio:0.0}×") : "–";
        if (!compared || @base is null || head is null)
        {
            var only = head ?? @base!;
            var side = compared ? (head is null ? "base only: " : "head only: ") : "";
            return $"{side}{Markdown.Escape(only.StatusText)}{(only is { Status: ProfilerStatus.Ok, OverheadRatio: not null } ? " " + Overhead(only) : "")}";
        }
        return @base.StatusText == head.StatusText
            ? $"{Markdown.Escape(head.StatusText)} {Overhead(@base)} · {Overhead(head)}"
            : $"base {Markdown.Escape(@base.StatusText)}, head {Markdown.Escape(head.StatusText)}";
    }
}
