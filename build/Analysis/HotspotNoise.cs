using Filare.Perf.Comparison;
using Filare.Perf.Flamegraphs;
using Filare.Perf.Results;

namespace Filare.Perf.Analysis;

/// <summary>
/// The rule for every base → head table of profiled functions: a function (cProfile's own time) or a
/// frame (py-spy's self share) is shown as a change only beyond the <see cref="ChangeFloor"/> of its
/// scenario, from the clean runs of both sides; within it, it is left out, and a section with nothing
/// left says "no function changed beyond noise" with the floor. The py-spy differential flamegraph
/// greys its frames by the same test (PySpy.Compare), so the table and the colours agree.
/// </summary>
public static class HotspotNoise
{
    /// <summary>The functions that moved beyond the floor, the largest first, as many as the report shows.</summary>
    public static HotspotDiff Beyond(HotspotDiff diff, ChangeFloor floor) => diff with
    {
        Grew = [.. diff.Grew.Where(r => floor.BeyondSeconds(r.BaselineSeconds, r.CurrentSeconds)).Take(Hotspots.Grew)],
        Shrank = [.. diff.Shrank.Where(r => floor.BeyondSeconds(r.BaselineSeconds, r.CurrentSeconds)).Take(Hotspots.Shrank)],
        Floor = floor,
    };

    /// <summary>The frames whose self share of the samples grew beyond the floor.</summary>
    public static SampleGrowth Growth(CollapsedStacks @base, CollapsedStacks head, ChangeFloor floor) =>
        new(@base.Total, head.Total, FlameDiff.Sampled(@base, head, floor.BeyondShares).Grew(SampleGrowth.Rows), floor);
}

/// <summary>
/// The hotspot diffs read from the captures, placed beside their scenario with the noise rule applied:
/// base → head against both sides' clean runs, since the baseline against the baseline's and this run's.
/// </summary>
public sealed class HotspotAnalyser : IScenarioAnalyser
{
    public ScenarioAnalysis Analyse(ScenarioResult scenario, ScenarioAnalysis found, AnalysisContext context) => found with
    {
        SideHotspots = context.Input.SideHotspots?.FirstOrDefault(d => d.Scenario == scenario.Name) is { } side
            ? HotspotNoise.Beyond(side, ScenarioStatistics.Floor(scenario.Statistics, scenario.Base?.Statistics))
            : null,
        BaselineHotspots = context.Input.BaselineHotspots?.FirstOrDefault(d => d.Scenario == scenario.Name) is { } since
            ? HotspotNoise.Beyond(since, ScenarioStatistics.Floor(context.BaselineOf(scenario)?.Statistics, scenario.Statistics))
            : null,
    };
}
