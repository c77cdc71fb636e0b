using System.Text;
using Filare.Perf.Analysis;
using Filare.Perf.Results;

namespace Filare.Perf.Reporting;

/// <summary>Where cProfile's own time moved: from base to head in a compare run, and since the stored baseline.</summary>
public static class HotspotsSection
{
    public static void Write(ReportContext context, StringBuilder text)
    {
        Write(text, context.SideHotspots, "from base to head", "base", "head");
        Write(text, context.Hotspots, "since the baseline", "baseline", "now");
    }

    private static void Write(StringBuilder text, IReadOnlyList<HotspotDiff> diffs, string between, string before, string after)
    {
        foreach (var diff in diffs)
        {
            var rows = diff.Grew.Concat(diff.Shrank).ToList();
            var unit = Unit.Time(rows.SelectMany(r => new[] { r.BaselineSeconds, r.CurrentSeconds, Math.Abs(r.DeltaSeconds) }));
            var table = new MarkdownTable(new Column("Function (file)"), Column.Right($"Own time, {before} → {after}"), Column.Right("Change"), Column.Right($"Calls, {before} → {after}"));
            foreach (var row in rows)
            {
                table.Row($"{Markdown.Escape(row.Function)} ({Markdown.Escape(row.File)})", unit.Span(row.BaselineSeconds, row.CurrentSeconds),
                    $"{(row.DeltaSeconds > 0 ? "+" : "−")}{unit.Of(Math.Abs(row.DeltaSeconds))}", $"{Format.Count(row.BaselineCalls)} → {Format.Count(row.CurrentCalls)}");
            }
            text.Append(table.RenderCollapsed($"Where the time moved in {Markdown.Escape(diff.Scenario)} {between} (cProfile, own time)")).AppendLine();
        }
    }
}
