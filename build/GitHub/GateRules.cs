using Filare.Perf.Analysis;
using Filare.Perf.Checkout;
using Filare.Perf.Engine;
using Filare.Perf.Results;
using Filare.Perf.Settings;
using Filare.Perf.Workflows;

namespace Filare.Perf.GitHub;

/// <summary>
/// The decision, event by event. The rules are the ones <see cref="PerfWorkflow.GateCondition"/>
/// filters on in YAML, checked again here on the whole payload, plus what YAML cannot do: parse
/// the comment, validate names against the scenarios folder, and pin the commit to profile.
/// Nothing from the payload reaches an output unvalidated: refs are 40-hex SHAs or configured
/// branch names, compare refs pass <see cref="CompareRef.TryValidate"/>, labels and groups go
/// through <see cref="RunLabel.Safe"/>.
/// </summary>
public sealed class GateRules(PerfWorkflowAttribute workflow, GateCatalog catalog, IReadOnlyDictionary<string, string> environment, Func<GitHubApi> github)
{
    public Task<GateDecision> DecideAsync(string eventName, WebhookPayload payload) => eventName switch
    {
        "pull_request" => PullRequestAsync(payload),
        "issue_comment" => CommentAsync(payload),
        "workflow_dispatch" => Task.FromResult(Dispatch(payload)),
        "schedule" => Task.FromResult(Schedule()),
        "push" => Task.FromResult(Push(payload)),
        _ => Task.FromResult(GateDecision.Skip($"the {Untrusted.Shown(eventName)} event does not start perf runs")),
    };

    /// <summary>Adding the label starts a run; every push while the label is on re-runs it.</summary>
    private async Task<GateDecision> PullRequestAsync(WebhookPayload payload)
    {
        var number = payload.RequiredNumber("pull_request", "number");
        var action = payload.String("action");
        var labelled = payload.Names("pull_request", "labels").Any(IsLabel);
        switch (action)
        {
            case "labeled" when !IsLabel(payload.String("label", "name")):
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
        var trusted = payload.RequiredSha("pull_request", "base", "sha");
        return await PullRequestRunAsync(github(),
            action == "labeled" ? $"label {workflow.Label} added to #{number}" : $"new commits on #{number}, which has the {workflow.Label} label",
            number, head, [], catalog.DefaultProfilers, trusted, commentId: null, payload.String("pull_request", "base", "ref")).ConfigureAwait(false);
    }

    /// <summary>
    /// /run-perf on a pull request by a trusted author. Issue comment events run on the default
    /// branch and carry no commit, so the PR is looked up; the commit profiled must be the one
    /// the commenter saw, never whatever refs/pull/N/head has become by the time the job starts.
    /// </summary>
    private async Task<GateDecision> CommentAsync(WebhookPayload payload)
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
            // No reply either: an untrusted commenter gets no bot output to play with.
            return GateDecision.Skip($"comment by a {Untrusted.Shown(association)}; only {string.Join(", ", PerfWorkflow.TrustedAssociations)} may run {workflow.Command}", number);
        }
        if (!RunPerfCommand.TryMatch(workflow.Command, payload.String("comment", "body"), out var arguments))
        {
            return GateDecision.Skip($"the comment's first line does not start with {workflow.Command}", number);
        }
        var commentId = payload.Int64("comment", "id") ?? throw new BuildFailedException($"{payload.File}: comment.id is missing.");
        var request = RunPerfCommand.Parse(arguments, catalog);
        if (request.Errors.Count > 0)
        {
            return GateDecision.Skip($"{workflow.Command} arguments rejected: {string.Join("; ", request.Errors)}", number, commentId,
                RunPerfCommand.Usage(workflow.Command, catalog, request.Errors));
        }
        var commentedAt = payload.Date("comment", "created_at") ?? throw new BuildFailedException($"{payload.File}: comment.created_at is missing or not a date.");

        var api = github();
        var login = payload.String("comment", "user", "login");
        if (string.IsNullOrEmpty(login) || !await api.CanWriteAsync(login).ConfigureAwait(false))
        {
            return GateDecision.Skip($"{Untrusted.Shown(login)} has no write access to the repository", number);
        }
        var pull = await api.GetPullRequestAsync(number).ConfigureAwait(false);
        string sha;
        if (request.Pin is { } pin)
        {
            List<string> candidates = pull.HeadSha.StartsWith(pin, StringComparison.Ordinal)
                ? [pull.HeadSha]
                : (await api.GetPullRequestCommitsAsync(number).ConfigureAwait(false)).Select(c => c.Sha).Where(s => s.StartsWith(pin, StringComparison.Ordinal)).Distinct().ToList();
            if (candidates.Count != 1)
            {
                var problem = candidates.Count == 0
                    ? $"`{pin}` is not a commit of this pull request (its head is `{CommitSha.Short(pull.HeadSha)}`)"
                    : $"`{pin}` matches {candidates.Count} commits of this pull request; give more digits";
                return GateDecision.Skip(problem.Replace("`", "", StringComparison.Ordinal), number, commentId,
                    $":warning: `{workflow.Command}` did not start a run: {problem}.\n\nPin one of this pull request's commits with `{workflow.Command} @<sha>`, or leave the pin out to profile its head.");
            }
            sha = candidates[0];
        }
        else
        {
            // Residual risk: a committer date is written by whoever made the commit, not by GitHub
            // when it was pushed. A commit dated before the comment but pushed after it (or one with
            // a forged date) passes this check; the window is the seconds between the comment and
            // this job. Pinning @sha is the strong form: only the named commit can run.
            var headDate = await HeadCommitDateAsync(api, pull).ConfigureAwait(false);
            if (headDate > commentedAt)
            {
                return GateDecision.Skip($"the head {CommitSha.Short(pull.HeadSha)} is newer than the comment", number, commentId,
                    $":warning: `{workflow.Command}` did not start a run: the head of this pull request (`{CommitSha.Short(pull.HeadSha)}`, committed {headDate.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC) " +
                    $"is newer than your comment ({commentedAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC), so it may hold changes you have not reviewed.\n\n" +
                    $"Comment `{workflow.Command}` again, or pin the commit you reviewed: `{workflow.Command} @<sha>`.");
            }
            sha = pull.HeadSha;
        }
        return await PullRequestRunAsync(api, $"{workflow.Command} on #{number}", number, sha, request.Scenarios, request.Profilers, pull.BaseSha, commentId, pull.BaseRef).ConfigureAwait(false);
    }

    private static async Task<DateTimeOffset> HeadCommitDateAsync(GitHubApi api, PullRequestRefs pull)
    {
        var commits = await api.GetPullRequestCommitsAsync(pull.Number).ConfigureAwait(false);
        return commits.FirstOrDefault(c => c.Sha == pull.HeadSha) is { } head
            ? head.CommitterDate
            // The list stops at 250 commits; the head of a longer PR is looked up on its own.
            : await api.GetCommitterDateAsync(pull.HeadSha).ConfigureAwait(false);
    }

    /// <param name="baseSha">The base branch's commit now; the run is measured against where <paramref name="sha"/> left that branch.</param>
    private async Task<GateDecision> PullRequestRunAsync(GitHubApi api, string reason, int number, string sha, IReadOnlyList<string> scenarios, IReadOnlyList<string> profilers, string baseSha, long? commentId, string? baseRef)
    {
        var (compare, notice) = await MergeBaseAsync(api, baseSha, sha).ConfigureAwait(false);
        return new GateDecision(true, reason, [new GateTarget(sha, "", RunLabel.Safe($"pr-{number}-{CommitSha.Short(sha)}"), compare)], scenarios, profilers,
            Baselines.Previous, number, commentId, $"pr-{number}", baseSha, null, BranchName(baseRef))
        {
            Notices = notice is null ? [] : [notice],
        };
    }

    /// <summary>
    /// A PR's head is measured beside its merge base, interleaved on the same runner: a baseline
    /// stored by another machine on another day differs by more than most changes do. The merge
    /// base, not the base branch's tip, so commits merged since the PR branched off are not
    /// counted as its doing. Without an answer the run still goes ahead, on the head alone.
    /// </summary>
    private static async Task<(string Compare, string? Notice)> MergeBaseAsync(GitHubApi api, string baseSha, string head)
    {
        try
        {
            return (await api.GetMergeBaseAsync(baseSha, head).ConfigureAwait(false), null);
        }
        catch (GitHubApiException e)
        {
            return ("", $"No merge base of {CommitSha.Short(head)} with the base branch ({CommitSha.Short(baseSha)}), so this run measures the head only, without a same-runner comparison: {e.Message}");
        }
    }

    /// <summary>A branch name fit for an API query: git's usual characters only, else none (the report then uses its own rule).</summary>
    private static string BranchName(string? name) => GitRef.IsBranchName(name) ? name! : "";

    /// <summary>A manual run on the dispatched ref; every input is checked, and a bad one fails the gate.</summary>
    private GateDecision Dispatch(WebhookPayload payload)
    {
        var errors = new List<string>();
        var scenarios = new List<string>();
        foreach (var name in GateCatalog.Split(payload.String("inputs", "scenarios")))
        {
            if (catalog.Scenario(name) is { } scenario)
            {
                scenarios.Add(scenario);
            }
            else
            {
                errors.Add($"workflow_dispatch input 'scenarios': unknown scenario '{Untrusted.Shown(name)}'; allowed: {catalog.ScenarioList} (empty: all).");
            }
        }
        var profilers = new List<string>();
        foreach (var name in GateCatalog.Split(payload.String("inputs", "profilers")))
        {
            if (catalog.Profiler(name) is { } profiler)
            {
                profilers.Add(profiler);
            }
            else
            {
                errors.Add($"workflow_dispatch input 'profilers': unknown profiler '{Untrusted.Shown(name)}'; allowed: {catalog.ProfilerList} (empty: {string.Join(", ", catalog.DefaultProfilers)}).");
            }
        }
        var compare = "";
        if (payload.String("inputs", "compare_ref")?.Trim() is { Length: > 0 } asked && !CompareRef.TryValidate(asked, out compare))
        {
            errors.Add($"workflow_dispatch input 'compare_ref': '{Untrusted.Shown(asked)}' is not a ref this workflow measures; allowed: {CompareRef.Allowed} (empty: the ref alone).");
        }
        var baseline = payload.String("inputs", "baseline") is { Length: > 0 } chosen ? chosen : Baselines.Previous;
        if (!Baselines.All.Contains(baseline))
        {
            errors.Add($"workflow_dispatch input 'baseline': '{Untrusted.Shown(baseline)}'; allowed: {string.Join(", ", Baselines.All)}.");
        }
        if (errors.Count > 0)
        {
            throw new BuildFailedException(string.Join(Environment.NewLine, errors));
        }
        if (profilers.Count == 0)
        {
            profilers.AddRange(catalog.DefaultProfilers);
        }
        if (payload.Boolean("inputs", "memray") == true && catalog.Profiler("memray") is { } memray)
        {
            profilers.Add(memray);
        }

        var sha = EnvironmentSha("GITHUB_SHA");
        var refName = environment.GetValueOrDefault("GITHUB_REF_NAME") is { Length: > 0 } dispatched ? dispatched : "dispatch";
        return new GateDecision(true, $"manual run on {Untrusted.Shown(refName)}",
            [new GateTarget(sha, "", RunLabel.Safe($"{refName}-{CommitSha.Short(sha)}"), compare)],
            scenarios.Distinct().ToList(), catalog.Ordered(profilers), baseline, null, null, "ref-" + RunLabel.Safe(refName), sha, null);
    }

    /// <summary>
    /// Nightly: each configured branch, side by side in the matrix, each an A/A run (the branch
    /// against itself): its spread is the runner's noise floor, which the PR runs that take this
    /// run as their <c>previous</c> baseline judge their own differences by.
    /// </summary>
    private GateDecision Schedule()
    {
        if (workflow.Branches.Length == 0)
        {
            return GateDecision.Skip("no branches are configured for nightly runs");
        }
        var trusted = EnvironmentSha("GITHUB_SHA");
        var targets = workflow.Branches
            .Select(b => new GateTarget(b, ArtifactNames.BranchSuffix(b), RunLabel.Safe($"nightly-{b}"), CompareRef.Head))
            .ToList();
        return new GateDecision(true, $"nightly run of {string.Join(", ", workflow.Branches)}", targets, [], catalog.DefaultProfilers,
            Baselines.Previous, null, null, "nightly", trusted, null);
    }

    /// <summary>A push to a configured branch whose head commit asks for it with [keyword].</summary>
    private GateDecision Push(WebhookPayload payload)
    {
        var pushed = payload.String("ref");
        var branch = workflow.Branches.FirstOrDefault(b => pushed == "refs/heads/" + b);
        if (branch is null)
        {
            return GateDecision.Skip($"push to {Untrusted.Shown(pushed)}, not to {string.Join(" or ", workflow.Branches)}");
        }
        if (workflow.CommitKeyword is not { Length: > 0 } keyword)
        {
            return GateDecision.Skip("no commit keyword is configured for push runs");
        }
        if (payload.Boolean("deleted") == true || !payload.Has("head_commit"))
        {
            return GateDecision.Skip($"{branch} was deleted");
        }
        // Case-insensitive, as the workflow's contains() filter is.
        if (payload.String("head_commit", "message")?.Contains($"[{keyword}]", StringComparison.OrdinalIgnoreCase) != true)
        {
            return GateDecision.Skip($"the head commit's message has no [{keyword}]");
        }
        var sha = payload.RequiredSha("after");
        return new GateDecision(true, $"[{keyword}] pushed to {branch}",
            [new GateTarget(sha, "", RunLabel.Safe($"{branch}-{CommitSha.Short(sha)}"))],
            [], catalog.DefaultProfilers, Baselines.Previous, null, null, "ref-" + RunLabel.Safe(branch), sha, null);
    }

    private bool IsLabel(string? name) => string.Equals(name, workflow.Label, StringComparison.OrdinalIgnoreCase);

    private string EnvironmentSha(string variable) =>
        environment.GetValueOrDefault(variable) is { } value && CommitSha.IsFull(value)
            ? value.ToLowerInvariant()
            : throw new BuildFailedException($"{variable} is {(environment.ContainsKey(variable) ? $"'{Untrusted.Shown(environment[variable])}'" : "not set")}, not a 40-hex commit SHA.");
}
