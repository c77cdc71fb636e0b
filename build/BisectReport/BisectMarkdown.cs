using System.Globalization;
using System.Text;
using Filare.Perf.Bisect;
using Filare.Perf.Git;
using Filare.Perf.Reporting;
using Filare.Perf.Results;

namespace Filare.Perf.BisectReport;

/// <summary>
/// bisect.md (the job summary): the culprit first (commit link, subject, author, the step per
/// scenario in instructions and wall time), then the commits tested in range order with their values
/// and a Mermaid chart of them, the skipped commits and why, and the cost. Everything from git
/// (subjects, authors) is escaped; links are only made to the repository's own commit pages.
/// </summary>
public static class BisectMarkdown
{
    public static string Render(BisectResult result)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"## Bisection {Commit(result, result.Good.Sha)}..{Commit(result, result.Bad.Sha)}\n\n");
        Culprits(text, result);
        Tested(text, result);
        Skipped(text, result);
        text.Append("### Cost\n\n").Append(CultureInfo.InvariantCulture,
            $"{result.Cost.CommitsMeasured} of {result.Cost.CommitsInRange} commits measured, {result.Cost.CountedRuns} counted runs " +
            $"(bound {result.Cost.Bound}: 3 + (steps + drifts) × ⌈log2 N⌉ per scenario, plus skipped commits), " +
            $"{result.Cost.Seconds / 60:0.#} min searching, {result.Cost.ConfirmationSeconds / 60:0.#} min confirming. " +
            $"Metric: {Metric(result.Metric)}; threshold {result.Threshold.ToString("P1", CultureInfo.InvariantCulture)}; " +
            $"{(result.FirstParent ? "first-parent history, merges with a step searched inside" : "every commit")}.\n");
        return text.ToString();
    }

    private static void Culprits(StringBuilder text, BisectResult result)
    {
        if (result.Culprits.Count == 0)
        {
            text.Append(result.Unresolved.Count > 0
                ? "**No culprit named**: the search did not finish (see below).\n\n"
                : $"**No step** above {result.Threshold.ToString("P1", CultureInfo.InvariantCulture)} in this range.\n\n");
        }
        foreach (var culprit in result.Culprits)
        {
            var who = culprit.Step.IsRange
                ? $"one of {string.Join(", ", culprit.Candidates.Select(c => Commit(result, c.Sha)))}"
                : $"{Commit(result, culprit.Culprit.Sha)} {Markdown.Escape(culprit.Culprit.Subject)} ({Markdown.Escape(culprit.Culprit.Author)})";
            text.Append(CultureInfo.InvariantCulture, $"### {(culprit.Step.Largest > 0 ? "🔺 Slower" : "🟢 Faster")}: {who}\n\n");
            foreach (var (scenario, change) in culprit.Step.Change.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"- **{Markdown.Escape(scenario)}**: {Metric(result.Metric)} " +
                    $"{Percent(change)}{(result.Metric == BisectMetric.Instructions ? " (deterministic)" : "")}")
                    .Append(Wall(culprit.Confirmation, scenario)).Append('\n');
            }
            if (culprit.Step.Via is { } merge)
            {
                text.Append(CultureInfo.InvariantCulture, $"- found inside merge {Commit(result, merge)}\n");
            }
            if (culprit.EnvironmentChanged)
            {
                text.Append("- ⚠️ its dependency declarations differ from its parent's: it ran " +
                    "in another environment, so part of the step may be the dependencies\n");
            }
            if (culprit.Confirmation.Message is { } message)
            {
                text.Append("- wall time: ").Append(Markdown.Escape(message.Split('\n')[0])).Append('\n');
            }
            text.Append('\n');
        }
        foreach (var drift in result.Drifts)
        {
            text.Append(CultureInfo.InvariantCulture, $"- Drift {Commit(result, drift.From)}..{Commit(result, drift.To)}: " +
                $"{Percent(drift.Change.Values.OrderByDescending(Math.Abs).First())} spread over several commits, none above the threshold\n");
        }
        foreach (var unresolved in result.Unresolved)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"- Not searched {Commit(result, unresolved.From)}..{Commit(result, unresolved.To)}: {Markdown.Escape(unresolved.Why)}\n");
        }
        text.Append(result.Drifts.Count + result.Unresolved.Count > 0 ? "\n" : "");
    }

    private static string Wall(WallConfirmation confirmation, string scenario)
    {
        if (confirmation.Scenarios.FirstOrDefault(s => s.Name == scenario) is not { Pairs: > 0 } wall)
        {
            return confirmation.Status == ConfirmationStatus.NotRun ? "" : ", wall time not measured";
        }
        var verdict = confirmation.Status == ConfirmationStatus.Confirmed ? "confirmed" : "not confirmed in wall time";
        return string.Create(CultureInfo.InvariantCulture,
            $", wall time {Percent(wall.Ratio - 1)} [{Percent(wall.Low - 1)}, {Percent(wall.High - 1)}] in {wall.Pairs} pairs ({verdict})");
    }

    private static void Tested(StringBuilder text, BisectResult result)
    {
        var position = result.Range.Select((c, i) => (c.Sha, i)).ToDictionary(p => p.Sha, p => p.i, StringComparer.Ordinal);
        var measured = result.Measured.Where(m => m.Status == CommitStatus.Measured)
            .OrderBy(m => position.GetValueOrDefault(m.Sha, int.MaxValue)).ThenBy(m => m.Order).ToList();
        text.Append("### Commits tested\n\n");
        if (Chart(result, measured) is { } chart)
        {
            text.Append(Markdown.Fence(chart, "mermaid")).Append('\n');
        }
        var scenarios = result.Scenarios.Take(MarkdownTable.MaxColumns - 3).ToList();
        var table = new MarkdownTable([new Column("Commit"), Column.Right("Asked"), .. scenarios.Select(Column.Right), new Column("Subject")]);
        foreach (var commit in result.Measured.OrderBy(m => position.GetValueOrDefault(m.Sha, int.MaxValue)).ThenBy(m => m.Order))
        {
            var subject = result.Range.Concat(result.Culprits.Select(c => c.Culprit)).FirstOrDefault(c => c.Sha == commit.Sha)?.Subject ?? "";
            table.Row([Commit(result, commit.Sha), $"#{commit.Order}",
                .. scenarios.Select(s => commit.Values.TryGetValue(s, out var v) ? Value(result.Metric, v) : "skipped"), Markdown.Escape(subject)]);
        }
        text.Append(table.Render()).Append('\n');
    }

    private static void Skipped(StringBuilder text, BisectResult result)
    {
        var skipped = result.Skipped.ToList();
        if (skipped.Count == 0)
        {
            return;
        }
        text.Append("### Skipped\n\n");
        foreach (var commit in skipped)
        {
            text.Append(CultureInfo.InvariantCulture, $"- {Commit(result, commit.Sha)}: {Markdown.Escape(commit.Reason?.Split('\n')[0] ?? "")}\n");
        }
        text.Append('\n');
    }

    /// <summary>Each scenario's value relative to good (1 = good), commits in range order; a step is a jump of the line.</summary>
    public static string? Chart(BisectResult result, IReadOnlyList<CommitMeasurement> measured)
    {
        var good = measured.FirstOrDefault(m => m.Sha == result.Good.Sha);
        if (good is null || measured.Count < 2)
        {
            return null;
        }
        var culprits = result.Culprits.Where(c => !c.Step.IsRange).Select(c => c.Culprit.Sha).ToHashSet(StringComparer.Ordinal);
        var text = new StringBuilder("xychart-beta\n");
        text.Append("    title ").Append(Markdown.MermaidLabel($"{Metric(result.Metric)} relative to good")).Append('\n');
        text.Append("    x-axis [").Append(string.Join(", ",
            measured.Select(m => Markdown.MermaidLabel((culprits.Contains(m.Sha) ? "STEP " : "") + ShortSha.Of(m.Sha, ShortSha.InChart))))).Append("]\n");
        text.Append("    y-axis ").Append(Markdown.MermaidLabel("× good")).Append('\n');
        foreach (var scenario in result.Scenarios.Where(s => good.Values.ContainsKey(s)))
        {
            var baseline = good.Values[scenario];
            text.Append("    line [").Append(string.Join(", ", measured.Select(m =>
                (m.Values.GetValueOrDefault(scenario, baseline) / baseline).ToString("0.####", CultureInfo.InvariantCulture)))).Append("]\n");
        }
        return text.ToString();
    }

    private static string Commit(BisectResult result, string sha)
    {
        var text = ShortSha.Of(sha, ShortSha.InReport);
        return result.Repository is { } repository && Publishing.IsRepository(repository)
            ? Markdown.Link(text, $"https://github.com/{repository}/commit/{sha}")
            : Markdown.Code(text);
    }

    private static string Metric(BisectMetric metric) => metric == BisectMetric.Instructions ? "instructions" : "wall time";

    private static string Value(BisectMetric metric, double value) => metric == BisectMetric.Instructions
        ? InstructionRun.Count((long)value)
        : string.Create(CultureInfo.InvariantCulture, $"×{value:0.000}");

    private static string Percent(double change) => double.IsFinite(change) ? change.ToString("+0.00%;-0.00%;0.00%", CultureInfo.InvariantCulture) : "n/a";

    private static class Publishing
    {
        public static bool IsRepository(string name) => System.Text.RegularExpressions.Regex.IsMatch(name, @"\A[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+\z");
    }
}
