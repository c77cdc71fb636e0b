using System.Text.RegularExpressions;
using Filare.Perf.Engine;
using Octokit;
using Octokit.Internal;

namespace Filare.Perf.GitHub;

/// <summary>owner/name of the repository the workflow runs in.</summary>
public sealed partial record GitHubRepository(string Owner, string Name)
{
    public static GitHubRepository Parse(string? text, string source)
    {
        var match = text is null ? null : Pattern().Match(text);
        return match is { Success: true }
            ? new GitHubRepository(match.Groups[1].Value, match.Groups[2].Value)
            : throw new BuildFailedException($"{source} is {(text is null ? "not set" : $"'{Untrusted.Shown(text)}'")}; expected owner/name.");
    }

    public override string ToString() => $"{Owner}/{Name}";

    [GeneratedRegex(@"\A([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)\z")]
    private static partial Regex Pattern();
}

/// <summary>The head and base of a pull request as the API reports them now.</summary>
public sealed record PullRequestRefs(int Number, string HeadSha, string BaseSha, string? BaseRef = null);

public sealed record PullRequestCommitDate(string Sha, DateTimeOffset CommitterDate);

/// <summary>
/// The few GitHub REST calls PerfGate makes, through Octokit. The base address comes from
/// GITHUB_API_URL (GitHub Enterprise, or a fake in tests) and the HTTP handler is injectable, so
/// tests serve recorded responses without a network. Failures surface as <see cref="GitHubApiException"/>.
/// </summary>
public sealed class GitHubApi : IDisposable
{
    public const string DefaultUrl = "https://api.github.com";
    private const string ProductName = "filare-perf";

    private readonly HttpClientAdapter _http;
    private readonly GitHubClient _client;

    public GitHubApi(GitHubRepository repository, Uri apiUrl, string? token, Func<HttpMessageHandler> handler)
    {
        Repository = repository;
        HasToken = !string.IsNullOrEmpty(token);
        var baseAddress = apiUrl.AbsoluteUri.EndsWith('/') ? apiUrl : new Uri(apiUrl.AbsoluteUri + "/");
        (_client, _http) = CreateClient(baseAddress, token, handler);
    }

    public GitHubRepository Repository { get; }

    /// <summary>Without GITHUB_TOKEN reads still work on public repositories; writes (replies, reactions) are skipped.</summary>
    public bool HasToken { get; }

    /// <summary>GITHUB_API_URL (default https://api.github.com) and GITHUB_TOKEN; <paramref name="handler"/> null is the network.</summary>
    public static GitHubApi Create(IReadOnlyDictionary<string, string> environment, GitHubRepository repository, Func<HttpMessageHandler>? handler) =>
        new(repository, ApiUrl(environment) ?? throw new BuildFailedException($"GITHUB_API_URL is '{Untrusted.Shown(environment["GITHUB_API_URL"])}', not an http(s) URL."),
            environment.GetValueOrDefault("GITHUB_TOKEN"), handler ?? HttpMessageHandlerFactory.CreateDefault);

    /// <summary>GET /repos/{owner}/{repo}/pulls/{number}.</summary>
    public Task<PullRequestRefs> GetPullRequestAsync(int number) => Call($"GET /repos/{Repository}/pulls/{number}", async () =>
    {
        var pull = await _client.PullRequest.Get(Repository.Owner, Repository.Name, number).ConfigureAwait(false);
        return new PullRequestRefs(number, Sha(pull.Head?.Sha, "head.sha"), Sha(pull.Base?.Sha, "base.sha"), pull.Base?.Ref);
    });

    /// <summary>GET /repos/{owner}/{repo}/pulls/{number}/commits (every page; GitHub lists at most 250).</summary>
    public Task<IReadOnlyList<PullRequestCommitDate>> GetPullRequestCommitsAsync(int number) => Call($"GET /repos/{Repository}/pulls/{number}/commits", async () =>
    {
        var commits = await _client.PullRequest.Commits(Repository.Owner, Repository.Name, number).ConfigureAwait(false);
        return (IReadOnlyList<PullRequestCommitDate>)commits
            .Where(c => CommitSha.IsFull(c.Sha))
            .Select(c => new PullRequestCommitDate(c.Sha.ToLowerInvariant(), c.Commit?.Committer?.Date ?? DateTimeOffset.MaxValue))
            .ToList();
    });

    /// <summary>GET /repos/{owner}/{repo}/git/commits/{sha}: the committer date of one commit.</summary>
    public Task<DateTimeOffset> GetCommitterDateAsync(string sha) => Call($"GET /repos/{Repository}/git/commits/{sha}", async () =>
    {
        var commit = await _client.Git.Commit.Get(Repository.Owner, Repository.Name, sha).ConfigureAwait(false);
        return commit.Committer?.Date ?? DateTimeOffset.MaxValue;
    });

    /// <summary>GET /repos/{owner}/{repo}/compare/{base}...{head}: merge_base_commit.sha, where <paramref name="headSha"/> left <paramref name="baseSha"/>'s history.</summary>
    public Task<string> GetMergeBaseAsync(string baseSha, string headSha) => Call($"GET /repos/{Repository}/compare/{baseSha}...{headSha}", async () =>
    {
        var comparison = await _client.Repository.Commit.Compare(Repository.Owner, Repository.Name, baseSha, headSha).ConfigureAwait(false);
        var sha = comparison.MergeBaseCommit?.Sha;
        // It becomes a git argument in the profile job: a commit id, or nothing.
        return CommitSha.IsFull(sha) ? sha!.ToLowerInvariant() : throw new GitHubApiException($"merge_base_commit.sha is '{Untrusted.Shown(sha)}', not a commit SHA");
    });

    /// <summary>
    /// GET /repos/{owner}/{repo}/collaborators/{login}/permission: whether the user may push here
    /// (admin, maintain and write answer as admin or write). author_association alone is weaker:
    /// MEMBER is any member of the organization, COLLABORATOR includes read-only outside collaborators.
    /// </summary>
    public Task<bool> CanWriteAsync(string login) => Call($"GET /repos/{Repository}/collaborators/{login}/permission", async () =>
    {
        var answer = await _client.Repository.Collaborator.ReviewPermission(Repository.Owner, Repository.Name, login).ConfigureAwait(false);
        return answer.Permission is "admin" or "maintain" or "write";
    });

    /// <summary>POST /repos/{owner}/{repo}/issues/{number}/comments.</summary>
    public Task PostCommentAsync(int number, string body) => Call($"POST /repos/{Repository}/issues/{number}/comments", async () =>
    {
        await _client.Issue.Comment.Create(Repository.Owner, Repository.Name, number, body).ConfigureAwait(false);
        return true;
    });

    /// <summary>POST /repos/{owner}/{repo}/issues/comments/{id}/reactions with 👀.</summary>
    public Task AddEyesAsync(long commentId) => Call($"POST /repos/{Repository}/issues/comments/{commentId}/reactions", async () =>
    {
        await _client.Reaction.IssueComment.Create(Repository.Owner, Repository.Name, commentId, new NewReaction(ReactionType.Eyes)).ConfigureAwait(false);
        return true;
    });

    public void Dispose() => _http.Dispose();

    /// <summary>GITHUB_API_URL (default https://api.github.com) with the trailing slash relative paths need; null when it is not an http(s) URL.</summary>
    internal static Uri? ApiUrl(IReadOnlyDictionary<string, string> environment)
    {
        var url = environment.GetValueOrDefault("GITHUB_API_URL") is { Length: > 0 } configured ? configured : DefaultUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var apiUrl) || apiUrl.Scheme is not ("https" or "http"))
        {
            return null;
        }
        // Relative paths resolve against the base: without the trailing slash https://ghe/api/v3 would lose v3.
        return apiUrl.AbsoluteUri.EndsWith('/') ? apiUrl : new Uri(apiUrl.AbsoluteUri + "/");
    }

    internal static (GitHubClient Client, HttpClientAdapter Http) CreateClient(Uri baseAddress, string? token, Func<HttpMessageHandler> handler)
    {
        var credentials = string.IsNullOrEmpty(token) ? Credentials.Anonymous : new Credentials(token);
        var http = new HttpClientAdapter(handler);
        var client = new GitHubClient(new Connection(
            new ProductHeaderValue(ProductName),
            baseAddress,
            new InMemoryCredentialStore(credentials),
            http,
            new SimpleJsonSerializer()));
        return (client, http);
    }

    private static string Sha(string? value, string field) =>
        CommitSha.IsFull(value) ? value!.ToLowerInvariant() : throw new GitHubApiException($"the pull request's {field} is '{Untrusted.Shown(value)}', not a commit SHA");

    private static async Task<T> Call<T>(string request, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            throw new GitHubApiException($"{request}: {(int)e.StatusCode} {e.StatusCode}: {e.Message}", e);
        }
        catch (HttpRequestException e)
        {
            throw new GitHubApiException($"{request}: {e.Message}", e);
        }
        catch (TaskCanceledException e)
        {
            throw new GitHubApiException($"{request}: timed out", e);
        }
        catch (GitHubApiException e)
        {
            throw new GitHubApiException($"{request}: {e.Message}", e);
        }
    }
}

public sealed class GitHubApiException(string message, Exception? inner = null) : Exception(message, inner);
