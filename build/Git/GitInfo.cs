using Filare.Perf.Processes;

namespace Filare.Perf.Git;

public sealed record GitInfo(string Commit, string ShortCommit, string Branch, bool Dirty)
{
    /// <summary>Null outside a git checkout or without git: the run still goes on.</summary>
    public static async Task<GitInfo?> ReadAsync(string directory, CancellationToken cancellation)
    {
        var timeout = TimeSpan.FromSeconds(20);
        var commitTask = ToolProcess.RunAsync("git", ["rev-parse", "HEAD"], directory, timeout, cancellation);
        var branchTask = ToolProcess.RunAsync("git", ["rev-parse", "--abbrev-ref", "HEAD"], directory, timeout, cancellation);
        var statusTask = ToolProcess.RunAsync("git", ["status", "--porcelain", "--untracked-files=no"], directory, timeout, cancellation);
        var (commit, branch, status) = (await commitTask.ConfigureAwait(false), await branchTask.ConfigureAwait(false), await statusTask.ConfigureAwait(false));
        if (!commit.Succeeded)
        {
            return null;
        }
        var sha = commit.StandardOutput.Trim();
        return new GitInfo(sha, ShortSha.Of(sha, ShortSha.InLocalLabel), branch.StandardOutput.Trim(), status.StandardOutput.Trim().Length > 0);
    }
}
