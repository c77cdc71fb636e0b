using Filare.Perf.Actions;
using Filare.Perf.Engine;
using Filare.Perf.Git;
using Filare.Perf.Results;
using Filare.Perf.Storage;

namespace Filare.Perf.Gate;

/// <summary>workflow_dispatch: a manual run on the dispatched ref; every input is checked, and a bad one fails the gate.</summary>
public sealed class DispatchEvent(GateContext context) : IGateEvent
{
    public Task<GateDecision> DecideAsync(WebhookPayload payload)
    {
        var catalog = context.Catalog;
        var errors = new List<string>();
        var scenarios = Names(payload, "scenarios", catalog.Scenario, "scenario", catalog.ScenarioList, "all", errors);
        var profilers = Names(payload, "profilers", catalog.Profiler, "profiler", catalog.ProfilerList, string.Join(", ", catalog.DefaultProfilers), errors);
        var compare = "";
        if (payload.String("inputs", "compare_ref")?.Trim() is { Length: > 0 } asked && !CompareRef.TryValidate(asked, out compare))
        {
            errors.Add($"workflow_dispatch input 'compare_ref': '{Untrusted.Shown(asked)}' is not a " +
                $"ref this workflow measures; allowed: {CompareRef.Allowed} (empty: the ref alone).");
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

        var sha = context.EnvironmentSha("GITHUB_SHA");
        var refName = context.Environment.GetValueOrDefault("GITHUB_REF_NAME") is { Length: > 0 } dispatched ? dispatched : "dispatch";
        var target = new GateTarget(sha, "", RunLabel.Safe($"{refName}-{CommitSha.Short(sha)}"), compare);
        return Task.FromResult(GateDecision.ForRef($"manual run on {Untrusted.Shown(refName)}", target,
            new RunPlan(scenarios.Distinct().ToList(), catalog.Ordered(profilers), baseline), "ref-" + RunLabel.Safe(refName)));
    }

    private static List<string> Names(WebhookPayload payload, string input, Func<string, string?> lookup, string kind, string allowed, string empty,
        List<string> errors)
    {
        var names = new List<string>();
        foreach (var name in GateCatalog.Split(payload.String("inputs", input)))
        {
            if (lookup(name) is { } known)
            {
                names.Add(known);
            }
            else
            {
                errors.Add($"workflow_dispatch input '{input}': unknown {kind} '{Untrusted.Shown(name)}'; allowed: {allowed} (empty: {empty}).");
            }
        }
        return names;
    }
}

/// <summary>
/// schedule: each configured branch, side by side in the matrix, each an A/A run (the branch
/// against itself): its spread is the runner's noise floor, which the PR runs that take this
/// run as their <c>previous</c> baseline judge their own differences by.
/// </summary>
public sealed class ScheduleEvent(GateContext context) : IGateEvent
{
    public Task<GateDecision> DecideAsync(WebhookPayload payload)
    {
        var branches = context.Workflow.Branches;
        if (branches.Length == 0)
        {
            return Task.FromResult(GateDecision.Skip("no branches are configured for nightly runs"));
        }
        var targets = branches.Select(b => new GateTarget(b, ArtifactNames.BranchSuffix(b), RunLabel.Safe($"nightly-{b}"), CompareRef.Head)).ToList();
        return Task.FromResult(GateDecision.Nightly($"nightly run of {string.Join(", ", branches)}", targets,
            new RunPlan([], context.Catalog.DefaultProfilers, Baselines.Previous), context.EnvironmentSha("GITHUB_SHA")));
    }
}

/// <summary>push: a push to a configured branch whose head commit asks for it with [keyword].</summary>
public sealed class PushEvent(GateContext context) : IGateEvent
{
    public Task<GateDecision> DecideAsync(WebhookPayload payload) => Task.FromResult(Decide(payload));

    private GateDecision Decide(WebhookPayload payload)
    {
        var workflow = context.Workflow;
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
        return GateDecision.ForRef($"[{keyword}] pushed to {branch}", new GateTarget(sha, "", RunLabel.Safe($"{branch}-{CommitSha.Short(sha)}")),
            new RunPlan([], context.Catalog.DefaultProfilers, Baselines.Previous), "ref-" + RunLabel.Safe(branch));
    }
}
