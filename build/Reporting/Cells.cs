using System.Globalization;
using Filare.Perf.Analysis;
using Filare.Perf.Comparison;
using Filare.Perf.Git;
using Filare.Perf.Results;

namespace Filare.Perf.Reporting;

/// <summary>
/// One unit for a whole column, chosen from its largest value, so that "+0.100 s" never stands beside
/// "-50.0 ms". Cells read "1.164 → 1.182 s".
/// </summary>
public sealed record Unit(string Name, double Scale, string Pattern)
{
    public static Unit Time(IEnumerable<double> seconds) => Largest(seconds) switch
    {
        >= 100 => new("s", 1, "0.0"),
        >= 0.1 => new("s", 1, "0.000"),
        _ => new("ms", 1000, "0.0"),
    };

    public static Unit Memory(IEnumerable<double> bytes) => Largest(bytes) switch
    {
        >= 1L << 30 => new("GiB", 1.0 / (1L << 30), "0.00"),
        >= 1L << 20 => new("MiB", 1.0 / (1L << 20), "0.0"),
        _ => new("KiB", 1.0 / 1024, "0.0"),
    };

    public string Number(double value) => (value * Scale).ToString(Pattern, CultureInfo.InvariantCulture);

    public string Of(double value) => $"{Number(value)} {Name}";

    /// <summary>
    /// "1.164 → 1.182 s"; a side without a value is "–". No-break spaces (U+00A0) keep it on one line
    /// in a narrow column, where the unit would otherwise wrap alone.
    /// </summary>
    public string Span(double? before, double? after) =>
        $"{(before is { } b && double.IsFinite(b) ? Number(b) : "–")}\u00a0→\u00a0{(after is { } a && double.IsFinite(a) ? Number(a) : "–")}\u00a0{Name}";

    private static double Largest(IEnumerable<double> values) => values.Where(double.IsFinite).DefaultIfEmpty(0).Max();
}

/// <summary>The cells every table shares: a verdict with its interval, a noise floor, call counts.</summary>
public static class Cells
{
    public const string Worse = "🔴";
    public const string Better = "🟢";
    public const string Same = "⚪";
    public const string Unknown = "❔";
    public const string Failure = "❌";

    /// <summary>"🔴 **slower** +10.1% [+9.7%, +10.4%]": every verdict shows its interval.</summary>
    public static string Verdict(MetricComparison? comparison, string worse, string better)
    {
        if (comparison is null)
        {
            return MarkdownTable.None;
        }
        var change = double.IsFinite(comparison.Ratio) ? " " + Format.Change(comparison.Ratio - 1) : "";
        // A narrow cell breaks between the verdict and its interval, not inside either (U+00A0).
        var interval = double.IsFinite(comparison.RatioLow)
            ? $" [{Format.Change(comparison.RatioLow - 1)},\u00a0{Format.Change(comparison.RatioHigh - 1)}]"
            : "";
        return comparison.Verdict switch
        {
            Comparison.Verdict.Slower => $"{Worse} **{worse}**{change}{interval}",
            Comparison.Verdict.Faster => $"{Better} **{better}**{change}{interval}",
            Comparison.Verdict.Unchanged => $"{Same} unchanged{change}{interval}",
            _ => $"{Unknown} inconclusive{change}{interval}",
        };
    }

    /// <summary>The threshold a verdict had to pass: the calibrated floor when larger than the minimum effect.</summary>
    public static string Floor(double? floor) =>
        floor is { } f && double.IsFinite(f) ? "±" + Share(f) : "not calibrated";

    /// <summary>Within the tolerance the count is "same", never an exact delta.</summary>
    public static string Calls(CallCountComparison? calls, long? alone = null)
    {
        if (calls is null)
        {
            return alone is { } a ? Format.Count(a) : MarkdownTable.None;
        }
        return calls.Verdict == CallCountVerdict.Same
            ? $"same ({Format.Count(calls.After)})"
            : $"{Format.Count(calls.Before)} → {Format.Count(calls.After)} ({Format.Change(calls.Change)})";
    }

    public static string Status(ScenarioStatus status) => status switch
    {
        ScenarioStatus.Timeout => "timed out",
        ScenarioStatus.Error => "could not run",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static string Share(double fraction) => string.Create(CultureInfo.InvariantCulture, $"{fraction * 100:0.0}%");

    public static string? Short(string? commit) => commit is null ? null : ShortSha.Of(commit, ShortSha.InReport);
}
