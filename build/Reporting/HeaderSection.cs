using System.Globalization;
using System.Text;
using Filare.Perf.Analysis;
using Filare.Perf.Comparison;
using Filare.Perf.Results;

namespace Filare.Perf.Reporting;

/// <summary>
/// The first lines: the headline verdict, then what was compared and how to read it, then where the
/// run ran. A reviewer who reads nothing else knows whether to look further, and where.
/// </summary>
public static class HeaderSection
{
    /// <summary>Scenarios named in one headline part; the rest are counted.</summary>
    private const int Named = 3;

    public static void Write(ReportContext context, StringBuilder text)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"### {Headline(context.Summary, Markdown.Escape)}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"**Filare performance** of {Markdown.Escape(context.Metrics.RunLabel)}: {Compared(context)}");
        text.AppendLine();
        text.AppendLine(Facts(context));
        text.AppendLine();
    }

    /// <summary>"🔴 1 slower (demo01 +10.1% runtime) · ⚪ 2 unchanged · ❌ rendering failed on both sides (not caused by this change)".</summary>
    /// <param name="escape">How scenario names (untrusted) are made safe for the medium: Markdown or console markup.</param>
    public static string Headline(VerdictSummary summary, Func<string, string> escape)
    {
        var parts = new List<string>();
        var groups = summary.Scenarios.ToLookup(GroupOf);
        var worse = groups[Group.Worse].ToList();
        if (worse.Count > 0)
        {
            var slower = worse.Any(s => Changed(s, VerdictSummary.Runtime));
            var hungrier = worse.Any(s => Changed(s, VerdictSummary.PeakRss));
            var word = slower && hungrier ? "slower or hungrier" : slower ? "slower" : "hungrier";
            parts.Add($"{Cells.Worse} {worse.Count} {word} ({Names(worse, s => Changes(s, escape))})");
        }
        Count(parts, groups[Group.MoreWork].ToList(), FusedVerdict.Mark(FusedOutcome.SlowerWork), "more work, not proven in wall time", s => Work(s, escape));
        Count(parts, groups[Group.Waiting].ToList(), FusedVerdict.Mark(FusedOutcome.SlowerWaiting), "slower in wall time with the same work", s =>
            Changes(s, escape));
        parts.AddRange(Failures(summary, escape));
        Count(parts, groups[Group.Inconclusive].ToList(), Cells.Unknown, "inconclusive", s => escape(s.Scenario));
        Count(parts, groups[Group.Better].ToList(), Cells.Better, "faster or leaner", s => Changes(s, escape));
        Count(parts, groups[Group.LessWork].ToList(), FusedVerdict.Mark(FusedOutcome.FasterWork), "less work, not proven in wall time", s => Work(s, escape));
        Count(parts, groups[Group.Unchanged].ToList(), Cells.Same, "unchanged", null);
        Count(parts, groups[Group.SameWork].ToList(), Cells.Same, "same work, wall time not conclusive", s => escape(s.Scenario));
        if (summary.Source == VerdictSource.None)
        {
            var measured = summary.Scenarios.Count(s => s.Outcome == ScenarioOutcome.NotCompared);
            parts.Insert(0, $"➖ Nothing compared: {measured} scenario{(measured == 1 ? "" : "s")} measured");
        }
        else
        {
            Count(parts, summary.With(ScenarioOutcome.NotCompared), "➖", "not compared", s => escape(s.Scenario));
        }
        Count(parts, summary.With(ScenarioOutcome.Skipped), "⏭️", "skipped", s => escape(s.Scenario));
        var line = parts.Count == 0 ? "No scenario ran" : string.Join(" · ", parts);
        return summary switch
        {
            { IsCalibration: true } => $"A/A calibration, any change is noise: {line}",
            _ => line,
        };
    }

    private enum Group { Worse, MoreWork, Waiting, Failed, Inconclusive, Better, LessWork, Unchanged, SameWork, Other }

    /// <summary>
    /// The headline part a scenario counts in: its fused verdict for time (wall time and work, one
    /// answer), peak RSS beside it (more memory is worse whatever the time did).
    /// </summary>
    private static Group GroupOf(ScenarioVerdict scenario)
    {
        if (scenario.Outcome is ScenarioOutcome.Failed or ScenarioOutcome.Skipped or ScenarioOutcome.NotCompared)
        {
            return scenario.Outcome == ScenarioOutcome.Failed ? Group.Failed : Group.Other;
        }
        if (scenario.Fused is not { } fused)
        {
            return scenario.Outcome switch
            {
                ScenarioOutcome.Worse => Group.Worse,
                ScenarioOutcome.Inconclusive => Group.Inconclusive,
                ScenarioOutcome.Better => Group.Better,
                _ => Group.Unchanged,
            };
        }
        var memory = scenario.Metrics.FirstOrDefault(m => m.Metric == VerdictSummary.PeakRss)?.Verdict;
        if (fused.Outcome == FusedOutcome.Slower || memory == Verdict.Slower)
        {
            return Group.Worse;
        }
        return fused.Outcome switch
        {
            FusedOutcome.SlowerWork => Group.MoreWork,
            FusedOutcome.SlowerWaiting => Group.Waiting,
            FusedOutcome.Inconclusive => Group.Inconclusive,
            FusedOutcome.Faster => Group.Better,
            FusedOutcome.FasterWork => Group.LessWork,
            _ when memory == Verdict.Faster => Group.Better,
            FusedOutcome.SameWork => Group.SameWork,
            _ => Group.Unchanged,
        };
    }

    /// <summary>"rendering +20.7% instructions": work, never quoted as a runtime.</summary>
    private static string Work(ScenarioVerdict scenario, Func<string, string> escape) =>
        scenario.Fused?.WorkChange is { } work ? $"{escape(scenario.Scenario)} {Format.Change(work)} instructions" : escape(scenario.Scenario);

    private static bool Changed(ScenarioVerdict scenario, string metric) =>
        scenario.Metrics.Any(m => m.Metric == metric && m.Verdict is Verdict.Slower or Verdict.Faster);

    /// <summary>"demo01 +10.1% runtime, +10.0% peak RSS".</summary>
    private static string Changes(ScenarioVerdict scenario, Func<string, string> escape)
    {
        var changed = scenario.Metrics.Where(m => m.Verdict is Verdict.Slower or Verdict.Faster).Select(m => $"{Format.Change(m.Change)} {m.Metric}");
        return $"{escape(scenario.Scenario)} {string.Join(", ", changed)}";
    }

    private static void Count(List<string> parts, IReadOnlyList<ScenarioVerdict> scenarios, string mark, string word, Func<ScenarioVerdict, string>? name)
    {
        if (scenarios.Count > 0)
        {
            parts.Add($"{mark} {scenarios.Count} {word}{(name is null ? "" : $" ({Names(scenarios, name)})")}");
        }
    }

    private static string Names(IReadOnlyList<ScenarioVerdict> scenarios, Func<ScenarioVerdict, string> name) =>
        string.Join(", ", scenarios.Take(Named).Select(name)) + (scenarios.Count > Named ? $", {scenarios.Count - Named} more" : "");

    /// <summary>One part per failed scenario (a few), saying on which side and what that means for this change.</summary>
    private static IEnumerable<string> Failures(VerdictSummary summary, Func<string, string> escape)
    {
        var failed = summary.With(ScenarioOutcome.Failed);
        if (failed.Count > Named)
        {
            yield return $"{Cells.Failure} {failed.Count} failed ({Names(failed, s => escape(s.Scenario))}); see Problems";
            yield break;
        }
        foreach (var scenario in failed)
        {
            var problem = scenario.Problem!;
            var name = escape(scenario.Scenario);
            yield return problem.Side switch
            {
                ProblemSide.Both when problem.Same =>
                    $"{Cells.Failure} {name} {Cells.Status(problem.HeadStatus)} on both sides, same error (not caused by this change)",
                ProblemSide.Both => $"{Cells.Failure} {name} {Cells.Status(problem.HeadStatus)} on both sides, with different errors",
                ProblemSide.Base => $"{Cells.Failure} {name} {Cells.Status(problem.BaseStatus!.Value)} on the base only: not compared",
                _ when summary.Source == VerdictSource.Paired =>
                    $"{Cells.Failure} {name} {Cells.Status(problem.HeadStatus)} on the head only: likely this change",
                _ => $"{Cells.Failure} {name} {Cells.Status(problem.HeadStatus)}",
            };
        }
    }

    /// <summary>What the verdicts compare, and how much to trust them.</summary>
    private static string Compared(ReportContext context)
    {
        var metrics = context.Metrics;
        var head = Markdown.Code(Cells.Short(metrics.Environment.FilareCommit) ?? "not a git checkout");
        if (metrics.Compare is { } compare && context.Compared)
        {
            var pairs = context.Analysis.Scenarios.Select(s => s.Paired).OfType<PairedResult>().Select(p => p.Pairs).Where(n => n > 0).Distinct().Order()
                .ToList();
            var count = pairs switch
            {
                [] => "no clean pair",
                [var n] => $"{n} interleaved pair{(n == 1 ? "" : "s")} per scenario",
                _ => $"{pairs[0]}–{pairs[^1]} interleaved pairs per scenario",
            };
            var commit = Markdown.Code(Cells.Short(compare.Commit) ?? "unresolved");
            return context.IsCalibration
                ? $"A/A run, {Markdown.Code(compare.Ref)} ({commit}) on both sides, {count}. It measures this runner's " +
                $"noise: any slower or faster here is a false alarm, and the noise floors below calibrate later verdicts."
                : $"head {head} against {Markdown.Code(compare.Ref)} ({commit}) on the same runner, {count}. These are " +
                $"the verdicts to act on{(context.Baseline is null ? "" : "; the stored baseline is context below")}.";
        }
        var failedCompare = metrics.Compare is { } failed
            ? $"the same-runner comparison with {Markdown.Code(failed.Ref)} failed " +
            $"({Markdown.Escape(Analysis.Problems.Brief(failed.Problem ?? "no reason given"))}); "
            : "";
        return context.Baseline is { } baseline
            ? $"{failedCompare}head {head} against the stored baseline {Markdown.Escape(baseline.BaselineLabel)} " +
            $"({Markdown.Code(Cells.Short(baseline.BaselineCommit) ?? "no commit")}, {Markdown.Escape(baseline.BaselineOrigin)}). " +
            $"Its runs come from another job, maybe another machine: a change can be the machine's."
            : $"{failedCompare}head {head} alone, nothing to compare with " +
            $"({(context.BaselineProblem is { } why ? "no baseline: " + Markdown.Escape(why) : "no `--compare-ref`, no `--baseline`")}).";
    }

    private static string Facts(ReportContext context)
    {
        var environment = context.Metrics.Environment;
        var facts = new List<string>();
        if (context.Trigger is not null)
        {
            facts.Add($"**Trigger** {Markdown.Escape(context.Trigger)}");
        }
        var dirty = environment.FilareDirty == true ? " (with uncommitted changes)" : "";
        facts.Add($"**Commit** {Markdown.Code(Cells.Short(environment.FilareCommit) ?? "not a git checkout")}{dirty}");
        facts.Add($"**Runner** {Markdown.Escape(environment.CpuModel)}, {environment.LogicalCpus} CPUs");
        facts.Add($"**Python** {Markdown.Escape(environment.PythonImplementation)} {Markdown.Escape(environment.PythonVersion)}");
        if (context.Metrics.Compare is { Status: CompareStatus.Ok, Environment: { Length: > 0 } where })
        {
            facts.Add($"**Base interpreter** {Markdown.Escape(where)}");
        }
        if (context.Links.RunUrl is { } url)
        {
            facts.Add(Markdown.Link("workflow run", url));
        }
        return string.Join(" · ", facts);
    }
}
