using Filare.Perf.Processes;
using Filare.Perf.Results;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests;

/// <summary>Whole PerfRun builds over the fixture program, in-process, with real processes.</summary>
[Collection(nameof(Serial))]
public sealed class PerfRunEndToEndTests
{
    private const long Mib = 1024 * 1024;

    [Fact]
    public async Task Peak_rss_covers_a_child_that_allocates_more_than_the_parent()
    {
        using var root = new TestRoot().FixtureScenario("child-heavy", "--alloc-mb 20 --child-alloc-mb 160", runs: 2);

        var outcome = await root.RunAsync("PerfRun");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var scenario = Assert.Single(root.Metrics().Scenarios);
        Assert.Equal(ScenarioStatus.Ok, scenario.Status);
        Assert.Equal(2, scenario.Samples.Count);
        Assert.All(scenario.Samples, s => Assert.True(s.PeakRssBytes >= 160 * Mib, $"peak RSS {s.PeakRssBytes} < 160 MiB"));
        Assert.True(scenario.Statistics!.PeakRssBytes.Min >= 160 * Mib);
    }

    [Fact]
    public async Task Cpu_bound_work_reports_cpu_near_one_core_and_counts_children()
    {
        using var root = new TestRoot()
            .FixtureScenario("cpu", "--work 40 --child-alloc-mb 8", runs: 3)
            .FixtureScenario("idle", "--sleep 0.5", runs: 3);

        var outcome = await root.RunAsync("PerfRun");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var scenarios = root.Metrics().Scenarios;
        Assert.InRange(scenarios.Single(s => s.Name == "idle").Statistics!.CpuPercent.Median, 0, 40);
        var scenario = scenarios.Single(s => s.Name == "cpu");
        // Wide bounds: other work on a shared 2-core machine takes CPU share from a busy loop.
        Assert.InRange(scenario.Statistics!.CpuPercent.Median, 50, 110);
        Assert.All(scenario.Samples, s =>
        {
            Assert.NotNull(s.UserSeconds);
            Assert.True(s.UserSeconds + s.SystemSeconds <= s.WallSeconds * 1.15, "CPU cannot exceed wall on one busy core");
        });
    }
}

public sealed class PerfRunFailureTests
{
    [Fact]
    public async Task A_failing_scenario_is_recorded_with_its_stderr_and_the_others_still_run()
    {
        using var root = new TestRoot()
            .FixtureScenario("a-fails", "--work 2 --exit 3", runs: 3)
            .FixtureScenario("b-works", "--work 2", runs: 2);

        var outcome = await root.RunAsync("PerfRun");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("a-fails (failed)", outcome.Output, StringComparison.Ordinal);
        var metrics = root.Metrics();
        Assert.Equal(RunState.Complete, metrics.Status);
        var failed = metrics.Scenarios.Single(s => s.Name == "a-fails");
        Assert.Equal(ScenarioStatus.Failed, failed.Status);
        Assert.Contains("exit code 3", failed.Message, StringComparison.Ordinal);
        Assert.Contains("fixture failing on purpose", failed.Message, StringComparison.Ordinal);
        // The first failure ends the scenario: a crash repeated four times tells nothing new.
        Assert.Single(failed.Samples);
        Assert.Equal(3, failed.Samples[0].ExitCode);
        var works = metrics.Scenarios.Single(s => s.Name == "b-works");
        Assert.Equal(ScenarioStatus.Ok, works.Status);
        Assert.Equal(2, works.Samples.Count);
        Assert.Contains("## Problems", File.ReadAllText(Path.Combine(root.RunFolder(), "summary.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_timeout_kills_the_whole_tree_even_processes_that_ignore_sigterm_or_left_the_session()
    {
        using var root = new TestRoot()
            .FixtureScenario("hangs", "--ignore-sigterm --spawn-sleepers {root}/pids.txt --sleep 120", runs: 1, timeout: 8)
            .FixtureScenario("after", "--work 1", runs: 1);
        var started = System.Diagnostics.Stopwatch.StartNew();

        var outcome = await root.RunAsync("PerfRun");

        // Far sooner than the 120 s sleep: the tree was killed, not waited for.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(90), $"took {started.Elapsed}");
        Assert.Equal(1, outcome.ExitCode);
        var metrics = root.Metrics();
        var hung = metrics.Scenarios.Single(s => s.Name == "hangs");
        Assert.Equal(ScenarioStatus.Timeout, hung.Status);
        Assert.Equal(RunStatus.Timeout, Assert.Single(hung.Samples).Status);
        Assert.Contains("timed out after 8 s", hung.Message, StringComparison.Ordinal);
        var pids = File.ReadAllLines(root.File_("pids.txt")).Select(int.Parse).ToList();
        Assert.Equal(2, pids.Count);
        Assert.All(pids, pid => Assert.False(ProcessTree.IsAlive(pid), $"process {pid} of the timed-out tree is still alive"));
        Assert.Equal(ScenarioStatus.Ok, metrics.Scenarios.Single(s => s.Name == "after").Status);
    }

    [Fact]
    public async Task Processes_left_running_after_a_successful_run_are_stopped_and_counted()
    {
        using var root = new TestRoot().FixtureScenario("leaks", "--spawn-sleepers {root}/pids.txt", runs: 1);

        var outcome = await root.RunAsync("PerfRun");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var sample = Assert.Single(Assert.Single(root.Metrics().Scenarios).Samples);
        Assert.True(sample.LeakedProcesses >= 1, $"leaked {sample.LeakedProcesses}");
        Assert.All(File.ReadAllLines(root.File_("pids.txt")).Select(int.Parse), pid =>
            Assert.False(ProcessTree.IsAlive(pid), $"leaked process {pid} survived"));
    }

    [Fact]
    public async Task Cancelling_mid_run_keeps_the_finished_scenarios_in_metrics_json_and_kills_the_running_tree()
    {
        using var root = new TestRoot()
            .FixtureScenario("a-quick", "--work 1", runs: 1)
            .FixtureScenario("b-slow", "--spawn-sleepers {root}/pids.txt --sleep 120", runs: 1, timeout: 300);
        using var cancellation = new CancellationTokenSource();
        var build = root.RunAsync(new Dictionary<string, string>(), cancellation.Token, "PerfRun");
        var pidFile = root.File_("pids.txt");
        while (!File.Exists(pidFile) && !build.IsCompleted)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        await cancellation.CancelAsync();
        var outcome = await build;

        Assert.Equal(1, outcome.ExitCode);
        var metrics = root.Metrics();
        Assert.Equal(RunState.Running, metrics.Status);
        Assert.Equal(ScenarioStatus.Ok, metrics.Scenarios.Single(s => s.Name == "a-quick").Status);
        Assert.Equal(ScenarioStatus.Pending, metrics.Scenarios.Single(s => s.Name == "b-slow").Status);
        Assert.All(File.ReadAllLines(pidFile).Where(l => l.Length > 0).Select(int.Parse), pid => Assert.False(ProcessTree.IsAlive(pid)));
    }

    [Fact]
    public async Task A_scenario_needing_a_module_the_interpreter_lacks_is_skipped_not_failed()
    {
        using var root = new TestRoot().Scenario("needs", """
            name: needs
            command: [python, "{root}/perf_fixture.py"]
            requires: [no_such_module_for_filare_perf]
            """);

        var outcome = await root.RunAsync("PerfRun");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var scenario = Assert.Single(root.Metrics().Scenarios);
        Assert.Equal(ScenarioStatus.Skipped, scenario.Status);
        Assert.Contains("no_such_module_for_filare_perf not installed", scenario.Message, StringComparison.Ordinal);
        Assert.Empty(scenario.Samples);
    }

    [Fact]
    public async Task An_unknown_scenario_name_stops_before_anything_runs_and_lists_the_available_ones()
    {
        using var root = new TestRoot().FixtureScenario("alpha", "--work 1").FixtureScenario("beta", "--work 1");

        var outcome = await root.RunAsync("PerfRun", "--scenario", "gamma");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("Unknown scenario 'gamma'. Available: alpha, beta.", outcome.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(root.RunFolder()));
    }

    [Fact]
    public async Task Outside_a_filare_checkout_the_error_says_how_to_point_at_one()
    {
        using var root = new TestRoot().FixtureScenario("alpha", "--work 1");
        File.Delete(root.File_("pyproject.toml"));

        var outcome = await root.RunAsync("PerfRun");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("is not a Filare checkout", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("--filare-root", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("FIL_PERF_FILARE_ROOT", outcome.Output, StringComparison.Ordinal);
    }
}

public sealed class PerfRunOutputTests
{
    [Fact]
    public async Task Each_run_gets_a_fresh_output_folder_and_keeps_stdout_and_stderr()
    {
        // The fixture, like Filare, refuses an output folder that does not exist.
        using var root = new TestRoot().FixtureScenario("writes", "--work 1 -o {output}", runs: 2, warmups: 1);

        var outcome = await root.RunAsync("PerfRun", "--keep-outputs", "99");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var scenario = Assert.Single(root.Metrics().Scenarios);
        var runFolder = root.RunFolder();
        var all = scenario.Warmups.Concat(scenario.Samples).ToList();
        Assert.Equal(3, all.Select(s => s.OutputDirectory).Distinct().Count());
        Assert.All(all, sample =>
        {
            Assert.Contains("fixture done", File.ReadAllText(Path.Combine(runFolder, sample.Stdout)), StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(runFolder, sample.Stderr)));
        });
        // Clean runs keep Filare's outputs up to --keep-outputs; a warmup's are never uploaded (OutputPruning).
        Assert.All(scenario.Samples, sample =>
            Assert.True(File.Exists(Path.Combine(runFolder, sample.OutputDirectory, "fixture.html")), sample.OutputDirectory));
        Assert.All(scenario.Warmups, sample => Assert.False(Directory.Exists(Path.Combine(runFolder, sample.OutputDirectory)), sample.OutputDirectory));
        Assert.Contains("{output}", scenario.Command);
    }

    [Fact]
    public async Task Runs_and_warmups_from_the_command_line_override_the_scenario()
    {
        using var root = new TestRoot().FixtureScenario("counted", "--work 1", runs: 4, warmups: 2);

        var outcome = await root.RunAsync("PerfRun", "--runs", "3", "--warmups", "0");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var scenario = Assert.Single(root.Metrics().Scenarios);
        Assert.Equal(3, scenario.Samples.Count);
        Assert.Empty(scenario.Warmups);
        Assert.Equal(3, scenario.Statistics!.WallSeconds.N);
    }

    [Fact]
    public async Task Metrics_json_is_versioned_and_describes_the_machine_and_settings()
    {
        using var root = new TestRoot().FixtureScenario("one", "--work 1", runs: 1);

        var outcome = await root.RunAsync(new Dictionary<string, string> { ["FIL_PERF_RUN_LABEL"] = "feature/x y" }, "PerfRun");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var metrics = root.Metrics("feature-x-y");
        Assert.Equal("filare-perf/metrics", metrics.Schema);
        Assert.Equal(1, metrics.SchemaVersion);
        Assert.Equal("feature-x-y", metrics.RunLabel);
        Assert.Equal("feature-x-y", metrics.Settings.RunLabel);
        Assert.False(string.IsNullOrWhiteSpace(metrics.Environment.CpuModel));
        Assert.Matches(@"^3\.\d+", metrics.Environment.PythonVersion);
        Assert.Equal(root.Path, metrics.Environment.FilareRoot);
        Assert.NotNull(metrics.FinishedAt);
        // No stray temporary files from the atomic writes.
        Assert.Empty(Directory.GetFiles(root.RunFolder("feature-x-y"), "*.tmp"));
    }

    [Fact]
    public async Task The_stand_in_checkout_runs_the_shipped_scenarios_with_globs_and_console_scripts()
    {
        using var root = new TestRoot();
        foreach (var file in Directory.GetFiles(Path.Combine(Repository.Root, "scenarios")))
        {
            File.Copy(file, Path.Combine(root.Path, "scenarios", Path.GetFileName(file)));
        }

        var outcome = await root.RunAsync("PerfRun", "--filare-root", Repository.StandIn, "--scenario", "rendering", "demo01", "--runs", "1", "--warmups", "0",
            "--run-label", "local");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var metrics = root.Metrics();
        var rendering = metrics.Scenarios.Single(s => s.Name == "rendering");
        Assert.Equal(["00_minimal.yml", "03_bgcolors.yml"],
            rendering.Command.Where(a => a.EndsWith(".yml", StringComparison.Ordinal)).Select(Path.GetFileName).ToArray());
        // The console script is found beside the interpreter and run by the probed interpreter itself.
        Assert.EndsWith(Path.Combine(".venv", "bin", "filare"), rendering.Command[1], StringComparison.Ordinal);
        var output = Path.Combine(root.RunFolder(), rendering.Samples[0].OutputDirectory);
        Assert.True(File.Exists(Path.Combine(output, "03_bgcolors.svg")));
        Assert.Equal(ScenarioStatus.Ok, metrics.Scenarios.Single(s => s.Name == "demo01").Status);
    }
}

public sealed class RunnerRecoveryTests
{
    [Fact]
    public async Task A_command_that_cannot_start_is_an_error_and_the_next_scenario_still_runs()
    {
        // Scenario "a" names a program that does not exist in its workdir; "b" must not wait behind it.
        using var root = new TestRoot()
            .Scenario("a-missing", """
                name: a-missing
                command: ["{root}/no-such-program", --flag]
                runs: 2
                warmups: 0
                """)
            .FixtureScenario("b-works", "--work 1", runs: 2);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(3));

        var outcome = await root.RunAsync(new Dictionary<string, string>(), limit.Token, "PerfRun");

        Assert.False(limit.IsCancellationRequested, "the build hung after the command that could not start");
        Assert.Equal(1, outcome.ExitCode);
        var metrics = root.Metrics();
        var missing = metrics.Scenarios.Single(s => s.Name == "a-missing");
        Assert.Equal(ScenarioStatus.Error, missing.Status);
        Assert.Contains("cannot start", missing.Message, StringComparison.Ordinal);
        Assert.Equal(ScenarioStatus.Ok, metrics.Scenarios.Single(s => s.Name == "b-works").Status);
    }
}
