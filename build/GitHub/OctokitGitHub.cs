using Filare.Perf.Actions;
using Filare.Perf.Engine;
using Filare.Perf.Git;
using Octokit;
using Octokit.Internal;

namespace Filare.Perf.GitHub;

/// <summary>
/// <see cref="IGitHub"/> through Octokit. The base address comes from GITHUB_API_URL (GitHub
/// Enterprise, or a fake in tests) and the HTTP handler is injectable, so tests serve recorded
/// responses without a network. Every value that may later become a git argument is checked here.
/// </summary>
public sealed class OctokitGitHub : IGitHub
{
    public const string DefaultUrl = "https://api.github.com";
    private const string ProductName = "filare-perf";

    private readonly HttpClientAdapter _http;

    public OctokitGitHub(GitHubRepository repository, Uri apiUrl, string? token, Func<HttpMessageHandler> handler)
    {
        Repository = repository;
        HasToken = !string.IsNullOrEmpty(token);
        var credentials = HasToken ? new Credentials(token) : Credentials.Anonymous;
        _http = new HttpClientAdapter(handler);
        var client = new GitHubClient(new Connection(new ProductHeaderValue(ProductName), apiUrl, new InMemoryCredentialStore(credentials), _http,
            new SimpleJsonSerializer()));
        var call = new GitHubCall(repository);
        PullRequests = new PullRequestsClient(client, repository, call);
        Collaborators = new CollaboratorsClient(client, repository, call);
        Comments = new IssueCommentsClient(client, repository, call);
        Runs = new WorkflowRunsClient(client, repository, call);
        Issues = new IssuesClient(client, repository, call);
    }

    public GitHubRepository Repository { get; }

    public bool HasToken { get; }

    public IPullRequests PullRequests { get; }

    public ICollaborators Collaborators { get; }

    public IIssueComments Comments { get; }

    public IWorkflowRuns Runs { get; }

    public IIssues Issues { get; }

    /// <summary>GITHUB_API_URL (default https://api.github.com) and GITHUB_TOKEN; <paramref name="handler"/> null is the network.</summary>
    public static OctokitGitHub Create(IReadOnlyDictionary<string, string> environment, GitHubRepository repository, Func<HttpMessageHandler>? handler) =>
        new(repository,
            ApiUrl(environment) ?? throw new BuildFailedException($"GITHUB_API_URL is '{Untrusted.Shown(environment["GITHUB_API_URL"])}', not an http(s) URL."),
            environment.GetValueOrDefault("GITHUB_TOKEN"), handler ?? HttpMessageHandlerFactory.CreateDefault);

    /// <summary>GITHUB_API_URL (default https://api.github.com) with the trailing slash relative paths need; null when it is not an http(s) URL.</summary>
    public static Uri? ApiUrl(IReadOnlyDictionary<string, string> environment)
    {
        var url = environment.GetValueOrDefault("GITHUB_API_URL") is { Length: > 0 } configured ? configured : DefaultUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var apiUrl) || apiUrl.Scheme is not ("https" or "http"))
        {
            return null;
        }
        // Relative paths resolve against the base: without the trailing slash https://ghe/api/v3 would lose v3.
        return apiUrl.AbsoluteUri.EndsWith('/') ? apiUrl : new Uri(apiUrl.AbsoluteUri + "/");
    }

    public void Dispose() => _http.Dispose();

    internal static string Sha(string? value, string field) =>
        CommitSha.IsFull(value) ? value!.ToLowerInvariant() : throw new GitHubApiException($"{field} is '{Untrusted.Shown(value)}', not a commit SHA");

    internal static WorkflowRunInfo Run(WorkflowRun run) =>
        new(run.Id, run.RunNumber, run.Event ?? "", run.HeadBranch, run.HeadSha?.ToLowerInvariant() ?? "", run.HeadRepository?.FullName, run.CreatedAt,
            run.Path, run.WorkflowId);

    private sealed class PullRequestsClient(GitHubClient client, GitHubRepository repo, GitHubCall call) : IPullRequests
    {
        public Task<PullRequestRefs> GetAsync(int number) => call.Run($"GET /repos/{repo}/pulls/{number}", async () =>
        {
            var pull = await client.PullRequest.Get(repo.Owner, repo.Name, number).ConfigureAwait(false);
            return new PullRequestRefs(number, Sha(pull.Head?.Sha, "the pull request's head.sha"), Sha(pull.Base?.Sha, "the pull request's base.sha"),
                pull.Base?.Ref, pull.Head?.Repository?.FullName, pull.Head?.Ref, pull.Labels?.Select(l => l.Name).ToList() ?? []);
        });

        public Task<IReadOnlyList<string>> CommitsAsync(int number) => call.Run($"GET /repos/{repo}/pulls/{number}/commits", async () =>
        {
            var commits = await client.PullRequest.Commits(repo.Owner, repo.Name, number).ConfigureAwait(false);
            return (IReadOnlyList<string>)commits.Where(c => CommitSha.IsFull(c.Sha)).Select(c => c.Sha.ToLowerInvariant()).ToList();
        });

        public Task<string> MergeBaseAsync(string baseSha, string headSha) => call.Run($"GET /repos/{repo}/compare/{baseSha}...{headSha}", async () =>
        {
            var comparison = await client.Repository.Commit.Compare(repo.Owner, repo.Name, baseSha, headSha).ConfigureAwait(false);
            // It becomes a git argument in the profile job: a commit id, or nothing.
            return Sha(comparison.MergeBaseCommit?.Sha, "merge_base_commit.sha");
        });

        public Task<IReadOnlyList<DateTimeOffset>> ForcePushesAsync(int number) => call.Run($"GET /repos/{repo}/issues/{number}/timeline", async () =>
        {
            var events = await client.Issue.Timeline.GetAllForIssue(repo.Owner, repo.Name, number).ConfigureAwait(false);
            return (IReadOnlyList<DateTimeOffset>)events.Where(e => e.Event.TryParse(out var state) && state == EventInfoState.HeadRefForcePushed)
                .Select(e => e.CreatedAt).ToList();
        });
    }

    private sealed class CollaboratorsClient(GitHubClient client, GitHubRepository repo, GitHubCall call) : ICollaborators
    {
        // author_association alone is weaker: MEMBER is any member of the organization, COLLABORATOR includes read-only outside collaborators.
        public Task<bool> CanWriteAsync(string login) => call.Run($"GET /repos/{repo}/collaborators/{login}/permission", async () =>
        {
            var answer = await client.Repository.Collaborator.ReviewPermission(repo.Owner, repo.Name, login).ConfigureAwait(false);
            return answer.Permission is "admin" or "maintain" or "write";
        });
    }

    private sealed class IssueCommentsClient(GitHubClient client, GitHubRepository repo, GitHubCall call) : IIssueComments
    {
        public Task<IReadOnlyList<IssueCommentInfo>> ListAsync(int number) => call.Run($"GET /repos/{repo}/issues/{number}/comments", async () =>
        {
            var comments = await client.Issue.Comment.GetAllForIssue(repo.Owner, repo.Name, number).ConfigureAwait(false);
            return (IReadOnlyList<IssueCommentInfo>)comments.Select(c => new IssueCommentInfo(c.Id, c.Body, c.User?.Login, c.User?.Type == AccountType.Bot))
                .ToList();
        });

        public Task PostAsync(int number, string body) =>
            call.Run($"POST /repos/{repo}/issues/{number}/comments", () => client.Issue.Comment.Create(repo.Owner, repo.Name, number, body));

        public Task UpdateAsync(long commentId, string body) =>
            call.Run($"PATCH /repos/{repo}/issues/comments/{commentId}", () => client.Issue.Comment.Update(repo.Owner, repo.Name, commentId, body));

        public Task ReactAsync(long commentId, Reaction reaction) => call.Run($"POST /repos/{repo}/issues/comments/{commentId}/reactions", () =>
            client.Reaction.IssueComment.Create(repo.Owner, repo.Name, commentId, new NewReaction(reaction switch
            {
                Reaction.Eyes => ReactionType.Eyes,
                Reaction.Rocket => ReactionType.Rocket,
                _ => ReactionType.Confused,
            })));
    }

    private sealed class IssuesClient(GitHubClient client, GitHubRepository repo, GitHubCall call) : IIssues
    {
        public Task<int?> FindOpenAsync(string label) => call.Run($"GET /repos/{repo}/issues?labels={label}", async () =>
        {
            var request = new RepositoryIssueRequest { State = ItemStateFilter.Open, SortDirection = SortDirection.Ascending,
                SortProperty = IssueSort.Created };
            request.Labels.Add(label);
            var issues = await client.Issue.GetAllForRepository(repo.Owner, repo.Name, request, new ApiOptions { PageSize = 30, PageCount = 1 })
                .ConfigureAwait(false);
            // The issues endpoint lists pull requests too: only a real issue tracks regressions.
            return issues.Where(i => i.PullRequest is null).Select(i => (int?)i.Number).Min();
        });

        public Task<bool> IsOpenAsync(int number) => call.Run($"GET /repos/{repo}/issues/{number}", async () =>
            (await client.Issue.Get(repo.Owner, repo.Name, number).ConfigureAwait(false)).State.Value == ItemState.Open);

        public Task<int> CreateAsync(string title, string body, string label) => call.Run($"POST /repos/{repo}/issues", async () =>
        {
            var issue = new NewIssue(title) { Body = body };
            issue.Labels.Add(label);
            return (await client.Issue.Create(repo.Owner, repo.Name, issue).ConfigureAwait(false)).Number;
        });
    }

    private sealed class WorkflowRunsClient(GitHubClient client, GitHubRepository repo, GitHubCall call) : IWorkflowRuns
    {
        private static readonly ApiOptions s_newest = new() { PageSize = 100, PageCount = 1 };

        public Task<IReadOnlyList<WorkflowRunInfo>> PullRequestRunsAsync(string headSha) =>
            call.Run($"GET /repos/{repo}/actions/runs?event=pull_request&head_sha={headSha}", async () =>
        {
            var runs = await client.Actions.Workflows.Runs.List(repo.Owner, repo.Name, new WorkflowRunsRequest { Event = "pull_request", HeadSha = headSha },
                s_newest).ConfigureAwait(false);
            return (IReadOnlyList<WorkflowRunInfo>)runs.WorkflowRuns.Select(Run).ToList();
        });

        public Task<IReadOnlyList<WorkflowRunInfo>> SuccessfulAsync(string workflowFile) =>
            call.Run($"GET /repos/{repo}/actions/workflows/{workflowFile}/runs", async () =>
        {
            var runs = await client.Actions.Workflows.Runs.ListByWorkflow(repo.Owner, repo.Name, workflowFile,
                new WorkflowRunsRequest { Status = CheckRunStatusFilter.Success }, s_newest).ConfigureAwait(false);
            return (IReadOnlyList<WorkflowRunInfo>)runs.WorkflowRuns.Select(Run).ToList();
        });

        public Task<WorkflowRunInfo> GetAsync(long runId) => call.Run($"GET /repos/{repo}/actions/runs/{runId}", async () =>
            Run(await client.Actions.Workflows.Runs.Get(repo.Owner, repo.Name, runId).ConfigureAwait(false)));

        public Task<WorkflowInfo> WorkflowAsync(string workflowFile) => call.Run($"GET /repos/{repo}/actions/workflows/{workflowFile}", async () =>
        {
            var workflow = await client.Actions.Workflows.Get(repo.Owner, repo.Name, workflowFile).ConfigureAwait(false);
            return new WorkflowInfo(workflow.Id, workflow.Path ?? "");
        });

        public Task<IReadOnlyList<ArtifactInfo>> ArtifactsAsync(long runId) => call.Run($"GET /repos/{repo}/actions/runs/{runId}/artifacts", async () =>
        {
            var response = await client.Actions.Artifacts.ListWorkflowArtifacts(repo.Owner, repo.Name, runId, new ListArtifactsRequest { PerPage = 100 })
                .ConfigureAwait(false);
            return (IReadOnlyList<ArtifactInfo>)response.Artifacts.Select(a => new ArtifactInfo(a.Id, a.Name, a.Expired)).ToList();
        });

        public Task<IReadOnlyList<JobTiming>> JobsAsync(long runId) => call.Run($"GET /repos/{repo}/actions/runs/{runId}/jobs", async () =>
        {
            var response = await client.Actions.Workflows.Jobs.List(repo.Owner, repo.Name, runId, new WorkflowRunJobsRequest(), s_newest).ConfigureAwait(false);
            return (IReadOnlyList<JobTiming>)response.Jobs.Select(j => new JobTiming(j.Name, j.StartedAt, j.CompletedAt,
                (j.Steps ?? []).Select(s => new StepTiming(s.Name, s.StartedAt, s.CompletedAt)).ToList())).ToList();
        });

        public Task<Stream> DownloadAsync(long artifactId) => call.Run($"GET /repos/{repo}/actions/artifacts/{artifactId}/zip", () =>
            client.Actions.Artifacts.DownloadArtifact(repo.Owner, repo.Name, artifactId, "zip"));
    }
}
