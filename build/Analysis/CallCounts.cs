using Filare.Perf.Results;

namespace Filare.Perf.Analysis;

/// <summary>Two cProfile call counts within the tolerance are the same, whatever their exact digits.</summary>
public enum CallCountVerdict { Same, More, Fewer }

/// <summary>Where a call-count tolerance came from.</summary>
public enum ToleranceSource { Default, AaSpread }

/// <summary>
/// cProfile's total calls of one scenario on two sides (base and head, or baseline and now). Even with
/// a fixed PYTHONHASHSEED two runs of the same code differ slightly (loops around subprocesses such as
/// <c>select.poll</c> spin a timing-dependent number of times), so a difference within
/// <see cref="Tolerance"/> reads as "same", never as an exact delta.
/// </summary>
public sealed record CallCountComparison(long Before, long After, double Tolerance, ToleranceSource Source)
{
    /// <summary>The relative change, after / before − 1.</summary>
    public double Change => Before > 0 ? (double)After / Before - 1 : double.NaN;

    public CallCountVerdict Verdict => double.IsFinite(Change) && Math.Abs(Change) <= Tolerance ? CallCountVerdict.Same
        : After > Before ? CallCountVerdict.More
        : After < Before ? CallCountVerdict.Fewer
        : CallCountVerdict.Same;
}

/// <summary>Per scenario, cProfile's call counts base → head and baseline → now, each with its tolerance.</summary>
public sealed record ScenarioCalls(CallCountComparison? Paired, CallCountComparison? Baseline, long? Head);

/// <summary>
/// cProfile call counts of both comparisons, judged with the tolerance: the A/A spread of the
/// calibrating run (not this run's own, when this run is the A/A), else the default.
/// </summary>
public sealed class CallCountAnalyser : IScenarioAnalyser
{
    public ScenarioAnalysis Analyse(ScenarioResult scenario, ScenarioAnalysis found, AnalysisContext context)
    {
        double? spread = context.Calibration is { ThisRun: false, CallSpreads: { } spreads } && spreads.TryGetValue(scenario.Name, out var s) ? s : null;
        var head = CallCountTolerance.Calls(scenario.Profilers);
        var before = found.Baseline?.Calls;
        return found with
        {
            Calls = new ScenarioCalls(
                context.Compared ? CallCountTolerance.Compare(CallCountTolerance.Calls(scenario.Base?.Profilers), head, spread) : null,
                before is null ? null : CallCountTolerance.Compare(before.Baseline, before.Current, spread),
                head),
        };
    }
}

/// <summary>
/// How far apart call counts of identical code may be. Where an A/A run (the same commit on both
/// sides) measured the spread of a scenario, the tolerance is <see cref="SpreadMargin"/> times that
/// spread, and at least <see cref="MinimumTolerance"/> (one A/A pair is one draw of the noise, and may
/// happen to be 0); elsewhere it is <see cref="DefaultTolerance"/>. docs/performance/report.md.
/// </summary>
public static class CallCountTolerance
{
    public const double DefaultTolerance = 0.001;
    public const double MinimumTolerance = 0.0001;
    public const double SpreadMargin = 3;

    /// <summary>cProfile's total calls of a side, when its cProfile pass succeeded.</summary>
    public static long? Calls(IReadOnlyList<ProfilerRun>? profilers) =>
        profilers?.FirstOrDefault(p => p.Tool == ProfilerNames.CProfile && p.Status == ProfilerStatus.Ok)?.Calls?.TotalCalls;

    /// <summary>Per scenario, the relative spread of the A/A run's call counts (base against head).</summary>
    public static IReadOnlyDictionary<string, double> SpreadOf(RunMetrics? aa)
    {
        var spreads = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var scenario in aa?.Scenarios ?? [])
        {
            if (Calls(scenario.Base?.Profilers) is { } before && before > 0 && Calls(scenario.Profilers) is { } after)
            {
                spreads[scenario.Name] = Math.Abs((double)after / before - 1);
            }
        }
        return spreads;
    }

    /// <param name="spread">The scenario's A/A spread, if an A/A run measured one.</param>
    public static CallCountComparison? Compare(long? before, long? after, double? spread) =>
        before is { } b && after is { } a
            ? spread is { } s && double.IsFinite(s)
                ? new CallCountComparison(b, a, Math.Max(MinimumTolerance, SpreadMargin * s), ToleranceSource.AaSpread)
                : new CallCountComparison(b, a, DefaultTolerance, ToleranceSource.Default)
            : null;
}
