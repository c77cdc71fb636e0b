using Filare.Perf.Bisect;
using Filare.Perf.BisectReport;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests.Bisect;

/// <summary>
/// PerfBisect on a real git history of the stand-in, counted under Valgrind: 16 commits with a
/// slowdown, a commit that fails, a later partial fix inside a merged branch, and neutral commits.
/// </summary>
[Collection(nameof(Serial))]
public sealed class PerfBisectEndToEndTests
{
    [Fact]
    public async Task Bisect_names_the_slowdown_and_the_partial_fix_inside_a_merge_skips_the_failing_commit_and_stays_within_its_bound()
    {
        if (ToolsMissing() is { } missing)
        {
            Assert.Skip(missing);
        }
        using var repository = new BisectRepository();
        var good = repository.Commit("good: the stand-in");
        repository.Neutral("docs 1");
        repository.Neutral("docs 2");
        repository.SetExtra(600_000);
        var slow = repository.Commit("Slow: sum squares first");
        repository.Neutral("docs 3");
        repository.Neutral("docs 4");
        repository.SetBroken(true);
        var broken = repository.Commit("Broken: exit 3");
        repository.SetBroken(false);
        repository.Commit("Fix the exit");
        repository.Neutral("docs 5");
        repository.Neutral("docs 6");
        repository.Git("checkout", "--quiet", "-b", "feature");
        repository.Neutral("feature docs");
        repository.SetExtra(200_000);
        var fix = repository.Commit("Partial fix: fewer squares");
        repository.Neutral("feature docs 2");
        repository.Git("checkout", "--quiet", "master");
        repository.Git("-c", "user.name=Ada Tester", "-c", "user.email=t@example.com", "merge", "--quiet", "--no-ff", "-m", "Merge feature", "feature");
        var merge = repository.Git("rev-parse", "HEAD").Trim();
        repository.Neutral("docs 7");
        repository.Neutral("docs 8");
        Assert.Equal(16, repository.Git("rev-list", "--count", $"{good}..HEAD").Trim() is var n ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) + 1 : 0);

        var outcome = await repository.Root.RunAsync(TestRoot.CleanEnvironment(), TestContext.Current.CancellationToken,
            "PerfBisect", "--filare-root", repository.Filare, "--good", good, "--bad", "HEAD", "--scenario", BisectRepository.Scenario,
            "--jobs", "2", "--max-runs", "4", "--bisect-confirm", "true");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var folder = Directory.GetDirectories(Path.Combine(repository.Root.Path, "outputs", "perf"), "bisect-*").Single();
        var result = BisectSession.Read(Path.Combine(folder, BisectResult.JsonFile));
        Assert.Equal([slow, fix], result.Culprits.Select(c => c.Culprit.Sha));
        var (slowdown, partial) = (result.Culprits[0].Step.Change[BisectRepository.Scenario], result.Culprits[1].Step.Change[BisectRepository.Scenario]);
        Assert.True(slowdown > 0.05, $"slowdown {slowdown:P2}");
        Assert.True(partial < -0.03 && -partial < slowdown, $"partial fix {partial:P2} after a slowdown of {slowdown:P2}");
        Assert.Equal(merge, result.Culprits[1].Step.Via);
        var skipped = Assert.Single(result.Skipped);
        Assert.Equal(broken, skipped.Sha);
        Assert.Contains("exit code 3", skipped.Reason, StringComparison.Ordinal);
        // The stated bound on counted runs holds, and it is a bisection, not a sweep.
        Assert.True(result.Cost.CountedRuns <= result.Cost.Bound, $"{result.Cost.CountedRuns} runs, bound {result.Cost.Bound}");
        Assert.True(result.Cost.CountedRuns < 16, $"{result.Cost.CountedRuns} runs for 16 commits");
        Assert.Equal(result.Measured.Count, result.Measured.Select(m => m.Order).Distinct().Count());
        Assert.All(result.Measured.Where(m => m.Status == CommitStatus.Measured), m => Assert.Equal("shared interpreter", m.Environment));
        // Confirmation ran as a wall-time A/B of each culprit against its parent.
        Assert.All(result.Culprits, c => Assert.NotEqual(ConfirmationStatus.NotRun, c.Confirmation.Status));
        Assert.All(result.Culprits, c => Assert.True(c.Confirmation.Scenarios.Single().Pairs >= 2, c.Confirmation.ToString()));
        var markdown = await File.ReadAllTextAsync(Path.Combine(folder, BisectResult.MarkdownFile), TestContext.Current.CancellationToken);
        Assert.StartsWith("## Bisection", markdown, StringComparison.Ordinal);
        Assert.True(markdown.IndexOf(slow[..10], StringComparison.Ordinal) < markdown.IndexOf("### Commits tested", StringComparison.Ordinal), markdown);
        Assert.Contains("Slow: sum squares first", markdown, StringComparison.Ordinal);
        Assert.Contains("```mermaid\nxychart-beta", markdown, StringComparison.Ordinal);
        Assert.Contains($"`{broken[..10]}`: ", markdown, StringComparison.Ordinal);
        Assert.Single(repository.Git("worktree", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    internal static string? ToolsMissing() =>
        Processes.ToolProcess.Which("valgrind", TestRoot.CleanEnvironment()) is null ? "valgrind is not installed (.ci/run installs it)" : null;
}
