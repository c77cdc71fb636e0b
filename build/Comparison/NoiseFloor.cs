namespace Filare.Perf.Comparison;

/// <summary>
/// What an A/A run (the same commit on both sides, interleaved) could not tell apart from no change,
/// per metric, as a fraction: the farthest of the estimate and its 95% interval from a ratio of 1.
/// A verdict against a calibrated runner needs a change larger than this as well as the minimum
/// effect: the calibration is the runner speaking for itself.
/// </summary>
public sealed record NoiseFloor(int Pairs, double WallSeconds, double CpuPercent, double PeakRssBytes)
{
    public static NoiseFloor From(int pairs, MetricComparison wall, MetricComparison cpu, MetricComparison rss) =>
        new(pairs, Of(wall), Of(cpu), Of(rss));

    private static double Of(MetricComparison aa)
    {
        var distances = new[] { aa.Ratio, aa.RatioLow, aa.RatioHigh }.Where(double.IsFinite).Select(r => Math.Abs(r - 1)).ToList();
        return distances.Count == 0 ? double.NaN : Math.Round(distances.Max(), 4);
    }
}
