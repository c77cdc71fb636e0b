using Filare.Perf.History;
using Filare.Perf.Comparison;

namespace Filare.Perf.Trend;

/// <summary>The figures a history keeps per night; for each, more is worse.</summary>
public enum TrendMetric { WallSeconds, PeakRssBytes, Instructions, CpuPercent }

/// <summary>
/// PerfTrend's settings. <paramref name="MinMagnitude"/> null: max(2%, the branch's median noise
/// floor from its A/A nights). <paramref name="Points"/>: the last N nights per series that are
/// charted and analysed.
/// </summary>
public sealed record TrendSettings(int Points = 60, double? MinMagnitude = null, ChangePointMethod Method = ChangePointMethod.EdPelt, double Alpha = 0.001,
    string? Repository = null)
{
    public const double DefaultMinMagnitude = 0.02;

    /// <summary>How a step's size and interval are computed (the same rules as a run's comparisons).</summary>
    public ComparisonSettings Comparison { get; init; } = new();
}

/// <summary>How one metric moved across a change point: after ÷ before with a 95% bootstrap interval.</summary>
public sealed record MetricMove(TrendMetric Metric, double Ratio, double Low, double High);

/// <summary>
/// A change point: the commit range to read (<see cref="Before"/>, the last night surely before it,
/// and <see cref="After"/>, the first night surely after it; indexes into the series' points), the
/// step of the metric that found it, and every metric that moved with it.
/// </summary>
public sealed record ChangePoint(int Before, int After, TrendMetric Metric, double PValue, IReadOnlyList<MetricMove> Moves, string Environment)
{
    public MetricMove Primary => Moves.First(m => m.Metric == Metric);
}

/// <summary>Consecutive nights on another CPU model or Python: shown, never a change point.
/// <see cref="Ratio"/>: the wall step across it, when both sides have nights.</summary>
public sealed record RunnerChange(int Index, string From, string To, double? Ratio, bool Stepped);

/// <summary>A steady climb (Theil–Sen slope, Mann–Kendall p) that fits the nights better than steps do: the "boiling frog".</summary>
public sealed record Drift(TrendMetric Metric, int First, int Last, double PerPoint, double Total, double PValue, string Environment);

/// <summary>The trend of one scenario on one branch, over its last N nights.</summary>
public sealed record SeriesTrend(
    string Branch,
    string Scenario,
    IReadOnlyList<HistoryRecord> Points,
    IReadOnlyList<ChangePoint> ChangePoints,
    IReadOnlyList<RunnerChange> RunnerChanges,
    IReadOnlyList<Drift> Drifts,
    double MinMagnitude,
    double? NoiseFloor,
    IReadOnlyList<double> Level);

public sealed record TrendResult(IReadOnlyList<SeriesTrend> Series, IReadOnlyList<string> Warnings, TrendSettings Settings);

public static class TrendMetrics
{
    public static readonly TrendMetric[] Detected = [TrendMetric.WallSeconds, TrendMetric.PeakRssBytes, TrendMetric.Instructions];

    public static double? Value(HistoryRecord record, TrendMetric metric) => (metric switch
    {
        TrendMetric.WallSeconds => record.WallSeconds,
        TrendMetric.PeakRssBytes => record.PeakRssBytes,
        TrendMetric.Instructions => record.Instructions,
        _ => record.CpuPercent,
    })?.Median is { } v && double.IsFinite(v) && v > 0 ? v : null;

    public static string Name(TrendMetric metric) => metric switch
    {
        TrendMetric.WallSeconds => "wall time",
        TrendMetric.PeakRssBytes => "peak RSS",
        TrendMetric.Instructions => "instructions",
        _ => "CPU%",
    };
}
