using System.Globalization;
using System.Text;
using Filare.Perf.Analysis;

namespace Filare.Perf.Reporting;

/// <summary>
/// The words explained where they are read: a one-line legend under the verdicts, and at the end how
/// each verdict was reached.
/// </summary>
public static class MethodSection
{
    /// <summary>The verdict words, the interval, the floor and "same" call counts, in one line.</summary>
    public static string Legend(ReportContext context)
    {
        var settings = context.Settings;
        var minimum = string.Create(CultureInfo.InvariantCulture, $"{settings.MinimumEffect * 100:0.#}%");
        return $"<sub>{Cells.Worse}/{Cells.Better} slower/faster: a change beyond both {minimum} and " +
            $"the noise floor, at p &lt; {settings.Alpha.ToString(CultureInfo.InvariantCulture)} · "
            + $"{Cells.Same} unchanged: the whole 95% interval [low, high] lies within that threshold · "
            + $"{Cells.Unknown} inconclusive: could not tell at this noise; more runs would (comment `/run-perf` again, or raise `--runs`) · "
            + $"noise floor: {FloorSource(context)} · "
            + $"cProfile calls: \"same\" within {CallTolerance(context)}.</sub>";
    }

    private static string FloorSource(ReportContext context) => context.Calibration switch
    {
        { ThisRun: true } => "measured by this A/A run (same commit on both sides): the change it could not tell from none",
        { } aa => $"from the A/A run {Markdown.Escape(aa.RunLabel)} (same commit on both sides): the change it could not tell from none",
        null => "not calibrated (no A/A run for this runner), so the minimum stands alone",
    };

    private static string CallTolerance(ReportContext context) =>
        context.Calibration is { ThisRun: false, CallSpreads.Count: > 0 }
            ? $"{CallCountTolerance.SpreadMargin:0}× the A/A run's spread (at least {Cells.Share(CallCountTolerance.MinimumTolerance)})"
            : $"±{Cells.Share(CallCountTolerance.DefaultTolerance)} (no A/A spread known): identical code varies a little, even with a fixed PYTHONHASHSEED";

    public static void Write(ReportContext context, StringBuilder text)
    {
        var settings = context.Settings;
        var minimum = string.Create(CultureInfo.InvariantCulture, $"{settings.MinimumEffect * 100:0.#}%");
        var alpha = settings.Alpha.ToString(CultureInfo.InvariantCulture);
        var method = new List<string>();
        if (context.Compared)
        {
            method.Add($"Same-runner verdicts: paired trimmed t-test on log ratios of interleaved runs (p &lt; {alpha}) and a change of at least " +
                $"max({minimum}, noise floor); 95% bootstrap interval over pairs. The noise floor is what an A/A run (the same commit " +
                $"on both sides) could not tell from no change: the farthest of its estimate and 95% interval from a ratio of 1.");
        }
        if (context.Baseline is not null)
        {
            method.Add($"Verdicts against the baseline: one-sided Mann–Whitney U on the clean runs (p &lt; {alpha}) and a change " +
                $"of at least max({minimum}, noise floor); the interval is a 95% bootstrap interval of the ratio of medians.");
        }
        method.Add("Informational only.");
        text.AppendLine($"<sub>{string.Join(" ", method)}</sub>");
    }
}
