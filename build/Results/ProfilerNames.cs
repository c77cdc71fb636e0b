namespace Filare.Perf.Results;

/// <summary>
/// The names metrics.json gives the profilers (<c>profilers[].tool</c>) and the kinds of file they keep
/// (<c>artifacts[].kind</c>). Whoever reads a run (analysis, report, history) matches on these, so they
/// live with the records, not with the profilers that write them. Kinds stay strings on purpose: a
/// py-spy output format or a Memray reporter is a kind too, and a reader must still open a metrics.json
/// holding a kind it does not know.
/// </summary>
public static class ProfilerNames
{
    public const string PySpy = "pyspy";
    public const string Scalene = "scalene";
    public const string Memray = "memray";
    public const string CProfile = "cprofile";
    public const string ImportTime = "importtime";

    /// <summary>The order the report lists them in.</summary>
    public static IReadOnlyList<string> InReportOrder { get; } = [PySpy, Scalene, Memray, CProfile, ImportTime];
}

/// <summary>The artifact kinds that readers look for by name (see <see cref="ProfilerNames"/>).</summary>
public static class ArtifactKinds
{
    /// <summary>cProfile's binary stats, read by the hotspot diff.</summary>
    public const string Pstats = "pstats";

    /// <summary>py-spy's collapsed stacks (its <c>raw</c> format).</summary>
    public const string Collapsed = "raw";

    /// <summary>The importtime profiler's tree as JSON.</summary>
    public const string ImportTree = "tree";
    public const string ImportLines = "lines";
    public const string Flamegraph = "flamegraph";
    public const string DiffFlamegraph = "diff-flamegraph";
    public const string DiffFlamegraphNegated = "diff-flamegraph-negated";
}
