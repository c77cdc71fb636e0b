namespace Filare.Perf.GitHub;

/// <summary>
/// The GitHub REST API as PerfGate and PerfReport use it, one client per area as Octokit has them.
/// One error style: every call either answers or throws <see cref="GitHubApiException"/> naming the
/// request and why (404, 403, rate limit, network). What a failure means is the caller's decision:
/// the gate fails closed, the report writes a note.
/// </summary>
public interface IGitHub : IDisposable
{
    GitHubRepository Repository { get; }

    /// <summary>Without GITHUB_TOKEN reads still work on public repositories; writes (replies, reactions) are skipped.</summary>
    bool HasToken { get; }

    IPullRequests PullRequests { get; }

    ICollaborators Collaborators { get; }

    IIssueComments Comments { get; }

    IWorkflowRuns Runs { get; }

    IIssues Issues { get; }
}

/// <summary>The head and base of a pull request as the API reports them now.</summary>
/// <param name="HeadRepository">owner/name the head branch lives in (a fork's), or null when that repository is gone.</param>
/// <param name="Labels">The PR's labels now (who can add one: triage access and up).</param>
public sealed record PullRequestRefs(int Number, string HeadSha, string BaseSha, string? BaseRef = null, string? HeadRepository = null, string? HeadRef = null,
    IReadOnlyList<string>? Labels = null);

/// <summary>A workflow run: <see cref="CreatedAt"/> is GitHub's own clock, when it received the event.</summary>
/// <param name="Path">The workflow file the run ran, e.g. .github/workflows/perf.yml; <paramref name="WorkflowId"/> its workflow's id.</param>
public sealed record WorkflowRunInfo(
    long Id, long RunNumber, string Event, string? HeadBranch, string HeadSha, string? HeadRepository, DateTimeOffset CreatedAt,
    string? Path = null, long WorkflowId = 0);

/// <summary>A workflow of the repository as GET /actions/workflows/{file} reports it: its id and file.</summary>
public sealed record WorkflowInfo(long Id, string Path);

public sealed record ArtifactInfo(long Id, string Name, bool Expired);

/// <summary>A job of a workflow run as GET /actions/runs/{id}/jobs reports it (matrix jobs are named "profile (…)"); times are GitHub's.</summary>
public sealed record JobTiming(string Name, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt, IReadOnlyList<StepTiming> Steps);

/// <summary>A step of a job: "Initialize containers", "Run ./build.sh PerfRun", "PerfRun" (a step's name: when it has one).</summary>
public sealed record StepTiming(string Name, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt)
{
    public double? Seconds => StartedAt is { } start && CompletedAt is { } end ? (end - start).TotalSeconds : null;
}

public sealed record IssueCommentInfo(long Id, string? Body, string? Login, bool ByBot);

public enum Reaction { Eyes, Rocket, Confused }

public interface IPullRequests
{
    /// <summary>GET /repos/{owner}/{repo}/pulls/{number}.</summary>
    Task<PullRequestRefs> GetAsync(int number);

    /// <summary>GET /repos/{owner}/{repo}/pulls/{number}/commits: the commit SHAs (GitHub lists at most 250).</summary>
    Task<IReadOnlyList<string>> CommitsAsync(int number);

    /// <summary>GET /repos/{owner}/{repo}/compare/{base}...{head}: merge_base_commit.sha.</summary>
    Task<string> MergeBaseAsync(string baseSha, string headSha);

    /// <summary>GET /repos/{owner}/{repo}/issues/{number}/timeline: when GitHub recorded each head_ref_force_pushed.</summary>
    Task<IReadOnlyList<DateTimeOffset>> ForcePushesAsync(int number);
}

public interface ICollaborators
{
    /// <summary>GET /repos/{owner}/{repo}/collaborators/{login}/permission: admin, maintain or write.</summary>
    Task<bool> CanWriteAsync(string login);
}

public interface IIssueComments
{
    Task<IReadOnlyList<IssueCommentInfo>> ListAsync(int number);

    Task PostAsync(int number, string body);

    Task UpdateAsync(long commentId, string body);

    Task ReactAsync(long commentId, Reaction reaction);
}

/// <summary>Issues themselves (not their comments): the tracking issue bisections report to.</summary>
public interface IIssues
{
    /// <summary>The lowest-numbered open issue carrying <paramref name="label"/>, or null.</summary>
    Task<int?> FindOpenAsync(string label);

    Task<bool> IsOpenAsync(int number);

    /// <summary>Creates an issue with the label (GitHub creates a missing label); returns its number.</summary>
    Task<int> CreateAsync(string title, string body, string label);
}

public interface IWorkflowRuns
{
    /// <summary>GET /repos/{owner}/{repo}/actions/runs?event=pull_request&amp;head_sha=…: the runs pushes of this commit started.</summary>
    Task<IReadOnlyList<WorkflowRunInfo>> PullRequestRunsAsync(string headSha);

    /// <summary>GET /repos/{owner}/{repo}/actions/workflows/{file}/runs?status=success (the newest 100).</summary>
    Task<IReadOnlyList<WorkflowRunInfo>> SuccessfulAsync(string workflowFile);

    Task<WorkflowRunInfo> GetAsync(long runId);

    /// <summary>GET /repos/{owner}/{repo}/actions/workflows/{file}: the id of the repository's own workflow of that file.</summary>
    Task<WorkflowInfo> WorkflowAsync(string workflowFile);

    Task<IReadOnlyList<ArtifactInfo>> ArtifactsAsync(long runId);

    Task<Stream> DownloadAsync(long artifactId);

    /// <summary>GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs (latest attempt, the first 100): each job's and step's start and end.</summary>
    Task<IReadOnlyList<JobTiming>> JobsAsync(long runId);
}

public sealed class GitHubApiException(string message, Exception? inner = null) : Exception(message, inner);
