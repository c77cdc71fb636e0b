using System.Security.Cryptography;
using Filare.Perf.Processes;
using Filare.Perf.Profilers;
using Filare.Perf.Results;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests;

public sealed class CProfileTests
{
    [Fact]
    public async Task Profiles_each_scenario_into_pstats_text_and_call_counts()
    {
        using var root = new TestRoot().FixtureScenario("cpu", "--work 5", runs: 2);

        var outcome = await root.RunAsync(new Dictionary<string, string> { ["FIL_PERF_ENABLE_CPROFILE"] = "yes" }, "PerfRun");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var scenario = Assert.Single(root.Metrics().Scenarios);
        var run = Assert.Single(scenario.Profilers, p => p.Tool == CProfile.Name);
        Assert.Equal(CProfile.Name, run.Tool);
        Assert.Equal(ProfilerStatus.Ok, run.Status);
        Assert.NotNull(run.OverheadRatio);
        var calls = Assert.IsType<CallStats>(run.Calls);
        Assert.True(calls.TotalCalls > 0 && calls.PrimitiveCalls <= calls.TotalCalls);
        Assert.Contains(calls.Top, f => f.Function == "cpu_work" && f.File.EndsWith("perf_fixture.py", StringComparison.Ordinal));

        var pstats = Assert.Single(run.Artifacts, a => a.Kind == "pstats");
        Assert.Equal("cpu/local-cpu-cprofile.pstats", pstats.Path);
        var file = Path.Combine(root.RunFolder(), pstats.Path);
        Assert.Equal(new FileInfo(file).Length, pstats.Bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))), pstats.Sha256);
        var text = File.ReadAllText(Path.Combine(root.RunFolder(), Assert.Single(run.Artifacts, a => a.Kind == "text").Path));
        Assert.Contains("cpu_work", text, StringComparison.Ordinal);

        // The pstats file is a real profile that Python's own pstats module reads.
        var check = await ToolProcess.RunAsync("python3", ["-c", "import pstats,sys; s=pstats.Stats(sys.argv[1]); print(s.total_calls)", file], root.Path,
            TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.True(check.Succeeded, check.StandardError);
        Assert.Equal(calls.TotalCalls.ToString(System.Globalization.CultureInfo.InvariantCulture), check.StandardOutput.Trim());
    }

    [Fact]
    public async Task Profiled_runs_get_a_fixed_hash_seed_and_record_it_while_measured_runs_keep_pythons_random_one()
    {
        using var root = new TestRoot().FixtureScenario("cpu", "--work 1 --print-env PYTHONHASHSEED", runs: 1);

        var outcome = await root.RunAsync(new Dictionary<string, string> { ["FIL_PERF_ENABLE_CPROFILE"] = "yes" }, "PerfRun");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var scenario = Assert.Single(root.Metrics().Scenarios);
        var run = Assert.Single(scenario.Profilers, p => p.Tool == CProfile.Name);
        Assert.Equal(ProfilingContext.FixedHashSeed, run.PythonHashSeed);
        Assert.Contains("PYTHONHASHSEED=0", File.ReadAllText(Path.Combine(root.RunFolder(), "cpu", CProfile.Name, "stdout.txt")), StringComparison.Ordinal);
        Assert.Contains("PYTHONHASHSEED unset", File.ReadAllText(Path.Combine(root.RunFolder(), scenario.Samples[0].Stdout)), StringComparison.Ordinal);
        Assert.Contains("\"pythonHashSeed\": \"0\"", File.ReadAllText(Path.Combine(root.RunFolder(), "metrics.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_time_runs_run_with_the_hash_seed_they_record()
    {
        using var root = new TestRoot().FixtureScenario("cpu", "--import-tree --print-env PYTHONHASHSEED", runs: 1);

        var outcome = await root.RunAsync("PerfRun", "--profilers", "importtime", "--importtime-runs", "2");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var run = Assert.Single(Assert.Single(root.Metrics().Scenarios).Profilers, p => p.Tool == ImportTimeProfiler.Name);
        Assert.Equal(ProfilingContext.FixedHashSeed, run.PythonHashSeed);
        Assert.All(Enumerable.Range(1, 2), k => Assert.Contains("PYTHONHASHSEED=0",
            File.ReadAllText(Path.Combine(root.RunFolder(), "cpu", ImportTimeProfiler.Name, $"run-{k}", "stdout.txt")), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Writes_callgrind_when_pyprof2calltree_is_installed()
    {
        Assert.SkipWhen(ToolProcess.Which("pyprof2calltree", TestRoot.CleanEnvironment()) is null,
            "pyprof2calltree is not installed (apt install pyprof2calltree); .ci/run installs it");
        using var root = new TestRoot().FixtureScenario("cpu", "--work 2", runs: 1);

        var outcome = await root.RunAsync(new Dictionary<string, string> { ["FIL_PERF_ENABLE_CPROFILE"] = "1", ["FIL_PERF_CPROFILE_FORMAT"] = "callgrind" },
            "PerfRun");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var run = Assert.Single(Assert.Single(root.Metrics().Scenarios).Profilers, p => p.Tool == CProfile.Name);
        var callgrind = Assert.Single(run.Artifacts, a => a.Kind == "callgrind");
        Assert.EndsWith("local-cpu-cprofile.callgrind", callgrind.Path, StringComparison.Ordinal);
        Assert.Contains("events:", File.ReadAllText(Path.Combine(root.RunFolder(), callgrind.Path)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keeps_the_programs_real_exit_code_which_python_m_cprofile_would_hide()
    {
        using var root = new TestRoot();
        var pstats = root.File_("p.pstats");
        var runner = Checkout.PythonEnvironment.Helper("run_program.py");

        var profiled = await ToolProcess.RunAsync("python3",
            [runner, "--status", root.File_("status.txt"), "--pstats", pstats, "--text", root.File_("p.txt"), "--json", root.File_("p.json"), "--",
                Repository.Fixture, "--work", "1", "--exit", "5"],
            root.Path, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        var plain = await ToolProcess.RunAsync("python3", ["-m", "cProfile", "-o", root.File_("q.pstats"), Repository.Fixture, "--work", "1", "--exit", "5"],
            root.Path, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.Equal(5, profiled.ExitCode);
        Assert.True(File.Exists(pstats), "the profile is written even when the program fails");
        Assert.Contains("\"exitCode\": 5", File.ReadAllText(root.File_("p.json")), StringComparison.Ordinal);
        Assert.Equal("5", File.ReadAllText(root.File_("status.txt")).Trim());
        // The reason this runner exists: the stdlib's own entry point reports success.
        Assert.Equal(0, plain.ExitCode);
    }

    [Fact]
    public async Task Is_off_by_default_and_reported_as_skipped_in_the_summary()
    {
        using var root = new TestRoot().FixtureScenario("cpu", "--work 1", runs: 1);

        var outcome = await root.RunAsync("PerfRun");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.DoesNotContain(Assert.Single(root.Metrics().Scenarios).Profilers, p => p.Tool == CProfile.Name);
        Assert.Matches(@"ProfileCProfile\s+Skipped\s+cProfile is off \(FIL_PERF_ENABLE_CPROFILE, --profilers\)", outcome.Output);
    }

    [Fact]
    public async Task A_native_program_is_skipped_with_the_reason()
    {
        using var root = new TestRoot().Scenario("native", """
            name: native
            command: [/bin/sh, -c, "echo hello"]
            runs: 1
            warmups: 0
            """);

        var outcome = await root.RunAsync("PerfRun", "--enable-cprofile");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var run = Assert.Single(Assert.Single(root.Metrics().Scenarios).Profilers, p => p.Tool == CProfile.Name);
        Assert.Equal(ProfilerStatus.Skipped, run.Status);
        Assert.Equal("sh is not a Python program", run.Reason);
    }
}
