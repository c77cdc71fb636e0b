using Filare.Perf.Comparison;
using Filare.Perf.Results;

namespace Filare.Perf.Analysis;

/// <summary>Which comparison the verdicts to act on come from.</summary>
public enum VerdictSource
{
    /// <summary>Head against base, interleaved on the same runner: the verdict when there is one.</summary>
    Paired,

    /// <summary>This run against a stored baseline from another job: the verdict only without a same-runner A/B.</summary>
    Baseline,

    /// <summary>Nothing to compare with.</summary>
    None,
}

/// <summary>A scenario's outcome, worst first: what a reviewer has to look at comes first.</summary>
public enum ScenarioOutcome { Worse, Failed, Inconclusive, Better, Unchanged, NotCompared, Skipped }

/// <summary>One metric's verdict with its change and 95% interval, as fractions (0.1 = +10%).</summary>
public sealed record MetricVerdict(string Metric, Verdict Verdict, double Change, double Low, double High)
{
    public static MetricVerdict? Of(string metric, MetricComparison? comparison) => comparison is null ? null
        : new MetricVerdict(metric, comparison.Verdict, comparison.Ratio - 1, comparison.RatioLow - 1, comparison.RatioHigh - 1);
}

/// <param name="Metrics">Runtime first, then peak RSS; empty when the scenario could not be compared.</param>
/// <param name="Fused">Wall time and instructions as one verdict, when the scenario was compared (the headline's time part).</param>
public sealed record ScenarioVerdict(string Scenario, ScenarioOutcome Outcome, IReadOnlyList<MetricVerdict> Metrics, ScenarioProblem? Problem,
    FusedVerdict? Fused = null);

/// <summary>
/// The figures of a report's headline: per scenario one outcome from the comparison that leads (the
/// same-runner A/B when there is one, else the stored baseline), and the run's problems.
/// </summary>
public sealed record VerdictSummary(VerdictSource Source, bool IsCalibration, IReadOnlyList<ScenarioVerdict> Scenarios)
{
    public const string Runtime = "runtime";
    public const string PeakRss = "peak RSS";

    public IReadOnlyList<ScenarioVerdict> With(ScenarioOutcome outcome) => Scenarios.Where(s => s.Outcome == outcome).ToList();

    public static VerdictSource SourceOf(bool compared, bool hasBaseline) =>
        compared ? VerdictSource.Paired : hasBaseline ? VerdictSource.Baseline : VerdictSource.None;
}

/// <summary>
/// A scenario's outcome for the headline, from the verdicts that lead (<see cref="VerdictSummary.SourceOf"/>):
/// worse when runtime or peak RSS is slower, else inconclusive, better, unchanged; failures first.
/// Runs after the paired, baseline and problem analysers.
/// </summary>
public sealed class VerdictAnalyser : IScenarioAnalyser
{
    public ScenarioAnalysis Analyse(ScenarioResult scenario, ScenarioAnalysis found, AnalysisContext context)
    {
        var source = VerdictSummary.SourceOf(context.Compared, context.Input.Baseline is not null);
        var verdicts = source switch
        {
            VerdictSource.Paired when found.Paired is { Pairs: > 0 } p =>
                new[] { MetricVerdict.Of(VerdictSummary.Runtime, p.WallSeconds), MetricVerdict.Of(VerdictSummary.PeakRss, p.PeakRssBytes) },
            VerdictSource.Baseline when found.Baseline is { Missing: null } c =>
                [MetricVerdict.Of(VerdictSummary.Runtime, c.WallSeconds), MetricVerdict.Of(VerdictSummary.PeakRss, c.PeakRssBytes)],
            _ => [],
        };
        var metrics = verdicts.OfType<MetricVerdict>().ToList();
        return found with { Verdict = new ScenarioVerdict(scenario.Name, Outcome(scenario, found.Problem, metrics, source), metrics, found.Problem) };
    }

    private static ScenarioOutcome Outcome(ScenarioResult scenario, ScenarioProblem? problem, IReadOnlyList<MetricVerdict> verdicts, VerdictSource source)
    {
        if (problem is { IsFailure: true })
        {
            return ScenarioOutcome.Failed;
        }
        if (scenario.Status == ScenarioStatus.Skipped || scenario.Base?.Status == ScenarioStatus.Skipped && source == VerdictSource.Paired)
        {
            return ScenarioOutcome.Skipped;
        }
        if (verdicts.Count == 0)
        {
            return ScenarioOutcome.NotCompared;
        }
        return verdicts.Any(v => v.Verdict == Verdict.Slower) ? ScenarioOutcome.Worse
            : verdicts.Any(v => v.Verdict == Verdict.Inconclusive) ? ScenarioOutcome.Inconclusive
            : verdicts.Any(v => v.Verdict == Verdict.Faster) ? ScenarioOutcome.Better
            : ScenarioOutcome.Unchanged;
    }
}
