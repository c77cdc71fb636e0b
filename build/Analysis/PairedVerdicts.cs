using Filare.Perf.Comparison;
using Filare.Perf.Results;

namespace Filare.Perf.Analysis;

/// <summary>A scenario's base and head samples, paired by run index, as verdicts per metric.</summary>
public static class PairedVerdicts
{
    /// <param name="calibration">The runner's noise floor from an earlier A/A run, if known.</param>
    /// <param name="isCalibration">This run is itself A/A: record its noise floor.</param>
    public static PairedResult? Of(ScenarioResult scenario, ComparisonSettings settings, NoiseFloor? calibration, bool isCalibration)
    {
        if (scenario.Base is null)
        {
            return null;
        }
        var heads = scenario.Samples.Where(Clean).ToDictionary(s => s.Index);
        var pairs = scenario.Base.Samples.Where(Clean).Where(b => heads.ContainsKey(b.Index)).Select(b => (Base: b, Head: heads[b.Index])).ToList();
        MetricComparison Compare(string metric, Func<RunSample, double> value, double? floor) =>
            PairedComparison.Of(metric, pairs.Select(p => new RunPair(value(p.Base), value(p.Head))).ToList(), settings, isCalibration ? null : floor);
        var wall = Compare("wall time", s => s.WallSeconds, calibration?.WallSeconds);
        var cpu = Compare("CPU", s => s.CpuPercent ?? double.NaN, calibration?.CpuPercent);
        var rss = Compare("peak RSS", s => s.PeakRssBytes ?? double.NaN, calibration?.PeakRssBytes);
        return new PairedResult(pairs.Count, wall, cpu, rss,
            isCalibration && pairs.Count >= PairedComparison.MinimumPairs ? NoiseFloor.From(pairs.Count, wall, cpu, rss) : null);
    }

    private static bool Clean(RunSample sample) => sample.Status == RunStatus.Ok;
}
