using Filare.Perf.Comparison;
using Filare.Perf.Results;

namespace Filare.Perf.Analysis;

/// <summary>
/// A scenario's one answer from its two signals, worst first: wall time (paired, with an interval)
/// and the work it did (instructions under Valgrind, deterministic). The rule is the table in
/// docs/performance/report.md "One verdict per scenario".
/// </summary>
public enum FusedOutcome
{
    /// <summary>Wall time proved slower.</summary>
    Slower,

    /// <summary>Wall time not yet conclusive, or within its threshold, but the work grew beyond the instruction threshold (and, when
    /// wall time is within its threshold, by at least as much).</summary>
    SlowerWork,

    /// <summary>Wall time proved slower while the work did not grow: waiting, or the runner's noise.</summary>
    SlowerWaiting,

    /// <summary>Neither signal decides: more pairs (or an instruction count) would.</summary>
    Inconclusive,

    /// <summary>Wall time proved faster.</summary>
    Faster,

    /// <summary>As <see cref="SlowerWork"/>, the work shrank.</summary>
    FasterWork,

    /// <summary>Wall time not conclusive, the work unchanged: what differs, if anything, is outside the counted work.</summary>
    SameWork,

    /// <summary>Wall time proved unchanged within its threshold.</summary>
    Unchanged,
}

/// <summary>What the instruction count says, reduced to the four states the rule needs.</summary>
public enum WorkSignal { More, Less, Same, NotCounted }

/// <summary>
/// One scenario's fused verdict: the outcome, its mark, and the words a reviewer reads. Wall time
/// decides direction and size when its interval decides; instructions decide when it does not.
/// The size quoted as "slower by" is always wall time's; the instruction change is "work".
/// </summary>
/// <param name="Wall">The runtime verdict with its change and 95% interval (from the comparison that leads).</param>
/// <param name="Work">The instruction total (null when not counted), its verdict against the effective threshold.</param>
/// <param name="Processes">Per kind of process, "python +0.1%, dot +0.0%": beside a wall-time change with the same work.</param>
/// <param name="CountingOff">The run skipped the scenario's count on purpose (its file, or a pytest scenario): the words say so
/// instead of advising --enable-instructions, which was on.</param>
public sealed record FusedVerdict(string Scenario, FusedOutcome Outcome, WorkSignal Signal, MetricVerdict Wall, InstructionDelta? Work, double? Threshold,
    string Words, string? Processes, bool CountingOff = false)
{
    /// <summary>The mark of each outcome: a proven change is a full colour; a change proven by the work alone is a different colour.</summary>
    public static string Mark(FusedOutcome outcome) => outcome switch
    {
        FusedOutcome.Slower => "🔴",
        FusedOutcome.SlowerWork => "🟠",
        FusedOutcome.SlowerWaiting => "🟡",
        FusedOutcome.Inconclusive => "❔",
        FusedOutcome.Faster => "🟢",
        FusedOutcome.FasterWork => "🔵",
        _ => "⚪",
    };

    public string Mark() => Mark(Outcome);

    /// <summary>The short name of the outcome, as the headline counts it.</summary>
    public static string Name(FusedOutcome outcome) => outcome switch
    {
        FusedOutcome.Slower => "slower",
        FusedOutcome.SlowerWork => "more work",
        FusedOutcome.SlowerWaiting => "slower in wall time, same work",
        FusedOutcome.Inconclusive => "inconclusive",
        FusedOutcome.Faster => "faster",
        FusedOutcome.FasterWork => "less work",
        FusedOutcome.SameWork => "same work",
        _ => "unchanged",
    };

    /// <summary>The work change as a fraction (0.125 = +12.5% instructions), when counted on both sides.</summary>
    public double? WorkChange => Work is { Before: > 0, After: > 0 } w && double.IsFinite(w.Ratio) ? w.Ratio - 1 : null;

    /// <param name="wall">The leading runtime verdict; null when nothing was compared (no fused verdict then).</param>
    /// <param name="instructions">Instructions against the same side the wall time was compared with, if counted.</param>
    /// <param name="wallThreshold">The smallest change wall time calls a change (--minimum-effect): a work change as large is never "unchanged".</param>
    public static FusedVerdict? Of(string scenario, MetricVerdict? wall, InstructionComparison? instructions, double wallThreshold,
        bool countingOff = false)
    {
        if (wall is null)
        {
            return null;
        }
        var work = instructions?.Total;
        var signal = work?.Verdict switch
        {
            Verdict.Slower => WorkSignal.More,
            Verdict.Faster => WorkSignal.Less,
            Verdict.Unchanged => WorkSignal.Same,
            _ => WorkSignal.NotCounted,
        };
        var large = work is { Before: > 0, After: > 0 } counted && double.IsFinite(counted.Ratio) && Math.Abs(counted.Ratio - 1) >= wallThreshold;
        var outcome = Rule(wall.Verdict, signal, large);
        var processes = instructions is { Processes.Count: > 0 } i
            ? string.Join(", ", i.Processes.Where(p => p.Before is > 0 || p.After is > 0).Select(p => $"{p.Scope} {ProcessChange(p)}"))
            : null;
        var fused = new FusedVerdict(scenario, outcome, signal, wall, work, instructions?.Threshold, "", processes, work is null && countingOff);
        return fused with { Words = FusedWording.Of(fused) };
    }

    /// <summary>The rule: one row of the table in docs/performance/report.md per (wall time, work) pair.</summary>
    /// <param name="large">The work changed by at least wall time's own threshold. Wall time "unchanged" then means the
    /// added work is small beside the scenario's time on this runner, not that nothing changed: a real A/B that added
    /// 20% instructions to a scenario read +3.3% [+0.3%, +4.5%] in wall time, inside the ±5%.</param>
    public static FusedOutcome Rule(Verdict wall, WorkSignal work, bool large = false) => (wall, work) switch
    {
        (Verdict.Slower, WorkSignal.Same or WorkSignal.Less) => FusedOutcome.SlowerWaiting,
        (Verdict.Slower, _) => FusedOutcome.Slower,
        (Verdict.Faster, _) => FusedOutcome.Faster,
        (Verdict.Unchanged, WorkSignal.More) when large => FusedOutcome.SlowerWork,
        (Verdict.Unchanged, WorkSignal.Less) when large => FusedOutcome.FasterWork,
        (Verdict.Unchanged, _) => FusedOutcome.Unchanged,
        (_, WorkSignal.More) => FusedOutcome.SlowerWork,
        (_, WorkSignal.Less) => FusedOutcome.FasterWork,
        (_, WorkSignal.Same) => FusedOutcome.SameWork,
        _ => FusedOutcome.Inconclusive,
    };

    /// <summary>"same" within the instruction threshold: a per-process delta is a change only beyond it.</summary>
    private static string ProcessChange(InstructionDelta delta) =>
        delta.Verdict == Verdict.Unchanged ? "same"
        : delta.Before is > 0 && delta.After is > 0 && double.IsFinite(delta.Ratio) ? Format.Change(delta.Ratio - 1) : delta.Why;
}

/// <summary>
/// Runs after the verdict and instruction analysers: fuses the leading runtime verdict (same-runner
/// pairs, else the stored baseline) with the instructions counted against the same side.
/// A separate finding so other verdicts (memory, say) sit beside it without touching it.
/// </summary>
public sealed class FusedVerdictAnalyser : IScenarioAnalyser
{
    public ScenarioAnalysis Analyse(ScenarioResult scenario, ScenarioAnalysis found, AnalysisContext context)
    {
        if (found.Verdict is not { Outcome: not (ScenarioOutcome.Failed or ScenarioOutcome.Skipped or ScenarioOutcome.NotCompared) } verdict)
        {
            return found;
        }
        var wall = verdict.Metrics.FirstOrDefault(m => m.Metric == VerdictSummary.Runtime);
        // Only the state is used: the run's message comes from metrics.json, which a PR's code wrote, and the words are plain text.
        var off = scenario.Instructions is { Status: InstructionStatus.Skipped, Message: InstructionRun.OffForScenario };
        return found with { Fused = FusedVerdict.Of(scenario.Name, wall, found.Instructions, context.Settings.MinimumEffect, off) };
    }
}
