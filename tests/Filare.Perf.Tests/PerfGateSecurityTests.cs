using System.Net;
using System.Text.Json.Nodes;

namespace Filare.Perf.Tests;

/// <summary>
/// The gate's side of the second security pass (docs/performance/security.md): write access is asked
/// before any reply, the head must have been the head at the comment, and the code that renders the
/// report is never a branch the PR's author picked.
/// </summary>
public sealed partial class PerfGateTests
{
    private const string Permission = $"{Repo}/collaborators/kvid/permission";

    // ---- (5) write permission before any reply

    [Fact]
    public async Task A_read_only_members_malformed_command_gets_no_reply_and_the_permission_is_asked_first()
    {
        _github.Serve("GET", Permission, HttpStatusCode.OK, """{"permission":"read","role_name":"read","user":{"login":"kvid","id":7,"type":"User"}}""");

        var gate = await RunAsync("issue_comment", Comment("/run-perf demo99 +vtune @abc"));

        Assert.Equal(0, gate.ExitCode);
        Assert.Equal("false", gate.Outputs["run"]);
        Assert.Equal([$"GET {Permission}"], _github.Requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.Contains("no write access", gate.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Usage", gate.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_writers_malformed_command_is_answered_only_after_the_permission_check()
    {
        var gate = await RunAsync("issue_comment", Comment("/run-perf demo99"));

        Assert.Equal("false", gate.Outputs["run"]);
        var calls = _github.Requests.Select(r => $"{r.Method} {r.Path}").ToList();
        Assert.Equal([$"GET {Permission}", $"POST {Repo}/issues/42/comments"], calls);
    }

    // ---- (6) the head at the comment, not a head seen before it

    /// <summary>
    /// Z (the API's head) was pushed at 09:58:30Z, the author force-pushed back to X at 10:05Z, the
    /// maintainer reviewed X and commented at 10:15Z, and the author fast-forwarded to Z again at
    /// 10:16:10Z, before the gate asked for the head.
    /// </summary>
    [Fact]
    public async Task A_head_retracted_before_the_comment_and_pushed_again_after_it_is_not_profiled()
    {
        RetractedTimeline(forcePushBack: "2025-11-20T10:05:00Z");

        var gate = await RunAsync("issue_comment", Comment());

        Assert.Equal(0, gate.ExitCode);
        Assert.Equal("false", gate.Outputs["run"]);
        Assert.Equal("[]", gate.Outputs["targets"]);
        var body = JsonNode.Parse(Assert.Single(_github.Requests, r => r.Is("POST", $"{Repo}/issues/42/comments")).Body!)!["body"]!.GetValue<string>();
        Assert.Contains("force-pushed at 2025-11-20 10:05:00 UTC, after the head `e5bd391` was last pushed (2025-11-20 09:58:31 UTC) and before your comment",
            body, StringComparison.Ordinal);
        Assert.Contains($"the head is now `{ApiHead}`", body, StringComparison.Ordinal);
        Assert.DoesNotContain(_github.Requests, r => r.Path.EndsWith("/reactions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_force_push_before_the_head_was_pushed_leaves_it_the_head_at_the_comment()
    {
        // The same runs, but the force-push came before Z: Z was the head from 09:58 through the comment.
        RetractedTimeline(forcePushBack: "2025-11-20T09:40:00Z");

        var gate = await RunAsync("issue_comment", Comment());

        Assert.Equal("true", gate.Outputs["run"]);
        Assert.Contains(ApiHead, gate.Outputs["targets"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retracted_head_runs_when_the_maintainer_pins_it()
    {
        RetractedTimeline(forcePushBack: "2025-11-20T10:05:00Z");

        var gate = await RunAsync("issue_comment", Comment($"/run-perf @{ApiHead}"));

        Assert.Equal("true", gate.Outputs["run"]);
        Assert.Contains(ApiHead, gate.Outputs["targets"], StringComparison.Ordinal);
    }

    private void RetractedTimeline(string forcePushBack)
    {
        var runs = JsonNode.Parse(Api("runs-pull-request-e5bd391.json"))!;
        var again = runs["workflow_runs"]![0]!.DeepClone();
        again["id"] = 19501234999;
        again["created_at"] = "2025-11-20T10:16:10Z";
        runs["workflow_runs"]!.AsArray().Insert(0, again);
        _github.Serve("GET", $"{Repo}/actions/runs", HttpStatusCode.OK, runs.ToJsonString());
        var timeline = Api("issues-42-timeline.json").Replace("2025-11-20T09:31:02Z", forcePushBack, StringComparison.Ordinal);
        _github.Serve("GET", $"{Repo}/issues/42/timeline", HttpStatusCode.OK, timeline);
    }

    // ---- (2) the code that renders the report

    [Fact]
    public async Task A_comment_on_a_pull_request_retargeted_at_an_old_branch_is_reported_by_the_default_branch()
    {
        const string oldBranchSha = "9999999999999999999999999999999999999999";
        _github.Serve("GET", $"{Repo}/pulls/42", HttpStatusCode.OK, Api("pulls-42.json")
            .Replace("\"ref\": \"master\"", "\"ref\": \"release-0.9\"", StringComparison.Ordinal).Replace(BaseSha, oldBranchSha, StringComparison.Ordinal));
        _github.Serve("GET", $"{Repo}/compare/{oldBranchSha}...{ApiHead}", HttpStatusCode.OK, Api("compare-master-pr-42.json"));

        var gate = await RunAsync("issue_comment", Comment());

        Assert.Equal("true", gate.Outputs["run"]);
        // The merge base and the baseline follow the PR's base; the code that renders does not.
        Assert.Equal("release-0.9", gate.Outputs["baseline-branch"]);
        Assert.Equal(WorkflowSha, gate.Outputs["trusted-ref"]);
        Assert.NotEqual(oldBranchSha, gate.Outputs["trusted-ref"]);
    }

    [Theory]
    [InlineData("release-0.9", "master")]
    [InlineData("beta", BaseSha)]
    [InlineData("master", BaseSha)]
    public async Task A_labelled_pull_request_is_reported_by_its_base_only_when_that_branch_is_trusted(string baseRef, string reportRef)
    {
        var payload = Payload("pull_request.labeled.json");
        payload["pull_request"]!["base"]!["ref"] = baseRef;

        var gate = await RunAsync("pull_request", payload);

        Assert.Equal("true", gate.Outputs["run"]);
        Assert.Equal(reportRef, gate.Outputs["trusted-ref"]);
        Assert.Equal(baseRef, gate.Outputs["baseline-branch"]);
    }
}
