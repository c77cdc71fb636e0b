using Filare.Perf.Comparison;

namespace Filare.Perf.Results;

/// <summary>Order statistics of repeated samples; medians and IQR because run times are skewed by noise.</summary>
public sealed record Summary(int N, double Median, double Min, double Max, double Q1, double Q3, double Iqr, double Mean, double Stdev)
{
    public static Summary? Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }
        var mean = sorted.Average();
        var variance = sorted.Length > 1 ? sorted.Sum(v => (v - mean) * (v - mean)) / (sorted.Length - 1) : 0;
        var q1 = Quantile.Of(sorted, 0.25);
        var q3 = Quantile.Of(sorted, 0.75);
        return new Summary(sorted.Length, Quantile.Of(sorted, 0.5), sorted[0], sorted[^1], q1, q3, q3 - q1, mean, Math.Sqrt(variance));
    }

    /// <summary>
    /// 3 × IQR / median, what a profile of one run may move by (<see cref="ChangeFloor"/>); null below two runs.
    /// A method: metrics.json keeps what was measured.
    /// </summary>
    public double? Spread() => ChangeFloor.Spread(N, Median, Iqr);
}

public sealed record ScenarioStatistics(Summary WallSeconds, Summary UserSeconds, Summary SystemSeconds, Summary CpuPercent, Summary PeakRssBytes)
{
    public static ScenarioStatistics? Of(IReadOnlyList<RunSample> samples)
    {
        var ok = samples.Where(s => s.Status == RunStatus.Ok && s.UserSeconds is not null).ToList();
        if (ok.Count == 0)
        {
            return null;
        }
        return new ScenarioStatistics(
            Summary.Of(ok.Select(s => s.WallSeconds))!,
            Summary.Of(ok.Select(s => s.UserSeconds!.Value))!,
            Summary.Of(ok.Select(s => s.SystemSeconds!.Value))!,
            Summary.Of(ok.Select(s => s.CpuPercent!.Value))!,
            Summary.Of(ok.Select(s => (double)s.PeakRssBytes!.Value))!);
    }

    /// <summary>The floor a profiled function's change must pass, from the wall-time spread of the runs on each side.</summary>
    public static ChangeFloor Floor(params ScenarioStatistics?[] sides) => ChangeFloor.Of([.. sides.Select(s => s?.WallSeconds.Spread())]);
}
