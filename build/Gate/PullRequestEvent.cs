using Filare.Perf.Actions;
using Filare.Perf.Git;
using Filare.Perf.GitHub;
using Filare.Perf.Results;
using Filare.Perf.Storage;

namespace Filare.Perf.Gate;

/// <summary>pull_request: adding the label starts a run; every push while the label is on
/// re-runs it. The payload's head is GitHub's, stamped at the event.</summary>
public sealed class PullRequestEvent(GateContext context) : IGateEvent
{
    public async Task<GateDecision> DecideAsync(WebhookPayload payload)
    {
        var workflow = context.Workflow;
        var number = payload.RequiredNumber("pull_request", "number");
        var action = payload.String("action");
        var labelled = payload.Names("pull_request", "labels").Any(context.IsLabel);
        switch (action)
        {
            case "labeled" when !context.IsLabel(payload.String("label", "name")):
                return GateDecision.Skip($"label {Untrusted.Shown(payload.String("label", "name"))} added, not {workflow.Label}", number);
            case "labeled":
                break;
            case "synchronize" when !labelled:
                return GateDecision.Skip($"new commits on a pull request without the {workflow.Label} label", number);
            case "synchronize":
                break;
            default:
                return GateDecision.Skip($"pull_request {Untrusted.Shown(action)} does not start perf runs", number);
        }
        var head = payload.RequiredSha("pull_request", "head", "sha");
        var baseSha = payload.RequiredSha("pull_request", "base", "sha");
        var baseBranch = PullRequestRun.BranchName(payload.String("pull_request", "base", "ref"));
        var trusted = new PullRequestBase(baseSha, baseBranch, context.ReportRef("pull_request", payload, baseSha, baseBranch));
        var reason = action == "labeled" ? $"label {workflow.Label} added to #{number}" : $"new commits on #{number}, which has the {workflow.Label} label";
        var plan = new RunPlan([], context.Catalog.DefaultProfilers, Baselines.Previous);
        return await PullRequestRun.DecideAsync(context.GitHub(), reason, number, head, plan, trusted, commentId: null).ConfigureAwait(false);
    }
}

/// <summary>What a pull request's run shares, whatever started it: the merge base beside the head, the label, the group.</summary>
public static class PullRequestRun
{
    /// <summary>
    /// A PR's head is measured beside its merge base, interleaved on the same runner: a baseline
    /// stored by another machine on another day differs by more than most changes do. The merge
    /// base, not the base branch's tip, so commits merged since the PR branched off are not
    /// counted as its doing. Without an answer the run still goes ahead, on the head alone.
    /// </summary>
    public static async Task<GateDecision> DecideAsync(IGitHub api, string reason, int number, string sha, RunPlan plan, PullRequestBase trusted,
        long? commentId)
    {
        string compare = "";
        string? notice = null;
        try
        {
            compare = await api.PullRequests.MergeBaseAsync(trusted.Sha, sha).ConfigureAwait(false);
        }
        catch (GitHubApiException e)
        {
            notice = $"No merge base of {CommitSha.Short(sha)} with the base branch ({CommitSha.Short(trusted.Sha)}), " +
                $"so this run measures the head only, without a same-runner comparison: {e.Message}";
        }
        var target = new GateTarget(sha, "", RunLabel.Safe($"pr-{number}-{CommitSha.Short(sha)}"), compare);
        return GateDecision.ForPullRequest(reason, number, target, plan, trusted, commentId, notice);
    }

    /// <summary>A branch name fit for an API query: git's usual characters only, else none (the report then uses its own rule).</summary>
    public static string BranchName(string? name) => GitRef.IsBranchName(name) ? name! : "";
}
