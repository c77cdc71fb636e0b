using Filare.Perf.Actions;
using Filare.Perf.Engine;
using Filare.Perf.Git;
using Filare.Perf.GitHub;
using Filare.Perf.Results;
using Filare.Perf.Workflows;

namespace Filare.Perf.Gate;

/// <summary>
/// issue_comment: /run-perf on a pull request by a trusted author. Issue comment events run on the
/// default branch and carry no commit, so the PR is looked up; the commit profiled must be the one
/// the commenter saw, never whatever refs/pull/N/head has become by the time the job starts. Only
/// GitHub's own records decide that (a full 40-hex pin, or when GitHub first saw the head), never a
/// date inside a commit, which its author writes.
/// </summary>
public sealed class IssueCommentEvent(GateContext context) : IGateEvent
{
    private string Command => context.Workflow.Command;

    public async Task<GateDecision> DecideAsync(WebhookPayload payload)
    {
        if (Screen(payload) is { } skip)
        {
            return skip;
        }
        var number = payload.RequiredNumber("issue", "number");
        var commentId = payload.Int64("comment", "id") ?? throw new BuildFailedException($"{payload.File}: comment.id is missing.");
        var commentedAt = payload.Date("comment", "created_at")
            ?? throw new BuildFailedException($"{payload.File}: comment.created_at is missing or not a date.");

        // Write access first, before anything is parsed or answered: someone without it gets no
        // bot output at all, not even a usage reply to play with (an org MEMBER may be read-only).
        var api = context.GitHub();
        var login = payload.String("comment", "user", "login");
        if (string.IsNullOrEmpty(login) || !await api.Collaborators.CanWriteAsync(login).ConfigureAwait(false))
        {
            return GateDecision.Skip($"{Untrusted.Shown(login)} has no write access to the repository", number);
        }
        RunPerfCommand.TryMatch(Command, payload.String("comment", "body"), out var arguments);
        var request = RunPerfCommand.Parse(arguments, context.Catalog);
        if (request.Errors.Count > 0)
        {
            return GateDecision.Refuse($"{Command} arguments rejected: {string.Join("; ", request.Errors.Take(RunPerfCommand.MaxErrors))}", number, commentId,
                RunPerfCommand.Usage(Command, context.Catalog, request.Errors));
        }
        var pull = await api.PullRequests.GetAsync(number).ConfigureAwait(false);
        var (sha, refusal) = request.Pin is { } pin
            ? await PinnedAsync(api, pull, pin).ConfigureAwait(false)
            : await HeadAsOfAsync(api, pull, commentedAt).ConfigureAwait(false);
        if (sha is null)
        {
            return GateDecision.Refuse(refusal!.Replace("`", "", StringComparison.Ordinal), number, commentId,
                $":warning: `{Command}` did not start a run: {refusal}.\n\n" +
                $"Pin the commit you reviewed with all 40 hex digits, `{Command} @<sha>` (the head is now `{pull.HeadSha}`), or comment `{Command}` again.");
        }
        var plan = new RunPlan(request.Scenarios, request.Profilers, Baselines.Previous);
        var baseBranch = PullRequestRun.BranchName(pull.BaseRef);
        var trusted = new PullRequestBase(pull.BaseSha, baseBranch, context.ReportRef("issue_comment", payload, pull.BaseSha, baseBranch));
        return await PullRequestRun.DecideAsync(api, $"{Command} on #{number}", number, sha, plan, trusted, commentId).ConfigureAwait(false);
    }

    /// <summary>What the payload alone rules out, before any API call: an untrusted commenter gets no bot output to play with.</summary>
    private GateDecision? Screen(WebhookPayload payload)
    {
        var action = payload.String("action");
        if (action != "created")
        {
            // An edited old comment must not start a run on code pushed since.
            return GateDecision.Skip($"comment {Untrusted.Shown(action)}: only new comments start runs");
        }
        if (!payload.Has("issue", "pull_request"))
        {
            return GateDecision.Skip("comment on an issue, not on a pull request");
        }
        var number = payload.RequiredNumber("issue", "number");
        var association = payload.String("comment", "author_association");
        if (!PerfWorkflow.TrustedAssociations.Contains(association, StringComparer.OrdinalIgnoreCase))
        {
            return GateDecision.Skip($"comment by a {Untrusted.Shown(association)}; only " +
                $"{string.Join(", ", PerfWorkflow.TrustedAssociations)} may run {Command}", number);
        }
        return RunPerfCommand.TryMatch(Command, payload.String("comment", "body"), out _)
            ? null
            : GateDecision.Skip($"the comment's first line does not start with {Command}", number);
    }

    /// <summary>A full SHA names one commit; it runs if it is one of the pull request's.</summary>
    private static async Task<(string? Sha, string? Refusal)> PinnedAsync(IGitHub api, PullRequestRefs pull, string pin)
    {
        if (pull.HeadSha == pin || (await api.PullRequests.CommitsAsync(pull.Number).ConfigureAwait(false)).Contains(pin))
        {
            return (pin, null);
        }
        return (null, $"`{pin}` is not a commit of this pull request");
    }

    /// <summary>
    /// The head runs only when GitHub's records show it was the head at the comment. Every push of
    /// a head starts pull_request runs (GitHub's created_at, set when the push arrived), so the
    /// newest run of this commit before the comment is the last time it became (or still was) the
    /// head. It stopped being the head only through a push: a fast-forward past it cannot come back
    /// to it without a force-push, which the timeline records. So: a run before the comment, and no
    /// force-push between that run and now. "Seen before the comment" alone is not enough: push Z,
    /// force-push back to X, the maintainer reviews X, comments, and the author fast-forwards to Z
    /// within the gate's start-up minute; Z had an old run, but was not the head at the comment.
    /// </summary>
    private static async Task<(string? Sha, string? Refusal)> HeadAsOfAsync(IGitHub api, PullRequestRefs pull, DateTimeOffset commentedAt)
    {
        var head = pull.HeadSha;
        var runs = (await api.Runs.PullRequestRunsAsync(head).ConfigureAwait(false))
            .Where(r => r.HeadSha == head && r.Event == "pull_request"
                && (pull.HeadRepository is null || string.Equals(r.HeadRepository, pull.HeadRepository, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        if (runs.Count == 0)
        {
            return (null, $"GitHub has no pull_request run of the head `{CommitSha.Short(head)}`, so nothing shows it was pushed before your comment");
        }
        var before = runs.Where(r => r.CreatedAt <= commentedAt).ToList();
        if (before.Count == 0)
        {
            var firstSeen = runs.Min(r => r.CreatedAt);
            return (null, $"the head `{CommitSha.Short(head)}` reached GitHub at {Utc(firstSeen)} UTC, " +
                $"after your comment ({Utc(commentedAt)} UTC), so it may hold changes you have not reviewed");
        }
        var lastPushed = before.Max(r => r.CreatedAt);
        var forcePushes = await api.PullRequests.ForcePushesAsync(pull.Number).ConfigureAwait(false);
        if (forcePushes.Where(t => t > commentedAt).ToList() is { Count: > 0 } after)
        {
            return (null, $"the branch was force-pushed at {Utc(after.Max())} UTC, after your comment ({Utc(commentedAt)} UTC)");
        }
        // Ties count against the head: a force-push in the same second as its run cannot be ordered.
        return forcePushes.Where(t => t >= lastPushed).ToList() is { Count: > 0 } between
            ? (null, $"the branch was force-pushed at {Utc(between.Max())} UTC, after the head `{CommitSha.Short(head)}` " +
                $"was last pushed ({Utc(lastPushed)} UTC) and before your comment " +
            $"({Utc(commentedAt)} UTC), so the head you reviewed may have been another commit")
            : (head, null);
    }

    private static string Utc(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
