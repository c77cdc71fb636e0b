using System.Globalization;
using System.Text;
using Filare.Perf.Results;

namespace Filare.Perf.Reporting;

/// <summary>cProfile's top functions of each scenario, labelled with the side they were measured on.</summary>
public static class TopFunctionsSection
{
    public const int Count = 10;

    public static void Write(ReportContext context, StringBuilder text)
    {
        foreach (var scenario in context.Metrics.Scenarios)
        {
            var calls = scenario.Profilers.FirstOrDefault(p => p.Tool == ProfilerNames.CProfile)?.Calls;
            if (calls is null || calls.Top.Count == 0)
            {
                continue;
            }
            var top = calls.Top.Take(Count).ToList();
            var own = Unit.Time(top.Select(f => f.TotalSeconds));
            var cumulative = Unit.Time(top.Select(f => f.CumulativeSeconds));
            var table = new MarkdownTable(new Column("Function"), new Column("File:line"), Column.Right("Calls"), Column.Right("Own time"),
                Column.Right("Cumulative"));
            foreach (var function in top)
            {
                table.Row(Markdown.Escape(function.Function),
                    string.Create(CultureInfo.InvariantCulture, $"{Markdown.Escape(Path.GetFileName(function.File))}:{function.Line}"),
                    Format.Count(function.Calls), own.Of(function.TotalSeconds), cumulative.Of(function.CumulativeSeconds));
            }
            var side = context.Compared ? "head" : "this run";
            text.Append(table.RenderCollapsed($"Top {Count} functions of {Markdown.Escape(scenario.Name)}, {side} (cProfile, by own time)")).AppendLine();
        }
    }
}
