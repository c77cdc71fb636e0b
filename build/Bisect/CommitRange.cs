using Filare.Perf.Checkout;
using Filare.Perf.Git;
using Filare.Perf.Processes;

namespace Filare.Perf.Bisect;

/// <summary>
/// The commits of good..bad as git lists them, oldest first, with good itself at the front: first
/// parents only by default (each mainline commit once, a merge as one commit), or every commit in
/// topological order. A merge's own branch is listed on demand, when a step is found at the merge.
/// </summary>
public sealed class CommitRange(string repository)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);
    private const string Separator = "\u001f";

    public string Repository => repository;

    /// <summary>The full SHA of a ref, or a clear error naming the setting.</summary>
    public async Task<string> ResolveAsync(string reference, string setting, CancellationToken cancellation)
    {
        if (!GitRef.IsRevisionArgument(reference))
        {
            throw new FilareException($"{setting}: '{reference}' is not a git ref; give a branch, tag, commit or HEAD (no leading '-', no spaces).");
        }
        foreach (var candidate in new[] { reference, "refs/remotes/origin/" + reference })
        {
            var result = await GitAsync(cancellation, "rev-parse", "--verify", "--quiet", "--end-of-options", candidate + "^{commit}").ConfigureAwait(false);
            if (result.Succeeded)
            {
                return result.StandardOutput.Trim();
            }
        }
        throw new FilareException($"{setting}: '{reference}' is not a commit in {repository}; " +
            $"check the name, or fetch it first (a shallow clone has no history: fetch-depth: 0).");
    }

    /// <summary>good, then the commits of good..bad oldest first; bad is the last.</summary>
    public async Task<IReadOnlyList<BisectCommit>> ListAsync(string good, string bad, bool firstParent, CancellationToken cancellation)
    {
        var ancestor = await GitAsync(cancellation, "merge-base", "--is-ancestor", good, bad).ConfigureAwait(false);
        if (!ancestor.Succeeded)
        {
            throw new FilareException($"--good {Short(good)} is not an ancestor of --bad {Short(bad)}: a bisection needs good to come before bad in history.");
        }
        var listed = await LogAsync(cancellation, [.. (firstParent ? new[] { "--first-parent" } : []), "--topo-order", "--reverse", $"{good}..{bad}"])
            .ConfigureAwait(false);
        var first = await LogAsync(cancellation, ["-1", good]).ConfigureAwait(false);
        return [.. first, .. listed];
    }

    /// <summary>A merge's first parent, then the first-parent chain of the branch it merged (oldest
    /// first), then the merge: the commits to search when a step is at the merge.</summary>
    public async Task<IReadOnlyList<BisectCommit>> MergedBranchAsync(BisectCommit merge, CancellationToken cancellation)
    {
        var branch = await LogAsync(cancellation, ["--first-parent", "--topo-order", "--reverse", $"{merge.Parents[0]}..{merge.Parents[1]}"])
            .ConfigureAwait(false);
        var parent = await LogAsync(cancellation, ["-1", merge.Parents[0]]).ConfigureAwait(false);
        return [.. parent, .. branch, merge];
    }

    private async Task<IReadOnlyList<BisectCommit>> LogAsync(CancellationToken cancellation, IReadOnlyList<string> arguments)
    {
        var result = await GitAsync(cancellation, ["log", $"--format=%H{Separator}%P{Separator}%an{Separator}%s", .. arguments]).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new FilareException($"git log {string.Join(' ', arguments)} in {repository} exited {result.ExitCode}: {result.StandardError.Trim()}");
        }
        return [.. result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Parse)];
    }

    private static BisectCommit Parse(string line)
    {
        var parts = line.Split(Separator);
        return new BisectCommit(parts[0], parts.Length > 3 ? parts[3] : "", parts.Length > 2 ? parts[2] : "",
            parts.Length > 1 ? parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries) : []);
    }

    private Task<ToolResult> GitAsync(CancellationToken cancellation, params string[] arguments) =>
        ToolProcess.RunAsync("git", ["-C", repository, .. arguments], repository, s_timeout, cancellation);

    private static string Short(string sha) => ShortSha.Of(sha, ShortSha.InReport);
}
