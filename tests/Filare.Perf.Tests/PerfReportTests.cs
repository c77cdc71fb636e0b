using System.Globalization;
using System.IO.Compression;
using System.Net;
using Filare.Perf.Checkout;
using Filare.Perf.Processes;
using Filare.Perf.Profilers;
using Filare.Perf.Results;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests;

/// <summary>
/// PerfReport end to end through the real build: metrics.json files written with chosen numbers (and
/// real cProfile captures where the hotspot diff needs them); GitHub's API is a fake handler serving
/// recorded-style responses (runs, artifacts, the artifact zip, comments, reactions, and its 404 /
/// 403 / rate-limit answers).
/// </summary>
public sealed partial class PerfReportTests
{
    private const string Repo = "/repos/filare/filare";
    private const long RunId = 4242;
    private const long PreviousRunId = 4100;

    /// <summary>
    /// Two runs, "base" and "head", written as metrics.json with chosen run times: verdicts are tested
    /// on numbers we control, never on this machine's timing. With <paramref name="pstats"/> each run
    /// carries a real cProfile capture of the fixture (work 5 for base, work 50 for head).
    /// </summary>
    private static async Task<TestRoot> RootWithRunsAsync(bool slower = false, bool pstats = false)
    {
        var root = new TestRoot();
        double[] baseWalls = [1.00, 1.01, 0.99, 1.02, 1.00];
        double[] headWalls = slower ? [1.25, 1.26, 1.24, 1.27, 1.25] : [1.00, 1.02, 0.99, 1.01, 1.00];
        await WriteRunAsync(root, "base", baseWalls, pstats ? 5 : null);
        await WriteRunAsync(root, "head", headWalls, pstats ? 50 : null);
        return root;
    }

    private static async Task WriteRunAsync(TestRoot root, string label, double[] walls, int? profiledWork, CiRun? ci = null)
    {
        var folder = root.RunFolder(label);
        Directory.CreateDirectory(Path.Combine(folder, "cpu"));
        var profilers = new List<ProfilerRun>();
        if (profiledWork is { } work)
        {
            var pstats = Path.Combine(folder, "cpu", $"{label}-cpu-cprofile.pstats");
            var run = await ToolProcess.RunAsync("python3",
                [PythonEnvironment.Helper("run_program.py"), "--status", Path.Combine(folder, "status.txt"), "--pstats", pstats, "--text", pstats + ".txt",
                    "--json", pstats + ".json",
                    "--", Repository.Fixture, "--work", work.ToString(CultureInfo.InvariantCulture)],
                root.Path, TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
            Assert.True(run.Succeeded, run.StandardError);
            profilers.Add(new ProfilerRun(CProfile.Name, ProfilerStatus.Ok, null, "3.11", 1, 1, 0, [Artifact.Of("pstats", pstats, folder)], [],
                new CallStats(5000, 4990, 0.5, [])));
        }
        var samples = walls.Select((w, i) => new RunSample(SampleKind.Run, i + 1, RunStatus.Ok, w, w * 0.95, 0.02, 50L << 20, 0, null, 0,
            $"cpu/run-{i + 1}/stdout.txt", $"cpu/run-{i + 1}/stderr.txt", $"cpu/run-{i + 1}/output", null)).ToList();
        var scenario = new ScenarioResult("cpu", "fixture", ["fixture"], ["python", "perf_fixture.py"], root.Path, ScenarioStatus.Ok, null, walls.Length, 1, [],
            samples, ScenarioStatistics.Of(samples), profilers);
        var environment = new RunEnvironment("Test CPU", 2, 1L << 30, "Linux", "6.0", "x64", "3.11.7", "CPython", "python3", root.Path,
            label == "base" ? new string('b', 40) : new string('c', 40), label, false, null, "10.0", ci);
        var settings = new PerformanceSettings("outputs/perf", label, null, null, null,
            new PySpySettings(false, 100, SpyOutput.Svg, false, false, false), new ScaleneSettings(false, 0.01, true, true, "filare"),
            new MemraySettings(false, false, MemrayFormat.Flamegraph, false, 50),
            new CProfileSettings(profiledWork is not null, CProfileSort.Tottime, CProfileFormat.Pstats));
        _ = new MetricsStore(folder, new RunMetrics(RunMetrics.SchemaName, RunMetrics.CurrentVersion, label, RunState.Complete, DateTimeOffset.UnixEpoch,
            DateTimeOffset.UnixEpoch, environment, settings, [scenario]));
    }

    private static async Task<string> CaptureAsync(TestRoot root, string pstats, int work)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(pstats)!);
        var run = await ToolProcess.RunAsync("python3",
            [PythonEnvironment.Helper("run_program.py"), "--status", pstats + ".status", "--pstats", pstats, "--text", pstats + ".txt", "--json",
                pstats + ".json",
                "--", Repository.Fixture, "--work", work.ToString(CultureInfo.InvariantCulture)],
            root.Path, TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        Assert.True(run.Succeeded, run.StandardError);
        return pstats;
    }

    /// <summary>
    /// A same-runner compare run as PerfRun lays it out: the head's files in the scenario folder, the
    /// base's under its base/ folder, samples paired by index. With works, each side carries a real
    /// cProfile capture of the fixture doing that much work.
    /// </summary>
    private static async Task WriteCompareRunAsync(TestRoot root, string label, CompareMode mode, double[] baseWalls, double[] headWalls,
        (int Base, int Head)? works = null)
    {
        var folder = root.RunFolder(label);
        Directory.CreateDirectory(Path.Combine(folder, "cpu", "base"));
        List<RunSample> Samples(double[] walls, string prefix, int first) =>
            walls.Select((w, i) => new RunSample(SampleKind.Run, i + 1, RunStatus.Ok, w, w * 0.95, 0.02, 50L << 20, 0, null, 0,
            $"{prefix}/run-{i + 1}/stdout.txt", $"{prefix}/run-{i + 1}/stderr.txt", $"{prefix}/run-{i + 1}/output", null, first + 2 * i)).ToList();
        async Task<List<ProfilerRun>> ProfileAsync(string side, int? work) => work is { } w
            ? [new ProfilerRun(CProfile.Name, ProfilerStatus.Ok, null, "3.11", 1, 1, 0,
                [Artifact.Of("pstats", await CaptureAsync(root, Path.Combine(folder, side == "base" ? "cpu/base" : "cpu",
                    $"{label}-cpu-{side}-cprofile.pstats"), w), folder)], [], new CallStats(5000, 4990, 0.5, []))]
            : [];
        var head = Samples(headWalls, "cpu", 2);
        var @base = Samples(baseWalls, "cpu/base", 1);
        var scenario = new ScenarioResult("cpu", "fixture", ["fixture"], ["python", "perf_fixture.py"], root.Path, ScenarioStatus.Ok, null, headWalls.Length, 0,
            [], head, ScenarioStatistics.Of(head),
            await ProfileAsync("head", works?.Head),
            new SideResult(ScenarioStatus.Ok, null, [], @base, ScenarioStatistics.Of(@base), await ProfileAsync("base", works?.Base)));
        var environment = new RunEnvironment("Test CPU", 2, 1L << 30, "Linux", "6.0", "x64", "3.11.7", "CPython", "python3", root.Path, new string('c', 40),
            label, false, null, "10.0", null);
        var settings = new PerformanceSettings("outputs/perf", label, null, null, null,
            new PySpySettings(false, 100, SpyOutput.Svg, false, false, false), new ScaleneSettings(false, 0.01, true, true, "filare"),
            new MemraySettings(false, false, MemrayFormat.Flamegraph, false, 50),
            new CProfileSettings(works is not null, CProfileSort.Tottime, CProfileFormat.Pstats));
        var compare = new CompareRun(mode == CompareMode.AA ? "HEAD" : "origin/master", new string(mode == CompareMode.AA ? 'c' : 'b', 40), mode,
            CompareStatus.Ok, null, Path.Combine(root.Path, "base-checkout"), "shared interpreter", "python3", "3.11.7");
        _ = new MetricsStore(folder, new RunMetrics(RunMetrics.SchemaName, RunMetrics.CurrentVersion, label, RunState.Complete, DateTimeOffset.UnixEpoch,
            DateTimeOffset.UnixEpoch, environment, settings, [scenario], compare));
    }

    private static Dictionary<string, string> GitHubEnvironment(TestRoot root, string summary) => new()
    {
        ["GITHUB_REPOSITORY"] = "filare/filare",
        ["GITHUB_TOKEN"] = "ghs_test",
        ["GITHUB_API_URL"] = FakeGitHub.ApiUrl,
        ["GITHUB_SERVER_URL"] = "https://github.test",
        ["GITHUB_RUN_ID"] = RunId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["GITHUB_STEP_SUMMARY"] = summary,
        ["FIL_PERF_REPORT_INPUT"] = Path.Combine(root.Path, "outputs", "perf", "head"),
    };

    private static string Artifacts(params (long Id, string Name, bool Expired)[] artifacts) =>
        "{\"total_count\":" + artifacts.Length + ",\"artifacts\":[" + string.Join(",", artifacts.Select(a =>
            $$"""{"id":{{a.Id}},"node_id":"A_{{a.Id}}","name":"{{a.Name}}","size_in_bytes":""" +
                $$"""1024,"url":"{{FakeGitHub.ApiUrl}}{{Repo}}/actions/artifacts/{{a.Id}}","archive_download_url":"{{FakeGitHub.ApiUrl}}{{Repo}}/actions/""" +
                $$"""artifacts/{{a.Id}}/zip","expired":{{(a.Expired ? "true" : "false")}},"created_at":"2026-11-24T03:10:""" +
                $$"""00Z","expires_at":"2026-12-08T03:10:00Z","updated_at":"2026-11-24T03:10:00Z"}""")) + "]}";

    private static string Runs(params long[] ids) =>
        "{\"total_count\":" + ids.Length + ",\"workflow_runs\":[" + string.Join(",", ids.Select((id, i) =>
            $$"""{"id":{{id}},"name":"perf","node_id":"R_{{id}}","head_branch":"master","head_sha":"{{new string('a', 40)}}","path":".github/workflows/pe""" +
                $$"""rf.yml","run_number":{{id - 4000}},"event":"push","status":"completed","conclusion":"success","workflow_id":""" +
                $$"""7,"created_at":"2026-11-2{{4 - i}}T03:00:00Z","updated_at":"2026-11-24T03:20:00Z","run_attempt":1}""")) + "]}";

    private static byte[] Zip(string folder)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith("metrics.json", StringComparison.Ordinal) || f.EndsWith(".pstats", StringComparison.Ordinal)))
            {
                zip.CreateEntryFromFile(file, Path.GetRelativePath(Path.GetDirectoryName(folder)!, file));
            }
        }
        return memory.ToArray();
    }

    [Fact]
    public async Task Compares_with_the_previous_successful_run_links_artifacts_and_posts_one_sticky_comment()
    {
        using var root = await RootWithRunsAsync(slower: true);
        var github = new FakeGitHub()
            .Serve("GET", $"{Repo}/actions/runs/{RunId}/artifacts", HttpStatusCode.OK, Artifacts((901, "perf-metrics", false), (902, "perf-cpu", false)))
            .Serve("GET", $"{Repo}/actions/workflows/perf.yml/runs", HttpStatusCode.OK, Runs(RunId, PreviousRunId))
            .Serve("GET", $"{Repo}/actions/runs/{PreviousRunId}/artifacts", HttpStatusCode.OK, Artifacts((777, "perf-metrics", false)))
            .ServeBytes("GET", $"{Repo}/actions/artifacts/777/zip", Zip(root.RunFolder("base")))
            .Serve("GET", $"{Repo}/issues/12/comments", HttpStatusCode.OK, "[]")
            .Serve("POST", $"{Repo}/issues/12/comments", HttpStatusCode.Created, """{"id":555,"body":"x","user":""" +
                """{"login":"github-actions[bot]","type":"Bot"}}""")
            .Serve("POST", $"{Repo}/issues/comments/31337/reactions", HttpStatusCode.Created, """{"id":1,"content":"rocket"}""");
        root.GitHub = github;
        var summary = root.File_("summary.md");

        var outcome = await root.RunAsync(GitHubEnvironment(root, summary), "PerfReport", "--baseline", "previous", "--baseline-branch", "master", "--pr", "12",
            "--comment-id", "31337");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var report = File.ReadAllText(summary);
        Assert.True(report.Contains("against the stored baseline base (`bbbbbbbbbb`, perf.yml run 100 on master)", StringComparison.Ordinal), report);
        Assert.Contains("🔴 **slower**", report, StringComparison.Ordinal);
        Assert.Contains("[workflow run](https://github.test/filare/filare/actions/runs/4242)", report, StringComparison.Ordinal);
        var runsQuery = Assert.Single(github.Requests, r => r.Path.EndsWith("/workflows/perf.yml/runs", StringComparison.Ordinal)).Query;
        Assert.Contains("status=success", runsQuery, StringComparison.Ordinal);
        var comment = Assert.Single(github.Requests, r => r.Is("POST", $"{Repo}/issues/12/comments"));
        Assert.Contains("<!-- filare-perf-report -->", comment.Body, StringComparison.Ordinal);
        // The comment is the short form: headline, verdicts, and a link to the rest.
        Assert.Contains("### 🔴 1 slower (cpu +", comment.Body, StringComparison.Ordinal);
        Assert.Contains("[job summary](https://github.test/filare/filare/actions/runs/4242)", comment.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("#### Change per scenario", comment.Body, StringComparison.Ordinal);
        Assert.Contains("#### Change per scenario", report, StringComparison.Ordinal);
        Assert.DoesNotContain(github.Requests, r => r.Method == "PATCH");
        Assert.Contains("rocket", Assert.Single(github.Requests, r => r.Path.EndsWith("/reactions", StringComparison.Ordinal)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_existing_report_comment_is_updated_in_place()
    {
        using var root = await RootWithRunsAsync();
        var github = new FakeGitHub()
            .Serve("GET", $"{Repo}/issues/12/comments", HttpStatusCode.OK,
                """[{"id":1,"body":"LGTM","user":{"login":"alice","type":"User"}},{"id":2,"body":"<!-- filare-perf-report -->\nold","user":""" +
                    """{"login":"github-actions[bot]","type":"Bot"}}]""")
            .Serve("PATCH", $"{Repo}/issues/comments/2", HttpStatusCode.OK, """{"id":2,"body":"new","user":{"login":"github-actions[bot]","type":"Bot"}}""");
        root.GitHub = github;

        var outcome = await root.RunAsync(GitHubEnvironment(root, root.File_("summary.md")), "PerfReport", "--pr", "12");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var update = Assert.Single(github.Requests, r => r.Method == "PATCH");
        Assert.Contains("filare-perf-report", update.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(github.Requests, r => r.Is("POST", $"{Repo}/issues/12/comments"));
    }

    [Theory]
    [InlineData("none-yet", "no successful perf.yml run on master yet")]
    [InlineData("expired", "has expired")]
    [InlineData("forbidden", "403 forbidden")]
    [InlineData("rate-limited", "rate limit is exhausted")]
    [InlineData("missing", "404 not found")]
    public async Task Every_baseline_failure_is_explained_and_the_job_stays_green(string failure, string explanation)
    {
        using var root = await RootWithRunsAsync();
        var github = new FakeGitHub();
        switch (failure)
        {
            case "none-yet":
                github.Serve("GET", $"{Repo}/actions/workflows/perf.yml/runs", HttpStatusCode.OK, Runs());
                break;
            case "expired":
                github.Serve("GET", $"{Repo}/actions/workflows/perf.yml/runs", HttpStatusCode.OK, Runs(PreviousRunId))
                    .Serve("GET", $"{Repo}/actions/runs/{PreviousRunId}/artifacts", HttpStatusCode.OK, Artifacts((777, "perf-metrics", true)));
                break;
            case "forbidden":
                github.Serve("GET", $"{Repo}/actions/workflows/perf.yml/runs", HttpStatusCode.Forbidden, """{"message":"Resource not accessible by """ +
                    """integration","documentation_url":"https://docs.github.com/rest"}""");
                break;
            case "rate-limited":
                github.Serve("GET", $"{Repo}/actions/workflows/perf.yml/runs", HttpStatusCode.Forbidden,
                    """{"message":"API rate limit exceeded for installation ID """ +
                        """1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}""",
                    new Dictionary<string, string> { ["X-RateLimit-Limit"] = "1000", ["X-RateLimit-Remaining"] = "0", ["X-RateLimit-Reset"] = "1795000000" });
                break;
        }
        root.GitHub = github;
        var summary = root.File_("summary.md");

        var outcome = await root.RunAsync(GitHubEnvironment(root, summary), "PerfReport", "--baseline", "previous", "--baseline-branch", "master");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var report = File.ReadAllText(summary);
        Assert.Contains("nothing to compare with (no baseline: ", report, StringComparison.Ordinal);
        Assert.Contains(explanation, report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_local_baseline_folder_gives_verdicts_and_the_hotspot_diff_from_both_pstats()
    {
        using var root = await RootWithRunsAsync(slower: true, pstats: true);

        var outcome = await root.RunAsync(new Dictionary<string, string>(), "PerfReport", "--report-input", "outputs/perf/head", "--baseline",
            "outputs/perf/base");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var report = File.ReadAllText(Path.Combine(root.RunFolder("head"), "report.md"));
        Assert.Contains("🔴 **slower**", report, StringComparison.Ordinal);
        Assert.Contains("Where the time moved in cpu", report, StringComparison.Ordinal);
        // The extra work is in the fixture's cpu_work loop: that is where the time grew.
        Assert.Matches(@"\| cpu\\_work \(perf\\_fixture\.py\) \| [\d.]+\s→\s[\d.]+\sm?s \| \+", report);
    }

    [Fact]
    public async Task A_compare_run_diffs_the_hotspots_of_its_two_sides_without_any_baseline()
    {
        using var root = new TestRoot();
        await WriteCompareRunAsync(root, "head", CompareMode.AB, [1.00, 1.02, 0.98, 1.01, 0.99], [1.25, 1.27, 1.23, 1.26, 1.24], (5, 50));

        var outcome = await root.RunAsync(new Dictionary<string, string>(), "PerfReport", "--report-input", "outputs/perf/head", "--baseline", "none");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var report = File.ReadAllText(Path.Combine(root.RunFolder("head"), "report.md"));
        Assert.Contains("against `origin/master` (`bbbbbbbbbb`) on the same runner, 5 interleaved pairs per scenario", report, StringComparison.Ordinal);
        Assert.Contains("🔴 **slower** +25.", report, StringComparison.Ordinal);
        Assert.Contains("Where the time moved in cpu from base to head (cProfile, own time; beyond noise: ±", report, StringComparison.Ordinal);
        Assert.Contains("| Function (file) | Own time, base → head | Change | Calls, base → head (exact counts) |", report, StringComparison.Ordinal);
        // Ten times the fixture's work on the head: its cpu_work loop is where the time grew.
        Assert.Matches(@"\| cpu\\_work \(perf\\_fixture\.py\) \| [\d.]+\s→\s[\d.]+\sm?s \| \+", report);
        // The profiler table: one line for the scenario, both sides in one cell (base · head).
        Assert.Matches(@"\| cpu \| ok \S+ · \S+ \|", report);
        // The console table has the paired change too.
        Assert.Contains("Runtime change [95%]", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("🔴 1 slower (cpu +25.", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("slower +25.", outcome.Output, StringComparison.Ordinal);

        // An artifact that left the base's capture out: no diff, and the notes say which file is missing.
        File.Delete(Path.Combine(root.RunFolder("head"), "cpu", "base", "head-cpu-base-cprofile.pstats"));
        var without = await root.RunAsync(new Dictionary<string, string>(), "PerfReport", "--report-input", "outputs/perf/head", "--baseline", "none");
        Assert.True(without.ExitCode == 0, without.ToString());
        var partial = File.ReadAllText(Path.Combine(root.RunFolder("head"), "report.md"));
        Assert.DoesNotContain("Where the time moved", partial, StringComparison.Ordinal);
        Assert.Contains("cpu: no hotspot diff between base and head: the base pstats file is not under", partial, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_aa_baseline_folder_calibrates_the_report_of_a_compare_run()
    {
        using var root = new TestRoot();
        // The A/A baseline's pairs disagree by up to 11%; the PR's 8% shift is inside that noise.
        await WriteCompareRunAsync(root, "aa", CompareMode.AA, [1.10, 0.90, 1.08, 0.92, 1.00], [1.00, 1.00, 1.00, 1.00, 1.00]);
        await WriteCompareRunAsync(root, "head", CompareMode.AB, [1.00, 1.02, 0.98, 1.01, 0.99], [1.084, 1.0996, 1.0606, 1.0897, 1.0702]);

        var calibrated = await root.RunAsync(new Dictionary<string, string>(), "PerfReport", "--report-input", "outputs/perf/head", "--baseline",
            "outputs/perf/aa");
        var report = File.ReadAllText(Path.Combine(root.RunFolder("head"), "report.md"));
        var alone = await root.RunAsync(new Dictionary<string, string>(), "PerfReport", "--report-input", "outputs/perf/head", "--baseline", "none");
        var uncalibrated = File.ReadAllText(Path.Combine(root.RunFolder("head"), "report.md"));

        Assert.True(calibrated.ExitCode == 0, calibrated.ToString());
        Assert.True(alone.ExitCode == 0, alone.ToString());
        Assert.Contains("noise floor: from the A/A run aa", report, StringComparison.Ordinal);
        Assert.Matches(@"\| cpu \| 1\.000\s→\s1\.08\d\ss \| ⚪ unchanged \+8\.\d% \[[^\]]+\] \| ±11\.1% \|", report);
        Assert.DoesNotContain("**slower**", report, StringComparison.Ordinal);
        Assert.StartsWith("### ⚪ 1 unchanged\n", report, StringComparison.Ordinal);
        Assert.Contains("🔴 **slower** +8.", uncalibrated, StringComparison.Ordinal);
        Assert.Contains("noise floor: not calibrated", uncalibrated, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_token_there_is_no_feedback_and_the_report_says_so()
    {
        using var root = await RootWithRunsAsync();

        var outcome = await root.RunAsync(new Dictionary<string, string>(), "PerfReport", "--report-input", "outputs/perf/head", "--pr", "12", "--baseline",
            "previous");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var report = File.ReadAllText(Path.Combine(root.RunFolder("head"), "report.md"));
        // Notes are escaped Markdown: GITHUB\_TOKEN renders as GITHUB_TOKEN.
        Assert.Contains("no PR feedback: GITHUB\\_TOKEN or GITHUB\\_REPOSITORY is not set", report, StringComparison.Ordinal);
        Assert.Contains("GITHUB\\_REPOSITORY, GITHUB\\_TOKEN or GITHUB\\_RUN\\_ID is not set", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_artifact_that_writes_outside_its_folder_is_refused()
    {
        using var root = await RootWithRunsAsync();
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry("../../escaped.txt").Open());
            writer.Write("pwned");
        }
        root.GitHub = new FakeGitHub()
            .Serve("GET", $"{Repo}/actions/workflows/perf.yml/runs", HttpStatusCode.OK, Runs(PreviousRunId))
            .Serve("GET", $"{Repo}/actions/runs/{PreviousRunId}/artifacts", HttpStatusCode.OK, Artifacts((777, "perf-metrics", false)))
            .ServeBytes("GET", $"{Repo}/actions/artifacts/777/zip", memory.ToArray());
        var summary = root.File_("summary.md");

        var outcome = await root.RunAsync(GitHubEnvironment(root, summary), "PerfReport", "--baseline", "previous", "--baseline-branch", "master");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("a path outside its folder", File.ReadAllText(summary), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "escaped.txt")));
    }

    [Fact]
    public async Task A_matrix_runs_report_links_each_branchs_own_suffixed_scenario_artifact()
    {
        // Nightly profiles each branch as a matrix target: its files are perf-<scenario>-<branch>, and
        // the report downloads each perf-metrics-<branch> artifact into a folder of that name.
        using var root = await RootWithRunsAsync(pstats: true);
        var artifacts = Path.Combine(root.Path, "perf-artifacts");
        foreach (var branch in new[] { "master", "beta" })
        {
            CopyFolder(root.RunFolder("head"), Path.Combine(artifacts, ArtifactNames.Metrics + ArtifactNames.BranchSuffix(branch), "nightly-" + branch));
        }
        var github = new FakeGitHub()
            .Serve("GET", $"{Repo}/actions/runs/{RunId}/artifacts", HttpStatusCode.OK,
                Artifacts((901, "perf-metrics-master", false), (902, "perf-cpu-master", false), (903, "perf-cpu-beta", false), (904, "perf-cpu", false)));
        root.GitHub = github;
        var summary = root.File_("summary.md");
        var environment = GitHubEnvironment(root, summary);
        environment["FIL_PERF_REPORT_INPUT"] = artifacts;

        var outcome = await root.RunAsync(environment, "PerfReport");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var report = File.ReadAllText(summary);
        Assert.Contains("[zip](https://github.test/filare/filare/actions/runs/4242/artifacts/902)", report, StringComparison.Ordinal);
        Assert.Contains("[zip](https://github.test/filare/filare/actions/runs/4242/artifacts/903)", report, StringComparison.Ordinal);
        Assert.DoesNotContain("/artifacts/904", report, StringComparison.Ordinal);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [Fact]
    public async Task A_nightly_baseline_comes_from_the_schedule_runs_branch_artifact_never_from_a_pr_run()
    {
        using var root = await RootWithRunsAsync(slower: true);
        static string Run(long id, string @event, string branch, string day, string repository = "filare/filare") =>
            $$$"""{"id":{{{id}}},"name":"perf","node_id":"R_{{{id}}}","head_branch":"{{{branch}}}","head_sha":"{{{new string('a', 40)}}}","path":".github""" +
                $$$"""/workflows/perf.yml","run_number":{{{id - 4000}}},"event":"{{{@event}}}","status":"completed","conclusion":"success","workflow_id":""" +
                $$$"""7,"created_at":"2026-11-{{{day}}}T03:00:00Z","updated_at":"2026-11-{{{day}}}T03:20:00Z","run_attempt":1,"head_repository":{"id":""" +
                $$$"""1,"name":"filare","full_name":"{{{repository}}}"}}""";
        var github = new FakeGitHub()
            .Serve("GET", $"{Repo}/actions/workflows/perf.yml/runs", HttpStatusCode.OK,
                "{\"total_count\":3,\"workflow_runs\":[" + string.Join(",",
                    Run(4300, "pull_request", "beta", "24", "stranger/filare"),
                    Run(4200, "schedule", "master", "23"),
                    Run(4100, "push", "master", "22")) + "]}")
            .Serve("GET", $"{Repo}/actions/runs/4200/artifacts", HttpStatusCode.OK,
                Artifacts((801, "perf-metrics-master", false), (802, "perf-metrics-beta", false)))
            .ServeBytes("GET", $"{Repo}/actions/artifacts/802/zip", Zip(root.RunFolder("base")));
        root.GitHub = github;
        var summary = root.File_("summary.md");

        var outcome = await root.RunAsync(GitHubEnvironment(root, summary), "PerfReport", "--baseline", "previous", "--baseline-branch", "beta");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("perf.yml run 200 on beta", File.ReadAllText(summary), StringComparison.Ordinal);
        Assert.DoesNotContain(github.Requests, r => r.Path.Contains("/runs/4300/", StringComparison.Ordinal));
        Assert.Contains(github.Requests, r => r.Path.EndsWith("/artifacts/802/zip", StringComparison.Ordinal));
    }
}
