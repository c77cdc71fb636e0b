using System.Globalization;

namespace Filare.Perf.Comparison;

/// <summary>
/// How much one profiled function (or flamegraph frame) must change from base to head before it is
/// shown as a change. A profile is one run per side, so a function's figure moves with the runner as
/// the whole run does: the floor is the scenario's run-to-run wall-time spread (three times the
/// interquartile range of its clean runs, relative to their median, the wider side: about 3 σ of the
/// difference between one run on each side, as hundreds of functions are tested at once; max − min
/// would grow with the number of runs and jump with one outlier: 91% on a loaded test machine whose
/// 30 pairs' interval was ±8%) applied to the function's figure, with an
/// absolute floor below which a figure is the clock's or the sampler's grain (<see cref="MinimumSeconds"/>,
/// <see cref="MinimumSamples"/>). Sampled shares also carry their own counting noise: a share of N
/// samples is binomial, and a change within <see cref="Sigmas"/> of it is chance (hundreds of frames
/// are tested at once). Without two clean runs on either side there is no spread, and
/// <see cref="AssumedRelative"/> stands in, said as assumed. Numbers in, a yes/no out.
/// </summary>
/// <param name="Relative">The relative spread applied to a function's figure.</param>
/// <param name="Measured">The spread came from the runs; false when <see cref="AssumedRelative"/> stands in.</param>
public sealed record ChangeFloor(double Relative, bool Measured)
{
    /// <summary>A few ms: cProfile's own time of a function below this moves with the clock, not the code.</summary>
    public const double MinimumSeconds = 0.005;

    /// <summary>A few samples: at py-spy's rate a frame this small comes and goes by chance.</summary>
    public const double MinimumSamples = 5;

    public const double Sigmas = 3;

    public const double AssumedRelative = 0.10;

    /// <param name="spreads">Each side's relative wall-time spread, null where a side had fewer than two clean runs.</param>
    public static ChangeFloor Of(params double?[] spreads)
    {
        var measured = spreads.OfType<double>().Where(double.IsFinite).ToList();
        return measured.Count == 0 ? new ChangeFloor(AssumedRelative, false) : new ChangeFloor(measured.Max(), true);
    }

    /// <summary>The spread of one side's clean runs, 3 × IQR / median; null below two runs.</summary>
    public static double? Spread(int runs, double median, double iqr) =>
        runs >= 2 && median > 0 ? 3 * iqr / median : null;

    public double Seconds(double before, double after) => Math.Max(MinimumSeconds, Relative * Math.Max(Math.Abs(before), Math.Abs(after)));

    /// <summary>A function's own time (cProfile, one run per side) changed beyond the floor.</summary>
    public bool BeyondSeconds(double before, double after) => Math.Abs(after - before) > Seconds(before, after);

    /// <summary>The floor of a change in a frame's share of its side's samples.</summary>
    public double Share(double beforeShare, double afterShare, long beforeTotal, long afterTotal)
    {
        var samples = (beforeTotal + afterTotal) / 2.0;
        var counting = Sigmas * Math.Sqrt(Binomial(beforeShare, beforeTotal) + Binomial(afterShare, afterTotal));
        return Math.Max(samples > 0 ? MinimumSamples / samples : 1, Math.Max(Relative * Math.Max(beforeShare, afterShare), counting));
    }

    /// <summary>A frame's share of the samples (py-spy, one run per side) changed beyond the floor.</summary>
    public bool BeyondShares(double beforeShare, double afterShare, long beforeTotal, long afterTotal) =>
        Math.Abs(afterShare - beforeShare) > Share(beforeShare, afterShare, beforeTotal, afterTotal);

    /// <summary>"±4.1% (the runs' wall-time spread, 3 × IQR) or 5 ms, the larger": the rule in words, said once per table.</summary>
    public string SecondsText => string.Create(CultureInfo.InvariantCulture, $"±{Percent} ({Source}) or {MinimumSeconds * 1000:0.#} ms, the larger");

    public string SharesText => string.Create(CultureInfo.InvariantCulture,
        $"±{Percent} of a frame's share ({Source}), at least {MinimumSamples:0} samples and {Sigmas:0} σ of sampling");

    private string Percent => string.Create(CultureInfo.InvariantCulture, $"{Relative * 100:0.#}%");

    private string Source => Measured ? "the runs' wall-time spread, 3 × IQR" : "assumed: too few runs to measure a spread";

    private static double Binomial(double share, long total) => total > 0 ? share * (1 - share) / total : 0;
}
