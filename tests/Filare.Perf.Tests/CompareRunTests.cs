using Filare.Perf.Comparison;
using Filare.Perf.Processes;
using Filare.Perf.Results;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests;

/// <summary>
/// Same-runner A/B (--compare-ref) over a git repository made from a test root: the base commit
/// holds the fixture as it is, the head commit a change to it. Real git worktrees, real runs.
/// </summary>
public sealed class CompareRunTests
{

    private const string ExtraWorkDefault = "parser.add_argument(\"--extra-work\", type=float, default=0.0)";

    /// <summary>A test root under git with one commit; <see cref="Commit"/> adds the next.</summary>
    internal static TestRoot GitRoot(Func<TestRoot, TestRoot> scenarios)
    {
        var root = scenarios(new TestRoot());
        Git(root, "init", "-q", "-b", "main");
        Commit(root, "base");
        return root;
    }

    internal static void Commit(TestRoot root, string message)
    {
        Git(root, "add", "-A", ".");
        Git(root, "-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "-m", message);
    }

    internal static string Git(TestRoot root, params string[] arguments)
    {
        var result = ToolProcess.RunAsync("git", ["-C", root.Path, .. arguments], root.Path, TimeSpan.FromSeconds(60), CancellationToken.None).GetAwaiter()
            .GetResult();
        Assert.True(result.Succeeded, $"git {string.Join(" ", arguments)}: {result.StandardError}");
        return result.StandardOutput;
    }

    /// <summary>The head commit's change: the fixture does <paramref name="percent"/>% more work by default.</summary>
    internal static void AddWork(TestRoot root, double percent)
    {
        var fixture = root.File_("perf_fixture.py");
        var text = File.ReadAllText(fixture);
        Assert.Contains(ExtraWorkDefault, text);
        File.WriteAllText(fixture,
            text.Replace(ExtraWorkDefault, ExtraWorkDefault.Replace("0.0)", $"{percent})", StringComparison.Ordinal), StringComparison.Ordinal));
        Commit(root, $"+{percent}% work");
    }

    /// <summary>No profilers but cProfile, and no adaptive pairs (max runs below the minimum): these tests count pairs exactly.</summary>
    internal static readonly Dictionary<string, string> NoProfilers = new() { ["FIL_PERF_PROFILERS"] = "cprofile", ["FIL_PERF_RUN_LABEL"] = "local",
        ["FIL_PERF_MAX_RUNS"] = "1" };

    [Fact]
    public async Task Compare_ref_head_on_a_clean_checkout_is_an_a_a_calibration_with_a_noise_floor()
    {
        using var root = GitRoot(r => r.FixtureScenario("work", "--work 6", runs: 5));

        var outcome = await root.RunAsync(NoProfilers, "PerfRun", "--compare-ref", "HEAD", "--profilers", "cprofile");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var metrics = root.Metrics();
        Assert.Equal(CompareMode.AA, metrics.Compare!.Mode);
        var scenario = Assert.Single(metrics.Scenarios);
        // 5 runs asked, 6 pairs made: each side goes first in 3 of them.
        Assert.Equal((6, 6, 6), (scenario.RunsPlanned, scenario.Samples.Count, scenario.Base!.Samples.Count));
        Assert.Equal(3, scenario.Base.Samples.Count(b => b.Order < scenario.Samples.Single(h => h.Index == b.Index).Order));
        var paired = scenario.Paired!;
        Assert.NotNull(paired.NoiseFloor);
        Assert.Equal(6, paired.NoiseFloor.Pairs);
        Assert.True(paired.NoiseFloor.WallSeconds >= 0 && double.IsFinite(paired.NoiseFloor.WallSeconds));
        Assert.NotEqual(Verdict.Slower, paired.WallSeconds.Verdict);
        Assert.Contains("A/A calibration", outcome.Output);
    }

    [Fact]
    public async Task Compare_alpha_and_min_effect_of_the_run_decide_metrics_json_and_summary_md_alike()
    {
        using var root = GitRoot(r => r.FixtureScenario("work", "--work 1", runs: 4));

        var outcome = await root.RunAsync(NoProfilers, "PerfRun", "--compare-ref", "HEAD", "--profilers", "cprofile", "--compare-alpha", "0.2",
            "--compare-min-effect", "0.15");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var paired = Assert.Single(root.Metrics().Scenarios).Paired!;
        Assert.Equal(4, paired.Pairs);
        Assert.Contains("15%", paired.WallSeconds.Why, StringComparison.Ordinal);
        // summary.md was rendered with the defaults (p < 0.01, 5%) while metrics.json used these.
        var summary = File.ReadAllText(Path.Combine(root.RunFolder(), "summary.md"));
        Assert.Contains("(p &lt; 0.2) and a change of at least max(15%, noise floor)", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("max(5%", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_branch_that_exists_only_on_origin_is_found_as_ci_checkouts_have_it()
    {
        using var root = GitRoot(r => r.FixtureScenario("work", "--work 1", runs: 2));
        AddWork(root, 10);
        Git(root, "update-ref", "refs/remotes/origin/feature", "HEAD~1");

        var outcome = await root.RunAsync(NoProfilers, "PerfRun", "--compare-ref", "feature");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Equal(Git(root, "rev-parse", "HEAD~1").Trim(), root.Metrics().Compare!.Commit);
    }

    [Fact]
    public async Task Setup_filare_makes_the_checkouts_venv_and_removes_it_when_the_install_fails()
    {
        using var root = new TestRoot().FixtureScenario("work", "--work 1", runs: 1);
        var offline = Offline();

        var outcome = await root.RunAsync(offline, "PerfRun", "--setup-filare", "true");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("Making " + root.File_(".venv"), outcome.Output.Replace("\n", "", StringComparison.Ordinal));
        Assert.Contains("Could not prepare an environment for " + root.Path, outcome.Output);
        Assert.False(Directory.Exists(root.File_(".venv")));
        // The run still measured with the interpreter it could find.
        Assert.Equal(ScenarioStatus.Ok, Assert.Single(root.Metrics().Scenarios).Status);
    }

    [Fact]
    public async Task Setup_filare_leaves_a_given_interpreter_alone()
    {
        using var root = new TestRoot().FixtureScenario("work", "--work 1", runs: 1);

        var outcome = await root.RunAsync(NoProfilers, "PerfRun", "--setup-filare", "true", "--python", "python3");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("nothing to set up", outcome.Output);
        Assert.False(Directory.Exists(root.File_(".venv")));
    }

    [Fact]
    public async Task Uncommitted_changes_against_head_are_an_a_b_not_a_calibration()
    {
        using var root = GitRoot(r => r.FixtureScenario("work", "--work 2", runs: 2));
        File.AppendAllText(root.File_("perf_fixture.py"), "\n# an uncommitted change\n");

        var outcome = await root.RunAsync(NoProfilers, "PerfRun", "--compare-ref", "HEAD", "--profilers", "cprofile");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Equal(CompareMode.AB, root.Metrics().Compare!.Mode);
    }

    [Fact]
    public async Task A_ref_that_does_not_exist_is_a_clear_error_and_the_head_is_still_measured_and_reported()
    {
        using var root = GitRoot(r => r.FixtureScenario("work", "--work 2", runs: 2));

        var outcome = await root.RunAsync(NoProfilers, "PerfRun", "--compare-ref", "no-such-branch");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("--compare-ref / FIL_PERF_COMPARE_REF: 'no-such-branch' is not a commit", outcome.Output);
        Assert.Contains("The head is measured alone", outcome.Output);
        var metrics = root.Metrics();
        Assert.Equal((CompareStatus.Failed, "no-such-branch"), (metrics.Compare!.Status, metrics.Compare.Ref));
        Assert.Contains("is not a commit", metrics.Compare.Problem);
        var scenario = Assert.Single(metrics.Scenarios);
        Assert.Equal((ScenarioStatus.Ok, 2), (scenario.Status, scenario.Samples.Count));
        Assert.Null(scenario.Base);
        Assert.True(File.Exists(Path.Combine(root.RunFolder(), "summary.md")));
    }

    [Theory]
    [InlineData("--upload-pack=touch pwned")]
    [InlineData("-h")]
    [InlineData("HEAD; touch pwned")]
    public async Task A_ref_that_looks_like_an_option_or_holds_spaces_never_reaches_git_as_one(string reference)
    {
        using var root = GitRoot(r => r.FixtureScenario("work", "--work 1", runs: 1));

        var outcome = await root.RunAsync(NoProfilers, "PerfRun", $"--compare-ref={reference}");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("is not a git ref", outcome.Output);
        Assert.False(File.Exists(root.File_("pwned")));
        Assert.Equal(ScenarioStatus.Ok, Assert.Single(root.Metrics().Scenarios).Status);
    }

    [Fact]
    public async Task Outside_git_there_is_no_base_to_compare_with_and_the_error_says_so()
    {
        using var root = new TestRoot().FixtureScenario("work", "--work 1", runs: 1);

        var outcome = await root.RunAsync(NoProfilers, "PerfRun", "--compare-ref", "HEAD");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("is not in a git repository", outcome.Output);
        Assert.Equal(ScenarioStatus.Ok, Assert.Single(root.Metrics().Scenarios).Status);
    }

    [Fact]
    public async Task A_base_whose_environment_cannot_be_prepared_is_a_clear_error_and_leaves_no_half_made_venv_or_worktree()
    {
        using var root = GitRoot(r => r.FixtureScenario("work", "--work 1", runs: 2));
        AddWork(root, 10);
        // No package index: installing the base checkout into a new venv must fail, as offline.
        var offline = Offline();

        var outcome = await root.RunAsync(offline, "PerfRun", "--compare-ref", "HEAD~1", "--compare-env", "venv");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("Could not prepare an environment for", outcome.Output);
        Assert.Contains("pip install", outcome.Output);
        var metrics = root.Metrics();
        Assert.Equal(CompareStatus.Failed, metrics.Compare!.Status);
        Assert.Contains("Could not prepare an environment", metrics.Compare.Problem);
        Assert.Equal((ScenarioStatus.Ok, 2), (metrics.Scenarios[0].Status, metrics.Scenarios[0].Samples.Count));
        Assert.Single(Git(root, "worktree", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_base_that_fails_keeps_the_heads_runs_and_fails_the_build_naming_the_base()
    {
        using var root = GitRoot(r => r.FixtureScenario("work", "--work 1", runs: 3));
        // The base commit's program exits 3; the head fixed it.
        BreakFixture(root);
        Commit(root, "broken");
        Git(root, "checkout", "-q", "HEAD~1", "--", "perf_fixture.py");
        Commit(root, "fixed");

        var outcome = await root.RunAsync(NoProfilers, "PerfRun", "--compare-ref", "HEAD~1");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("At HEAD~1, 1 did not: work (failed)", outcome.Output);
        var scenario = Assert.Single(root.Metrics().Scenarios);
        Assert.Equal((ScenarioStatus.Ok, 4), (scenario.Status, scenario.Samples.Count));
        Assert.Equal((ScenarioStatus.Failed, 1), (scenario.Base!.Status, scenario.Base.Samples.Count));
        Assert.Contains("fixture failing on purpose", scenario.Base.Message);
        Assert.Equal("skipped", scenario.Base.Profilers.Single().Status.ToString().ToLowerInvariant());
        Assert.Equal(0, scenario.Paired!.Pairs);
    }

    [Fact]
    public async Task A_head_that_fails_ends_both_sides_at_once_and_the_base_is_not_profiled()
    {
        using var root = GitRoot(r => r.FixtureScenario("work", "--work 1", runs: 4));
        // The head commit breaks the program.
        BreakFixture(root);
        Commit(root, "broken");

        var outcome = await root.RunAsync(NoProfilers, "PerfRun", "--compare-ref", "HEAD~1");

        Assert.Equal(1, outcome.ExitCode);
        var scenario = Assert.Single(root.Metrics().Scenarios);
        Assert.Equal((ScenarioStatus.Failed, 1), (scenario.Status, scenario.Samples.Count));
        // Pair 1 runs base first, then the failing head: nothing after it.
        Assert.Equal((ScenarioStatus.Skipped, "stopped: the head failed", 1), (scenario.Base!.Status, scenario.Base.Message, scenario.Base.Samples.Count));
        Assert.All(scenario.Base.Profilers, p => Assert.Equal(Filare.Perf.Results.ProfilerStatus.Skipped, p.Status));
    }

    [Fact]
    public async Task A_scenario_whose_inputs_the_base_lacks_runs_head_only()
    {
        using var root = GitRoot(r => r.Scenario("new-input", """
            name: new-input
            description: reads an input the head adds
            command: [python, "{root}/perf_fixture.py", "--work", "1", {glob: "inputs/*.yml"}]
            runs: 2
            warmups: 0
            """).FixtureScenario("work", "--work 1", runs: 2));
        Directory.CreateDirectory(root.File_("inputs"));
        // The fixture ignores a positional argument it does not know? No: give it a file it accepts.
        File.WriteAllText(root.File_("inputs/new.yml"), "x: 1\n");
        File.WriteAllText(root.File_("perf_fixture.py"), File.ReadAllText(root.File_("perf_fixture.py"))
            .Replace("options = parser.parse_args()", "options, _ = parser.parse_known_args()", StringComparison.Ordinal));
        Commit(root, "a new input");

        var outcome = await root.RunAsync(NoProfilers, "PerfRun", "--compare-ref", "HEAD~1");

        var scenarios = root.Metrics().Scenarios;
        var added = scenarios.Single(s => s.Name == "new-input");
        Assert.Equal(ScenarioStatus.Ok, added.Status);
        // Not a failure of the PR: the base simply has nothing to compare this scenario with.
        Assert.Equal(ScenarioStatus.Skipped, added.Base!.Status);
        Assert.Contains("not runnable at HEAD~1", added.Base.Message);
        Assert.Contains("matched no file", added.Base.Message);
        Assert.Equal(ScenarioStatus.Ok, scenarios.Single(s => s.Name == "work").Base!.Status);
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
    }

    [Fact]
    public async Task The_shared_interpreter_imports_the_bases_own_source_first()
    {
        using var root = GitRoot(r => r.Scenario("which", """
            name: which
            description: prints where filare is imported from
            command: [python, "-c", "import filare, sys; print(filare.WHERE, filare.__file__)"]
            runs: 1
            warmups: 0
            """));
        Directory.CreateDirectory(root.File_("src/filare"));
        File.WriteAllText(root.File_("src/filare/__init__.py"), "WHERE = 'base'\n");
        Commit(root, "base source");
        File.WriteAllText(root.File_("src/filare/__init__.py"), "WHERE = 'head'\n");
        Commit(root, "head source");
        // The head imports its own source the way an installed checkout would.
        var environment = new Dictionary<string, string>(NoProfilers) { ["PYTHONPATH"] = root.File_("src") };

        var outcome = await root.RunAsync(environment, "PerfRun", "--compare-ref", "HEAD~1", "--compare-env", "shared");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var scenario = Assert.Single(root.Metrics().Scenarios);
        var baseOut = File.ReadAllText(Path.Combine(root.RunFolder(), scenario.Base!.Samples[0].Stdout));
        var headOut = File.ReadAllText(Path.Combine(root.RunFolder(), scenario.Samples[0].Stdout));
        Assert.StartsWith("base ", baseOut, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(".nuke", "temp", "compare"), baseOut, StringComparison.Ordinal);
        Assert.StartsWith("head ", headOut, StringComparison.Ordinal);
    }

    /// <summary>The fixture as a commit that breaks it: every run exits 3.</summary>
    private static void BreakFixture(TestRoot root) =>
        File.WriteAllText(root.File_("perf_fixture.py"), File.ReadAllText(root.File_("perf_fixture.py"))
            .Replace("if options.exit:", "if True:", StringComparison.Ordinal)
            .Replace("sys.exit(options.exit)", "sys.exit(options.exit or 3)", StringComparison.Ordinal));

    /// <summary>No package index and no uv: installing anything must fail, as on a machine offline.</summary>
    private static Dictionary<string, string> Offline() => new(NoProfilers) { ["PIP_NO_INDEX"] = "1", ["PATH"] = WithoutUv() };

    internal static string Walls(IEnumerable<Filare.Perf.Results.RunSample> samples) =>
        string.Join(" ", samples.Select(s => s.WallSeconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)));

    private static string WithoutUv() => string.Join(Path.PathSeparator,
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Where(d => !File.Exists(Path.Combine(d, "uv"))));
}

/// <summary>The verdict on a real regression: alone, because a neighbour test's load is noise it would have to see through.</summary>
[Collection(nameof(Serial))]
public sealed class CompareVerdictTests
{
    [Fact]
    public async Task A_change_is_measured_against_its_base_interleaved_on_one_runner_and_called_slower()
    {
        using var root = CompareRunTests.GitRoot(r => r.FixtureScenario("work", "--work 40", runs: 6, warmups: 1));
        CompareRunTests.AddWork(root, 200);

        var outcome = await root.RunAsync(CompareRunTests.NoProfilers, "PerfRun", "--compare-ref", "HEAD~1");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var metrics = root.Metrics();
        var compare = metrics.Compare!;
        Assert.Equal(("HEAD~1", CompareStatus.Ok, CompareMode.AB), (compare.Ref, compare.Status, compare.Mode));
        Assert.Equal(CompareRunTests.Git(root, "rev-parse", "HEAD~1").Trim(), compare.Commit);
        Assert.Equal(Filare.Perf.Checkout.CheckoutPython.Shared, compare.Environment);
        var scenario = Assert.Single(metrics.Scenarios);
        var baseSide = scenario.Base!;
        Assert.Equal((ScenarioStatus.Ok, 6, 6), (baseSide.Status, baseSide.Samples.Count, scenario.Samples.Count));
        // Warmups alternate, then every pair flips its order: base, head · head, base · …
        Assert.Equal([1], baseSide.Warmups.Select(s => s.Order!.Value));
        Assert.Equal([2], scenario.Warmups.Select(s => s.Order!.Value));
        Assert.Equal([3, 6, 7, 10, 11, 14], baseSide.Samples.Select(s => s.Order!.Value));
        Assert.Equal([4, 5, 8, 9, 12, 13], scenario.Samples.Select(s => s.Order!.Value));
        // Each side ran its own commit's code: three times the work is well over 1.5 times the CPU time.
        Assert.True(scenario.Statistics!.UserSeconds.Median > 1.5 * baseSide.Statistics!.UserSeconds.Median,
            $"head {scenario.Statistics.UserSeconds.Median} s vs base {baseSide.Statistics.UserSeconds.Median} s of CPU");
        Assert.All(baseSide.Samples, s => Assert.StartsWith("work/base/run-", s.Stdout, StringComparison.Ordinal));
        var paired = scenario.Paired!;
        Assert.Equal(6, paired.Pairs);
        Assert.True(paired.WallSeconds.Paired);
        Assert.True(paired.WallSeconds.Verdict == Verdict.Slower,
            $"{paired.WallSeconds.Verdict}: {paired.WallSeconds.Why}; base " +
                $"{CompareRunTests.Walls(baseSide.Samples)} head {CompareRunTests.Walls(scenario.Samples)}");
        Assert.Null(paired.NoiseFloor);
        // Profiled once per side, each artifact named by its side.
        Assert.Contains(scenario.Profilers.Single().Artifacts, a => a.Path == "work/local-work-head-cprofile.pstats");
        Assert.Contains(baseSide.Profilers.Single().Artifacts, a => a.Path == "work/base/local-work-base-cprofile.pstats");
        Assert.True(File.Exists(Path.Combine(root.RunFolder(), "work", "base", "local-work-base-cprofile.pstats")));
        // The worktree was a means: gone, and git no longer lists it.
        Assert.Single(CompareRunTests.Git(root, "worktree", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(Directory.Exists(root.File_(".nuke/temp/compare")) && Directory.EnumerateFileSystemEntries(root.File_(".nuke/temp/compare")).Any());
    }
}
