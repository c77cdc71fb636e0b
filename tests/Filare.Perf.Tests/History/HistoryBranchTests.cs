using Filare.Perf.History;
using Filare.Perf.Processes;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests.History;

/// <summary>The history branch against a real bare repository and real clones of it, as on a runner.</summary>
public sealed class HistoryBranchTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("filare-perf-history-git-").FullName;

    private string Bare => Path.Combine(_root, "remote.git");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task The_first_append_creates_the_branch_as_an_orphan_holding_only_the_history()
    {
        var clone = await SetUpAsync("a");

        var push = await Branch(clone)
            .AppendAsync([HistoryData.Record("master", "demo01", 1, 1.0), HistoryData.Record("beta", "demo01", 1, 1.1)], Cancellation);

        Assert.True(push.CreatedBranch);
        Assert.Equal(2, push.Added);
        Assert.Equal(push.Commit, (await Git(Bare, "rev-parse", "refs/heads/perf-history")).Trim());
        // An orphan: one commit, no parent, nothing of the code's history.
        Assert.Equal("1", (await Git(Bare, "rev-list", "--count", "perf-history")).Trim());
        Assert.Equal("", (await Git(Bare, ["merge-base", "--all", "perf-history", "main"], allowFailure: true)).Trim());
        Assert.Equal(["beta/history.jsonl", "master/history.jsonl"],
            (await Git(Bare, "ls-tree", "-r", "--name-only", "perf-history")).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        // The clone's own checkout is as it was.
        Assert.Equal("main", (await Git(clone, "rev-parse", "--abbrev-ref", "HEAD")).Trim());
        Assert.Equal("", (await Git(clone, "status", "--porcelain")).Trim());
    }

    [Fact]
    public async Task Concurrent_appends_from_two_clones_both_land()
    {
        var a = await SetUpAsync("a");
        var b = await SetUpAsync("b");
        await Branch(a).AppendAsync([HistoryData.Record("master", "demo01", 0, 1.0)], Cancellation);
        // Every push waits in the remote's hook, so both clones build on the same tip and one of them must lose.
        await HookAsync("sleep 1");

        var pushes = await Task.WhenAll(
            Task.Run(() => Branch(a).AppendAsync([HistoryData.Record("master", "demo01", 1, 1.0), HistoryData.Record("master", "bom", 1, 0.5)], Cancellation),
                Cancellation),
            Task.Run(() => Branch(b).AppendAsync([HistoryData.Record("beta", "demo01", 1, 1.1), HistoryData.Record("master", "demo01", 2, 1.2)], Cancellation),
                Cancellation));

        Assert.All(pushes, p => Assert.Equal(2, p.Added));
        Assert.Contains(pushes, p => p.Attempts > 1);
        var master = HistoryFile.Parse(await Git(Bare, "show", "perf-history:master/history.jsonl"), "master");
        var beta = HistoryFile.Parse(await Git(Bare, "show", "perf-history:beta/history.jsonl"), "beta");
        Assert.Empty(master.Warnings);
        Assert.Equal(4, master.Records.Count);
        Assert.Single(beta.Records);
        Assert.Equal("3", (await Git(Bare, "rev-list", "--count", "perf-history")).Trim());
    }

    [Fact]
    public async Task A_repeated_append_adds_nothing_and_the_export_holds_the_branch_files()
    {
        var clone = await SetUpAsync("a");
        var record = HistoryData.Record("master", "demo01", 1, 1.0);
        var first = await Branch(clone).AppendAsync([record], Cancellation);

        var again = await Branch(clone).AppendAsync([record], Cancellation);
        var export = Path.Combine(_root, "export");
        await Branch(clone).ExportAsync(again.Commit!, export, Cancellation);

        Assert.Equal((0, first.Commit), (again.Added, again.Commit));
        Assert.Equal(["master"], new HistoryFolder(export).Branches());
        Assert.Single(new HistoryFolder(export).Read("master").Records);
    }

    [Fact]
    public async Task A_report_downloads_the_branch_read_only_and_learns_when_there_is_none_yet()
    {
        var writer = await SetUpAsync("a");
        var reader = await SetUpAsync("b");
        var folder = Path.Combine(_root, "downloaded");

        var before = await Branch(reader).DownloadAsync(folder, Cancellation);
        await Branch(writer).AppendAsync([HistoryData.Record("master", "demo01", 1, 1.0)], Cancellation);
        var after = await Branch(reader).DownloadAsync(folder, Cancellation);
        var notes = new List<string>();
        var missing = await new Filare.Perf.Trend.BaseTrendSource(folder, "no-such-history", new Filare.Perf.Trend.TrendSettings(), "origin", reader)
            .ResolveAsync(notes, Cancellation);

        Assert.False(before);
        Assert.True(after);
        Assert.Single(new HistoryFolder(folder).Read("master").Records);
        Assert.Null(missing);
        Assert.Contains("does not exist yet", Assert.Single(notes), StringComparison.Ordinal);
        Assert.Equal("1", (await Git(Bare, "rev-list", "--count", "perf-history")).Trim());
    }

    [Fact]
    public async Task A_companion_page_is_committed_beside_each_branchs_history()
    {
        var clone = await SetUpAsync("a");
        var branch = new HistoryBranch(new HistoryBranchOptions(clone, "origin", "perf-history",
            Companion: (name, text) => ("trend.md", $"# {name}: {HistoryFile.Parse(text, name).Records.Count} nights\n")));

        await branch.AppendAsync([HistoryData.Record("master", "demo01", 1, 1.0), HistoryData.Record("master", "demo01", 2, 1.0)], Cancellation);

        Assert.Equal("# master: 2 nights\n", await Git(Bare, "show", "perf-history:master/trend.md"));
    }

    [Fact]
    public async Task A_push_refused_for_another_reason_fails_at_once_with_gits_words()
    {
        var clone = await SetUpAsync("a");
        await HookAsync("echo 'protected branch: no pushes' >&2\nexit 1");

        var refused = await Assert.ThrowsAsync<HistoryPushException>(() =>
            Branch(clone).AppendAsync([HistoryData.Record("master", "demo01", 1, 1.0)], Cancellation));

        Assert.Contains("not for a newer tip", refused.Message, StringComparison.Ordinal);
        Assert.Contains("protected branch: no pushes", refused.Message, StringComparison.Ordinal);
        Assert.Contains("pre-receive hook declined", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_remote_that_is_not_there_fails_clearly()
    {
        var clone = await SetUpAsync("a");
        var branch = new HistoryBranch(new HistoryBranchOptions(clone, Path.Combine(_root, "missing.git"), "perf-history",
            Backoff: TimeSpan.FromMilliseconds(10)));

        var failed = await Assert.ThrowsAsync<HistoryPushException>(() => branch.AppendAsync([HistoryData.Record("master", "demo01", 1, 1.0)], Cancellation));

        Assert.Contains("git ls-remote", failed.Message, StringComparison.Ordinal);
        Assert.Contains("missing.git", failed.Message, StringComparison.Ordinal);
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static HistoryBranch Branch(string clone) =>
        new(new HistoryBranchOptions(clone, "origin", "perf-history", Attempts: 8, Backoff: TimeSpan.FromMilliseconds(50)));

    private async Task HookAsync(string script)
    {
        var hook = Path.Combine(Bare, "hooks", "pre-receive");
        await File.WriteAllTextAsync(hook, "#!/bin/sh\n" + script + "\n", Cancellation);
        await ToolProcess.RunAsync("chmod", ["+x", hook], _root, TimeSpan.FromSeconds(10), Cancellation);
    }

    /// <summary>The bare remote with one commit on main (made once), and a fresh clone of it.</summary>
    private async Task<string> SetUpAsync(string name)
    {
        if (!Directory.Exists(Bare))
        {
            await Git(_root, "init", "--quiet", "--bare", "--initial-branch=main", Bare);
            var seed = Path.Combine(_root, "seed");
            await Git(_root, "init", "--quiet", "--initial-branch=main", seed);
            await File.WriteAllTextAsync(Path.Combine(seed, "README"), "code\n", Cancellation);
            await Git(seed, "add", "README");
            await Git(seed, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-m", "code");
            await Git(seed, "push", "--quiet", Bare, "main");
        }
        var clone = Path.Combine(_root, name);
        await Git(_root, "clone", "--quiet", Bare, clone);
        return clone;
    }

    private static async Task<string> Git(string directory, params string[] arguments) => await Git(directory, arguments, false);

    private static async Task<string> Git(string directory, string[] arguments, bool allowFailure)
    {
        var result = await ToolProcess.RunAsync("git", arguments, directory, TimeSpan.FromMinutes(1), Cancellation);
        Assert.True(allowFailure || result.Succeeded, $"git {string.Join(' ', arguments)}: {result.StandardError}");
        return result.StandardOutput;
    }
}
