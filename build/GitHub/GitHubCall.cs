using Octokit;

namespace Filare.Perf.GitHub;

/// <summary>The one place an API failure becomes a <see cref="GitHubApiException"/>: the request, then why.</summary>
internal sealed class GitHubCall(GitHubRepository repository)
{
    public GitHubRepository Repository { get; } = repository;

    public Task Run(string request, Func<Task> call) => Run(request, async () =>
    {
        await call().ConfigureAwait(false);
        return true;
    });

    public async Task<T> Run<T>(string request, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is ApiException or HttpRequestException or TaskCanceledException or GitHubApiException)
        {
            throw new GitHubApiException($"{request}: {Why(e)}", e);
        }
    }

    /// <summary>The failures worth telling apart: throttled, missing, forbidden, the server, the network.</summary>
    public static string Why(Exception e) => e switch
    {
        RateLimitExceededException limit => $"GitHub's rate limit is exhausted until {limit.Reset:u}",
        NotFoundException => "404 not found (no access, or it is gone)",
        ForbiddenException forbidden => $"403 forbidden ({forbidden.Message}); the token lacks a permission",
        ApiException api => $"{(int)api.StatusCode} {api.Message}",
        TaskCanceledException => "timed out",
        _ => e.Message,
    };
}
