using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Filare.Perf.Engine;
using Filare.Perf.Processes;
using Filare.Perf.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Filare.Perf.Tests.Wiring;

/// <summary>
/// Plays a generated workflow's jobs on this machine, from the YAML itself: jobs in <c>needs</c> order, their
/// <c>if:</c> conditions, matrices and <c>env:</c> blocks evaluated with GitHub's expression rules
/// (<see cref="WorkflowExpression"/>), step outputs read from each step's GITHUB_OUTPUT file and job outputs
/// from them. <c>run: ./build.sh Target</c> runs the build in-process (what build.sh execs, with this test's
/// GitHub API handler); any other <c>run:</c> script runs in bash as the runner does (<c>bash -e</c>).
/// Actions are emulated, only these: checkout (a clone of the repository at <c>with.ref</c>), upload-artifact
/// (files matched by <c>path:</c> copied to a folder per artifact name, rooted as the action roots them: at the
/// patterns' common folder), download-artifact (by <c>name</c> into <c>path</c>, or by <c>pattern</c> into
/// <c>path/&lt;name&gt;</c>); setup-dotnet and cache/restore, cache/save do nothing (the build is in-process, the
/// rehearsal has no cache). Any other action, a job calling a reusable workflow, or a failing step stops the
/// rehearsal with the job and step named.
/// </summary>
public sealed partial class WorkflowRehearsal(string repository, string work, HttpMessageHandler gitHub)
{
    /// <summary>What one job instance did: the matrix values it ran with, its outputs, the steps it skipped or emulated.</summary>
    public sealed record JobRun(string Job, JsonNode? Matrix, IReadOnlyDictionary<string, string> Outputs, IReadOnlyList<string> Log);

    private readonly Dictionary<string, string> _artifacts = new(StringComparer.Ordinal);
    private readonly List<JobRun> _runs = [];
    private int _workspaces;

    /// <summary>github.* beyond event_name and event (sha, ref_name, repository, token, run_id, ...).</summary>
    public Dictionary<string, string> GitHubContext { get; } = new(StringComparer.Ordinal);

    /// <summary>The runner machine's own environment: what a real runner has before the workflow's env: blocks.</summary>
    public Dictionary<string, string> RunnerEnvironment { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<JobRun> Runs => _runs;

    /// <summary>Artifact name → its folder.</summary>
    public IReadOnlyDictionary<string, string> Artifacts => _artifacts;

    /// <summary>Jobs whose <c>if:</c> was false, in order.</summary>
    public List<string> Skipped { get; } = [];

    /// <summary>Called before each job starts (to serve the API what the run has made so far, such as its artifacts).</summary>
    public Action<string>? BeforeJob { get; set; }

    public async Task PlayAsync(string workflowYaml, string eventName, JsonNode payload, CancellationToken cancellation)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(workflowYaml));
        var jobs = Map(Map(stream.Documents[0].RootNode)["jobs"]);
        var eventPath = Path.Combine(work, "event.json");
        File.WriteAllText(eventPath, payload.ToJsonString());
        var github = new JsonObject { ["event_name"] = eventName, ["event"] = payload.DeepClone(), ["workspace"] = "" };
        foreach (var (key, value) in GitHubContext)
        {
            github[key] = value;
        }
        var needs = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var name in Ordered(jobs))
        {
            var job = Map(jobs[name]);
            var needed = Needs(job);
            var context = Contexts(github, new JsonObject(needed.Select(n => KeyValuePair.Create(n, needs.GetValueOrDefault(n)?.DeepClone()))), null);
            var condition = job.TryGetValue("if", out var test) ? Scalar(test) : "success()";
            var ran = needed.All(n => needs.ContainsKey(n) && (string?)needs[n]["result"] == "success");
            if (needed.Any(n => !needs.ContainsKey(n)) || (!ran && !condition.Contains("always()", StringComparison.Ordinal)
                && !condition.Contains("cancelled()", StringComparison.Ordinal)) || !WorkflowExpression.Condition(condition, context))
            {
                Skipped.Add(name);
                continue;
            }
            if (job.ContainsKey("uses"))
            {
                throw new InvalidOperationException($"job {name}: calling a reusable workflow is not rehearsed");
            }
            BeforeJob?.Invoke(name);
            var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var matrix in Matrix(job, context))
            {
                var run = await RunJobAsync(name, job, Contexts(github, (JsonObject)context["needs"]!.DeepClone(), matrix), eventPath, cancellation);
                _runs.Add(run);
                foreach (var (key, value) in run.Outputs)
                {
                    outputs[key] = value;
                }
            }
            needs[name] = new JsonObject
            {
                ["result"] = "success",
                ["outputs"] = new JsonObject(outputs.Select(o => KeyValuePair.Create(o.Key, (JsonNode?)o.Value))),
            };
        }
    }

    private async Task<JobRun> RunJobAsync(
        string name, YamlMappingNode job, Dictionary<string, JsonNode?> contexts, string eventPath, CancellationToken cancellation)
    {
        var workspace = Path.Combine(work, $"{name}-{++_workspaces}");
        Directory.CreateDirectory(workspace);
        ((JsonObject)contexts["github"]!)["workspace"] = workspace;
        var log = new List<string>();
        var jobEnv = Env(job, contexts);
        var steps = new JsonObject();
        contexts["steps"] = steps;
        var index = 0;
        foreach (var node in (YamlSequenceNode)job["steps"])
        {
            var step = Map(node);
            var label = $"job {name}{(contexts["matrix"] is { } m ? " " + m.ToJsonString() : "")}, step {++index}";
            var condition = step.TryGetValue("if", out var test) ? Scalar(test) : "success()";
            if (!WorkflowExpression.Condition(condition, contexts))
            {
                log.Add($"{index}: skipped (if: {condition})");
                continue;
            }
            var env = new Dictionary<string, string>(jobEnv, StringComparer.Ordinal);
            foreach (var (key, value) in Env(step, contexts))
            {
                env[key] = value;
            }
            if (step.TryGetValue("uses", out var uses))
            {
                log.Add($"{index}: {Scalar(uses)}: {Emulate(Scalar(uses), () => With(step, contexts), workspace, label)}");
                continue;
            }
            var output = Path.Combine(workspace, "..", $"{Path.GetFileName(workspace)}-output-{index}");
            File.WriteAllText(output, "");
            var script = Scalar(step["run"]);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var exit = await RunAsync(script, Environment(env, workspace, output, eventPath), workspace, cancellation);
            if (exit.Code != 0)
            {
                throw new InvalidOperationException($"{label}: `{script.Trim()}` exited {exit.Code}\n{exit.Output}");
            }
            log.Add($"{index}: run {script.Trim()} ({clock.Elapsed.TotalSeconds:F1} s)\n{exit.Output}");
            if (step.TryGetValue("id", out var id))
            {
                var parsed = GitHubOutputFile.Parse(File.ReadAllText(output));
                steps[Scalar(id)] = new JsonObject { ["outputs"] = new JsonObject(parsed.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))) };
            }
        }
        var outputs = job.TryGetValue("outputs", out var declared)
            ? Map(declared).Pairs().ToDictionary(o => o.Key, o => WorkflowExpression.Expand(Scalar(o.Value), contexts), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        return new JobRun(name, contexts["matrix"]?.DeepClone(), outputs, log);
    }

    private Dictionary<string, string> Environment(Dictionary<string, string> env, string workspace, string output, string eventPath)
    {
        var all = TestRoot.CleanEnvironment()
            .Where(e => !e.Key.StartsWith("RUNNER_", StringComparison.Ordinal))
            .ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        foreach (var (key, value) in RunnerEnvironment)
        {
            all[key] = value;
        }
        all["CI"] = "true";
        all["GITHUB_ACTIONS"] = "true";
        all["GITHUB_WORKSPACE"] = workspace;
        all["GITHUB_OUTPUT"] = output;
        all["GITHUB_EVENT_PATH"] = eventPath;
        all["GITHUB_STEP_SUMMARY"] = output + ".summary";
        foreach (var (key, value) in env)
        {
            all[key] = value;
        }
        return all;
    }

    private async Task<(int Code, string Output)> RunAsync(string script, Dictionary<string, string> env, string workspace, CancellationToken cancellation)
    {
        if (BuildLine().Match(script.Trim()) is { Success: true } build)
        {
            // What build.sh execs, in-process, so that the build reaches this test's GitHub API.
            var captured = new CapturedConsole(240);
            var context = new BuildContext(workspace, env, captured.Console, cancellation, () => gitHub);
            var code = await Build.RunAsync([build.Groups[1].Value], context);
            return (code, captured.Text);
        }
        var file = Path.Combine(work, $"script-{Guid.NewGuid():N}.sh");
        File.WriteAllText(file, script);
        var result = await ToolProcess.RunAsync(
            "bash", ["--noprofile", "--norc", "-eo", "pipefail", file], workspace, TimeSpan.FromMinutes(2), cancellation, env, onlyThisEnvironment: true);
        return (result.ExitCode, result.StandardOutput + result.StandardError);
    }

    [GeneratedRegex(@"^\./build\.sh ([A-Za-z]+)$")]
    private static partial Regex BuildLine();

    private static Dictionary<string, JsonNode?> Contexts(JsonObject github, JsonObject needs, JsonNode? matrix) => new(StringComparer.Ordinal)
    {
        ["github"] = github.DeepClone(),
        ["needs"] = needs,
        ["matrix"] = matrix?.DeepClone(),
        ["vars"] = new JsonObject(),
        ["runner"] = new JsonObject { ["os"] = "Linux", ["temp"] = Path.GetTempPath() },
        ["env"] = new JsonObject(),
    };

    private static Dictionary<string, string> Env(YamlMappingNode node, IReadOnlyDictionary<string, JsonNode?> contexts) =>
        node.TryGetValue("env", out var env)
            ? Map(env).Pairs().ToDictionary(e => e.Key, e => WorkflowExpression.Expand(Scalar(e.Value), contexts), StringComparer.Ordinal)
            : [];

    private static Dictionary<string, string> With(YamlMappingNode step, IReadOnlyDictionary<string, JsonNode?> contexts) =>
        step.TryGetValue("with", out var with)
            ? Map(with).Pairs().ToDictionary(e => e.Key, e => WorkflowExpression.Expand(Scalar(e.Value), contexts), StringComparer.Ordinal)
            : [];

    /// <summary>The job's matrix combinations (one null when it has none); a value <c>${{ X }}</c> is X's JSON.</summary>
    private static IEnumerable<JsonNode?> Matrix(YamlMappingNode job, IReadOnlyDictionary<string, JsonNode?> contexts)
    {
        if (!job.TryGetValue("strategy", out var strategy) || !Map(strategy).TryGetValue("matrix", out var matrix))
        {
            return [null];
        }
        IEnumerable<JsonObject> combinations = [new JsonObject()];
        foreach (var (key, node) in Map(matrix).Pairs())
        {
            var text = Scalar(node).Trim();
            var values = text.StartsWith("${{", StringComparison.Ordinal) && text.EndsWith("}}", StringComparison.Ordinal)
                ? WorkflowExpression.Evaluate(text[3..^2], contexts) as JsonArray
                    ?? throw new InvalidOperationException($"matrix.{key}: '{text}' is not a list")
                : throw new InvalidOperationException($"matrix.{key}: only ${{{{ fromJSON(...) }}}} values are rehearsed");
            combinations = combinations.SelectMany(c => values.Select(v =>
            {
                var next = (JsonObject)c.DeepClone();
                next[key] = v?.DeepClone();
                return next;
            })).ToList();
        }
        return combinations;
    }
}
