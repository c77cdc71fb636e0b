using System.Globalization;
using System.Text.Json.Nodes;
using Filare.Perf.Analysis;

namespace Filare.Perf.GitHub;

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

/// <summary>
/// What PerfGate decided for one event: whether to run, on which commits, with which scenarios,
/// profilers and baseline, and what to tell the commenter when it refuses.
/// </summary>
/// <param name="Scenarios">Scenario names to run; empty means all of them.</param>
/// <param name="Baseline"><see cref="Baselines.None"/> or <see cref="Baselines.Previous"/>.</param>
/// <param name="TrustedRef">The commit the report job checks out to run the trusted harness: never the PR's head.</param>
/// <param name="Reply">A comment to post on the pull request (bad /run-perf arguments, a stale or unknown commit).</param>
public sealed record GateDecision(
    bool Run,
    string Reason,
    IReadOnlyList<GateTarget> Targets,
    IReadOnlyList<string> Scenarios,
    IReadOnlyList<string> Profilers,
    string Baseline,
    int? PullRequest,
    long? CommentId,
    string Group,
    string TrustedRef,
    string? Reply,
    string BaselineBranch = "")
{
    /// <summary>What the run goes ahead without, and why (no merge base): shown as annotations on the run, never a refusal.</summary>
    public IReadOnlyList<string> Notices { get; init; } = [];

    public static GateDecision Skip(string reason, int? pullRequest = null, long? commentId = null, string? reply = null) =>
        new(false, reason, [], [], [], "", pullRequest, commentId, "", "", reply);

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
        // A PR is compared with its base branch, named here so the report never takes it from an artifact.
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
