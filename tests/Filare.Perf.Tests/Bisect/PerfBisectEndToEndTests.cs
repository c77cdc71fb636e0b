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
        Assert.Equal(16,
            repository.Git("rev-list", "--count", $"{good}..HEAD").Trim() is var n ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) + 1 : 0);

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

    [Fact]
    public async Task Each_commit_gets_the_environment_its_dependency_declarations_need()
    {
        if (ToolsMissing() is { } missing)
        {
            Assert.Skip(missing);
        }
        using var repository = new BisectRepository();
        var good = repository.Commit("good");
        File.AppendAllText(Path.Combine(repository.Filare, "pyproject.toml"), "# a dependency declaration changed\n");
        var changed = repository.Commit("Declarations change");
        repository.Neutral("docs");
        repository.Git("checkout", "--quiet", good, "--", "pyproject.toml");
        repository.Commit("Declarations back");

        var outcome = await repository.Root.RunAsync(TestRoot.CleanEnvironment(), TestContext.Current.CancellationToken,
            "PerfBisect", "--filare-root", repository.Filare, "--good", good, "--bad", "HEAD", "--scenario", BisectRepository.Scenario, "--jobs", "2",
            "--bisect-confirm", "false");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var result = BisectSession.Read(Directory.GetFiles(Path.Combine(repository.Root.Path, "outputs", "perf"), BisectResult.JsonFile,
            SearchOption.AllDirectories).Single());
        var environments = result.Measured.ToDictionary(m => m.Sha, m => m.Environment);
        Assert.Equal("shared interpreter", environments[good]);
        Assert.Equal("own .venv", environments[changed]);
        Assert.Contains("pyproject.toml", result.Measured.Single(m => m.Sha == changed).EnvironmentReason, StringComparison.Ordinal);
        // Another environment is another sys.path (the own .venv's launcher adds its src/ itself): any step there says so.
        Assert.All(result.Culprits, c => Assert.True(c.EnvironmentChanged, c.Culprit.Subject));
        Assert.All(result.Culprits, c => Assert.Contains(c.Culprit.Subject, new[] { "Declarations change", "Declarations back" }));
    }

    [Fact]
    public async Task A_commit_that_would_import_another_checkouts_code_is_refused()
    {
        using var repository = new BisectRepository();
        var good = repository.Commit("good");
        repository.Neutral("docs");
        // The reference's console script puts its own src/ first: every commit would run the reference's code.
        var script = Path.Combine(repository.Filare, ".venv", "bin", "filare");
        File.WriteAllText(script, File.ReadAllText(script).Replace("sys.path.append(", "sys.path.insert(0, ", StringComparison.Ordinal));

        var outcome = await repository.Root.RunAsync(TestRoot.CleanEnvironment(), TestContext.Current.CancellationToken,
            "PerfBisect", "--filare-root", repository.Filare, "--good", good, "--bad", "HEAD", "--scenario", BisectRepository.Scenario, "--metric",
            "instructions");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("Refused", outcome.Output, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(repository.Filare, "src", "filare"), outcome.Output.Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(repository.Root.Path, "outputs", "perf"), BisectResult.JsonFile, SearchOption.AllDirectories));
    }

    [Fact]
    public async Task An_a_a_counts_the_same_instructions_from_the_two_checkouts_within_the_floor()
    {
        if (ToolsMissing() is { } missing)
        {
            Assert.Skip(missing);
        }
        using var repository = new BisectRepository();
        repository.Commit("one commit");

        var outcome = await repository.Root.RunAsync(TestRoot.CleanEnvironment(), TestContext.Current.CancellationToken,
            "PerfRun", "--filare-root", repository.Filare, "--compare-ref", "HEAD", "--scenario", BisectRepository.Scenario, "--enable-instructions", "true",
            "--runs", "1", "--warmups", "0", "--max-runs", "1", "--enable-pyspy", "false", "--enable-scalene", "false", "--enable-importtime", "false",
            "--run-label", "local");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var scenario = Assert.Single(repository.Root.Metrics().Scenarios);
        var (head, @base) = (scenario.Instructions!, scenario.Base!.Instructions!);
        Assert.Contains(head.Notes, n => n.StartsWith("head counted from a worktree", StringComparison.Ordinal));
        // Two checkouts at two places, one code: the counts agree to the fixture's floor (0.0017%) with room; in place they differed by ~0.05%.
        var difference = Math.Abs((double)head.Total!.Value / @base.Total!.Value - 1);
        Assert.True(difference <= 0.0001, $"A/A differs by {difference:P4}: {head.Total} vs {@base.Total}");
        Assert.Single(repository.Git("worktree", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    internal static string? ToolsMissing() =>
        Processes.ToolProcess.Which("valgrind", TestRoot.CleanEnvironment()) is null ? "valgrind is not installed (.ci/run installs it)" : null;
}
