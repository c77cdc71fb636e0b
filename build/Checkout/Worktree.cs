using Filare.Perf.Git;
using Filare.Perf.Processes;

namespace Filare.Perf.Checkout;

/// <summary>
/// A second checkout of Filare's repository at another commit (git worktree), so both sides of a
/// same-runner A/B run from their own source on the same machine. It shares the repository's
/// objects: no clone, no network. <see cref="FilareRoot"/> keeps the head's place in the repository,
/// for a Filare that lives below the repository's top.
/// </summary>
public sealed record Worktree(string Repository, string Path, string Commit, string FilareRoot)
{
    private static readonly TimeSpan s_gitTimeout = TimeSpan.FromMinutes(5);

    /// <param name="reference">--compare-ref as given: a branch, tag, commit or expression such as HEAD~1.</param>
    /// <param name="place">Where the worktree of a commit goes, given the repository's top folder and the commit (<see cref="CheckoutPaths"/>).</param>
    /// <param name="setting">The setting that named the ref, for messages.</param>
    public static async Task<Worktree> AddAsync(FilareCheckout head, string reference, Func<string, string, string> place, CancellationToken cancellation,
        string setting = "--compare-ref / FIL_PERF_COMPARE_REF")
    {
        // Refs reach git as one argument after --end-of-options, never through a shell; what is
        // refused here could only ever be an option or garbage.
        if (!GitRef.IsRevisionArgument(reference))
        {
            throw new FilareException($"{setting}: '{Printable(reference)}' is not a git ref; give a branch, tag, commit or HEAD (no leading '-', no spaces).");
        }
        var top = await Git(head.Root, cancellation, "rev-parse", "--show-toplevel").ConfigureAwait(false);
        if (top is null)
        {
            throw new FilareException($"{setting}: {head.Root} is not in a git repository, so there is no other commit to compare with.");
        }
        var prefix = await Git(head.Root, cancellation, "rev-parse", "--show-prefix").ConfigureAwait(false) ?? "";
        Task<string?> Commit(string name) => Git(top, cancellation, "rev-parse", "--verify", "--quiet", "--end-of-options", name + "^{commit}");
        // CI checks out a commit, not a branch: its branches exist only as origin/<name>.
        var commit = await Commit(reference).ConfigureAwait(false) ?? await Commit("refs/remotes/origin/" + reference).ConfigureAwait(false);
        if (commit is null)
        {
            var shallow = await Git(top, cancellation, "rev-parse", "--is-shallow-repository").ConfigureAwait(false) == "true";
            throw new FilareException($"{setting}: '{reference}' is not a commit in {top}" +
                (shallow ? " (this clone is shallow: fetch the history, e.g. actions/checkout with fetch-depth: 0)." : "; check the name, or fetch it first."));
        }

        var path = place(top, commit);
        await RemoveAsync(top, path, cancellation).ConfigureAwait(false);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var add = await ToolProcess.RunAsync("git", ["-C", top, "worktree", "add", "--detach", "--force", path, commit], top, s_gitTimeout, cancellation)
            .ConfigureAwait(false);
        if (!add.Succeeded)
        {
            throw new FilareException($"{setting}: could not make a worktree of {ShortSha.Of(commit, ShortSha.InPath)} " +
                $"at {path}: git worktree add exited {add.ExitCode}: {add.StandardError.Trim()}");
        }
        var root = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(System.IO.Path.Combine(path, prefix)));
        var worktree = new Worktree(top, path, commit, root);
        if (!FilareCheckout.IsFilare(root))
        {
            await worktree.RemoveAsync(cancellation).ConfigureAwait(false);
            throw new FilareException($"{setting}: at '{reference}' ({ShortSha.Of(commit, ShortSha.InPath)}), " +
                $"{(prefix.Length == 0 ? "the repository" : prefix)} is not a Filare checkout (no pyproject.toml naming 'filare', no src/filare/).");
        }
        return worktree;
    }

    /// <summary>Removes the worktree and git's record of it; the repository is as before.</summary>
    public Task RemoveAsync(CancellationToken cancellation) => RemoveAsync(Repository, Path, cancellation);

    private static async Task RemoveAsync(string repository, string path, CancellationToken cancellation)
    {
        if (Directory.Exists(path))
        {
            await ToolProcess.RunAsync("git", ["-C", repository, "worktree", "remove", "--force", "--force", path], repository, s_gitTimeout, cancellation)
                .ConfigureAwait(false);
            if (Directory.Exists(path))
            {
                // Not a registered worktree any more (or never was): plain files, and ours.
                Directory.Delete(path, recursive: true);
            }
        }
        await ToolProcess.RunAsync("git", ["-C", repository, "worktree", "prune"], repository, s_gitTimeout, cancellation).ConfigureAwait(false);
    }

    private static async Task<string?> Git(string directory, CancellationToken cancellation, params string[] arguments)
    {
        var result = await ToolProcess.RunAsync("git", ["-C", directory, .. arguments], directory, s_gitTimeout, cancellation).ConfigureAwait(false);
        return result.Succeeded ? result.StandardOutput.Trim() : null;
    }

    private static string Printable(string text) => new([.. text.Take(80).Select(c => char.IsControl(c) ? '?' : c)]);
}
