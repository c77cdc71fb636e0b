using System.Text;
using Filare.Perf.Analysis;
using Filare.Perf.Results;

namespace Filare.Perf.Reporting;

/// <summary>
/// Where cProfile's own time moved: from base to head in a compare run, and since the stored baseline;
/// only the functions the analysis found beyond noise (<see cref="HotspotNoise"/>), with the floor said once per table.
/// </summary>
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
            // A change is shown only beyond the noise floor; with none left, one line says so (a header with no rows reads as a bug).
            var floor = diff.Floor is { } f ? $"; floor {f.SecondsText}" : "";
            if (rows.Count == 0)
            {
                text.AppendLine($"{Markdown.Escape(diff.Scenario)}: no function changed beyond noise {between} (cProfile, own time{floor}).").AppendLine();
                continue;
            }
            var unit = Unit.Time(rows.SelectMany(r => new[] { r.BaselineSeconds, r.CurrentSeconds, Math.Abs(r.DeltaSeconds) }));
            var table = new MarkdownTable(new Column("Function (file)"), Column.Right($"Own time, {before} → {after}"), Column.Right("Change"),
                Column.Right($"Calls, {before} → {after} (exact counts)"));
            foreach (var row in rows)
            {
                table.Row($"{Markdown.Escape(row.Function)} ({Markdown.Escape(row.File)})", unit.Span(row.BaselineSeconds, row.CurrentSeconds),
                    $"{(row.DeltaSeconds > 0 ? "+" : "−")}{unit.Of(Math.Abs(row.DeltaSeconds))}",
                    $"{Format.Count(row.BaselineCalls)} → {Format.Count(row.CurrentCalls)}");
            }
            var shown = diff.Floor is { } g ? $"; beyond noise: {g.SecondsText}" : "";
            text.Append(table.RenderCollapsed($"Where the time moved in {Markdown.Escape(diff.Scenario)} {between} (cProfile, own time{shown})")).AppendLine();
        }
    }
}
