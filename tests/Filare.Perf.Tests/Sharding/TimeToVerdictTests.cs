using System.Net;
using Filare.Perf.Results;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests.Sharding;

/// <summary>
/// The report's "Time to verdict" line: from GitHub's job timings (a recorded GET /actions/runs/{id}/jobs of a run with three
/// shards, Payloads/api/jobs-run-4242.json) when the report runs on GitHub, else from the merged shards' own metrics.json.
/// </summary>
public sealed class TimeToVerdictTests
{
    private const string Repo = "/repos/filare/filare";

    private static string Sharded(TestRoot root) => Path.Combine(root.Path, "outputs", "perf", "sharded");

    [Fact]
    public async Task On_github_the_line_gives_gate_slowest_shard_and_report_from_the_job_timings_and_the_slowest_shards_fixed_costs()
    {
        using var root = new TestRoot();
        ShardMergeTests.Write(root, 3, _ => "AMD EPYC 7763");
        // Shard 2 began measuring 2:40 after its PerfRun step started (10:17:30Z in the recorded jobs).
        foreach (var file in Directory.GetFiles(Sharded(root), RunMetrics.FileName, SearchOption.AllDirectories))
        {
            var metrics = MetricsStore.Read(file);
            var started = DateTimeOffset.Parse("2026-11-24T10:20:10Z", System.Globalization.CultureInfo.InvariantCulture);
            _ = new MetricsStore(Path.GetDirectoryName(file)!, metrics with { StartedAt = started });
        }
        var github = new FakeGitHub()
            .Serve("GET", $"{Repo}/actions/runs/4242", HttpStatusCode.OK,
                $$"""
                {"id":4242,"name":"perf","node_id":"R_4242","head_branch":"feature","head_sha":"{{new string('c', 40)}}",
                 "path":".github/workflows/perf.yml","run_number":88,"event":"issue_comment","status":"in_progress","workflow_id":7,
                 "created_at":"2026-11-24T10:15:00Z","updated_at":"2026-11-24T10:23:30Z","run_attempt":1}
                """)
            .Serve("GET", $"{Repo}/actions/runs/4242/jobs", HttpStatusCode.OK,
                File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "api", "jobs-run-4242.json")));
        root.GitHub = github;
        var summary = root.File_("summary.md");

        var outcome = await root.RunAsync(new Dictionary<string, string>
        {
            ["GITHUB_REPOSITORY"] = "filare/filare",
            ["GITHUB_TOKEN"] = "ghs_test",
            ["GITHUB_API_URL"] = FakeGitHub.ApiUrl,
            ["GITHUB_SERVER_URL"] = "https://github.test",
            ["GITHUB_RUN_ID"] = "4242",
            ["GITHUB_STEP_SUMMARY"] = summary,
        }, "PerfReport", "--report-input", Sharded(root), "--baseline", "none");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var report = File.ReadAllText(summary);
        // Trigger 10:15:00 → gate done 10:16:05 → slowest shard (2/3) done 10:23:05 → the comment, now.
        Assert.Matches(
            @"\*\*Time to verdict\*\* [0-9:]+( s)?: trigger → gate 1:05 → slowest shard \(2/3\) 7:00 → report [0-9:]+( s)? → comment", report);
        Assert.Contains("fixed costs of the slowest shard: container 45 s, checkout 5 s, uv cache 5 s, harness build and setup 2:40", report,
            StringComparison.Ordinal);
        Assert.Contains("(GitHub's job timings)", report, StringComparison.Ordinal);
        Assert.Contains(github.Requests, r => r.Is("GET", $"{Repo}/actions/runs/4242/jobs"));
    }

    [Fact]
    public async Task Off_github_a_merged_run_shows_its_slowest_shard_against_the_shards_one_after_another()
    {
        using var root = new TestRoot();
        ShardMergeTests.Write(root, 3, _ => "AMD EPYC 7763");
        // Shard 3 took 4 minutes longer than the others (9 minutes each).
        var third = Directory.GetFiles(Sharded(root), RunMetrics.FileName, SearchOption.AllDirectories)
            .Single(f => f.Contains("shard3of3", StringComparison.Ordinal));
        var metrics = MetricsStore.Read(third);
        _ = new MetricsStore(Path.GetDirectoryName(third)!, metrics with { FinishedAt = metrics.FinishedAt!.Value.AddMinutes(4) });

        var outcome = await root.RunAsync("PerfReport", "--report-input", Sharded(root), "--baseline", "none");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var report = File.ReadAllText(Path.Combine(Sharded(root), "report.md"));
        Assert.Contains("**Time to verdict**: slowest shard (3/3) 13:00 <sub>(the shards' own metrics.json; run one after another they would take 31:00)</sub>",
            report, StringComparison.Ordinal);
    }
}
