using System.Globalization;

namespace Filare.Perf.Comparison;

/// <summary>
/// When interleaved pairs have told enough: the 95% bootstrap interval of the paired wall-time
/// ratio lies entirely above the threshold (slower), entirely below it (faster) or entirely inside
/// it (unchanged), and the paired verdict on those pairs says the same. An interval that straddles a boundary needs more pairs. Checking after every
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
        // The verdict must agree: an interval past the threshold whose test is not yet significant would stop as inconclusive.
        return wall.RatioLow > 1 + t && wall.Verdict == Verdict.Slower ? $"the interval {interval} lies above +{limit}"
            : wall.RatioHigh < 1 - t && wall.Verdict == Verdict.Faster ? $"the interval {interval} lies below -{limit}"
            : wall.RatioLow >= 1 - t && wall.RatioHigh <= 1 + t && wall.Verdict == Verdict.Unchanged ? $"the interval {interval} lies within ±{limit}"
            : null;
    }

    /// <summary>
    /// Early stop on the work: the instruction total moved beyond its threshold (<paramref name="work"/> is its verdict,
    /// Slower or Faster, and <paramref name="workRatio"/> head/base), and the wall-time interval after at least
    /// <see cref="PairedComparison.MinimumPairs"/> pairs does not exclude that direction (its upper end is above 1 for more
    /// work, its lower end below 1 for less). Unchanged or unknown work never stops a scenario.
    /// </summary>
    /// <returns>Why the pairs may stop, or null.</returns>
    public static string? WorkDecided(IReadOnlyList<RunPair> pairs, ComparisonSettings settings, Verdict work, double workRatio)
    {
        if (work is not (Verdict.Slower or Verdict.Faster) || pairs.Count < PairedComparison.MinimumPairs)
        {
            return null;
        }
        var wall = PairedComparison.Of("wall time", pairs, settings);
        if (!double.IsFinite(wall.RatioLow) || !double.IsFinite(wall.RatioHigh))
        {
            return null;
        }
        var agrees = work == Verdict.Slower ? wall.RatioHigh > 1 : wall.RatioLow < 1;
        var interval = string.Create(CultureInfo.InvariantCulture, $"[{wall.RatioLow:0.###}, {wall.RatioHigh:0.###}] after {pairs.Count} pairs");
        var change = string.Create(CultureInfo.InvariantCulture, $"{(workRatio - 1) * 100:+0.0;-0.0}%");
        return agrees ? $"{(work == Verdict.Slower ? "more" : "less")} work ({change} instructions) and the wall-time interval {interval} allows it" : null;
    }
}
