using System.Text;

namespace Filare.Perf.Reporting;

/// <summary>One scenario's row of a comparison: both sides' medians, verdict cells and the floors beside them.</summary>
public sealed record VerdictRow(
    string Scenario,
    double? WallBefore,
    double? WallAfter,
    string WallVerdict,
    string WallFloor,
    double? RssBefore,
    double? RssAfter,
    string RssVerdict,
    string RssFloor,
    string Calls)
{
    /// <summary>The CPU model of the shard's runner, shown beside the name when a merged run's shards ran on different models.</summary>
    public string? Runner { get; init; }
}

/// <summary>
/// A comparison as two narrow tables, runtime and memory, so that each fits a 780 px PR comment:
/// base → head in one cell with one unit per column, the verdict with its interval, and the
/// noise floor that qualifies it right beside it.
/// </summary>
public static class VerdictTables
{
    public static void Write(StringBuilder text, IReadOnlyList<VerdictRow> rows, string before, string after)
    {
        var time = Unit.Time(rows.SelectMany(r => new[] { r.WallBefore, r.WallAfter }).OfType<double>());
        var runtime = new MarkdownTable(
            new Column("Scenario"), Column.Right($"Runtime, {before} → {after}"), new Column("Runtime change [95% interval]"), new Column("Noise floor"),
            Column.Right($"cProfile calls, {before} → {after}"));
        var memory = Unit.Memory(rows.SelectMany(r => new[] { r.RssBefore, r.RssAfter }).OfType<double>());
        var rss = new MarkdownTable(
            new Column("Scenario"), Column.Right($"Peak RSS, {before} → {after}"), new Column("Peak RSS change [95% interval]"), new Column("Noise floor"));
        foreach (var row in rows)
        {
            var name = Markdown.Escape(row.Scenario) + (row.Runner is { } runner ? $" <sub>on {Markdown.Escape(runner)}</sub>" : "");
            runtime.Row(name, Span(time, row.WallBefore, row.WallAfter), row.WallVerdict, row.WallFloor, row.Calls);
            rss.Row(name, Span(memory, row.RssBefore, row.RssAfter), row.RssVerdict, row.RssFloor);
        }
        foreach (var table in new[] { runtime, rss })
        {
            if (table.Render() is { Length: > 0 } markdown)
            {
                text.Append(markdown).AppendLine();
            }
        }
    }

    private static string Span(Unit unit, double? before, double? after) =>
        before is null && after is null ? MarkdownTable.None : unit.Span(before, after);
}
