using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Filare.Perf.Actions;
using Filare.Perf.Engine;
using Filare.Perf.Gate;
using Filare.Perf.Tests.Support;
using Spectre.Console;
using Filare.Perf.Git;

namespace Filare.Perf.Tests;

/// <summary>
/// PerfGate through the real build, in-process: a webhook payload file (Payloads/, modelled on
/// GitHub's documented payloads) and the GITHUB_* variables in, the GITHUB_OUTPUT file out.
/// GitHub's REST API is a fake HttpMessageHandler serving recorded-style responses (Payloads/api/)
/// at a GitHub Enterprise-style base address, and recording every request.
/// </summary>
public sealed partial class PerfGateTests : IDisposable
{
    /// <summary>Base of every pull request in the payloads (master).</summary>
    private const string BaseSha = "6dcb09b5b57875f334f61aebed695e2e4193db5e";

    /// <summary>pull_request.head.sha in the pull_request payloads.</summary>
    private const string PayloadHead = "c7a5b6f0d2b3e1f49a8d7c6b5a4f3e2d1c0b9a88";

    /// <summary>The head the fake API reports for PR 42 (issue_comment payloads carry no
    /// commit), committed 09:58:12Z, first seen by GitHub 09:58:30Z.</summary>
    private const string ApiHead = "e5bd3914e2e596debea16f433f57875b5b90bcd6";

    /// <summary>The PR's first commit (2025-11-19).</summary>
    private const string FirstCommit = "a1f0b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3";

    /// <summary>Where PR 42 left master (compare-master-pr-42.json); master has moved on to <see cref="BaseSha"/> since.</summary>
    private const string MergeBase = "4e2f9c1a7b3d5e6f8091a2b3c4d5e6f708192a3b";

    /// <summary>"after" of push.json.</summary>
    private const string PushedSha = "7fd1a60b01f91b314f59955a4e4d4e80d8edf11d";

    /// <summary>GITHUB_SHA: the default branch's commit the workflow itself runs from.</summary>
    private const string WorkflowSha = "0123456789abcdef0123456789abcdef01234567";

    private const long CommentId = 2543219876;
    private const string ApiUrl = "https://ghe.example.test/api/v3";
    private const string Repo = "/api/v3/repos/filare/filare";

    private readonly TestRoot _root = new TestRoot()
        .FixtureScenario("bomqty", "--work 1")
        .FixtureScenario("demo01", "--work 1")
        .FixtureScenario("rendering", "--work 1");

    private readonly FakeGitHub _github = new(ApiUrl);

    public PerfGateTests()
    {
        _github.Serve("GET", $"{Repo}/pulls/42", HttpStatusCode.OK, Api("pulls-42.json"));
        _github.Serve("GET", $"{Repo}/collaborators/kvid/permission", HttpStatusCode.OK, """{"permission":"write","role_name":"write","user":""" +
            """{"login":"kvid","id":7,"type":"User"}}""");
        _github.Serve("GET", $"{Repo}/pulls/42/commits", HttpStatusCode.OK, Api("pulls-42-commits.json"));
        _github.Serve("POST", $"{Repo}/issues/42/comments", HttpStatusCode.Created, Api("issue-comment-created.json"));
        // When GitHub first saw the API's head (its pull_request runs, 09:58:30Z) and the branch's force-pushes (one, at 09:31Z).
        _github.Serve("GET", $"{Repo}/actions/runs", HttpStatusCode.OK, Api("runs-pull-request-e5bd391.json"));
        _github.Serve("GET", $"{Repo}/issues/42/timeline", HttpStatusCode.OK, Api("issues-42-timeline.json"));
        _github.Serve("POST", $"{Repo}/issues/comments/{CommentId}/reactions", HttpStatusCode.Created, Api("reaction-created.json"));
        foreach (var head in new[] { PayloadHead, ApiHead, FirstCommit })
        {
            _github.Serve("GET", ComparePath(head), HttpStatusCode.OK, Api("compare-master-pr-42.json"));
        }
    }

    public void Dispose() => _root.Dispose();

    // ---- pull_request

    [Fact]
    public async Task Adding_the_label_runs_the_head_of_the_pull_request()
    {
        var gate = await RunAsync("pull_request", Payload("pull_request.labeled.json"));

        Assert.Equal(0, gate.ExitCode);
        Assert.Equal("true", gate.Outputs["run"]);
        Assert.Equal($$"""[{"ref":"{{PayloadHead}}","suffix":"","label":"pr-42-c7a5b6f","compare":"{{MergeBase}}"}]""", gate.Outputs["targets"]);
        Assert.Equal("", gate.Outputs["scenarios"]);
        Assert.Equal("pyspy scalene importtime", gate.Outputs["profilers"]);
        Assert.Equal("previous", gate.Outputs["baseline"]);
        Assert.Equal("42", gate.Outputs["pr"]);
        Assert.Equal("pr-42", gate.Outputs["group"]);
        Assert.Equal(BaseSha, gate.Outputs["trusted-ref"]);
        Assert.Equal("master", gate.Outputs["baseline-branch"]);
        // The one call a labelled PR makes: its merge base.
        Assert.Equal([$"GET {ComparePath(PayloadHead)}"], _github.Requests.Select(r => $"{r.Method} {r.Path}"));
    }

    [Fact]
    public async Task Another_label_on_a_pull_request_that_has_run_perf_does_not_run()
    {
        var gate = await RunAsync("pull_request", Payload("pull_request.labeled-other.json"));

        Assert.Equal(0, gate.ExitCode);
        Assert.Equal("false", gate.Outputs["run"]);
        Assert.Equal("[]", gate.Outputs["targets"]);
        Assert.Contains("documentation", gate.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_commits_on_a_labelled_pull_request_run_again()
    {
        var gate = await RunAsync("pull_request", Payload("pull_request.synchronize.json"));

        Assert.Equal("true", gate.Outputs["run"]);
        Assert.Contains(PayloadHead, gate.Outputs["targets"], StringComparison.Ordinal);
        Assert.Equal(BaseSha, gate.Outputs["trusted-ref"]);
    }

    [Fact]
    public async Task New_commits_on_an_unlabelled_pull_request_do_not_run()
    {
        var gate = await RunAsync("pull_request", Payload("pull_request.synchronize-unlabeled.json"));

        Assert.Equal(0, gate.ExitCode);
        Assert.Equal("false", gate.Outputs["run"]);
        Assert.Equal("", gate.Outputs["trusted-ref"]);
    }

    [Theory]
    [InlineData("opened")]
    [InlineData("reopened")]
    public async Task Opening_a_labelled_pull_request_records_its_head_but_does_not_run(string action)
    {
        // perf.yml listens to opened/reopened only so that GitHub stamps a run for every head.
        var payload = Payload("pull_request.synchronize.json");
        payload["action"] = action;

        var gate = await RunAsync("pull_request", payload);

        Assert.Equal(0, gate.ExitCode);
        Assert.Equal("false", gate.Outputs["run"]);
        Assert.Empty(_github.Requests);
    }

    // ---- the merge base a pull request run is measured against

    [Fact]
    public async Task A_labelled_pull_request_is_measured_against_the_merge_base_not_the_base_branch_tip()
    {
        var gate = await RunAsync("pull_request", Payload("pull_request.synchronize.json"));

        Assert.Equal("true", gate.Outputs["run"]);
        var target = Assert.Single(Targets(gate));
        Assert.Equal(PayloadHead, target["ref"]);
        Assert.Equal(MergeBase, target["compare"]);
        // Asked with the base branch's commit from the payload and the head the run checks out.
        var request = Assert.Single(_github.Requests);
        Assert.True(request.Is("GET", ComparePath(PayloadHead)), request.Path);
        Assert.Contains("ghs_gate_token", request.Authorization, StringComparison.Ordinal);
        Assert.Contains($"compared with {MergeBase} on the same runner", gate.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_perf_comment_is_measured_against_the_merge_base_of_the_head_it_resolved()
    {
        var gate = await RunAsync("issue_comment", Comment());

        var target = Assert.Single(Targets(gate));
        Assert.Equal(ApiHead, target["ref"]);
        Assert.Equal(MergeBase, target["compare"]);
        Assert.Single(_github.Requests, r => r.Is("GET", ComparePath(ApiHead)));
        Assert.DoesNotContain(_github.Requests, r => r.Path.Contains("/compare/", StringComparison.Ordinal) && !r.Is("GET", ComparePath(ApiHead)));
    }

    [Fact]
    public async Task A_pinned_commit_is_measured_against_its_own_merge_base()
    {
        _github.Serve("GET", ComparePath(FirstCommit), HttpStatusCode.OK,
            Api("compare-master-pr-42.json").Replace(MergeBase, "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a", StringComparison.Ordinal));

        var gate = await RunAsync("issue_comment", Comment($"/run-perf @{FirstCommit}"));

        var target = Assert.Single(Targets(gate));
        Assert.Equal(FirstCommit, target["ref"]);
        Assert.Equal("5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a", target["compare"]);
    }

    public static TheoryData<HttpStatusCode, string, string> CompareFailures() => new()
    {
        // The head's commit is gone from GitHub (force-pushed away, the fork deleted).
        { HttpStatusCode.NotFound, """{"message":"Not Found","documentation_url":"https://docs.github.com/rest/commits/commits#compare-two-commits","stat""" +
            """us":"404"}""", "404" },
        { HttpStatusCode.Forbidden, """{"message":"Resource not accessible by """ +
            """integration","documentation_url":"https://docs.github.com/rest/commits/commits#compare-two-commits","status":"403"}""", "403" },
        { HttpStatusCode.InternalServerError, """{"message":"Server Error"}""", "500" },
        // Answered, but with no commit id fit for a git argument.
        { HttpStatusCode.OK, """{"status":"diverged","ahead_by":1,"behind_by":0,"total_commits":1,"merge_base_commit":""" +
            """{"sha":"--upload-pack=touch /tmp/x"},"commits":[],"files":[]}""", "not a commit SHA" },
        { HttpStatusCode.OK, """{"status":"diverged","ahead_by":1,"behind_by":0,"total_commits":1,"commits":[],"files":[]}""", "not a commit SHA" },
    };

    [Theory]
    [MemberData(nameof(CompareFailures))]
    public async Task Without_a_merge_base_the_run_goes_ahead_on_the_head_alone_with_a_notice(HttpStatusCode status, string body, string why)
    {
        _github.Serve("GET", ComparePath(PayloadHead), status, body);

        var gate = await RunAsync("pull_request", Payload("pull_request.labeled.json"));

        Assert.Equal(0, gate.ExitCode);
        Assert.Equal("true", gate.Outputs["run"]);
        var target = Assert.Single(Targets(gate));
        Assert.Equal(PayloadHead, target["ref"]);
        Assert.Equal("", target["compare"]);
        var notice = Assert.Single(gate.Output.Split('\n'), l => l.StartsWith("::notice ", StringComparison.Ordinal));
        Assert.StartsWith("::notice title=PerfGate::No merge base of c7a5b6f", notice, StringComparison.Ordinal);
        Assert.Contains("measures the head only", notice, StringComparison.Ordinal);
        Assert.Contains(why, notice, StringComparison.Ordinal);
        Assert.DoesNotContain("--upload-pack", gate.Outputs["targets"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rate_limited_merge_base_lookup_does_not_stop_the_run()
    {
        _github.Serve("GET", ComparePath(ApiHead), HttpStatusCode.Forbidden,
            """{"message":"API rate limit exceeded for installation ID """ +
                """51234567.","documentation_url":"https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting","status":"403"}""",
            new Dictionary<string, string> { ["X-RateLimit-Limit"] = "1000", ["X-RateLimit-Remaining"] = "0", ["X-RateLimit-Reset"] = "1763633700",
                ["X-RateLimit-Resource"] = "core" });

        var gate = await RunAsync("issue_comment", Comment());

        Assert.Equal(0, gate.ExitCode);
        Assert.Equal("true", gate.Outputs["run"]);
        Assert.Equal("", Assert.Single(Targets(gate))["compare"]);
        Assert.Contains("::notice title=PerfGate::No merge base", gate.Output, StringComparison.Ordinal);
        Assert.Contains("rate limit", gate.Output, StringComparison.Ordinal);
        // The accepted command is still acknowledged.
        Assert.Single(_github.Requests, r => r.Is("POST", $"{Repo}/issues/comments/{CommentId}/reactions"));
    }

    [Fact]
    public async Task An_unreachable_api_for_the_merge_base_does_not_stop_the_run()
    {
        _github.Fail("GET", ComparePath(PayloadHead), new HttpRequestException("Connection reset by peer"));

        var gate = await RunAsync("pull_request", Payload("pull_request.labeled.json"));

        Assert.Equal(0, gate.ExitCode);
        Assert.Equal("true", gate.Outputs["run"]);
        Assert.Equal("", Assert.Single(Targets(gate))["compare"]);
        Assert.Contains("Connection reset by peer", gate.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_notice_cannot_end_its_workflow_command_early()
    {
        var console = new StringWriter();

        GateRunner.Annotate(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console) }), "first\n::error::injected 100%");

        Assert.Equal("::notice title=PerfGate::first%0A::error::injected 100%25" + Environment.NewLine, console.ToString());
    }

    // ---- issue_comment

    [Theory]
    [InlineData("MEMBER")]
    [InlineData("OWNER")]
    [InlineData("COLLABORATOR")]
    public async Task A_trusted_run_perf_comment_runs_the_head_the_api_reports(string association)
    {
        var gate = await RunAsync("issue_comment", Comment(association: association));

        Assert.Equal(0, gate.ExitCode);
        Assert.Equal("true", gate.Outputs["run"]);
        Assert.Equal($$"""[{"ref":"{{ApiHead}}","suffix":"","label":"pr-42-e5bd391","compare":"{{MergeBase}}"}]""", gate.Outputs["targets"]);
        Assert.Equal("pyspy scalene importtime", gate.Outputs["profilers"]);
        Assert.Equal("42", gate.Outputs["pr"]);
        Assert.Equal("pr-42", gate.Outputs["group"]);
        Assert.Equal(BaseSha, gate.Outputs["trusted-ref"]);
        Assert.Equal("master", gate.Outputs["baseline-branch"]);
        Assert.Contains(_github.Requests, r => r.Is("GET", $"{Repo}/pulls/42"));
        var reaction = Assert.Single(_github.Requests, r => r.Is("POST", $"{Repo}/issues/comments/{CommentId}/reactions"));
        Assert.Equal("eyes", JsonNode.Parse(reaction.Body!)!["content"]!.GetValue<string>());
        Assert.Contains("ghs_gate_token", reaction.Authorization, StringComparison.Ordinal);
        Assert.DoesNotContain(_github.Requests, r => r.Method == "POST" && r.Path.EndsWith("/issues/42/comments", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("CONTRIBUTOR")]
    [InlineData("NONE")]
    [InlineData("FIRST_TIME_CONTRIBUTOR")]
    [InlineData("FIRST_TIMER")]
    [InlineData("MANNEQUIN")]
    public async Task An_untrusted_run_perf_comment_does_not_run_and_calls_no_api(string association)
    {
        var gate = await RunAsync("issue_comment", Comment("/run-perf nosuchscenario", association: association));

        Assert.Equal(0, gate.ExitCode);
        Assert.Equal("false", gate.Outputs["run"]);
        Assert.Equal("[]", gate.Outputs["targets"]);
        Assert.Empty(_github.Requests);
        Assert.Contains(association, gate.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_comment_on_a_plain_issue_does_not_run()
    {
        var gate = await RunAsync("issue_comment", Payload("issue_comment.created-on-issue.json"));

        Assert.Equal("false", gate.Outputs["run"]);
        Assert.Empty(_github.Requests);
        Assert.Contains("not on a pull request", gate.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_edited_comment_does_not_run()
    {
        var gate = await RunAsync("issue_comment", Payload("issue_comment.edited.json"));

        Assert.Equal(0, gate.ExitCode);
        Assert.Equal("false", gate.Outputs["run"]);
        Assert.Empty(_github.Requests);
        Assert.Contains("only new comments", gate.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Could you /run-perf on this?")]
    [InlineData("LGTM\n/run-perf")]
    [InlineData(" /run-perf")]
    [InlineData("/run-perfx")]
    [InlineData("/run-perf-all demo01")]
    public async Task Run_perf_anywhere_but_at_the_start_of_the_first_line_is_not_a_command(string body)
    {
        var gate = await RunAsync("issue_comment", Comment(body));

        Assert.Equal(0, gate.ExitCode);
        Assert.Equal("false", gate.Outputs["run"]);
        Assert.Empty(_github.Requests);
    }

    [Fact]
    public async Task Comment_arguments_choose_scenarios_and_profilers()
    {
        var gate = await RunAsync("issue_comment", Comment("/run-perf demo01 +memray -scalene\nbecause BOM rows got slower"));

        Assert.Equal("true", gate.Outputs["run"]);
        Assert.Equal("demo01", gate.Outputs["scenarios"]);
        Assert.Equal("pyspy memray importtime", gate.Outputs["profilers"]);
        Assert.Contains(ApiHead, gate.Outputs["targets"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_command_alone_with_windows_line_endings_runs_everything()
    {
        // The payload's body is "/run-perf\r\n\r\nThe BOM cache should show up in `bomqty`."
        var gate = await RunAsync("issue_comment", Payload("issue_comment.created.json"));

        Assert.Equal("true", gate.Outputs["run"]);
        Assert.Equal("", gate.Outputs["scenarios"]);
    }

    [Fact]
    public async Task Unknown_names_are_answered_with_the_usage_and_never_run()
    {
        var gate = await RunAsync("issue_comment", Comment("/run-perf demo99 +vtune"));

        Assert.Equal(0, gate.ExitCode);
        Assert.Equal("false", gate.Outputs["run"]);
        Assert.Equal("[]", gate.Outputs["targets"]);
        var reply = Assert.Single(_github.Requests, r => r.Is("POST", $"{Repo}/issues/42/comments"));
        var body = JsonNode.Parse(reply.Body!)!["body"]!.GetValue<string>();
        Assert.Contains("unknown scenario `demo99`", body, StringComparison.Ordinal);
        Assert.Contains("unknown profiler `+vtune`", body, StringComparison.Ordinal);
        Assert.Contains("`bomqty`, `demo01`, `rendering`", body, StringComparison.Ordinal);
        Assert.Contains("`pyspy`, `scalene`, `memray`, `cprofile`", body, StringComparison.Ordinal);
        // Only the permission is asked, first; nothing about the PR is looked at for a malformed command.
        Assert.Equal([$"GET {Repo}/collaborators/kvid/permission", $"POST {Repo}/issues/42/comments"], _github.Requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.DoesNotContain(_github.Requests, r => r.Path.EndsWith("/reactions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_token_the_usage_is_printed_instead_of_posted()
    {
        var gate = await RunAsync("issue_comment", Comment("/run-perf demo99"), new() { ["GITHUB_TOKEN"] = "" });

        Assert.Equal(0, gate.ExitCode);
        Assert.Equal("false", gate.Outputs["run"]);
        Assert.Equal([$"GET {Repo}/collaborators/kvid/permission"], _github.Requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.Contains("No GITHUB_TOKEN", gate.Output, StringComparison.Ordinal);
        Assert.Contains("unknown scenario `demo99`", gate.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pinned_commit_of_the_pull_request_runs_that_commit()
    {
        var gate = await RunAsync("issue_comment", Comment($"/run-perf bomqty @{FirstCommit.ToUpperInvariant()}"));

        Assert.Equal("true", gate.Outputs["run"]);
        Assert.Equal($$"""[{"ref":"{{FirstCommit}}","suffix":"","label":"pr-42-a1f0b2c","compare":"{{MergeBase}}"}]""", gate.Outputs["targets"]);
        Assert.Equal("bomqty", gate.Outputs["scenarios"]);
        Assert.Contains(_github.Requests, r => r.Is("GET", $"{Repo}/pulls/42/commits"));
    }

    [Fact]
    public async Task A_member_without_write_access_to_the_repository_starts_nothing()
    {
        // author_association MEMBER only says "member of the organization"; the permission decides.
        _github.Serve("GET", $"{Repo}/collaborators/kvid/permission", HttpStatusCode.OK, """{"permission":"read","role_name":"triage","user":""" +
            """{"login":"kvid","id":7,"type":"User"}}""");

        var gate = await RunAsync("issue_comment", Comment());

        Assert.Equal("false", gate.Outputs["run"]);
        Assert.DoesNotContain(_github.Requests, r => r.Is("GET", $"{Repo}/pulls/42"));
        Assert.DoesNotContain(_github.Requests, r => r.Method == "POST");
    }

    [Theory]
    [InlineData(7)]
    [InlineData(12)]
    [InlineData(39)]
    public async Task A_pin_shorter_than_a_full_sha_is_refused_with_the_reason(int digits)
    {
        var gate = await RunAsync("issue_comment", Comment($"/run-perf @{FirstCommit[..digits]}"));

        Assert.Equal(0, gate.ExitCode);
        Assert.Equal("false", gate.Outputs["run"]);
        Assert.Equal("[]", gate.Outputs["targets"]);
        var reply = JsonNode.Parse(Assert.Single(_github.Requests, r => r.Is("POST", $"{Repo}/issues/42/comments")).Body!)!["body"]!.GetValue<string>();
        Assert.Contains($"`@{FirstCommit[..digits]}` is not a full commit SHA: pin with @ and all 40 hex digits", reply, StringComparison.Ordinal);
        Assert.Contains("collide", reply, StringComparison.Ordinal);
        // Refused from the comment alone: no commit list is looked at, so no prefix can match anything.
        Assert.Equal([$"GET {Repo}/collaborators/kvid/permission"], _github.Requests.Where(r => r.Method == "GET").Select(r => r.Path).Select(p => $"GET {p}"));
    }

    [Fact]
    public async Task A_full_sha_pin_of_the_pull_request_runs_that_commit_whatever_the_head_is()
    {
        var gate = await RunAsync("issue_comment", Comment($"/run-perf @{FirstCommit}", createdAt: "2025-11-19T15:00:00Z"));

        Assert.Equal("true", gate.Outputs["run"]);
        Assert.Equal(FirstCommit, Assert.Single(Targets(gate))["ref"]);
        // A pin needs no timing evidence: it names exactly one commit.
        Assert.DoesNotContain(_github.Requests, r =>
            r.Path.EndsWith("/actions/runs", StringComparison.Ordinal) || r.Path.EndsWith("/timeline", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_back_dated_head_pushed_after_the_comment_is_not_profiled()
    {
        // The head's committer date (09:58:12Z) is before the comment (10:15Z) because its author set
        // it so; GitHub only saw the commit at 10:16:05Z, when its pull_request runs started.
        _github.Serve("GET", $"{Repo}/actions/runs", HttpStatusCode.OK,
            Api("runs-pull-request-e5bd391.json").Replace("2025-11-20T09:58:30Z", "2025-11-20T10:16:05Z", StringComparison.Ordinal)
                .Replace("2025-11-20T09:58:31Z", "2025-11-20T10:16:06Z", StringComparison.Ordinal));

        var gate = await RunAsync("issue_comment", Comment());

        Assert.Equal(0, gate.ExitCode);
        Assert.Equal("false", gate.Outputs["run"]);
        Assert.Equal("[]", gate.Outputs["targets"]);
        Assert.DoesNotContain(ApiHead, gate.Outputs["targets"], StringComparison.Ordinal);
        var body = JsonNode.Parse(Assert.Single(_github.Requests, r => r.Is("POST", $"{Repo}/issues/42/comments")).Body!)!["body"]!.GetValue<string>();
        Assert.Contains("reached GitHub at 2025-11-20 10:16:05 UTC, after your comment (2025-11-20 10:15:00 UTC)", body, StringComparison.Ordinal);
        Assert.Contains($"the head is now `{ApiHead}`", body, StringComparison.Ordinal);
        Assert.DoesNotContain(_github.Requests, r => r.Path.EndsWith("/reactions", StringComparison.Ordinal));
        var runs = Assert.Single(_github.Requests, r => r.Is("GET", $"{Repo}/actions/runs"));
        Assert.Contains($"head_sha={ApiHead}", runs.Query, StringComparison.Ordinal);
        Assert.Contains("event=pull_request", runs.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_force_push_back_to_an_older_head_after_the_comment_is_not_profiled()
    {
        // The head was first seen at 09:58:30Z, before the comment; but the branch was force-pushed
        // (back to it) at 10:20Z, after the comment, which reviewed whatever was there in between.
        _github.Serve("GET", $"{Repo}/issues/42/timeline", HttpStatusCode.OK,
            Api("issues-42-timeline.json").Replace("2025-11-20T09:31:02Z", "2025-11-20T10:20:00Z", StringComparison.Ordinal));

        var gate = await RunAsync("issue_comment", Comment());

        Assert.Equal("false", gate.Outputs["run"]);
        var body = JsonNode.Parse(Assert.Single(_github.Requests, r => r.Is("POST", $"{Repo}/issues/42/comments")).Body!)!["body"]!.GetValue<string>();
        Assert.Contains("force-pushed at 2025-11-20 10:20:00 UTC, after your comment", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_head_github_never_ran_for_this_fork_is_not_profiled()
    {
        // Runs of the same commit from another repository say nothing about when this PR's branch got it.
        _github.Serve("GET", $"{Repo}/actions/runs", HttpStatusCode.OK,
            Api("runs-pull-request-e5bd391.json").Replace("wire-harness-fan/filare", "someone-else/filare", StringComparison.Ordinal));

        var gate = await RunAsync("issue_comment", Comment());

        Assert.Equal("false", gate.Outputs["run"]);
        var body = JsonNode.Parse(Assert.Single(_github.Requests, r => r.Is("POST", $"{Repo}/issues/42/comments")).Body!)!["body"]!.GetValue<string>();
        Assert.Contains("GitHub has no pull_request run of the head `e5bd391`", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_huge_comment_gets_a_usage_reply_of_at_most_two_thousand_characters_and_ten_errors()
    {
        var words = string.Join(' ', Enumerable.Range(0, 32_000).Select(i => $"nosuch{i}"));

        var gate = await RunAsync("issue_comment", Comment($"/run-perf {words}"));

        Assert.Equal("false", gate.Outputs["run"]);
        var body = JsonNode.Parse(Assert.Single(_github.Requests, r => r.Is("POST", $"{Repo}/issues/42/comments")).Body!)!["body"]!.GetValue<string>();
        Assert.InRange(body.Length, 200, RunPerfCommand.MaxReply);
        Assert.Equal(10, System.Text.RegularExpressions.Regex.Count(body, "unknown scenario"));
        Assert.Contains("and 31990 more", body, StringComparison.Ordinal);
        Assert.Contains("Usage: `/run-perf", body, StringComparison.Ordinal);
        Assert.True(gate.Output.Length < 20_000, $"the log got {gate.Output.Length} characters");
    }

    [Fact]
    public async Task A_pinned_head_runs_even_when_the_head_is_newer_than_the_comment()
    {
        var gate = await RunAsync("issue_comment", Comment($"/run-perf @{ApiHead}", createdAt: "2025-11-20T09:00:00Z"));

        Assert.Equal("true", gate.Outputs["run"]);
        Assert.Contains(ApiHead, gate.Outputs["targets"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pinned_commit_outside_the_pull_request_is_refused_with_a_reply()
    {
        var gate = await RunAsync("issue_comment", Comment($"/run-perf @{PushedSha}"));

        Assert.Equal(0, gate.ExitCode);
        Assert.Equal("false", gate.Outputs["run"]);
        var reply = Assert.Single(_github.Requests, r => r.Is("POST", $"{Repo}/issues/42/comments"));
        Assert.Contains("is not a commit of this pull request", reply.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(_github.Requests, r => r.Path.EndsWith("/reactions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_head_that_reached_github_after_the_comment_is_refused_with_a_reply()
    {
        // GitHub first saw the head at 09:58:30Z; this comment is from 09:45.
        var gate = await RunAsync("issue_comment", Comment(createdAt: "2025-11-20T09:45:00Z"));

        Assert.Equal(0, gate.ExitCode);
        Assert.Equal("false", gate.Outputs["run"]);
        Assert.Equal("[]", gate.Outputs["targets"]);
        var reply = Assert.Single(_github.Requests, r => r.Is("POST", $"{Repo}/issues/42/comments"));
        var body = JsonNode.Parse(reply.Body!)!["body"]!.GetValue<string>();
        Assert.Contains("after your comment", body, StringComparison.Ordinal);
        Assert.Contains("`/run-perf @<sha>`", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_reaction_is_logged_and_the_run_goes_ahead()
    {
        _github.Serve("POST", $"{Repo}/issues/comments/{CommentId}/reactions", HttpStatusCode.Forbidden,
            """{"message":"Resource not accessible by """ +
                """integration","documentation_url":"https://docs.github.com/rest/reactions/reactions#create-reaction-for-an-issue-comment","status":"40""" +
                """3"}""");

        var gate = await RunAsync("issue_comment", Comment());

        Assert.Equal(0, gate.ExitCode);
        Assert.Equal("true", gate.Outputs["run"]);
        Assert.Contains("could not post the", gate.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_pull_request_fails_the_gate()
    {
        _github.Serve("GET", $"{Repo}/pulls/42", HttpStatusCode.InternalServerError, """{"message":"Server Error"}""");

        var gate = await RunAsync("issue_comment", Comment());

        Assert.Equal(1, gate.ExitCode);
        Assert.Contains("/pulls/42", gate.Output, StringComparison.Ordinal);
        Assert.False(gate.Outputs.ContainsKey("run"));
    }

    // ---- push

    [Fact]
    public async Task A_push_with_the_keyword_to_a_configured_branch_runs_the_pushed_commit()
    {
        var gate = await RunAsync("push", Payload("push.json"));

        Assert.Equal("true", gate.Outputs["run"]);
        Assert.Equal($$"""[{"ref":"{{PushedSha}}","suffix":"","label":"master-7fd1a60","compare":""}]""", gate.Outputs["targets"]);
        Assert.Equal("ref-master", gate.Outputs["group"]);
        Assert.Equal("", gate.Outputs["pr"]);
        Assert.Empty(_github.Requests);
    }

    [Fact]
    public async Task A_push_without_the_keyword_does_not_run()
    {
        var payload = Payload("push.json");
        payload["head_commit"]!["message"] = "Cache connector definitions in BOM rendering (#42)";

        var gate = await RunAsync("push", payload);

        Assert.Equal("false", gate.Outputs["run"]);
        Assert.Contains("[perf]", gate.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_push_to_another_branch_does_not_run()
    {
        var payload = Payload("push.json");
        payload["ref"] = "refs/heads/feature/bom-cache";

        var gate = await RunAsync("push", payload);

        Assert.Equal("false", gate.Outputs["run"]);
        Assert.Equal("[]", gate.Outputs["targets"]);
    }

    // ---- schedule

    [Fact]
    public async Task The_nightly_run_profiles_each_configured_branch()
    {
        var gate = await RunAsync("schedule", Payload("schedule.json"));

        Assert.Equal("true", gate.Outputs["run"]);
        Assert.Equal(
            """[{"ref":"beta","suffix":"-beta","label":"nightly-beta","compare":"HEAD"},""" +
                """{"ref":"master","suffix":"-master","label":"nightly-master","compare":"HEAD"}]""",
            gate.Outputs["targets"]);
        Assert.Equal("nightly", gate.Outputs["group"]);
        Assert.Equal(WorkflowSha, gate.Outputs["trusted-ref"]);
    }

    // ---- workflow_dispatch

    [Fact]
    public async Task A_manual_run_takes_its_inputs()
    {
        // inputs: scenarios "demo01 bomqty", profilers "" (the defaults), memray "true", baseline "none".
        var gate = await RunAsync("workflow_dispatch", Payload("workflow_dispatch.json"), new() { ["GITHUB_REF_NAME"] = "release/1.6" });

        Assert.Equal("true", gate.Outputs["run"]);
        Assert.Equal($$"""[{"ref":"{{WorkflowSha}}","suffix":"","label":"release-1.6-0123456","compare":""}]""", gate.Outputs["targets"]);
        Assert.Equal("demo01 bomqty", gate.Outputs["scenarios"]);
        Assert.Equal("pyspy scalene memray importtime", gate.Outputs["profilers"]);
        Assert.Equal("none", gate.Outputs["baseline"]);
        Assert.Equal("ref-release-1.6", gate.Outputs["group"]);
        Assert.Equal(WorkflowSha, gate.Outputs["trusted-ref"]);
    }

    [Fact]
    public async Task A_manual_run_with_explicit_profilers_runs_exactly_those()
    {
        var payload = Payload("workflow_dispatch.json");
        payload["inputs"]!["profilers"] = "cprofile, PySpy";
        payload["inputs"]!["memray"] = "false";

        var gate = await RunAsync("workflow_dispatch", payload);

        Assert.Equal("pyspy cprofile", gate.Outputs["profilers"]);
    }

    [Fact]
    public async Task A_manual_run_with_an_unknown_scenario_fails_naming_the_input()
    {
        var payload = Payload("workflow_dispatch.json");
        payload["inputs"]!["scenarios"] = "demo01 demo99";

        var gate = await RunAsync("workflow_dispatch", payload);

        Assert.Equal(1, gate.ExitCode);
        Assert.Contains("workflow_dispatch input 'scenarios': unknown scenario 'demo99'; allowed: bomqty, demo01, rendering", gate.Output,
            StringComparison.Ordinal);
        Assert.False(gate.Outputs.ContainsKey("run"));
    }

    [Fact]
    public async Task A_manual_run_with_an_unknown_profiler_fails_naming_the_input()
    {
        var payload = Payload("workflow_dispatch.json");
        payload["inputs"]!["profilers"] = "vtune";

        var gate = await RunAsync("workflow_dispatch", payload);

        Assert.Equal(1, gate.ExitCode);
        Assert.Contains("'profilers': unknown profiler 'vtune'; allowed: pyspy, scalene, memray, cprofile", gate.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HEAD", "HEAD")]
    [InlineData("master", "master")]
    [InlineData("origin/release/1.6", "origin/release/1.6")]
    [InlineData("v1.6.0", "v1.6.0")]
    [InlineData("  beta ", "beta")]
    [InlineData("ABCDEF1", "abcdef1")]
    [InlineData(MergeBase, MergeBase)]
    [InlineData("", "")]
    public async Task A_manual_run_measures_the_compare_ref_input_beside_the_ref(string input, string compare)
    {
        var payload = Payload("workflow_dispatch.json");
        payload["inputs"]!["compare_ref"] = input;

        var gate = await RunAsync("workflow_dispatch", payload);

        Assert.Equal(0, gate.ExitCode);
        var target = Assert.Single(Targets(gate));
        Assert.Equal(WorkflowSha, target["ref"]);
        Assert.Equal(compare, target["compare"]);
    }

    [Theory]
    [InlineData("--upload-pack=x")]
    [InlineData("-b")]
    [InlineData("a..b")]
    [InlineData("$(id)")]
    [InlineData("master;id")]
    [InlineData("HEAD~1")]
    [InlineData("master@{1}")]
    [InlineData("feature//x")]
    [InlineData("feature/")]
    [InlineData("feature/.hidden")]
    [InlineData("master.lock")]
    [InlineData("abc123")]
    [InlineData("0123456789abcdef0123456789abcdef012345678")]
    [InlineData("##[add-mask]x")]
    [InlineData("::error::x")]
    public async Task A_manual_run_with_a_bad_compare_ref_fails_naming_the_input_and_the_allowed_forms(string input)
    {
        var payload = Payload("workflow_dispatch.json");
        payload["inputs"]!["compare_ref"] = input;

        var gate = await RunAsync("workflow_dispatch", payload);

        Assert.Equal(1, gate.ExitCode);
        Assert.Contains("workflow_dispatch input 'compare_ref':", gate.Output, StringComparison.Ordinal);
        Assert.Contains("allowed: HEAD, a commit (7 to 40 hex digits), or a branch or tag name", gate.Output, StringComparison.Ordinal);
        Assert.False(gate.Outputs.ContainsKey("run"));
        // Shown reduced to plain characters: the log line cannot run, mention or command anything.
        Assert.DoesNotContain("$(id)", gate.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("##[", gate.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("::error", gate.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ref_name_of_two_hundred_characters_is_the_longest_allowed()
    {
        Assert.True(CompareRef.TryValidate("r" + new string('x', 199), out _));
        Assert.False(CompareRef.TryValidate("r" + new string('x', 200), out _));
    }

    // ---- anything else, and broken inputs

    [Fact]
    public async Task Other_events_do_not_run()
    {
        var gate = await RunAsync("release", JsonNode.Parse("""{"action":"published"}""")!);

        Assert.Equal(0, gate.ExitCode);
        Assert.Equal("false", gate.Outputs["run"]);
    }

    [Fact]
    public async Task A_malformed_payload_fails_naming_the_file()
    {
        var file = _root.File_("event.json");
        File.WriteAllText(file, """{"action": "labeled", "number": 42,""");

        var gate = await RunAsync("pull_request", payload: null, new() { ["GITHUB_EVENT_PATH"] = file });

        Assert.Equal(1, gate.ExitCode);
        Assert.Contains("GITHUB_EVENT_PATH", gate.Output, StringComparison.Ordinal);
        Assert.Contains("event.json is not valid JSON", gate.Output, StringComparison.Ordinal);
        Assert.False(gate.Outputs.ContainsKey("run"));
    }

    [Fact]
    public async Task A_missing_payload_file_fails_naming_it()
    {
        var gate = await RunAsync("pull_request", payload: null, new() { ["GITHUB_EVENT_PATH"] = _root.File_("no-such-event.json") });

        Assert.Equal(1, gate.ExitCode);
        Assert.Contains("no-such-event.json", gate.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_payload_variable_fails_naming_it()
    {
        var gate = await RunAsync("pull_request", payload: null);

        Assert.Equal(1, gate.ExitCode);
        Assert.Contains("GITHUB_EVENT_PATH is not set", gate.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_github_actions_the_gate_fails_clearly()
    {
        var gate = await RunAsync(eventName: null, Payload("schedule.json"));

        Assert.Equal(1, gate.ExitCode);
        Assert.Contains("GITHUB_EVENT_NAME is not set", gate.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_with_line_breaks_use_the_delimited_form()
    {
        var text = StepOutputs.Format([("run", "true"), ("reason", "first\nsecond=2\nrun=false")]);

        var lines = text.Split('\n');
        Assert.Equal("run=true", lines[0]);
        Assert.StartsWith("reason<<ghadelimiter_", lines[1], StringComparison.Ordinal);
        var delimiter = lines[1]["reason<<".Length..];
        Assert.Equal(["first", "second=2", "run=false", delimiter, ""], lines[2..]);
        Assert.Equal(new Dictionary<string, string> { ["run"] = "true", ["reason"] = "first\nsecond=2\nrun=false" }, ParseOutputs(text));
    }

    // ---- support

    private static string ComparePath(string head) => $"{Repo}/compare/{BaseSha}...{head}";

    private static IReadOnlyList<IReadOnlyDictionary<string, string>> Targets(GateRun gate) =>
        JsonSerializer.Deserialize<List<Dictionary<string, string>>>(gate.Outputs["targets"])!;

    private static string Api(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "api", file));

    private static JsonNode Payload(string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", file)))!;

    /// <summary>issue_comment.created.json (a MEMBER's /run-perf on PR 42, at 10:15Z) with its body, author association or date replaced.</summary>
    private static JsonNode Comment(string body = "/run-perf", string association = "MEMBER", string? createdAt = null)
    {
        var payload = Payload("issue_comment.created.json");
        payload["comment"]!["body"] = body;
        payload["comment"]!["author_association"] = association;
        if (createdAt is not null)
        {
            payload["comment"]!["created_at"] = createdAt;
            payload["comment"]!["updated_at"] = createdAt;
        }
        return payload;
    }

    private sealed record GateRun(int ExitCode, string Output, IReadOnlyDictionary<string, string> Outputs)
    {
        public override string ToString() => $"exit {ExitCode}\n{Output}";
    }

    /// <summary>
    /// PerfGate as the gate job runs it: the GITHUB_* variables of a GitHub Actions runner (none
    /// leaking in from the machine running the tests), the payload written where GITHUB_EVENT_PATH
    /// points, and this test's fake API behind GITHUB_API_URL.
    /// </summary>
    // ---- shards

    [Fact]
    public async Task The_gate_splits_the_scenarios_into_shards_by_the_nightly_costs_of_the_base_branch()
    {
        var history = new Filare.Perf.History.HistoryFolder(_root.File_("history"));
        history.Append(
        [
            HistoryData.Record("master", "demo01", 1, 1.0) with { CostSeconds = 300 },
            HistoryData.Record("master", "rendering", 1, 1.0) with { CostSeconds = 150 },
            HistoryData.Record("master", "bomqty", 1, 1.0) with { CostSeconds = 100 },
            // Another branch's figure does not beat the base branch's own.
            HistoryData.Record("beta", "demo01", 2, 1.0) with { CostSeconds = 10 },
        ]);

        var gate = await RunAsync("pull_request", Payload("pull_request.labeled.json"), new()
        {
            ["FIL_PERF_HISTORY_DIR"] = history.Root,
            ["FIL_PERF_SHARD_TARGET_SECONDS"] = "30",
            ["FIL_PERF_MAX_SHARDS"] = "2",
        });

        Assert.Equal(0, gate.ExitCode);
        Assert.Equal(
            """[{"id":"1/2","suffix":"-shard1of2","scenarios":"demo01","expected":"300"},""" +
                """{"id":"2/2","suffix":"-shard2of2","scenarios":"bomqty rendering","expected":"250"}]""",
            gate.Outputs["shards"]);
    }

    [Fact]
    public async Task Without_history_the_gate_shards_by_the_default_cost_and_a_skipped_event_still_has_one_shard()
    {
        var run = await RunAsync("pull_request", Payload("pull_request.labeled.json"), new() { ["FIL_PERF_SHARD_TARGET_SECONDS"] = "200" });
        var skipped = await RunAsync("pull_request", Payload("pull_request.labeled-other.json"));

        // 3 × 180 s against 200 s a shard: 3 shards, one scenario each.
        Assert.Equal(3, JsonNode.Parse(run.Outputs["shards"])!.AsArray().Count);
        Assert.Equal("""[{"id":"1/1","suffix":"-shard1of1","scenarios":"","expected":"0"}]""", skipped.Outputs["shards"]);
    }

    private async Task<GateRun> RunAsync(string? eventName, JsonNode? payload, Dictionary<string, string>? overrides = null)
    {
        var environment = TestRoot.CleanEnvironment()
            .Where(e => !e.Key.StartsWith("GITHUB_", StringComparison.Ordinal) && !e.Key.StartsWith("RUNNER_", StringComparison.Ordinal))
            .ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        var outputFile = _root.File_("github_output");
        File.WriteAllText(outputFile, "");
        environment["GITHUB_ACTIONS"] = "true";
        environment["GITHUB_OUTPUT"] = outputFile;
        environment["GITHUB_REPOSITORY"] = "filare/filare";
        environment["GITHUB_SHA"] = WorkflowSha;
        environment["GITHUB_REF_NAME"] = "master";
        environment["GITHUB_TOKEN"] = "ghs_gate_token";
        environment["GITHUB_API_URL"] = ApiUrl;
        if (eventName is not null)
        {
            environment["GITHUB_EVENT_NAME"] = eventName;
        }
        if (payload is not null)
        {
            var file = _root.File_("event.json");
            File.WriteAllText(file, payload.ToJsonString());
            environment["GITHUB_EVENT_PATH"] = file;
        }
        foreach (var (name, value) in overrides ?? [])
        {
            environment[name] = value;
        }

        var captured = new CapturedConsole(400);
        var console = captured.Console;
        var context = new BuildContext(_root.Path, environment, console, TestContext.Current.CancellationToken, () => _github);
        var exitCode = await Build.RunAsync(["PerfGate", "--root", _root.Path], context);
        return new GateRun(exitCode, captured.Text, ParseOutputs(File.ReadAllText(outputFile)));
    }

    /// <summary>Reads a GITHUB_OUTPUT file as the runner does: name=value lines and name&lt;&lt;DELIMITER blocks.</summary>
    private static Dictionary<string, string> ParseOutputs(string text)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0)
            {
                continue;
            }
            var heredoc = line.IndexOf("<<", StringComparison.Ordinal);
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (heredoc > 0 && (equals < 0 || heredoc < equals))
            {
                var delimiter = line[(heredoc + 2)..];
                var value = new List<string>();
                for (i++; lines[i] != delimiter; i++)
                {
                    value.Add(lines[i]);
                }
                outputs[line[..heredoc]] = string.Join('\n', value);
            }
            else
            {
                Assert.True(equals > 0, $"not an output line: '{line}'");
                outputs[line[..equals]] = line[(equals + 1)..];
            }
        }
        return outputs;
    }

}
