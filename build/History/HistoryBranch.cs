using System.Globalization;
using Filare.Perf.Processes;

namespace Filare.Perf.History;

/// <summary>The history branch could not take the records for a reason a retry does not cure (permissions, a protected branch, no remote).</summary>
public sealed class HistoryPushException(string message) : Exception(message);

/// <summary>What an append did: the commit now at the tip of the history branch, and how many records were new.</summary>
public sealed record HistoryPush(string? Commit, int Added, int Attempts, bool CreatedBranch);

/// <param name="Repository">A git repository with the remote (CI: the workflow's checkout, whose token may push).</param>
/// <param name="Remote">The remote's name or URL.</param>
/// <param name="Branch">The history branch (default perf-history).</param>
/// <param name="Backoff">First wait after a lost race; doubled each time, with jitter so two losers do not collide again.</param>
/// <param name="Companion">A page to commit beside a branch's history file (its trend.md), from the branch and the file's new text; null for none.</param>
public sealed record HistoryBranchOptions(string Repository, string Remote, string Branch, int Attempts = 6, TimeSpan? Backoff = null,
    Func<string, string, (string Name, string Text)?>? Companion = null);

/// <summary>
/// Appends records to the history branch of a remote with git's plumbing: the new files are written
/// into a commit on top of the branch's tip, in a private index, without a checkout or a worktree, and
/// pushed. A push that lost a race (non-fast-forward) fetches the new tip and appends again, so two
/// nightlies that finish together both land; any other refusal fails with git's own words. A branch
/// that does not exist yet is created as an orphan (it shares no history with the code).
/// </summary>
public sealed class HistoryBranch(HistoryBranchOptions options)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);
    private string Ref => "refs/heads/" + options.Branch;

    public async Task<HistoryPush> AppendAsync(IReadOnlyList<HistoryRecord> records, CancellationToken cancellation)
    {
        if (HistoryIntake.BranchProblem(options.Branch, []) is { } problem)
        {
            throw new HistoryPushException($"--history-branch: {problem}");
        }
        var scratch = Directory.CreateTempSubdirectory("filare-perf-history-").FullName;
        try
        {
            var backoff = options.Backoff ?? TimeSpan.FromSeconds(2);
            for (var attempt = 1; ; attempt++)
            {
                var parent = await TipAsync(cancellation).ConfigureAwait(false);
                var (commit, added) = await CommitAsync(parent, records, scratch, cancellation).ConfigureAwait(false);
                if (commit is null)
                {
                    return new HistoryPush(parent, 0, attempt, false);
                }
                var push = await Git(cancellation, null, "push", "--porcelain", "--end-of-options", options.Remote, $"{commit}:{Ref}").ConfigureAwait(false);
                if (push.Succeeded)
                {
                    return new HistoryPush(commit, added, attempt, parent is null);
                }
                if (!LostRace(push))
                {
                    throw new HistoryPushException($"git push to {options.Remote} {Ref} was refused (exit " +
                        $"{push.ExitCode}), not for a newer tip, so retrying will not help: {Tail(push)}");
                }
                if (attempt == options.Attempts)
                {
                    throw new HistoryPushException($"git push to {options.Remote} {Ref} lost the race to " +
                        $"other appends {attempt} times in a row; the records were not stored: {Tail(push)}");
                }
                var wait = backoff * Math.Pow(2, attempt - 1) * (0.5 + Random.Shared.NextDouble());
                await Task.Delay(wait, cancellation).ConfigureAwait(false);
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Read-only: the branch's tip fetched and its history files written under
    /// <paramref name="folder"/>; false when the branch does not exist yet.</summary>
    public async Task<bool> DownloadAsync(string folder, CancellationToken cancellation)
    {
        if (await TipAsync(cancellation).ConfigureAwait(false) is not { } tip)
        {
            return false;
        }
        await ExportAsync(tip, folder, cancellation).ConfigureAwait(false);
        return true;
    }

    /// <summary>Writes every history file of the branch's tip under <paramref name="folder"/>, for PerfTrend.</summary>
    public async Task ExportAsync(string commit, string folder, CancellationToken cancellation)
    {
        var files = await Git(cancellation, null, "ls-tree", "-r", "-z", "--name-only", commit).ConfigureAwait(false);
        Require(files, "ls-tree");
        foreach (var path in files.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p.EndsWith("/" + HistoryRecord.FileName, StringComparison.Ordinal)))
        {
            var branch = path[..^(HistoryRecord.FileName.Length + 1)];
            if (HistoryIntake.BranchProblem(branch, []) is null)
            {
                var blob = await Git(cancellation, null, "cat-file", "blob", $"{commit}:{path}").ConfigureAwait(false);
                Require(blob, "cat-file");
                Storage.AtomicFile.WriteAllText(new HistoryFolder(folder).FileOf(branch), blob.StandardOutput);
            }
        }
    }

    /// <summary>The branch's tip on the remote, fetched; null when the branch does not exist there.</summary>
    private async Task<string?> TipAsync(CancellationToken cancellation)
    {
        var listed = await Git(cancellation, null, "ls-remote", "--heads", "--end-of-options", options.Remote, Ref).ConfigureAwait(false);
        Require(listed, "ls-remote");
        var line = listed.StandardOutput.Split('\n').FirstOrDefault(l => l.EndsWith("\t" + Ref, StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }
        var fetch = await Git(cancellation, null, "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--end-of-options", options.Remote,
            $"+{Ref}:refs/filare-perf/{options.Branch}").ConfigureAwait(false);
        Require(fetch, "fetch");
        var tip = await Git(cancellation, null, "rev-parse", "--verify", $"refs/filare-perf/{options.Branch}^{{commit}}").ConfigureAwait(false);
        Require(tip, "rev-parse");
        return tip.StandardOutput.Trim();
    }

    private async Task<(string? Commit, int Added)> CommitAsync(string? parent, IReadOnlyList<HistoryRecord> records, string scratch,
        CancellationToken cancellation)
    {
        var index = Path.Combine(scratch, "index");
        File.Delete(index);
        var environment = new Dictionary<string, string> { ["GIT_INDEX_FILE"] = index };
        Require(await Git(cancellation, environment, parent is null ? ["read-tree", "--empty"] : ["read-tree", parent]).ConfigureAwait(false), "read-tree");
        var added = 0;
        foreach (var group in records.GroupBy(r => r.Branch, StringComparer.Ordinal))
        {
            var path = HistoryFolder.RelativePath(group.Key);
            var existing = parent is null ? "" : await BlobAsync(parent, path, cancellation).ConfigureAwait(false);
            var (text, count) = HistoryFile.Append(existing, group, $"{options.Branch}:{path}");
            if (count == 0)
            {
                continue;
            }
            added += count;
            await StageAsync(path, text, scratch, environment, cancellation).ConfigureAwait(false);
            if (options.Companion?.Invoke(group.Key, text) is { } page)
            {
                await StageAsync(group.Key + "/" + page.Name, page.Text, scratch, environment, cancellation).ConfigureAwait(false);
            }
        }
        if (added == 0)
        {
            return (null, 0);
        }
        var tree = await Git(cancellation, environment, "write-tree").ConfigureAwait(false);
        Require(tree, "write-tree");
        var message = $"History: {added} record{(added == 1 ? "" : "s")} " +
            $"({string.Join(", ", records.Select(r => r.Branch).Distinct().Order(StringComparer.Ordinal))})";
        List<string> arguments = ["commit-tree", tree.StandardOutput.Trim(), "-m", message];
        if (parent is not null)
        {
            arguments.AddRange(["-p", parent]);
        }
        var commit = await Git(cancellation, Identity, [.. arguments]).ConfigureAwait(false);
        Require(commit, "commit-tree");
        return (commit.StandardOutput.Trim(), added);
    }

    private async Task StageAsync(string path, string text, string scratch, Dictionary<string, string> environment, CancellationToken cancellation)
    {
        var file = Path.Combine(scratch, "blob");
        await File.WriteAllTextAsync(file, text, cancellation).ConfigureAwait(false);
        var blob = await Git(cancellation, null, "hash-object", "-w", "--", file).ConfigureAwait(false);
        Require(blob, "hash-object");
        Require(await Git(cancellation, environment, "update-index", "--add", "--cacheinfo", $"100644,{blob.StandardOutput.Trim()},{path}")
            .ConfigureAwait(false), "update-index");
    }

    private async Task<string> BlobAsync(string commit, string path, CancellationToken cancellation)
    {
        var exists = await Git(cancellation, null, "cat-file", "-e", $"{commit}:{path}").ConfigureAwait(false);
        if (!exists.Succeeded)
        {
            return "";
        }
        var blob = await Git(cancellation, null, "cat-file", "blob", $"{commit}:{path}").ConfigureAwait(false);
        Require(blob, "cat-file");
        return blob.StandardOutput;
    }

    /// <summary>
    /// A push that lost a race: refused for a newer tip ("[rejected] (fetch first)" or "(non-fast-forward)"),
    /// or, when both pushes reached the remote together, the loser's ref lock ("[remote rejected]
    /// (failed to update ref)" with "cannot lock ref"). A hook's or a permission's refusal is not one.
    /// </summary>
    private static bool LostRace(ToolResult push) =>
        push.StandardOutput.Split('\n').Where(l => l.StartsWith('!')).Any(l =>
            (l.Contains("[rejected]", StringComparison.Ordinal)
                && (l.Contains("(fetch first)", StringComparison.Ordinal) || l.Contains("(non-fast-forward)", StringComparison.Ordinal)))
            || (l.Contains("[remote rejected] (failed to update ref)", StringComparison.Ordinal)
                && push.StandardError.Contains("cannot lock ref", StringComparison.Ordinal)));

    private static readonly Dictionary<string, string> Identity = new()
    {
        ["GIT_AUTHOR_NAME"] = "filare-perf",
        ["GIT_AUTHOR_EMAIL"] = "41898282+github-actions[bot]@users.noreply.github.com",
        ["GIT_COMMITTER_NAME"] = "filare-perf",
        ["GIT_COMMITTER_EMAIL"] = "41898282+github-actions[bot]@users.noreply.github.com",
    };

    private Task<ToolResult> Git(CancellationToken cancellation, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        // Never wait for a password prompt on a runner: a missing token is a failure, not a hang.
        var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["GIT_TERMINAL_PROMPT"] = "0" };
        return ToolProcess.RunAsync("git", ["-C", options.Repository, .. arguments], options.Repository, s_timeout, cancellation, variables);
    }

    private void Require(ToolResult result, string step)
    {
        if (!result.Succeeded)
        {
            throw new HistoryPushException($"git {step} in {options.Repository} (remote {options.Remote}, " +
                $"{Ref}) exited {result.ExitCode.ToString(CultureInfo.InvariantCulture)}: {Tail(result)}");
        }
    }

    private static string Tail(ToolResult result)
    {
        var text = (result.StandardError + "\n" + result.StandardOutput).Trim();
        return text.Length <= 600 ? text : "…" + text[^600..];
    }
}
