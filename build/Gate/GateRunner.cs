using Filare.Perf.Actions;
using Filare.Perf.Engine;
using Filare.Perf.GitHub;
using Filare.Perf.Scenarios;
using Filare.Perf.Workflows;
using Spectre.Console;

namespace Filare.Perf.Gate;

/// <summary>What PerfGate reads: the build root (for scenarios/), the workflow's rules, the
/// profilers, the environment, and how HTTP leaves the process (null: the network).</summary>
public sealed record GateOptions(
    string RootDirectory,
    PerfWorkflowAttribute Workflow,
    IReadOnlyList<string> KnownProfilers,
    IReadOnlyList<string> DefaultProfilers,
    IReadOnlyDictionary<string, string> Environment,
    Func<HttpMessageHandler>? HttpHandler,
    Sharding.GateShards? Shards = null);

/// <summary>
/// PerfGate, the first job of the perf workflow: reads the event,
/// decides with the event's <see cref="IGateEvent"/>, writes the step outputs the later jobs run from, then answers on the pull request (a usage reply,
/// or 👀 on a /run-perf it accepted). Those answers are best effort; the decision is not.
/// </summary>
public static class GateRunner
{
    public static async Task RunAsync(GateOptions options, IAnsiConsole console, CancellationToken cancellation)
    {
        var environment = options.Environment;
        if (environment.GetValueOrDefault("GITHUB_EVENT_NAME") is not { Length: > 0 } eventName)
        {
            throw new BuildFailedException(
                "GITHUB_EVENT_NAME is not set: PerfGate decides from a GitHub Actions event and runs as the gate job of .github/workflows/perf.yml. " +
                "To profile here, run ./build.sh PerfRun.");
        }
        if (environment.GetValueOrDefault("GITHUB_OUTPUT") is not { Length: > 0 } outputFile)
        {
            throw new BuildFailedException("GITHUB_OUTPUT is not set: PerfGate writes its decision to that file, which GitHub Actions provides.");
        }
        var payload = WebhookPayload.Load(environment);
        var catalog = LoadCatalog(options);

        // Created on first use: most events never call the API, and untrusted comments must not.
        IGitHub? api = null;
        try
        {
            GateDecision decision;
            try
            {
                decision = await Gate.DecideAsync(new GateContext(options.Workflow, catalog, environment, Api), eventName, payload).ConfigureAwait(false);
            }
            catch (GitHubApiException e)
            {
                throw new BuildFailedException($"GitHub API: {e.Message}");
            }
            cancellation.ThrowIfCancellationRequested();

            StepOutputs.Append(outputFile, decision.Outputs());
            var shards = await ShardsAsync(options, decision, cancellation).ConfigureAwait(false);
            StepOutputs.Append(outputFile, [("shards", shards.Json)]);
            using (WorkflowCommands.Suspend(console, environment))
            {
                Print(console, eventName, decision);
            }
            foreach (var line in shards.Lines)
            {
                console.MarkupLine($"  {Markup.Escape(line)}");
            }
            foreach (var notice in decision.Notices)
            {
                Annotate(console, notice);
            }

            if (decision.Reply is { } reply && decision.PullRequest is { } number)
            {
                await BestEffortAsync(console, environment, Api(), "reply", github => github.Comments.PostAsync(number, reply), reply).ConfigureAwait(false);
            }
            if (decision.Run && decision.CommentId is { } commentId)
            {
                await BestEffortAsync(console, environment, Api(), "👀 reaction", github => github.Comments.ReactAsync(commentId, Reaction.Eyes), null)
                    .ConfigureAwait(false);
            }
        }
        finally
        {
            api?.Dispose();
        }

        IGitHub Api() => api ??= OctokitGitHub.Create(environment, Repository(environment, payload), options.HttpHandler);
    }

    /// <summary>
    /// The profile job's shards: the decision's scenarios split by expected cost. Without a run, or
    /// without shard settings, one shard of everything: the matrix always has an entry to expand.
    /// </summary>
    private static async Task<(string Json, IReadOnlyList<string> Lines)> ShardsAsync(GateOptions options, GateDecision decision,
        CancellationToken cancellation)
    {
        if (!decision.Run || options.Shards is not { } sharding)
        {
            return (Sharding.GateShards.Json([new Sharding.Shard(new Results.ShardSpec(1, 1), decision.Scenarios, 0)]), []);
        }
        var catalog = ScenarioCatalog.Load(Path.Combine(options.RootDirectory, "scenarios"), options.RootDirectory);
        var notes = new List<string>();
        var preferred = decision.BaselineBranch is { Length: > 0 } branch ? branch : options.Workflow.Branches.LastOrDefault();
        var shards = await sharding.PlanAsync(catalog.Select(decision.Scenarios, []), preferred, notes, cancellation).ConfigureAwait(false);
        return (Sharding.GateShards.Json(shards),
            [.. notes, .. shards.Select(s => $"shard {s.Spec}: {string.Join(' ', s.Scenarios)} (expected {s.ExpectedSeconds:0} s)")]);
    }

    private static GateCatalog LoadCatalog(GateOptions options)
    {
        try
        {
            var scenarios = ScenarioCatalog.Load(Path.Combine(options.RootDirectory, "scenarios"), options.RootDirectory);
            return new GateCatalog(scenarios.All.Select(s => s.Name).ToList(), options.KnownProfilers, options.DefaultProfilers);
        }
        catch (ScenarioException e)
        {
            throw new BuildFailedException(string.Join(Environment.NewLine, e.Errors));
        }
    }

    private static GitHubRepository Repository(IReadOnlyDictionary<string, string> environment, WebhookPayload payload) =>
        environment.GetValueOrDefault("GITHUB_REPOSITORY") is { Length: > 0 } repository
            ? GitHubRepository.Parse(repository, "GITHUB_REPOSITORY")
            : GitHubRepository.Parse(payload.String("repository", "full_name"), $"GITHUB_REPOSITORY (unset) and {payload.File}: repository.full_name");

    /// <summary>Replies and reactions are courtesy: a failure is logged and the decision stands.</summary>
    private static async Task BestEffortAsync(IAnsiConsole console, IReadOnlyDictionary<string, string> environment, IGitHub api, string what,
        Func<IGitHub, Task> call, string? text)
    {
        if (!api.HasToken)
        {
            console.MarkupLine($"[yellow]No GITHUB_TOKEN: the {Markup.Escape(what)} is not posted.[/]");
            Show(console, environment, text);
            return;
        }
        try
        {
            await call(api).ConfigureAwait(false);
            console.MarkupLine($"Posted the {Markup.Escape(what)}.");
        }
        catch (GitHubApiException e)
        {
            console.MarkupLine($"[yellow]warning: could not post the {Markup.Escape(what)}: {Markup.Escape(WorkflowCommands.Neutralize(e.Message))}[/]");
            Show(console, environment, text);
        }
    }

    /// <summary>A reply quotes the commenter's words: printed with workflow commands off.</summary>
    private static void Show(IAnsiConsole console, IReadOnlyDictionary<string, string> environment, string? text)
    {
        if (text is null)
        {
            return;
        }
        using (WorkflowCommands.Suspend(console, environment))
        {
            console.WriteLine(text);
        }
    }

    /// <summary>
    /// A ::notice:: workflow command: GitHub lists it on the run's summary page, where whoever
    /// reads the report looks, not only in the gate's log. Written past Spectre, which would wrap
    /// a long line and break the command; line breaks and % are escaped as the runner expects, so
    /// the text cannot end the command early and start another.
    /// </summary>
    internal static void Annotate(IAnsiConsole console, string text)
    {
        var data = text.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal)
            .Replace("\n", "%0A", StringComparison.Ordinal);
        console.Profile.Out.Writer.WriteLine($"::notice title=PerfGate::{data}");
    }

    private static void Print(IAnsiConsole console, string eventName, GateDecision decision)
    {
        console.MarkupLine(decision.Run
            ? $"[green]run[/] ({Markup.Escape(Untrusted.Shown(eventName))}): {Markup.Escape(decision.Reason)}"
            : $"[yellow]no run[/] ({Markup.Escape(Untrusted.Shown(eventName))}): {Markup.Escape(decision.Reason)}");
        if (!decision.Run)
        {
            return;
        }
        foreach (var target in decision.Targets)
        {
            console.MarkupLine($"  target {Markup.Escape(target.Label)}: ref {Markup.Escape(target.Ref)}" +
                $"{(target.Compare.Length > 0 ? $", compared with {Markup.Escape(target.Compare)} on the same runner" : ", head only")}" +
                $"{(target.Suffix.Length > 0 ? $", artifacts *{Markup.Escape(target.Suffix)}" : "")}");
        }
        console.MarkupLine($"  scenarios: {Markup.Escape(decision.Scenarios.Count == 0 ? "all" : string.Join(' ', decision.Scenarios))}");
        console.MarkupLine($"  profilers: {Markup.Escape(string.Join(' ', decision.Profilers))}");
        console.MarkupLine($"  baseline: {Markup.Escape(decision.Baseline)}, group: " +
            $"{Markup.Escape(decision.Group)}, trusted ref: {Markup.Escape(decision.TrustedRef)}");
    }
}
