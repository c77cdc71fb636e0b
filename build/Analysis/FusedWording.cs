using System.Globalization;
using Filare.Perf.Comparison;
using Filare.Perf.Results;

namespace Filare.Perf.Analysis;

/// <summary>
/// The words of a fused verdict, one form per row of the rule (docs/performance/report.md). Wall
/// time's change always carries its interval; a "slower"/"faster" quoted with a size is wall time's.
/// Plain text: every part is a number or a fixed word, nothing from the run's input.
/// </summary>
public static class FusedWording
{
    public const string Waiting = "waiting (I/O, system calls, a child process) or this runner's noise";

    public static string Of(FusedVerdict verdict)
    {
        var wall = Wall(verdict.Wall);
        var work = verdict.WorkChange is { } w ? $"{Format.Change(w)} in instructions" : null;
        var within = verdict.Threshold is { } t ? string.Create(CultureInfo.InvariantCulture, $", within ±{t * 100:0.##}%") : "";
        var processes = verdict.Processes is { Length: > 0 } p ? $"; per process: {p}" : "";
        return verdict.Outcome switch
        {
            FusedOutcome.Slower => $"slower {wall} in wall time{(work is null ? " (instructions not counted)" : $"; work {work}")}",
            FusedOutcome.SlowerWaiting when verdict.Signal == WorkSignal.Less =>
                $"slower in wall time {wall}, less work ({work}): {Waiting}{processes}",
            FusedOutcome.SlowerWaiting => $"slower in wall time {wall}, same work ({work}{within}): {Waiting}{processes}",
            FusedOutcome.Faster when verdict.Signal == WorkSignal.Same =>
                $"faster in wall time {wall}, same work ({work}{within}): less waiting, or this runner's noise",
            FusedOutcome.Faster when verdict.Signal == WorkSignal.More =>
                $"faster in wall time {wall} with more work ({work}): work moved to processes that run side by side, or less waiting",
            FusedOutcome.Faster => $"faster {wall} in wall time{(work is null ? " (instructions not counted)" : $"; work {work}")}",
            FusedOutcome.Unchanged => $"unchanged {wall} in wall time{UnchangedWork(verdict, work)}",
            FusedOutcome.SlowerWork when verdict.Wall.Verdict == Verdict.Unchanged =>
                $"more work ({work}); wall time {wall}, within its threshold: the added work is small beside this scenario's time on this runner",
            FusedOutcome.FasterWork when verdict.Wall.Verdict == Verdict.Unchanged =>
                $"less work ({work}); wall time {wall}, within its threshold: the work saved is small beside this scenario's time on this runner",
            FusedOutcome.SlowerWork => $"slower (work {work}; wall time {wall} not yet conclusive)",
            FusedOutcome.FasterWork => $"faster (work {work}; wall time {wall} not yet conclusive)",
            FusedOutcome.SameWork =>
                $"same work ({work}{within}); wall time {wall} not conclusive: a difference, if any, comes from outside the counted work (waiting) or noise",
            _ => $"inconclusive: wall time {wall}; {NotCounted(verdict)}; more pairs would tell",
        };
    }

    /// <summary>"+4.9% [+3.9%, +7.9%]".</summary>
    public static string Wall(MetricVerdict wall) =>
        double.IsFinite(wall.Low) && double.IsFinite(wall.High)
            ? $"{Format.Change(wall.Change)} [{Format.Change(wall.Low)}, {Format.Change(wall.High)}]"
            : double.IsFinite(wall.Change) ? Format.Change(wall.Change) : "(no change computed)";

    private static string UnchangedWork(FusedVerdict verdict, string? work) => verdict.Signal switch
    {
        WorkSignal.Same => "; same work",
        WorkSignal.More or WorkSignal.Less => $"; work {work}, smaller than the wall-time threshold",
        _ => "",
    };

    private static string NotCounted(FusedVerdict verdict) =>
        verdict.Work is { } w ? $"instructions not comparable ({w.Why})"
        : verdict.CountingOff ? "instructions are off for this scenario (its file's instructions: false, or a pytest scenario)"
        : "instructions not counted (--enable-instructions would decide the work)";
}
