namespace Filare.Perf.Results;

public enum RunStatus { Ok, Failed, Timeout, Error }

/// <summary>What a run was for (metrics.json: "warmup", "run"); a profiler's run is never a clean sample.</summary>
public enum SampleKind { Warmup, Run, Profile }

public static class SampleKinds
{
    /// <summary>As folders, progress lines and messages name it: "warmup", "run", "profile".</summary>
    public static string Name(this SampleKind kind) => kind switch
    {
        SampleKind.Warmup => "warmup",
        SampleKind.Run => "run",
        _ => "profile",
    };
}

/// <summary>
/// One execution of a command, measured over its whole process tree. Times in seconds, memory in
/// bytes; CPU% is (user + system) / wall, so 200 means two cores busy for the whole run.
/// Paths are relative to the run folder so a downloaded artifact still resolves them. In an A/B
/// run <see cref="Order"/> is the run's place in the interleaved schedule of both sides.
/// </summary>
public sealed record RunSample(
    SampleKind Kind,
    int Index,
    RunStatus Status,
    double WallSeconds,
    double? UserSeconds,
    double? SystemSeconds,
    long? PeakRssBytes,
    int? ExitCode,
    int? Signal,
    int LeakedProcesses,
    string Stdout,
    string Stderr,
    string OutputDirectory,
    string? Message,
    int? Order = null)
{
    /// <summary>For a run that did not succeed: the one line that says why (the exception line of a traceback, see FailureHeadline).</summary>
    public string? Headline { get; init; }

    public double? CpuPercent => UserSeconds is { } user && SystemSeconds is { } system && WallSeconds > 0
        ? Math.Round(100 * (user + system) / WallSeconds, 1)
        : null;
}
