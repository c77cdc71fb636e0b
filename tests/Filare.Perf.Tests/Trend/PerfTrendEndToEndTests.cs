using System.Text.RegularExpressions;
using Filare.Perf.History;
using Filare.Perf.Processes;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests.Trend;

/// <summary>
/// PerfHistory and PerfTrend over real PerfRun runs of the stand-in: a git copy of it whose second
/// commit makes demo01's input much larger (the stand-in's work grows with its input), measured
/// three times at each commit, with instruction counts: the step is asserted in the deterministic
/// metric, never in wall time (on a loaded machine the nights' wall times hid a real 3-5x step).
/// </summary>
[Collection(nameof(Serial))]
public sealed partial class PerfTrendEndToEndTests
{
    [Fact]
    public async Task A_history_of_real_runs_gives_trend_md_with_a_change_point_at_the_commit_that_slowed_it_and_well_formed_charts()
    {
        using var root = new TestRoot();
        File.Copy(Path.Combine(Repository.Root, "scenarios", "demo01.yml"), Path.Combine(root.Path, "scenarios", "demo01.yml"));
        var filare = Path.Combine(root.Path, "filare");
        Copy(Repository.StandIn, filare);
        await Git(filare, "init", "--quiet", "--initial-branch=master");
        var before = await CommitAsync(filare, "A");
        for (var night = 1; night <= 3; night++)
        {
            await PerfRunAsync(root, filare, $"night-{night}");
        }
        await File.AppendAllTextAsync(Path.Combine(filare, "examples", "demo01.yml"), "# " + new string('x', 12_000) + "\n",
            TestContext.Current.CancellationToken);
        var after = await CommitAsync(filare, "B: a much larger demo");
        for (var night = 4; night <= 6; night++)
        {
            await PerfRunAsync(root, filare, $"night-{night}");
        }

        var history = await root.RunAsync("PerfHistory", "--history-dir", "history", "--report-input", "outputs/perf", "--filare-branch", "master");
        var trend = await root.RunAsync("PerfTrend", "--history-dir", "history", "--trend-repository", "filare/filare");

        Assert.True(history.ExitCode == 0, history.ToString());
        Assert.True(trend.ExitCode == 0, trend.ToString());
        Assert.Equal(6, HistoryFile.Read(Path.Combine(root.Path, "history", "master", HistoryRecord.FileName)).Records.Count);
        var markdown = await File.ReadAllTextAsync(Path.Combine(root.Path, "history", "trend.md"), TestContext.Current.CancellationToken);
        Assert.Contains("### master · demo01", markdown, StringComparison.Ordinal);
        Assert.Contains("6 nights", markdown, StringComparison.Ordinal);
        Assert.True(markdown.Contains($"[{before[..7]}…{after[..7]}](https://github.com/filare/filare/compare/{before}...{after})", StringComparison.Ordinal),
            markdown);
        // Found in instruction counts, which a loaded machine does not move (wall times of loaded nights can hide a 3x step).
        // Wall time may find it too (then it leads the row and instructions moved together); instructions always do.
        var row = Assert.Single(markdown.Split('\n'), l => l.StartsWith("| 🔺 slower |", StringComparison.Ordinal));
        Assert.Contains("instructions", row, StringComparison.Ordinal);
        var links = LinkTargets().Matches(markdown).Select(m => m.Groups[1].Value).ToList();
        Assert.All(links, l => Assert.Matches("^https://github.com/filare/filare/compare/[0-9a-f]{40}\\.\\.\\.[0-9a-f]{40}$", l));
        var charts = MermaidBlocks().Matches(markdown).Select(m => m.Groups[1].Value).ToList();
        // Wall time, peak memory and instructions, one chart each.
        Assert.Equal(3, charts.Count);
        Assert.All(charts, c => Assert.Empty(MermaidXyChart.Problems(c)));
        var counted = Assert.Single(charts, c => c.Contains("instructions", StringComparison.Ordinal));
        Assert.Contains($"\"CP {DateTime.UtcNow:MM-dd} {after[..7]}\"", counted, StringComparison.Ordinal);
        Assert.Contains("master", trend.Output, StringComparison.Ordinal);
        Assert.Contains($"{before[..7]}..{after[..7]}", trend.Output, StringComparison.Ordinal);
    }

    private static async Task PerfRunAsync(TestRoot root, string filare, string label)
    {
        var run = await root.RunAsync("PerfRun", "--filare-root", filare, "--scenario", "demo01", "--runs", "2", "--warmups", "0", "--run-label", label,
            "--enable-pyspy", "false", "--enable-scalene", "false",
            "--enable-instructions", "true", "--enable-importtime", "false");
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    private static async Task<string> CommitAsync(string repository, string message)
    {
        await Git(repository, "add", "-A");
        await Git(repository, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-m", message);
        return (await Git(repository, "rev-parse", "HEAD")).Trim();
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static async Task<string> Git(string directory, params string[] arguments)
    {
        var result = await ToolProcess.RunAsync("git", arguments, directory, TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded, $"git {string.Join(' ', arguments)}: {result.StandardError}");
        return result.StandardOutput;
    }

    [GeneratedRegex(@"\]\(([^)]*)\)")]
    private static partial Regex LinkTargets();

    [GeneratedRegex("```mermaid\n(.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex MermaidBlocks();
}
