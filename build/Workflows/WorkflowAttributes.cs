namespace Filare.Perf.Workflows;

/// <summary>
/// The perf workflow (.github/workflows/perf.yml and its PR-feedback companion), generated from
/// these settings by <see cref="PerfWorkflow"/>. The same values drive the PerfGate target, so the
/// job-level <c>if:</c> and the C# re-check cannot drift apart.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class PerfWorkflowAttribute(string name) : Attribute
{
    public string Name { get; } = name;

    /// <summary>The PR label that starts a run, and keeps re-running it on every push while it is on the PR.</summary>
    public string Label { get; set; } = "run-perf";

    /// <summary>The comment command, at the very start of a comment: /run-perf [scenario...] [+profiler|-profiler...].</summary>
    public string Command { get; set; } = "/run-perf";

    /// <summary>Nightly schedule; scheduled runs start on the default branch and profile each of <see cref="Branches"/>.</summary>
    public string? Cron { get; set; }

    public string[] Branches { get; set; } = [];

    /// <summary>A push to <see cref="Branches"/> whose head commit message contains [keyword] starts a run.</summary>
    public string? CommitKeyword { get; set; }

    /// <summary>The perf-tools image; the repository variable FIL_PERF_CONTAINER_IMAGE overrides it.</summary>
    public string Image { get; set; } = "ghcr.io/filare/filare-perf-tools:latest";

    public int RetentionDays { get; set; } = 14;

    public int ProfileTimeoutMinutes { get; set; } = 90;

    public int ReportTimeoutMinutes { get; set; } = 15;

    public string RunsOn { get; set; } = "ubuntu-latest";
}

/// <summary>The harness's own CI: build, test, with the real profilers installed from PyPI.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class CiWorkflowAttribute(string name) : Attribute
{
    public string Name { get; } = name;

    public string[] Branches { get; set; } = ["main"];

    public string PythonVersion { get; set; } = "3.12";

    public string[] PipPackages { get; set; } = ["py-spy", "memray", "scalene", "pyprof2calltree"];

    public int TimeoutMinutes { get; set; } = 30;
}

/// <summary>Builds and pushes the perf-tools image when its folder changes.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ContainerImageWorkflowAttribute(string name) : Attribute
{
    public string Name { get; } = name;

    public string Context { get; set; } = "docker/perf-tools";

    public string Image { get; set; } = "ghcr.io/filare/filare-perf-tools";

    public string[] Branches { get; set; } = ["master"];
}
