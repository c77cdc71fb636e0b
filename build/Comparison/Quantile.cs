namespace Filare.Perf.Comparison;

/// <summary>Quantiles of sorted samples, the one definition every summary and interval uses.</summary>
public static class Quantile
{
    /// <summary>Linear interpolation between order statistics (R's type 7, numpy's default).</summary>
    public static double Of(IReadOnlyList<double> sorted, double p)
    {
        var position = (sorted.Count - 1) * p;
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
    }
}
