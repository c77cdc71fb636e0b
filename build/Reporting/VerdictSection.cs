using System.Globalization;
using System.Text;
using Filare.Perf.Analysis;
using Filare.Perf.Comparison;
using Filare.Perf.Results;

namespace Filare.Perf.Reporting;

/// <summary>
/// The one verdict table a reviewer reads first: per scenario its fused verdict (wall time and work,
/// <see cref="FusedVerdict"/>), wall time's change with its interval, the work's change, and peak
/// RSS and the noise floor when they say something per row. A column that says the same in every
/// row is stated once under the table. Below it, the words of every verdict that is not a plain
/// "unchanged", so "more work" or "same work" is never a bare mark.
/// </summary>
public static class VerdictSection
{
    public static void Write(ReportContext context, StringBuilder text)
    {
        var summary = context.Summary;
        if (summary.Source == VerdictSource.None || summary.Scenarios.Count == 0)
        {
            return;
        }
        var table = new MarkdownTable(
            new Column("Scenario"), new Column("Verdict"), new Column("Wall time [95% interval]"), new Column("Work (instructions)"), new Column("Peak RSS"),
            new Column("Noise floor"));
        foreach (var scenario in summary.Scenarios)
        {
            string[] cells = [Markdown.Escape(scenario.Scenario), Verdict(scenario), Wall(scenario), Work(scenario), Memory(scenario),
                scenario.Fused is null ? MarkdownTable.None : Cells.Floor(context.Floor(scenario.Scenario)?.WallSeconds)];
            _ = scenario.Fused is null ? table.Aside(cells) : table.Row(cells);
        }
        // The verdict is what the table is for: it stays even when every scenario has the same one.
        var (markdown, stated) = table.RenderCompact(kept: 2);
        if (markdown.Length == 0)
        {
            return;
        }
        text.AppendLine(summary.Source == VerdictSource.Paired
            ? "#### Verdict (head against base, same runner)"
            : "#### Verdict (against the stored baseline)");
        text.AppendLine();
        text.Append(markdown).AppendLine();
        var words = summary.Scenarios.Where(s => s.Fused is { Outcome: not FusedOutcome.Unchanged })
            .Select(s => $"**{Markdown.Escape(s.Scenario)}** {s.Fused!.Words}").ToList();
        if (words.Count > 0)
        {
            text.AppendLine(string.Join("  \n", words)).AppendLine();
        }
        var legend = new List<string>(stated.Select(s =>
            s.Replace("Peak RSS: ⚪ unchanged", "Peak RSS: ⚪ unchanged in every scenario", StringComparison.Ordinal)))
        {
            Legend(context.Settings, summary),
        };
        text.AppendLine($"<sub>{string.Join(" · ", legend)}</sub>").AppendLine();
    }

    /// <summary>The marks this table uses, with the thresholds behind them (the full rule: docs/performance/report.md).</summary>
    private static string Legend(ComparisonSettings settings, VerdictSummary summary)
    {
        var used = summary.Scenarios.Select(s => s.Fused?.Outcome).OfType<FusedOutcome>().ToHashSet();
        var effect = string.Create(CultureInfo.InvariantCulture, $"{settings.MinimumEffect * 100:0.#}%");
        var work = string.Create(CultureInfo.InvariantCulture, $"±{settings.InstructionThreshold * 100:0.##}%");
        var marks = new (FusedOutcome Outcome, string Meaning)[]
        {
            (FusedOutcome.Slower, $"slower in wall time (interval beyond {effect} and the floor)"),
            (FusedOutcome.SlowerWork, $"more work: instructions beyond {work}, wall time not yet conclusive or within its threshold"),
            (FusedOutcome.SlowerWaiting, "slower in wall time with the same work"),
            (FusedOutcome.Inconclusive, "neither signal decides: more pairs would"),
            (FusedOutcome.Faster, "faster in wall time"),
            (FusedOutcome.FasterWork, $"less work: instructions beyond {work}, wall time not yet conclusive or within its threshold"),
            (FusedOutcome.SameWork, $"same work within {work}, wall time not conclusive"),
            (FusedOutcome.Unchanged, $"wall time's interval within ±{effect}"),
        };
        return string.Join(" · ", marks.Where(m => used.Contains(m.Outcome)).Select(m => $"{FusedVerdict.Mark(m.Outcome)} {m.Meaning}"));
    }

    private static string Verdict(ScenarioVerdict scenario) => scenario.Fused is { } fused
        ? fused.Outcome is FusedOutcome.Slower or FusedOutcome.SlowerWork or FusedOutcome.SlowerWaiting or FusedOutcome.Faster or FusedOutcome.FasterWork
            ? $"{fused.Mark()} **{FusedVerdict.Name(fused.Outcome)}**"
            : $"{fused.Mark()} {FusedVerdict.Name(fused.Outcome)}"
        : scenario.Outcome switch
        {
            ScenarioOutcome.Failed when scenario.Problem is { } p =>
                $"{Cells.Failure} {Side(p)} {Cells.Status(p.Side == ProblemSide.Base ? p.BaseStatus!.Value : p.HeadStatus)}",
            ScenarioOutcome.Skipped => "⏭️ skipped",
            _ => "➖ not compared",
        };

    private static string Side(ScenarioProblem problem) => problem.Side switch
    {
        ProblemSide.Both => "both sides",
        ProblemSide.Base => "base",
        _ => "head",
    };

    /// <summary>A narrow cell breaks between the change and its interval, not inside the interval (U+00A0).</summary>
    private static string Wall(ScenarioVerdict scenario) =>
        scenario.Fused is { } fused ? FusedWording.Wall(fused.Wall).Replace(", ", ",\u00a0", StringComparison.Ordinal) : MarkdownTable.None;

    private static string Work(ScenarioVerdict scenario) => scenario.Fused switch
    {
        { WorkChange: { } change, Signal: WorkSignal.Same } => $"same ({Format.Change(change)})",
        { WorkChange: { } change } => Format.Change(change),
        { Work: { } work } => "not comparable",
        _ => MarkdownTable.None,
    };

    /// <summary>Numbers only beside a change: an unchanged peak RSS reads the same in every row, so it is stated once.</summary>
    private static string Memory(ScenarioVerdict scenario) =>
        scenario.Metrics.FirstOrDefault(m => m.Metric == VerdictSummary.PeakRss) is not { } rss ? MarkdownTable.None
        : rss.Verdict switch
        {
            Comparison.Verdict.Slower => $"{Cells.Worse} **more** {Format.Change(rss.Change)}",
            Comparison.Verdict.Faster => $"{Cells.Better} **less** {Format.Change(rss.Change)}",
            Comparison.Verdict.Unchanged => $"{Cells.Same} unchanged",
            _ => $"{Cells.Unknown} inconclusive {Format.Change(rss.Change)}",
        };
}
