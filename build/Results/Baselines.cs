namespace Filare.Perf.Results;

/// <summary>
/// What PerfReport compares with (--baseline): nothing, the last successful run on GitHub, or else a
/// path. Here beside the run's data, so the gate (which picks one per event) and the report share it.
/// </summary>
public static class Baselines
{
    public const string None = "none";
    public const string Previous = "previous";

    public static readonly IReadOnlyList<string> All = [None, Previous];
}
