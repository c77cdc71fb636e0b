using Filare.Perf.Bisect;
using Filare.Perf.BisectReport;
using Filare.Perf.Checkout;
using Filare.Perf.Engine;
using Filare.Perf.Git;
using Filare.Perf.GitHub;
using Filare.Perf.History;
using Filare.Perf.Scenarios;

namespace Filare.Perf;

/// <summary>From a change point to the commit that caused it: see docs/performance/bisect.md.</summary>
public sealed partial class Build
{
    [Parameter("PerfBisect: the last commit known good (a branch, tag or commit); the range is good..bad.", Group = "Bisect")]
    public string? Good { get; init; }

    [Parameter("PerfBisect: the first commit known bad.", Group = "Bisect")]
    public string Bad { get; init; } = GitRef.Head;

    [Parameter("PerfBisect: what commits are compared by: instructions (one counted run per commit and scenario under " +
        "Valgrind) or wall (an interleaved A/B of each commit against good; where Valgrind is missing).", Group = "Bisect")]
    public BisectMetric Metric { get; init; } = BisectMetric.Instructions;

    [Parameter("PerfBisect: follow first parents only (a step at a merge is then searched inside the merged branch); false: every commit of good..bad.",
        Group = "Bisect")]
    public bool FirstParent { get; init; } = true;

    [Parameter("PerfBisect: the most commits measured; the search then stops and reports the ranges it left.", Minimum = 2, Group = "Bisect")]
    public int MaxCommits { get; init; } = 40;

    [Parameter("PerfBisect: minutes the search may run before it starts no more measurements (the confirmation comes after); 0: no budget.", Minimum = 0,
        Group = "Bisect")]
    public double BisectTimeBudget { get; init; }

    [Parameter("PerfBisect: commits counted at once (instruction counts do not depend on load; each job is a Valgrind run).", Minimum = 1, Maximum = 64,
        Group = "Bisect")]
    public int Jobs { get; init; } = 1;

    [Parameter("PerfBisect: the smallest step reported (0.01 = 1%; default: --instructions-threshold for instructions, --compare-min-effect for wall).",
        Minimum = 0, Maximum = 1, Group = "Bisect")]
    public double? BisectThreshold { get; init; }

    [Parameter("PerfBisect: measure each culprit against its parent once more as an interleaved wall-time A/B (adaptive pairs).", Group = "Bisect")]
    public bool BisectConfirm { get; init; } = true;

    [Parameter("The issue the nightly chain's bisections are reported on, in one comment updated in place (default: " +
        "the oldest open issue labelled perf-regression, created when there is none).", Minimum = 1, Group = "Bisect")]
    public int? TrackingIssue { get; init; }

    [Parameter("PerfBisectPlan: the most new change points bisected per night.", Minimum = 1, Maximum = 10, Group = "Bisect")]
    public int BisectLimit { get; init; } = 2;

    [Parameter("PerfBisectComment: the key of the change point bisected (PerfBisectPlan's output), e.g. master/demo01/<good12>..<bad12>.", Group = "Bisect")]
    public string? BisectKey { get; init; }

    Target PerfBisectPlan => _ => _
        .Description("Nightly chain: the newest change point of each series in --history-dir that the tracking " +
            "issue's comment has not reported yet, as the step output 'bisections' (read-only on GitHub)")
        .Executes(async () =>
        {
            using var github = ChainGitHub();
            await new BisectChain(new(github, TrackingIssue, EnvironmentVariables), Console)
                .PlanAsync(Path.GetFullPath(HistoryDir, RootDirectory), BaseTrendSource.Settings, BisectLimit);
        });

    Target PerfBisectComment => _ => _
        .Description("Nightly chain: the bisection under --report-input (bisect.json, read as data) " +
            "as a section of the tracking issue's one comment, updated in place; never runs Filare")
        .Executes(async () =>
        {
            if (BisectKey is null || Good is null || !CommitSha.IsFull(Good) || !CommitSha.IsFull(Bad) || Scenario is not [var scenario])
            {
                throw new BuildFailedException("PerfBisectComment needs --bisect-key, --good and " +
                    "--bad as full commit SHAs, and one --scenario (PerfBisectPlan's output).");
            }
            using var github = ChainGitHub();
            var parts = BisectKey.Split('/');
            var planned = new PlannedBisection(BisectTracking.Key(parts[0], scenario, Good, Bad), parts[0], scenario, Good, Bad);
            await new BisectChain(new(github, TrackingIssue, EnvironmentVariables), Console)
                .CommentAsync(planned, ReportInput is null ? null : Path.GetFullPath(ReportInput, RootDirectory),
                    HistoryRecorder.FromEnvironment(EnvironmentVariables).RunUrl);
        });

    private OctokitGitHub ChainGitHub() => OctokitGitHub.Create(EnvironmentVariables,
        GitHubRepository.TryParse(EnvironmentVariables.GetValueOrDefault("GITHUB_REPOSITORY"))
            ?? throw new BuildFailedException("GITHUB_REPOSITORY is not owner/name: the tracking issue's repository is unknown."), HttpHandler);

    Target PerfBisect => _ => _
        .Description("Find the commits of --good..--bad where the scenarios' instructions (or " +
            "wall time) step, confirm each in wall time, and write bisect.md and bisect.json")
        .Executes(async cancellation =>
        {
            if (Good is null)
            {
                throw new BuildFailedException("PerfBisect needs --good <ref> (FIL_PERF_GOOD): the last commit known good.");
            }
            try
            {
                await BisectSession.RunAsync(BisectSessionOptions, Console, cancellation);
            }
            catch (Exception e) when (e is FilareException or ScenarioException or BisectRefusedException)
            {
                throw new BuildFailedException(e.Message);
            }
        });

    private BisectSessionOptions BisectSessionOptions => new(
        RootDirectory, FilareRoot, Python, Scenario, Tag, OutputDir,
        new BisectOptions(Good!, Bad, Metric, FirstParent, MaxCommits, BisectTimeBudget > 0 ? TimeSpan.FromMinutes(BisectTimeBudget) : null,
            BisectThreshold ?? (Metric == BisectMetric.Instructions ? InstructionsThreshold : CompareMinEffect), BisectConfirm),
        CompareEnv, SetupGroups, Jobs, MaxRuns, TimeBudget, TrendRepository ?? HistoryRecorder.FromEnvironment(EnvironmentVariables).Repository,
        EnvironmentVariables, NestedBuildAsync);

    /// <summary>A PerfRun inside this build (the confirmation A/B), with extra variables; its summary stays out of this job's.</summary>
    private Task<int> NestedBuildAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> variables, CancellationToken cancellation)
    {
        var environment = new Dictionary<string, string>(EnvironmentVariables, StringComparer.Ordinal);
        foreach (var (name, value) in variables)
        {
            environment[name] = value;
        }
        environment.Remove("GITHUB_STEP_SUMMARY");
        return RunAsync(arguments, new BuildContext(RootDirectory, environment, Console, cancellation, HttpHandler));
    }
}
