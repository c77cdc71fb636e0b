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

    /// <summary>
    /// The perf-tools image; the repository variable FIL_PERF_CONTAINER_IMAGE overrides it. Its tags
    /// are pushed only by perf-tools.yml's publish job (master, no cache import, no PR code).
    /// </summary>
    public string Image { get; set; } = "ghcr.io/filare/filare-perf-tools:latest";

    /// <summary>
    /// sha256:&lt;64 hex&gt; of a published perf-tools image (the publish job writes it to its summary):
    /// the profile job then runs exactly that image, <c>name@digest</c>, whatever a tag points to later.
    /// </summary>
    public string? ImageDigest { get; set; }

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

    /// <summary>Exact versions: an unpinned install runs whatever PyPI serves that day, in a job with the repository checked out.</summary>
    public string[] PipPackages { get; set; } = ["py-spy==0.4.1", "memray==1.19.1", "scalene==1.5.51", "pyprof2calltree==1.4.5"];

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

    /// <summary>Tags that publish the image under their own name.</summary>
    public string[] Tags { get; set; } = ["perf-tools-v*"];
}

/// <summary>
/// Which actions every generated workflow pins by commit SHA (<see cref="ActionPins"/>) instead of
/// a release tag. Third-party actions are pinned by default: their tags are moved by people outside
/// GitHub and this project. GitHub's own actions/* can be pinned the same way.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ActionPinningAttribute : Attribute
{
    public bool ThirdParty { get; set; } = true;

    public bool GitHubActions { get; set; }
}
