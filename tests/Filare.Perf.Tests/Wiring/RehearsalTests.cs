using System.Net;
using System.Text.Json.Nodes;
using Filare.Perf.Processes;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests.Wiring;

/// <summary>
/// The pull-request path of the generated perf.yml played on this machine (<see cref="WorkflowRehearsal"/>): a
/// trusted /run-perf comment (Payloads/issue_comment.created.json) → gate → one profile job per shard of the
/// gate's split → report, on a git repository holding the stand-in Filare and the shipped scenarios (base commit
/// and a PR head), with the recorded GitHub API responses of PerfGateTests (their commits replaced by the
/// repository's real ones). What the workflow's YAML says is what runs: its <c>run:</c> lines, <c>env:</c> blocks,
/// matrix and job outputs. The rehearsal runner's own settings (as a repository's variables would) keep it quick:
/// one run per side, no adaptive pairs, no Valgrind or heap run, cProfile only (asked for in the comment), three shards.
/// </summary>
public sealed class RehearsalTests : IDisposable
{
    private const string ApiUrl = "https://ghe.example.test/api/v3";
    private const string Repo = "/api/v3/repos/filare/filare";
    private const string RunId = "9100";

    /// <summary>Commits the recorded responses name: PR 42's base, merge base and head (see PerfGateTests).</summary>
    private const string RecordedBase = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    private const string RecordedMergeBase = "4e2f9c1a7b3d5e6f8091a2b3c4d5e6f708192a3b";
    private const string RecordedHead = "e5bd3914e2e596debea16f433f57875b5b90bcd6";

    private readonly string _folder = Directory.CreateTempSubdirectory("filare-perf-rehearsal-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task A_run_perf_comment_plays_gate_shards_and_report_from_perf_yml_and_the_comment_names_every_shards_scenarios()
    {
        var (repository, baseSha, headSha) = StandInRepository();
        var github = Api(baseSha, headSha);
        var work = Path.Combine(_folder, "runner");
        Directory.CreateDirectory(work);
        var rehearsal = new WorkflowRehearsal(repository, work, github);
        rehearsal.BeforeJob = job => ServeArtifacts(github, rehearsal, job);
        rehearsal.GitHubContext["sha"] = baseSha;
        rehearsal.GitHubContext["ref"] = "refs/heads/master";
        rehearsal.GitHubContext["ref_name"] = "master";
        rehearsal.GitHubContext["repository"] = "filare/filare";
        rehearsal.GitHubContext["token"] = "ghs_rehearsal_token";
        rehearsal.GitHubContext["run_id"] = RunId;
        foreach (var (name, value) in new Dictionary<string, string>
        {
            ["GITHUB_EVENT_NAME"] = "issue_comment",
            ["GITHUB_REPOSITORY"] = "filare/filare",
            ["GITHUB_SHA"] = baseSha,
            ["GITHUB_REF_NAME"] = "master",
            ["GITHUB_RUN_ID"] = RunId,
            ["GITHUB_API_URL"] = ApiUrl,
            ["GITHUB_SERVER_URL"] = "https://ghe.example.test",
            // The container image holds the profilers (nothing to install, and no network here).
            ["FIL_PERF_INSTALL_PROFILERS"] = "false",
            // Valgrind and tracemalloc runs cost a minute a scenario and add nothing to the wiring.
            ["FIL_PERF_ENABLE_INSTRUCTIONS"] = "false",
            ["FIL_PERF_ENABLE_HEAP"] = "false",
            ["FIL_PERF_RUNS"] = "1",
            ["FIL_PERF_WARMUPS"] = "0",
            ["FIL_PERF_MAX_RUNS"] = "1",
            ["FIL_PERF_SHARD_TARGET_SECONDS"] = "30",
            ["FIL_PERF_MAX_SHARDS"] = "3",
        })
        {
            rehearsal.RunnerEnvironment[name] = value;
        }
        var payload = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "issue_comment.created.json")))!;
        payload["comment"]!["body"] = "/run-perf -pyspy -scalene -importtime -memray +cprofile";

        await rehearsal.PlayAsync(File.ReadAllText(Path.Combine(Repository.Root, ".github", "workflows", "perf.yml")), "issue_comment", payload,
            TestContext.Current.CancellationToken);

        var gate = Assert.Single(rehearsal.Runs, r => r.Job == "gate");
        Assert.True(gate.Outputs["run"] == "true", string.Join("\n", gate.Log));
        Assert.Equal(headSha, JsonNode.Parse(gate.Outputs["targets"])![0]!["ref"]!.GetValue<string>());
        var shards = JsonNode.Parse(gate.Outputs["shards"])!.AsArray();
        Assert.Equal(3, shards.Count);
        var profiles = rehearsal.Runs.Where(r => r.Job == "profile").ToList();
        Assert.Equal(shards.Select(s => s!["id"]!.GetValue<string>()), profiles.Select(p => p.Matrix!["shard"]!["id"]!.GetValue<string>()));
        Assert.All(shards, s => Assert.True(rehearsal.Artifacts.ContainsKey($"perf-metrics-{s!["suffix"]!.GetValue<string>().TrimStart('-')}")));
        Assert.Single(rehearsal.Runs, r => r.Job == "report");
        Assert.Equal(["history", "bisect-plan", "bisect"], rehearsal.Skipped);

        var comment = Assert.Single(github.Requests,
            r => r.Is("POST", $"{Repo}/issues/42/comments") && r.Body!.Contains("Sharded over", StringComparison.Ordinal));
        var body = JsonNode.Parse(comment.Body!)!["body"]!.GetValue<string>();
        Assert.Contains("Sharded over 3 runners", body, StringComparison.Ordinal);
        var scenarios = shards.SelectMany(s => s!["scenarios"]!.GetValue<string>().Split(' ')).ToList();
        Assert.Equal(Directory.GetFiles(Path.Combine(Repository.Root, "scenarios"), "*.yml").Length, scenarios.Count);
        foreach (var scenario in scenarios)
        {
            Assert.Matches($@"\| {scenario.Replace("-", @"\\?-", StringComparison.Ordinal)} ", body);
        }
        // The verdicts compare the PR head with its merge base on each shard's runner.
        Assert.Contains(headSha[..7], body, StringComparison.Ordinal);
    }

    /// <summary>A repository holding the stand-in Filare and the shipped scenarios: master (base) and PR 42's head (a change to the README).</summary>
    private (string Path, string Base, string Head) StandInRepository()
    {
        var path = Path.Combine(_folder, "filare");
        CopyTree(Repository.StandIn, path);
        CopyTree(Path.Combine(Repository.Root, "scenarios"), Path.Combine(path, "scenarios"));
        CopyTree(Path.Combine(Repository.Root, ".nuke"), Path.Combine(path, ".nuke"));
        Git(path, "init", "-q", "-b", "master");
        Commit(path, "base");
        var baseSha = Git(path, "rev-parse", "HEAD");
        File.AppendAllText(Path.Combine(path, "README.md"), "\nA pull request's change.\n");
        Commit(path, "PR 42");
        return (path, baseSha, Git(path, "rev-parse", "HEAD"));
    }

    /// <summary>PerfGateTests' recorded responses, commits replaced by the stand-in repository's; the report's reads and writes.</summary>
    private static FakeGitHub Api(string baseSha, string headSha)
    {
        string Recorded(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "api", file))
            .Replace(RecordedBase, baseSha, StringComparison.Ordinal)
            .Replace(RecordedMergeBase, baseSha, StringComparison.Ordinal)
            .Replace(RecordedHead, headSha, StringComparison.Ordinal);
        return new FakeGitHub(ApiUrl)
            .Serve("GET", $"{Repo}/pulls/42", HttpStatusCode.OK, Recorded("pulls-42.json"))
            .Serve("GET", $"{Repo}/collaborators/kvid/permission", HttpStatusCode.OK,
                """{"permission":"write","role_name":"write","user":{"login":"kvid","id":7,"type":"User"}}""")
            .Serve("GET", $"{Repo}/pulls/42/commits", HttpStatusCode.OK, Recorded("pulls-42-commits.json"))
            .Serve("GET", $"{Repo}/actions/runs", HttpStatusCode.OK, Recorded("runs-pull-request-e5bd391.json"))
            .Serve("GET", $"{Repo}/issues/42/timeline", HttpStatusCode.OK, Recorded("issues-42-timeline.json"))
            .Serve("GET", $"{Repo}/compare/{baseSha}...{headSha}", HttpStatusCode.OK, Recorded("compare-master-pr-42.json"))
            .Serve("POST", $"{Repo}/issues/comments/2543219876/reactions", HttpStatusCode.Created, Recorded("reaction-created.json"))
            .Serve("GET", $"{Repo}/issues/42/comments", HttpStatusCode.OK, "[]")
            .Serve("POST", $"{Repo}/issues/42/comments", HttpStatusCode.Created, Recorded("issue-comment-created.json"))
            .Serve("GET", $"{Repo}/actions/workflows/perf.yml/runs", HttpStatusCode.OK, """{"total_count":0,"workflow_runs":[]}""");
    }

    /// <summary>Before the report: this run's artifacts as the API lists them (names and ids), for the report's links.</summary>
    private static void ServeArtifacts(FakeGitHub github, WorkflowRehearsal rehearsal, string job)
    {
        if (job != "report")
        {
            return;
        }
        var artifacts = rehearsal.Artifacts.Keys.Order(StringComparer.Ordinal).Select((name, i) => $$"""
            {"id":{{8000 + i}},"name":"{{name}}","size_in_bytes":1024,
             "archive_download_url":"{{ApiUrl}}{{Repo}}/actions/artifacts/{{8000 + i}}/zip","expired":false}
            """);
        github.Serve("GET", $"{Repo}/actions/runs/{RunId}/artifacts", HttpStatusCode.OK,
            $$"""{"total_count":{{rehearsal.Artifacts.Count}},"artifacts":[{{string.Join(",", artifacts)}}]}""");
    }

    private static void Commit(string path, string message)
    {
        Git(path, "add", "-A", ".");
        Git(path, "-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "-m", message);
    }

    private static string Git(string path, params string[] arguments)
    {
        var result = ToolProcess.RunAsync("git", ["-C", path, .. arguments], path, TimeSpan.FromSeconds(60), CancellationToken.None).GetAwaiter().GetResult();
        Assert.True(result.Succeeded, $"git {string.Join(" ", arguments)}: {result.StandardError}");
        return result.StandardOutput.Trim();
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            if (Path.GetRelativePath(from, file).Split(Path.DirectorySeparatorChar).Any(p => p is "__pycache__" or ".pytest_cache" or "outputs"))
            {
                continue;
            }
            var copy = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }
}
