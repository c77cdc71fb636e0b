namespace Filare.Perf.Results;

public enum SpyOutput { Svg, Speedscope, Raw }

public enum MemrayFormat { Bin, Html, Flamegraph }

public enum CProfileSort { Tottime, Cumtime, Ncalls, Pcalls, Name, Filename }

public enum CProfileFormat { Pstats, Callgrind }

/// <summary>The effective settings of one run, recorded in metrics.json beside its results.</summary>
public sealed record PerformanceSettings(
    string OutputDir,
    string RunLabel,
    string? ContainerImage,
    int? Runs,
    int? Warmups,
    PySpySettings PySpy,
    ScaleneSettings Scalene,
    MemraySettings Memray,
    CProfileSettings CProfile,
    ImportTimeSettings? ImportTime = null);

public sealed record PySpySettings(bool Enabled, int Rate, SpyOutput Output, bool Native, bool Idle, bool Subprocesses);

public sealed record ScaleneSettings(bool Enabled, double CpuRate, bool Memory, bool Html, string ProfileOnly);

public sealed record MemraySettings(bool Enabled, bool Native, MemrayFormat Format, bool Aggregate, int MaxMegabytes);

public sealed record CProfileSettings(bool Enabled, CProfileSort Sort, CProfileFormat Format);

/// <param name="Runs">Runs under -X importtime per scenario and side; figures are their median.</param>
public sealed record ImportTimeSettings(bool Enabled, int Runs);

/// <summary>How the base checkout of a same-runner A/B gets its interpreter (--compare-env).</summary>
public enum CompareEnvironment { Auto, Venv, Shared }
