using Filare.Perf.History;
using Filare.Perf.Results;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests.History;

/// <summary>Downloaded metrics are data from a run: every field a record takes is checked.</summary>
public sealed class HistoryIntakeTests
{
    private static readonly DateTimeOffset s_night = new(2026, 11, 30, 3, 0, 0, TimeSpan.Zero);
    private static readonly HistorySource s_anywhere = new(null, [], "https://github.com/filare/filare/actions/runs/42", "filare/filare");

    [Fact]
    public void A_run_becomes_one_record_per_measured_scenario_with_its_median_and_interval()
    {
        var run = HistoryData.Run("nightly-master", HistoryData.Sha(9).ToUpperInvariant(), "master", s_night, ("demo01", [1.3, 1.0, 1.1, 1.2, 1.4]),
            ("bom", [0.5, 0.6]));
        run = run with { Scenarios = [.. run.Scenarios, HistoryData.Scenario("skipped-one", [], ScenarioStatus.Skipped),
            HistoryData.Scenario("broken", [], ScenarioStatus.Failed)] };

        var (records, problems) = HistoryIntake.FromRun(run, "m.json", s_anywhere);

        Assert.Empty(problems);
        Assert.Equal(["demo01", "bom", "broken"], records.Select(r => r.Scenario));
        var demo = records[0];
        Assert.Equal(("master", HistoryData.Sha(9), 5), (demo.Branch, demo.Commit, demo.Runs));
        Assert.Equal((1.2, 1.0, 1.4), (demo.WallSeconds!.Median, demo.WallSeconds.Low, demo.WallSeconds.High));
        Assert.Equal("https://github.com/filare/filare/actions/runs/42", demo.RunUrl);
        Assert.Equal((ScenarioStatus.Failed, null), (records[2].Status, records[2].WallSeconds));
    }

    [Theory]
    [InlineData(null, "master", "not a 40-hex commit")]
    [InlineData("abc123", "master", "not a 40-hex commit")]
    [InlineData("sha", "HEAD", "branch 'HEAD' cannot be filed")]
    [InlineData("sha", "../../etc", "cannot be filed")]
    [InlineData("sha", "a b", "cannot be filed")]
    public void A_run_without_a_commit_or_with_a_branch_that_cannot_be_a_folder_is_refused_naming_the_file(string? commit, string branch, string expected)
    {
        var run = HistoryData.Run("r", commit == "sha" ? HistoryData.Sha(1) : commit, branch, s_night, ("demo01", [1.0]));

        var (records, problems) = HistoryIntake.FromRun(run, "artifacts/x/metrics.json", s_anywhere);

        Assert.Empty(records);
        var problem = Assert.Single(problems);
        Assert.StartsWith("artifacts/x/metrics.json: ", problem, StringComparison.Ordinal);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_workflow_branch_overrides_the_runs_and_only_configured_branches_are_kept()
    {
        var run = HistoryData.Run("r", HistoryData.Sha(1), "HEAD", s_night, ("demo01", [1.0]));

        var (records, _) = HistoryIntake.FromRun(run, "m", s_anywhere with { Branch = "beta", AllowedBranches = ["beta", "master"] });
        var (refused, problems) = HistoryIntake.FromRun(run, "m", s_anywhere with { Branch = "feature", AllowedBranches = ["beta", "master"] });

        Assert.Equal("beta", Assert.Single(records).Branch);
        Assert.Empty(refused);
        Assert.Contains("not one the history keeps (beta, master)", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void A_dirty_checkout_an_odd_scenario_name_and_impossible_samples_are_left_out()
    {
        var dirty = HistoryData.Run("r", HistoryData.Sha(1), "master", s_night, ("demo01", [1.0]));
        dirty = dirty with { Environment = dirty.Environment with { FilareDirty = true } };
        var odd = HistoryData.Run("r", HistoryData.Sha(1), "master", s_night, ("](https://evil)", [1.0]), ("neg", [-1.0, 1.0]), ("fine", [1.0]));

        var (none, dirtyProblems) = HistoryIntake.FromRun(dirty, "d.json", s_anywhere);
        var (records, problems) = HistoryIntake.FromRun(odd, "o.json", s_anywhere);

        Assert.Empty(none);
        Assert.Contains("uncommitted changes", Assert.Single(dirtyProblems), StringComparison.Ordinal);
        Assert.Equal(["neg", "fine"], records.Select(r => r.Scenario));
        Assert.Equal(ScenarioStatus.Error, records[0].Status);
        Assert.Null(records[0].WallSeconds);
        Assert.Equal(2, problems.Count);
        Assert.DoesNotContain("https://", problems[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_metrics_is_reported_and_the_others_are_still_read()
    {
        using var root = new TestRoot();
        var bad = Path.Combine(root.Path, "bad.json");
        File.WriteAllText(bad, "{ nope");
        var folder = Path.Combine(root.Path, "good");
        _ = new MetricsStore(folder, HistoryData.Run("g", HistoryData.Sha(2), "master", s_night, ("demo01", [1.0])));

        var (records, problems) = HistoryIntake.Read([bad, Path.Combine(folder, RunMetrics.FileName)], s_anywhere);

        Assert.Single(records);
        Assert.StartsWith(bad + ": not a readable metrics.json", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void The_run_url_is_built_from_the_runners_environment_and_refused_when_malformed()
    {
        var (url, repository) = HistoryRecorder.FromEnvironment(new Dictionary<string, string>
        {
            ["GITHUB_REPOSITORY"] = "filare/filare", ["GITHUB_RUN_ID"] = "123", ["GITHUB_SERVER_URL"] = "https://github.com",
        });
        var (bad, badRepository) = HistoryRecorder.FromEnvironment(new Dictionary<string, string>
        {
            ["GITHUB_REPOSITORY"] = "x/y)](javascript:1", ["GITHUB_RUN_ID"] = "1",
        });

        Assert.Equal(("https://github.com/filare/filare/actions/runs/123", "filare/filare"), (url, repository));
        Assert.Equal((null, null), (bad, badRepository));
    }
}
