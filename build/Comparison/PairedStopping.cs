using System.Globalization;

namespace Filare.Perf.Comparison;

/// <summary>
/// When interleaved pairs have told enough: the 95% bootstrap interval of the paired wall-time
/// ratio lies entirely above the threshold (slower), entirely below it (faster) or entirely inside
/// it (unchanged). An interval that straddles a boundary needs more pairs. Checking after every
/// two pairs is a sequential test; requiring the whole interval past the threshold, rather than a
/// p-value under alpha, keeps A/A runs from stopping on a lucky streak (docs/performance/report.md).
/// </summary>
public static class PairedStopping
{
    /// <returns>Why the pairs decide, or null when another two pairs are needed.</returns>
    public static string? Decided(IReadOnlyList<RunPair> pairs, ComparisonSettings settings)
    {
        if (pairs.Count < PairedComparison.MinimumPairs)
        {
            return null;
        }
        var wall = PairedComparison.Of("wall time", pairs, settings);
        if (!double.IsFinite(wall.RatioLow) || !double.IsFinite(wall.RatioHigh))
        {
            return null;
        }
        var t = settings.MinimumEffect;
        var interval = string.Create(CultureInfo.InvariantCulture, $"[{wall.RatioLow:0.###}, {wall.RatioHigh:0.###}] after {pairs.Count} pairs");
        var limit = string.Create(CultureInfo.InvariantCulture, $"{t * 100:0.#}%");
        return wall.RatioLow > 1 + t ? $"the interval {interval} lies above +{limit}"
            : wall.RatioHigh < 1 - t ? $"the interval {interval} lies below -{limit}"
            : wall.RatioLow >= 1 - t && wall.RatioHigh <= 1 + t ? $"the interval {interval} lies within ±{limit}"
            : null;
    }
}
