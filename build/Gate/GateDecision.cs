using System.Globalization;
using System.Text.Json.Nodes;
using Filare.Perf.Results;

namespace Filare.Perf.Gate;

/// <summary>One commit to profile: a matrix entry of the profile job.</summary>
/// <param name="Ref">What the profile job checks out: a full 40-hex commit SHA or a configured branch name, never raw payload text.</param>
/// <param name="Suffix">Appended to artifact names and the concurrency group; empty when there is a single target.</param>
/// <param name="Label">FIL_PERF_RUN_LABEL of the run, already reduced by <see cref="Settings.RunLabel.Safe"/>.</param>
/// <param name="Compare">
/// FIL_PERF_COMPARE_REF: the ref measured beside <paramref name="Ref"/> on the same runner, interleaved:
/// a 40-hex merge base, <c>HEAD</c> (an A/A calibration run), a ref name checked by
/// <see cref="CompareRef.TryValidate"/>, or empty for a head-only run.
/// </param>
public sealed record GateTarget(string Ref, string Suffix, string Label, string Compare = "");

/// <summary>What a run measures: scenario names (empty: all), profilers, and the stored baseline kind.</summary>
public sealed record RunPlan(IReadOnlyList<string> Scenarios, IReadOnlyList<string> Profilers, string Baseline);

/// <summary>The trusted side of a pull request: the base branch's commit (its merge base is measured) and its name (the baseline's branch).</summary>
/// <param name="ReportRef">
/// What the report job checks out to render with a write token: never chosen by the PR's author, who
/// can retarget the PR at any branch (an old one, whose escaping was weaker). The base commit when the
/// base branch is one the workflow runs on (its configured branches, or the default branch), else
/// the default branch (see <see cref="GateContext.ReportRef"/>).
/// </param>
public sealed record PullRequestBase(string Sha, string BranchName, string ReportRef);

/// <summary>
/// What PerfGate decided for one event: whether to run, on which commits, with which scenarios,
/// profilers and baseline, and what to tell the commenter when it refuses. Made only through the
/// named factories, one per kind of decision.
/// </summary>
public sealed record GateDecision
{
    private GateDecision(bool run, string reason, RunPlan? plan = null)
    {
        Run = run;
        Reason = reason;
        Scenarios = plan?.Scenarios ?? [];
        Profilers = plan?.Profilers ?? [];
        Baseline = plan?.Baseline ?? "";
    }

    public bool Run { get; }

    public string Reason { get; }

    public IReadOnlyList<GateTarget> Targets { get; private init; } = [];

    /// <summary>Scenario names to run; empty means all of them.</summary>
    public IReadOnlyList<string> Scenarios { get; }

    public IReadOnlyList<string> Profilers { get; }

    /// <summary><see cref="Baselines.None"/> or <see cref="Baselines.Previous"/>.</summary>
    public string Baseline { get; }

    public int? PullRequest { get; private init; }

    public long? CommentId { get; private init; }

    public string Group { get; private init; } = "";

    /// <summary>
    /// The commit (or configured branch) the report job checks out to run the trusted harness: never
    /// the PR's head, nor a branch its author picked.
    /// </summary>
    public string TrustedRef { get; private init; } = "";

    /// <summary>A comment to post on the pull request (bad /run-perf arguments, a commit that cannot be shown to be the reviewed one).</summary>
    public string? Reply { get; private init; }

    /// <summary>A PR is compared with its base branch, named here so the report never takes it from an artifact.</summary>
    public string BaselineBranch { get; private init; } = "";

    /// <summary>What the run goes ahead without, and why (no merge base): shown as annotations on the run, never a refusal.</summary>
    public IReadOnlyList<string> Notices { get; private init; } = [];

    /// <summary>Nothing to do for this event; nobody is answered.</summary>
    public static GateDecision Skip(string reason, int? pullRequest = null) => new(false, reason) { PullRequest = pullRequest };

    /// <summary>A /run-perf that cannot run: the commenter gets <paramref name="reply"/>.</summary>
    public static GateDecision Refuse(string reason, int pullRequest, long commentId, string reply) =>
        new(false, reason) { PullRequest = pullRequest, CommentId = commentId, Reply = reply };

    /// <summary>A pull request's commit (label, push to a labelled PR, or /run-perf), measured against its merge base.</summary>
    public static GateDecision ForPullRequest(string reason, int number, GateTarget target, RunPlan plan, PullRequestBase trusted, long? commentId,
        string? notice) =>
        new(true, reason, plan)
        {
            Targets = [target],
            PullRequest = number,
            CommentId = commentId,
            Group = $"pr-{number}",
            TrustedRef = trusted.ReportRef,
            BaselineBranch = trusted.BranchName,
            Notices = notice is null ? [] : [notice],
        };

    /// <summary>A manual run, or a [keyword] push: one trusted commit, which is also the report's harness.</summary>
    public static GateDecision ForRef(string reason, GateTarget target, RunPlan plan, string group) =>
        new(true, reason, plan) { Targets = [target], Group = group, TrustedRef = target.Ref };

    /// <summary>The nightly matrix: one target per configured branch, reported by the workflow's own commit.</summary>
    public static GateDecision Nightly(string reason, IReadOnlyList<GateTarget> targets, RunPlan plan, string trustedRef) =>
        new(true, reason, plan) { Targets = targets, Group = "nightly", TrustedRef = trustedRef };

    /// <summary>The step outputs the gate job maps to its job outputs (.github/workflows/perf.yml).</summary>
    public IReadOnlyList<(string Name, string Value)> Outputs() =>
    [
        ("run", Run ? "true" : "false"),
        ("targets", TargetsJson()),
        ("scenarios", string.Join(' ', Scenarios)),
        ("profilers", string.Join(' ', Profilers)),
        ("baseline", Baseline),
        ("pr", PullRequest?.ToString(CultureInfo.InvariantCulture) ?? ""),
        ("group", Group),
        ("trusted-ref", TrustedRef),
        ("baseline-branch", BaselineBranch),
        // The report reacts 🚀 or 😕 on the /run-perf comment when the run ends.
        ("comment-id", Run ? CommentId?.ToString(CultureInfo.InvariantCulture) ?? "" : ""),
    ];

    /// <summary>Compact JSON, read by <c>fromJSON(needs.gate.outputs.targets)</c> as the profile job's matrix.</summary>
    public string TargetsJson() => new JsonArray([.. Targets.Select(t => (JsonNode)new JsonObject
    {
        ["ref"] = t.Ref,
        ["suffix"] = t.Suffix,
        ["label"] = t.Label,
        ["compare"] = t.Compare,
    })]).ToJsonString();
}
