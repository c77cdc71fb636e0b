using Filare.Perf.Actions;
using Filare.Perf.GitHub;

namespace Filare.Perf.Publishing;

/// <summary>Whom a report comments on, once allowed: the PR, and whether its code came from a fork.</summary>
public sealed record FeedbackTarget(int PullRequest, bool Fork);

/// <summary>
/// Whether the bot may comment on a pull request about another workflow run (the perf-feedback
/// workflow, which holds a write token for a fork's read-only run). Everything in that run's artifact
/// is the fork's: a fork can replace perf.yml in its PR, or add a workflow also named "perf", and
/// upload any metrics claiming any PR. So the API, asked now, decides, and all of these must hold:
/// <list type="bullet">
/// <item>the run ran this repository's workflow file (path and workflow id of
/// <c>GET /actions/workflows/{file}</c>), not another file of the same name;</item>
/// <item>the claimed PR's head is the commit the run profiled, from the same repository;</item>
/// <item>a maintainer asked: the PR carries the label now (triage access or more adds one), or the run
/// is an <c>issue_comment</c> run on the default branch: GitHub runs those from the default branch's
/// workflow file only, whose gate (trusted code) starts a run only for a /run-perf of a writer.</item>
/// </list>
/// Failing any, nothing is posted and the report notes why.
/// </summary>
public sealed class FeedbackAuthorization(IGitHub github, string workflowFile, string label, string? defaultBranch)
{
    /// <param name="claimedCommit">
    /// The commit metrics.json says was profiled (the report's "Commit"): it must be the run's head,
    /// or the report would show a fork's claim as the reviewed SHA.
    /// </param>
    public async Task<(FeedbackTarget? Target, string? Refusal)> VerifyAsync(int claimed, long runId, string? claimedCommit)
    {
        try
        {
            var run = await github.Runs.GetAsync(runId).ConfigureAwait(false);
            var workflow = await github.Runs.WorkflowAsync(workflowFile).ConfigureAwait(false);
            var expected = $".github/workflows/{workflowFile}";
            if (run.WorkflowId != workflow.Id || WithoutRef(run.Path) != expected || WithoutRef(workflow.Path) != expected)
            {
                return (null, $"run {runId} ran {Untrusted.Shown(run.Path)} (workflow {run.WorkflowId}), " +
                    $"not this repository's {expected} (workflow {workflow.Id}): no PR comment");
            }
            var pull = await github.PullRequests.GetAsync(claimed).ConfigureAwait(false);
            if (!string.Equals(run.HeadSha, pull.HeadSha, StringComparison.OrdinalIgnoreCase))
            {
                return (null, $"the metrics name PR #{claimed}, whose head is not the commit run {runId} profiled: no PR comment");
            }
            if (claimedCommit is not null && !string.Equals(claimedCommit, run.HeadSha, StringComparison.OrdinalIgnoreCase))
            {
                return (null, $"the metrics claim commit {Untrusted.Shown(claimedCommit)}, but run {runId} profiled {run.HeadSha}: no PR comment");
            }
            if (run.HeadRepository is { } runRepository && pull.HeadRepository is { } pullRepository
                && !string.Equals(runRepository, pullRepository, StringComparison.OrdinalIgnoreCase))
            {
                return (null, $"run {runId} profiled a branch of {Untrusted.Shown(runRepository)}, not PR #{claimed}'s: no PR comment");
            }
            var labelled = pull.Labels?.Contains(label, StringComparer.OrdinalIgnoreCase) == true;
            var byComment = run.Event == "issue_comment" && defaultBranch is { Length: > 0 } && run.HeadBranch == defaultBranch;
            if (!labelled && !byComment)
            {
                return (null, $"PR #{claimed} does not carry the {label} label and run {runId} was not started by a comment: " +
                    "no maintainer asked for it, no PR comment");
            }
            return (new FeedbackTarget(claimed, IsFork(pull)), null);
        }
        catch (GitHubApiException e)
        {
            return (null, $"PR #{claimed} could not be checked against run {runId}: {e.Message}");
        }
    }

    /// <summary>Whether a PR's head lives outside this repository; when the API cannot say, it is taken to (the warning costs nothing).</summary>
    public async Task<(bool Fork, string? Problem)> IsForkAsync(int pullRequest)
    {
        try
        {
            return (IsFork(await github.PullRequests.GetAsync(pullRequest).ConfigureAwait(false)), null);
        }
        catch (GitHubApiException e)
        {
            return (true, $"PR #{pullRequest}'s head repository is unknown ({e.Message}): the comment says its numbers come from the PR's code");
        }
    }

    /// <summary>The comment's first line on a fork's PR: whoever reads it knows who produced the figures.</summary>
    public const string ForkLine =
        "> :warning: **The numbers below come from this pull request's own code** (a fork): it ran the measurements and wrote every figure; " +
        "the bot only checked that a maintainer asked for them.";

    private bool IsFork(PullRequestRefs pull) => pull.HeadRepository is not { } head || !github.Repository.Is(head);

    /// <summary>A run's path may carry the ref it ran at (<c>file@ref</c>); the file is what is compared.</summary>
    private static string WithoutRef(string? path) => path is null ? "" : path.Split('@')[0];
}
