using System.IO.Compression;
using Filare.Perf.Analysis;
using Filare.Perf.Comparison;
using Filare.Perf.Results;
using Octokit;

namespace Filare.Perf.Reporting;

/// <summary>
/// The report's GitHub side, through Octokit: links to the run's artifacts, the previous run's
/// metrics as a baseline, one sticky PR comment, and reactions. Every call answers with a reason
/// instead of an exception: the report is informational and must not fail the job.
/// </summary>
public sealed class GitHubReport(IGitHubClient client, string owner, string repository, string serverUrl)
{
    /// <summary>A perf-metrics artifact is a few metrics.json and pstats files; anything far larger is not one.</summary>
    public const int MaxEntries = 1000;
    public const long MaxUnpackedBytes = 256L << 20;

    /// <summary>
    /// From GITHUB_REPOSITORY, GITHUB_TOKEN, GITHUB_API_URL and GITHUB_SERVER_URL; null when not on GitHub.
    /// <paramref name="handler"/> replaces the network (tests serve recorded responses through it).
    /// </summary>
    public static GitHubReport? TryCreate(IReadOnlyDictionary<string, string> environment, Func<HttpMessageHandler>? handler)
    {
        var repository = environment.GetValueOrDefault("GITHUB_REPOSITORY")?.Split('/');
        var token = environment.GetValueOrDefault("GITHUB_TOKEN");
        if (repository is not [{ Length: > 0 } owner, { Length: > 0 } name] || string.IsNullOrEmpty(token))
        {
            return null;
        }
        if (GitHub.GitHubApi.ApiUrl(environment) is not { } api)
        {
            return null;
        }
        var server = environment.GetValueOrDefault("GITHUB_SERVER_URL") is { Length: > 0 } s ? s : "https://github.com";
        var (client, _) = GitHub.GitHubApi.CreateClient(api, token, handler ?? Octokit.Internal.HttpMessageHandlerFactory.CreateDefault);
        return new GitHubReport(client, owner, name, server);
    }

    /// <summary>artifact name → https://github.com/{owner}/{repo}/actions/runs/{run}/artifacts/{id}.</summary>
    public async Task<(IReadOnlyDictionary<string, string> Links, string? Problem)> ArtifactLinksAsync(long runId)
    {
        try
        {
            var response = await client.Actions.Artifacts.ListWorkflowArtifacts(owner, repository, runId, new ListArtifactsRequest { PerPage = 100 }).ConfigureAwait(false);
            return (response.Artifacts.Where(a => !a.Expired).ToDictionary(a => a.Name, a => $"{RunUrl(runId)}/artifacts/{a.Id}"), null);
        }
        catch (Exception e) when (e is ApiException or HttpRequestException)
        {
            return (new Dictionary<string, string>(), $"artifact links unavailable: {Why(e)}");
        }
    }

    public string RunUrl(long runId) => $"{serverUrl.TrimEnd('/')}/{owner}/{repository}/actions/runs/{runId}";

    /// <summary>
    /// The newest successful trusted run that profiled <paramref name="branch"/>, its metrics artifact
    /// downloaded and unpacked into <paramref name="folder"/>. Nightly runs start on the default
    /// branch and profile each branch as a matrix entry (artifact perf-metrics-&lt;branch&gt;); push and
    /// dispatch runs profile their own branch (artifact perf-metrics): both kinds count.
    /// </summary>
    public async Task<(RunMetrics? Metrics, string Origin, string? Problem)> PreviousAsync(string workflowFile, string branch, long currentRunId, string folder)
    {
        var origin = $"{workflowFile} on {branch}";
        try
        {
            var runs = await client.Actions.Workflows.Runs.ListByWorkflow(owner, repository, workflowFile,
                new WorkflowRunsRequest { Status = CheckRunStatusFilter.Success }, new ApiOptions { PageSize = 100, PageCount = 1 }).ConfigureAwait(false);
            // Only runs of trusted code: a fork's PR from a branch also called "master" has that
            // head_branch too, and its artifact must never become everyone's baseline.
            var candidates = runs.WorkflowRuns
                .Where(r => r.Id != currentRunId && r.Event is "push" or "schedule" or "workflow_dispatch")
                .Where(r => r.HeadRepository is null || string.Equals(r.HeadRepository.FullName, $"{owner}/{repository}", StringComparison.OrdinalIgnoreCase))
                .Select(r => (Run: r, Artifact: r.Event == "schedule" ? ArtifactNames.Metrics + ArtifactNames.BranchSuffix(branch) : r.HeadBranch == branch ? ArtifactNames.Metrics : null))
                .Where(c => c.Artifact is not null)
                .OrderByDescending(c => c.Run.CreatedAt)
                .Take(10)
                .ToList();
            string? problem = null;
            foreach (var (run, name) in candidates)
            {
                origin = $"{workflowFile} run {run.RunNumber} on {branch}";
                var artifacts = await client.Actions.Artifacts.ListWorkflowArtifacts(owner, repository, run.Id, new ListArtifactsRequest { PerPage = 100 }).ConfigureAwait(false);
                var artifact = artifacts.Artifacts.FirstOrDefault(a => a.Name == name);
                if (artifact is null)
                {
                    // A nightly run profiles only some branches; an older run may have this one.
                    problem ??= $"run {run.RunNumber} has no {name} artifact";
                    continue;
                }
                if (artifact.Expired)
                {
                    return (null, origin, $"the {name} artifact of run {run.RunNumber} has expired (retention)");
                }
                await using var zip = await client.Actions.Artifacts.DownloadArtifact(owner, repository, artifact.Id, "zip").ConfigureAwait(false);
                Directory.CreateDirectory(folder);
                Unpack(zip, folder);
                var (metrics, _, unreadable) = BaselineSource.FromPath(folder);
                return (metrics, origin, unreadable is null ? null : $"{name} of run {run.RunNumber}: {unreadable}");
            }
            return (null, origin, problem ?? $"no successful {workflowFile} run on {branch} yet");
        }
        catch (Exception e) when (e is ApiException or HttpRequestException or InvalidDataException or IOException)
        {
            return (null, origin, $"the previous run could not be fetched: {Why(e)}");
        }
    }

    /// <summary>
    /// A PR number read from an artifact is data from untrusted code: it is believed only when that
    /// PR's head is the commit the workflow run profiled, so a fork cannot aim the report at another PR.
    /// </summary>
    public async Task<string?> VerifyPullRequestAsync(int pullRequest, long runId)
    {
        try
        {
            var run = await client.Actions.Workflows.Runs.Get(owner, repository, runId).ConfigureAwait(false);
            var pull = await client.PullRequest.Get(owner, repository, pullRequest).ConfigureAwait(false);
            return string.Equals(run.HeadSha, pull.Head?.Sha, StringComparison.OrdinalIgnoreCase)
                ? null
                : $"the metrics name PR #{pullRequest}, whose head is not the commit run {runId} profiled: no PR comment";
        }
        catch (Exception e) when (e is ApiException or HttpRequestException)
        {
            return $"PR #{pullRequest} could not be checked against run {runId}: {Why(e)}";
        }
    }

    /// <summary>Finds the comment carrying the marker and edits it, so a PR gets one report comment, not one per run.</summary>
    public async Task<string?> UpsertStickyCommentAsync(int pullRequest, string body)
    {
        try
        {
            var comments = await client.Issue.Comment.GetAllForIssue(owner, repository, pullRequest).ConfigureAwait(false);
            // Ours: the Actions bot's comment with the marker (another bot quoting it would answer 403 to an edit).
            var mine = comments.LastOrDefault(c => c.Body?.Contains(ReportMarkdown.CommentMarker, StringComparison.Ordinal) == true
                && c.User?.Type == AccountType.Bot && c.User.Login == "github-actions[bot]");
            if (mine is null)
            {
                await client.Issue.Comment.Create(owner, repository, pullRequest, body).ConfigureAwait(false);
                return null;
            }
            await client.Issue.Comment.Update(owner, repository, mine.Id, body).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is ApiException or HttpRequestException)
        {
            return $"the PR comment could not be written: {Why(e)}";
        }
    }

    public async Task<string?> ReactAsync(long commentId, ReactionType reaction)
    {
        try
        {
            await client.Reaction.IssueComment.Create(owner, repository, commentId, new NewReaction(reaction)).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is ApiException or HttpRequestException)
        {
            return $"the reaction could not be added: {Why(e)}";
        }
    }

    /// <summary>Artifacts come from untrusted code: only plain files, and none outside the folder.</summary>
    private static void Unpack(Stream zip, string folder)
    {
        using var archive = new ZipArchive(zip, ZipArchiveMode.Read);
        var root = Path.GetFullPath(folder) + Path.DirectorySeparatorChar;
        if (archive.Entries.Count > MaxEntries || archive.Entries.Sum(e => e.Length) > MaxUnpackedBytes)
        {
            throw new InvalidDataException($"the artifact holds more than {MaxEntries} files or {MaxUnpackedBytes >> 20} MiB");
        }
        foreach (var entry in archive.Entries)
        {
            var target = Path.GetFullPath(Path.Combine(folder, entry.FullName));
            if (!target.StartsWith(root, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"the artifact holds a path outside its folder: {entry.FullName}");
            }
            if (entry.FullName.EndsWith('/'))
            {
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            entry.ExtractToFile(target, overwrite: true);
        }
    }

    /// <summary>The three failures worth telling apart: missing, forbidden, throttled.</summary>
    public static string Why(Exception e) => e switch
    {
        RateLimitExceededException limit => $"GitHub's rate limit is exhausted until {limit.Reset:u}",
        NotFoundException => "404 not found (no access, or the run or artifact is gone)",
        ForbiddenException forbidden => $"403 forbidden ({forbidden.Message}); the token lacks a permission (actions: read, pull-requests: write)",
        ApiException api => $"{(int)api.StatusCode} {api.Message}",
        _ => e.Message,
    };
}
