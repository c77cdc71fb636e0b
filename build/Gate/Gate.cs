using Filare.Perf.Actions;
using Filare.Perf.Engine;
using Filare.Perf.Git;
using Filare.Perf.GitHub;
using Filare.Perf.Workflows;

namespace Filare.Perf.Gate;

/// <summary>What every event's rules read: the workflow's settings, the names a run may ask
/// for, the runner's variables, and the API (created on first use).</summary>
public sealed record GateContext(PerfWorkflowAttribute Workflow, GateCatalog Catalog, IReadOnlyDictionary<string, string> Environment, Func<IGitHub> GitHub)
{
    public bool IsLabel(string? name) => string.Equals(name, Workflow.Label, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The code that renders a pull request's report (with a write token): the base commit only when
    /// the base branch is trusted (the default branch or one of the workflow's branches); otherwise the
    /// default branch, whatever the PR targets. An issue_comment run's own commit (GITHUB_SHA) is the
    /// default branch's; a pull_request run's GITHUB_SHA is the PR's merge commit, so it gets the
    /// default branch by name, from the payload GitHub wrote.
    /// </summary>
    public string ReportRef(string eventName, WebhookPayload payload, string baseSha, string baseBranch)
    {
        var defaultBranch = payload.String("repository", "default_branch");
        if (baseBranch.Length > 0 && (Workflow.Branches.Contains(baseBranch, StringComparer.Ordinal) || baseBranch == defaultBranch))
        {
            return baseSha;
        }
        if (eventName == "issue_comment")
        {
            return EnvironmentSha("GITHUB_SHA");
        }
        return GitRef.IsBranchName(defaultBranch)
            ? defaultBranch!
            : throw new BuildFailedException($"{payload.File}: repository.default_branch is '{Untrusted.Shown(defaultBranch)}', not a branch name.");
    }

    /// <summary>A 40-hex commit from a GITHUB_* variable the runner sets.</summary>
    public string EnvironmentSha(string variable) =>
        Environment.GetValueOrDefault(variable) is { } value && CommitSha.IsFull(value)
            ? value.ToLowerInvariant()
            : throw new BuildFailedException($"{variable} is " +
                $"{(Environment.ContainsKey(variable) ? $"'{Untrusted.Shown(Environment[variable])}'" : "not set")}, not a 40-hex commit SHA.");
}

/// <summary>The rules of one event type: the payload in, a decision out.</summary>
public interface IGateEvent
{
    Task<GateDecision> DecideAsync(WebhookPayload payload);
}

/// <summary>
/// The decision, one type per event. The rules are the ones <see cref="PerfWorkflow.GateCondition"/>
/// filters on in YAML, checked again here on the whole payload, plus what YAML cannot do: parse
/// the comment, validate names against the scenarios folder, and pin the commit to profile.
/// Nothing from the payload reaches an output unvalidated: refs are 40-hex SHAs or configured
/// branch names, compare refs pass <see cref="CompareRef.TryValidate"/>, labels and groups go
/// through <see cref="RunLabel.Safe"/>.
/// </summary>
public static class Gate
{
    public static Task<GateDecision> DecideAsync(GateContext context, string eventName, WebhookPayload payload) =>
        For(context, eventName) is { } rules
            ? rules.DecideAsync(payload)
            : Task.FromResult(GateDecision.Skip($"the {Untrusted.Shown(eventName)} event does not start perf runs"));

    public static IGateEvent? For(GateContext context, string eventName) => eventName switch
    {
        "pull_request" => new PullRequestEvent(context),
        "issue_comment" => new IssueCommentEvent(context),
        "workflow_dispatch" => new DispatchEvent(context),
        "schedule" => new ScheduleEvent(context),
        "push" => new PushEvent(context),
        _ => null,
    };
}
