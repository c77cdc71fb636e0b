using Filare.Perf.Workflows;

namespace Filare.Perf;

/// <summary>
/// How GitHub runs this build. The attributes generate .github/workflows/*.yml
/// (./build.sh --generate-configuration; local runs regenerate them too); see docs/performance/ci-workflow.md.
/// </summary>
[PerfWorkflow("perf",
    Label = "run-perf",
    Command = "/run-perf",
    Cron = "0 3 * * *",
    Branches = ["beta", "master"],
    CommitKeyword = "perf",
    RetentionDays = 14,
    // 90 before instruction counts and adaptive pairs; docs/performance/instructions.md has the estimate.
    ProfileTimeoutMinutes = 120)]
[BisectWorkflow("perf-bisect")]
[CiWorkflow("ci", Branches = ["main", "master"])]
[ContainerImageWorkflow("perf-tools", Context = "docker/perf-tools", Image = "ghcr.io/filare/filare-perf-tools")]
// Commit SHAs for third-party actions (docker/*); actions/* stay on full release tags. See docs/performance/security.md.
[ActionPinning(ThirdParty = true, GitHubActions = false)]
public sealed partial class Build;
