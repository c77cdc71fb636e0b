using System.Net;
using System.Text.Json.Nodes;
using Filare.Perf.Publishing;
using Filare.Perf.Reporting;
using Filare.Perf.Results;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests;

/// <summary>
/// perf-feedback (a write token, another run's artifact): the bot comments only for a run of this
/// repository's perf.yml that a maintainer asked for, checked through the API at feedback time.
/// The forged run of the audit: a fork's workflow uploads perf-metrics claiming PR 12.
/// </summary>
public sealed partial class PerfReportTests
{
    private const long SourceRun = 999;
    private const long PerfWorkflowId = 7;
    /// <summary>The commit metrics.json names (WriteRunAsync's head).</summary>
    private static readonly string s_profiled = new('c', 40);

    public enum Forgery { None, OtherWorkflowFile, OtherWorkflowId, NoLabel, HeadMoved, OtherHeadRepository, ClaimedCommit }

    [Theory]
    [InlineData(Forgery.OtherWorkflowFile, "ran .github/workflows/evil.yml")]
    [InlineData(Forgery.OtherWorkflowId, "(workflow 8), not this repository's .github/workflows/perf.yml (workflow 7)")]
    [InlineData(Forgery.NoLabel, "does not carry the run-perf label and run 999 was not started by a comment")]
    [InlineData(Forgery.HeadMoved, "whose head is not the commit run 999 profiled")]
    [InlineData(Forgery.OtherHeadRepository, "profiled a branch of someone-else/filare")]
    [InlineData(Forgery.ClaimedCommit, "the metrics claim commit ccccccc")]
    public async Task A_forged_or_unrequested_source_run_gets_no_pr_comment(Forgery forgery, string why)
    {
        var (github, summary, outcome) = await FeedbackAsync(forgery);

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.DoesNotContain(github.Requests, r => r.Method is "POST" or "PATCH");
        Assert.Contains(why, summary, StringComparison.Ordinal);
        // Asked of the API, not of the artifact: the run, then the repository's own workflow.
        Assert.Contains(github.Requests, r => r.Is("GET", $"{Repo}/actions/runs/{SourceRun}"));
        Assert.Contains(github.Requests, r => r.Is("GET", $"{Repo}/actions/workflows/perf.yml"));
    }

    [Fact]
    public async Task A_labelled_forks_run_of_perf_yml_gets_the_comment_whose_first_line_says_whose_code_made_the_numbers()
    {
        var (github, _, outcome) = await FeedbackAsync(Forgery.None);

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var body = JsonNode.Parse(Assert.Single(github.Requests, r => r.Is("POST", $"{Repo}/issues/12/comments")).Body!)!["body"]!.GetValue<string>();
        Assert.Equal(FeedbackAuthorization.ForkLine, body.Split('\n')[0]);
        Assert.Contains(ReportMarkdown.CommentMarker, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_a_writers_comment_started_on_the_default_branch_needs_no_label()
    {
        var (github, _, outcome) = await FeedbackAsync(Forgery.NoLabel, runEvent: "issue_comment", runBranch: "master");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Single(github.Requests, r => r.Is("POST", $"{Repo}/issues/12/comments"));
    }

    [Fact]
    public async Task A_comment_run_claimed_on_another_branch_is_not_a_comment_run()
    {
        // issue_comment runs are on the default branch; one that says otherwise proves nothing.
        var (github, _, _) = await FeedbackAsync(Forgery.NoLabel, runEvent: "issue_comment", runBranch: "fix");

        Assert.DoesNotContain(github.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task A_same_repository_pull_request_comment_has_no_fork_line()
    {
        var (github, _, _) = await FeedbackAsync(Forgery.None, headRepository: "filare/filare");

        var body = JsonNode.Parse(Assert.Single(github.Requests, r => r.Is("POST", $"{Repo}/issues/12/comments")).Body!)!["body"]!.GetValue<string>();
        Assert.StartsWith(ReportMarkdown.CommentMarker, body, StringComparison.Ordinal);
    }

    private static async Task<(FakeGitHub GitHub, string Summary, BuildOutcome Outcome)> FeedbackAsync(
        Forgery forgery, string runEvent = "pull_request", string runBranch = "fix", string headRepository = "fork/filare")
    {
        using var root = new TestRoot();
        var ci = new CiRun("github", "filare/filare", "999", "1", "pull_request", null, s_profiled, "perf", "https://github.test", 12);
        await WriteRunAsync(root, "head", [1.0, 1.0, 1.0], null, ci);
        var path = forgery == Forgery.OtherWorkflowFile ? ".github/workflows/evil.yml" : ".github/workflows/perf.yml";
        var workflowId = forgery == Forgery.OtherWorkflowId ? 8 : PerfWorkflowId;
        var runRepository = forgery == Forgery.OtherHeadRepository ? "someone-else/filare" : headRepository;
        var runHead = forgery == Forgery.ClaimedCommit ? new string('d', 40) : s_profiled;
        var head = forgery == Forgery.HeadMoved ? new string('e', 40) : runHead;
        var labels = forgery == Forgery.NoLabel ? """[{"id":1,"name":"bug"}]""" : """[{"id":1,"name":"bug"},{"id":2,"name":"Run-Perf"}]""";
        var github = new FakeGitHub()
            .Serve("GET", $"{Repo}/actions/runs/{SourceRun}", HttpStatusCode.OK,
                $$$"""{"id":999,"name":"perf","head_branch":"{{{runBranch}}}","head_sha":"{{{runHead}}}","path":"{{{path}}}","run_number":""" +
                    $$$"""5,"event":"{{{runEvent}}}","status":"completed","conclusion":"success","workflow_id":{{{workflowId}}},"created_at":"2026-11-24T""" +
                    $$$"""03:00:00Z","updated_at":"2026-11-24T03:20:00Z","run_attempt":1,"head_repository":{"id":""" +
                    $$$"""5,"name":"filare","full_name":"{{{runRepository}}}"}}""")
            .Serve("GET", $"{Repo}/actions/workflows/perf.yml", HttpStatusCode.OK,
                """{"id":7,"node_id":"W_7","name":"perf","path":".github/workflows/perf.yml","state":"active","created_at":"2025-01-01T00:00:""" +
                    """00Z","updated_at":"2025-01-01T00:00:00Z","url":"x","html_url":"x","badge_url":"x"}""")
            .Serve("GET", $"{Repo}/pulls/12", HttpStatusCode.OK,
                $$$"""{"id":1,"number":12,"state":"open","title":"t","labels":{{{labels}}},"head":{"ref":"fix","sha":"{{{head}}}","label":"fork:""" +
                    $$$"""fix","repo":{"id":5,"name":"filare","full_name":"{{{headRepository}}}"}},"base":""" +
                    $$$"""{"ref":"master","sha":"{{{new string('f', 40)}}}","label":"filare:master"}}""")
            .Serve("GET", $"{Repo}/issues/12/comments", HttpStatusCode.OK, "[]")
            .Serve("POST", $"{Repo}/issues/12/comments", HttpStatusCode.Created, """{"id":556,"body":"x","user":""" +
                """{"login":"github-actions[bot]","type":"Bot"}}""");
        root.GitHub = github;
        var summary = root.File_("summary.md");
        var environment = GitHubEnvironment(root, summary);
        environment["FIL_PERF_SOURCE_RUN"] = SourceRun.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // The feedback workflow (workflow_run) runs on the default branch.
        environment["GITHUB_REF_NAME"] = "master";

        var outcome = await root.RunAsync(environment, "PerfReport");

        return (github, File.Exists(summary) ? File.ReadAllText(summary) : "", outcome);
    }
}
