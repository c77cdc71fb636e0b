using System.Globalization;
using System.Text;
using Filare.Perf.Analysis;
using Filare.Perf.Comparison;
using Filare.Perf.Results;

namespace Filare.Perf.Reporting;

/// <summary>
/// The report's "Instructions" section: each scenario's instruction count under Valgrind, before
/// (the base, or the stored baseline) and after, with the verdict the analysis gave and the split
/// per kind of process. It says in one line what instructions are not: time.
/// </summary>
public static class InstructionsSection
{
    public const string NotTime = "Instructions are counted under Valgrind over the whole process tree: deterministic, so a small change is a real change in " +
        "work, but they are not time (a pure-Python loop retires many cheap instructions, " +
        "waiting on I/O retires none). Wall-time verdicts above stay on wall time.";

    public static void Append(StringBuilder text, RunAnalysis analysis)
    {
        var metrics = analysis.Current;
        var counted = metrics.Scenarios.Where(s => s.Instructions is not null).ToList();
        if (counted.Count == 0)
        {
            return;
        }
        var against = analysis.Compared ? "Base" : analysis.Baseline is not null ? "Baseline" : null;
        text.AppendLine();
        text.AppendLine("### Instructions");
        text.AppendLine();
        text.AppendLine(NotTime);
        text.AppendLine();
        var table = against is null
            ? new MarkdownTable(new Column("Scenario"), Column.Right("Instructions"), new Column("Per process"))
            : new MarkdownTable(new Column("Scenario"), Column.Right(against), Column.Right("Head"), new Column("Change"), new Column("Per process"));
        var caveats = new List<string>();
        var thresholds = new List<string>();
        foreach (var scenario in counted)
        {
            var change = analysis.For(scenario.Name).Instructions;
            var before = analysis.Compared ? scenario.Base?.Instructions : null;
            var cells = new List<string> { Markdown.Escape(scenario.Name) };
            if (against is not null)
            {
                cells.Add(analysis.Compared ? CountCell(before) : change?.Total.Before is { } b ? InstructionRun.Count(b) : "-");
            }
            cells.Add(CountCell(scenario.Instructions));
            if (against is not null)
            {
                cells.Add(change is null ? "-" : VerdictCell(change.Total));
            }
            // Per process, a change only beyond the threshold: within it, "same" (the verdict's rule, not a signed delta).
            cells.Add(change is null
                ? Split(scenario.Instructions!)
                : string.Join(", ", change.Processes.Select(p => $"{p.Scope} {(p.Verdict == Verdict.Unchanged ? "same" : Signed(p))}")));
            table.Row([.. cells]);
            if (change is not null)
            {
                caveats.AddRange(change.Caveats.Select(c => $"{scenario.Name}: {c}"));
                thresholds.Add(ThresholdText(scenario.Name, change, analysis.IsCalibration));
            }
        }
        text.Append(table.Render());
        text.AppendLine();
        if (thresholds.Count > 0)
        {
            text.AppendLine($"<sub>{Markdown.Escape(string.Join("; ", thresholds.Distinct()))}.</sub>");
        }
        foreach (var caveat in caveats)
        {
            text.AppendLine();
            text.AppendLine($"> ⚠️ Not like for like: {Markdown.Escape(caveat)}. Instruction counts may reflect the machines, not the change.");
        }
    }

    private static string CountCell(InstructionRun? run) => run switch
    {
        null => "-",
        { Total: { } total, Status: InstructionStatus.Ok } => InstructionRun.Count(total),
        _ => Markdown.Escape(Brief(run.StatusText)),
    };

    private static string Split(InstructionRun run) => run.Total is null ? "-"
        : string.Join(", ", run.ByKind()
            .Select(k => $"{k.Kind.ToString().ToLowerInvariant()} {InstructionRun.Count(k.Instructions)}{(k.Processes > 1 ? $" ({k.Processes})" : "")}"));

    private static string VerdictCell(InstructionDelta delta) => delta.Verdict switch
    {
        Verdict.Slower => $"🔴 **more instructions** {Signed(delta)}",
        Verdict.Faster => $"🟢 **fewer instructions** {Signed(delta)}",
        Verdict.Unchanged => $"⚪ unchanged {Signed(delta)}",
        _ => $"❔ {Markdown.Escape(Brief(delta.Why))}",
    };

    private static string Signed(InstructionDelta delta) =>
        double.IsFinite(delta.Ratio)
            ? string.Create(CultureInfo.InvariantCulture, $"{(delta.Ratio - 1) * 100:+0.###;-0.###;0}%")
            : Markdown.Escape(Brief(delta.Why));

    private static string ThresholdText(string scenario, InstructionComparison change, bool isCalibration) =>
        isCalibration && change.NoiseFloor is { } floor
            ? string.Create(CultureInfo.InvariantCulture,
                $"{scenario}: A/A instruction noise floor {floor * 100:0.####}% (threshold {change.Threshold * 100:0.##}%)")
            : change.NoiseFloor is { } raised
                ? string.Create(CultureInfo.InvariantCulture,
                    $"{scenario}: threshold {change.Threshold * 100:0.##}%, raised to the A/A instruction noise floor {raised * 100:0.####}%")
                : string.Create(CultureInfo.InvariantCulture,
                    $"threshold ±{change.Threshold * 100:0.##}% (--instructions-threshold); no instruction noise floor calibrated");

    private static string Brief(string message)
    {
        var line = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        return line.Length <= 80 ? line : line[..79] + "…";
    }
}
