using System.IO.Compression;
using Filare.Perf.Analysis;
using Filare.Perf.GitHub;
using Filare.Perf.Reporting;
using Filare.Perf.Results;

namespace Filare.Perf.Publishing;

/// <summary>
/// The report's side of GitHub, over the same <see cref="IGitHub"/> layer as the gate: links to the
/// run's artifacts, the previous trusted run's metrics as a baseline, one sticky PR comment, and
/// reactions. The report is informational and must not fail the job, so each API failure
/// (a <see cref="GitHubApiException"/>) becomes a problem to note, here and only here.
/// </summary>
public sealed class GitHubReport(IGitHub github, string serverUrl)
{
    /// <summary>A perf-metrics artifact is a few metrics.json and pstats files; anything far larger is not one.</summary>
    public const int MaxEntries = 1000;
    public const long MaxUnpackedBytes = 256L << 20;

    /// <summary>The Actions bot posts as this user; only its comments are ours to edit.</summary>
    public const string BotLogin = "github-actions[bot]";

    /// <summary>
    /// From GITHUB_REPOSITORY, GITHUB_TOKEN, GITHUB_API_URL and GITHUB_SERVER_URL; null when not on GitHub.
    /// <paramref name="handler"/> replaces the network (tests serve recorded responses through it).
    /// </summary>
    public static GitHubReport? TryCreate(IReadOnlyDictionary<string, string> environment, Func<HttpMessageHandler>? handler)
    {
        if (GitHubRepository.TryParse(environment.GetValueOrDefault("GITHUB_REPOSITORY")) is not { } repository
            || string.IsNullOrEmpty(environment.GetValueOrDefault("GITHUB_TOKEN"))
            || OctokitGitHub.ApiUrl(environment) is null)
        {
            return null;
        }
        var server = environment.GetValueOrDefault("GITHUB_SERVER_URL") is { Length: > 0 } s ? s : "https://github.com";
        return new GitHubReport(OctokitGitHub.Create(environment, repository, handler), server);
    }

    private GitHubRepository Repository => github.Repository;

    /// <summary>artifact name → https://github.com/{owner}/{repo}/actions/runs/{run}/artifacts/{id}: the only links to files a report makes.</summary>
    public async Task<(IReadOnlyDictionary<string, string> Links, string? Problem)> ArtifactLinksAsync(long runId)
    {
        try
        {
            var artifacts = await github.Runs.ArtifactsAsync(runId).ConfigureAwait(false);
            return (artifacts.Where(a => !a.Expired).GroupBy(a => a.Name, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => $"{RunUrl(runId)}/artifacts/{g.First().Id}"), null);
        }
        catch (GitHubApiException e)
        {
            return (new Dictionary<string, string>(), $"artifact links unavailable: {e.Message}");
        }
    }

    /// <summary>When GitHub received this run's trigger and its jobs' timings; nulls when the API cannot say (the line is then left out).</summary>
    public async Task<(DateTimeOffset? Trigger, IReadOnlyList<JobTiming>? Jobs)> TimingsAsync(long runId)
    {
        try
        {
            var run = await github.Runs.GetAsync(runId).ConfigureAwait(false);
            return (run.CreatedAt, await github.Runs.JobsAsync(runId).ConfigureAwait(false));
        }
        catch (GitHubApiException)
        {
            return (null, null);
        }
    }

    public string RunUrl(long runId) => $"{serverUrl.TrimEnd('/')}/{Repository.Owner}/{Repository.Name}/actions/runs/{runId}";

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
            var runs = await github.Runs.SuccessfulAsync(workflowFile).ConfigureAwait(false);
            // Only runs of trusted code: a fork's PR from a branch also called "master" has that
            // head_branch too, and its artifact must never become everyone's baseline.
            var candidates = runs
                .Where(r => r.Id != currentRunId && r.Event is "push" or "schedule" or "workflow_dispatch")
                .Where(r => r.HeadRepository is null || Repository.Is(r.HeadRepository))
                .Select(r => (Run: r, Artifact: r.Event == "schedule"
                    ? ArtifactNames.Metrics + ArtifactNames.BranchSuffix(branch)
                    : r.HeadBranch == branch ? ArtifactNames.Metrics : null))
                .Where(c => c.Artifact is not null)
                .OrderByDescending(c => c.Run.CreatedAt)
                .Take(10)
                .ToList();
            string? problem = null;
            foreach (var (run, name) in candidates)
            {
                origin = $"{workflowFile} run {run.RunNumber} on {branch}";
                // A sharded run uploaded one metrics artifact per shard (<name>-shardKofN): all of them are the run.
                var artifacts = (await github.Runs.ArtifactsAsync(run.Id).ConfigureAwait(false))
                    .Where(a => a.Name == name || ShardArtifact(a.Name, name!)).ToList();
                if (artifacts.Count == 0)
                {
                    // A nightly run profiles only some branches; an older run may have this one.
                    problem ??= $"run {run.RunNumber} has no {name} artifact";
                    continue;
                }
                if (artifacts.FirstOrDefault(a => a.Expired) is { } expired)
                {
                    return (null, origin, $"the {expired.Name} artifact of run {run.RunNumber} has expired (retention)");
                }
                foreach (var artifact in artifacts)
                {
                    await using var zip = await github.Runs.DownloadAsync(artifact.Id).ConfigureAwait(false);
                    var into = artifacts.Count == 1 ? folder : Path.Combine(folder, $"{artifact.Id}");
                    Directory.CreateDirectory(into);
                    Unpack(zip, into);
                }
                var (metrics, _, unreadable) = BaselineSource.FromPath(folder);
                return (metrics, origin, unreadable is null ? null : $"{name} of run {run.RunNumber}: {unreadable}");
            }
            return (null, origin, problem ?? $"no successful {workflowFile} run on {branch} yet");
        }
        catch (Exception e) when (e is GitHubApiException or InvalidDataException or IOException)
        {
            return (null, origin, $"the previous run could not be fetched: {e.Message}");
        }
    }

    /// <summary>Who decides whether another run's report may become a PR comment (the feedback workflow).</summary>
    public FeedbackAuthorization Authorization(string workflowFile, string label, string? defaultBranch) => new(github, workflowFile, label, defaultBranch);

    /// <summary><c>perf-metrics-shard2of3</c> is a shard of <c>perf-metrics</c>; <c>perf-metrics-beta-shard1of2</c> of <c>perf-metrics-beta</c>.</summary>
    internal static bool ShardArtifact(string artifact, string name) =>
        artifact.StartsWith(name + "-shard", StringComparison.Ordinal)
        && System.Text.RegularExpressions.Regex.IsMatch(artifact[name.Length..], @"\A-shard[0-9]+of[0-9]+\z");

    /// <summary>Finds the comment carrying the marker and edits it, so a PR gets one report comment, not one per run.</summary>
    public async Task<string?> UpsertStickyCommentAsync(int pullRequest, string body)
    {
        try
        {
            var comments = await github.Comments.ListAsync(pullRequest).ConfigureAwait(false);
            // Ours: the Actions bot's comment with the marker (another bot quoting it would answer 403 to an edit).
            var mine = comments.LastOrDefault(c =>
                c.Body?.Contains(ReportMarkdown.CommentMarker, StringComparison.Ordinal) == true && c.ByBot && c.Login == BotLogin);
            await (mine is null ? github.Comments.PostAsync(pullRequest, body) : github.Comments.UpdateAsync(mine.Id, body)).ConfigureAwait(false);
            return null;
        }
        catch (GitHubApiException e)
        {
            return $"the PR comment could not be written: {e.Message}";
        }
    }

    public async Task<string?> ReactAsync(long commentId, Reaction reaction)
    {
        try
        {
            await github.Comments.ReactAsync(commentId, reaction).ConfigureAwait(false);
            return null;
        }
        catch (GitHubApiException e)
        {
            return $"the reaction could not be added: {e.Message}";
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
}
