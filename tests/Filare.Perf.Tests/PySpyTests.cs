using System.Security.Cryptography;
using System.Text.Json;
using Filare.Perf.Checkout;
using Filare.Perf.Processes;
using Filare.Perf.Profilers;
using Filare.Perf.Results;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests;

/// <summary>
/// py-spy through the fake of tests/fakes/bin (its contract: tests/fakes/CONTRACTS.md): what the
/// harness runs, and how it reads py-spy's exit code (which says nothing about the program),
/// its messages and its files.
/// </summary>
public sealed class PySpyTests
{
    private static async Task<(BuildOutcome Outcome, ProfilerRun Run)> ProfileAsync(TestRoot root, Dictionary<string, string> environment, params string[] args)
    {
        var outcome = await root.RunAsync(environment, args);
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var run = Assert.Single(Assert.Single(root.Metrics().Scenarios).Profilers);
        Assert.Equal(PySpy.Name, run.Tool);
        return (outcome, run);
    }

    /// <summary>The program py-spy is asked to run: the interpreter, run_program.py and its status file, then the scenario.</summary>
    private static List<string> ProfiledProgram(TestRoot root, string scenario, params string[] fixtureArguments) =>
    [
        "--",
        root.Metrics().Environment.PythonExecutable,
        PythonEnvironment.Helper("run_program.py"),
        "--status", Path.Combine(root.RunFolder(), scenario, PySpy.Name, "status.txt"),
        "--",
        Path.Combine(root.Path, "perf_fixture.py"),
        .. fixtureArguments,
    ];

    private static void AssertListed(TestRoot root, Artifact artifact)
    {
        var file = Path.Combine(root.RunFolder(), artifact.Path);
        Assert.True(File.Exists(file), $"{artifact.Path} is listed but not on disk");
        Assert.Equal(new FileInfo(file).Length, artifact.Bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))), artifact.Sha256);
    }

    [Fact]
    public async Task Records_raw_samples_and_draws_a_flamegraph_svg_from_them_listed_with_size_and_hash_the_version_and_the_overhead()
    {
        using var root = new TestRoot().FixtureScenario("cpu", "--work 5", runs: 2);

        var (_, run) = await ProfileAsync(root, Fakes.WithPySpy(), "PerfRun", "--profilers", "pyspy");

        Assert.Equal(ProfilerStatus.Ok, run.Status);
        Assert.Null(run.Reason);
        Assert.Equal("0.4.1", run.Version); // `py-spy --version` prints "py-spy 0.4.1"
        Assert.Equal(0, run.ExitCode);
        Assert.NotNull(run.OverheadRatio);
        Assert.True(run.OverheadRatio > 0, $"overhead {run.OverheadRatio}");
        Assert.True(run.WallSeconds > 0);
        Assert.Equal(["raw", "flamegraph"], run.Artifacts.Select(a => a.Kind));
        var (raw, svg) = (run.Artifacts[0], run.Artifacts[1]);
        Assert.Equal(("cpu/local-cpu-pyspy.txt", "cpu/local-cpu-pyspy.svg"), (raw.Path, svg.Path));
        AssertListed(root, raw);
        AssertListed(root, svg);
        // The raw samples are the fake's one invented stack; the SVG draws exactly those frames.
        var stack = File.ReadAllText(Path.Combine(root.RunFolder(), raw.Path)).Trim();
        Assert.Matches(@"^<module> \(run_program\.py:\d+\);.*busy_loop \(run_program\.py:12\) \d+$", stack);
        var document = System.Xml.Linq.XDocument.Parse(File.ReadAllText(Path.Combine(root.RunFolder(), svg.Path)));
        var titles = document.Descendants().Where(e => e.Name.LocalName == "title").Select(t => t.Value.Split('\n')[0]).ToList();
        Assert.Contains("busy_loop (run_program.py:12)", titles);
        // Its heading names the scenario and py-spy's version, its subtitle the profiled command.
        Assert.Contains("cpu: py-spy 0.4.1, 100 samples/s", titles);
        Assert.Contains(document.Descendants().Where(e => e.Name.LocalName == "text"), t =>
            t.Value.EndsWith("perf_fixture.py --work 5", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Runs_py_spy_record_with_the_documented_default_command_line()
    {
        using var root = new TestRoot().FixtureScenario("cpu", "--work 3", runs: 1);
        var log = root.File_("pyspy.log");

        await ProfileAsync(root, Fakes.WithPySpy(log), "PerfRun", "--profilers", "pyspy");

        var raw = Path.Combine(root.RunFolder(), "cpu", "local-cpu-pyspy.txt");
        List<string> expected = ["record", "-o", raw, "-f", "raw", "-r", "100", .. ProfiledProgram(root, "cpu", "--work", "3")];
        Assert.Equal(expected, Fakes.Call(log, "record"));
    }

    [Theory]
    [InlineData("speedscope", "speedscope", "speedscope.json")]
    [InlineData("raw", "raw", "txt")]
    [InlineData("svg", "raw", "txt")]
    public async Task Spy_output_chooses_what_py_spy_records_and_every_format_keeps_raw_samples_and_an_svg(string output, string format, string extension)
    {
        using var root = new TestRoot().FixtureScenario("cpu", "--work 3", runs: 1);
        var log = root.File_("pyspy.log");

        var (_, run) = await ProfileAsync(root, Fakes.WithPySpy(log, new() { ["FIL_PERF_SPY_OUTPUT"] = output }), "PerfRun", "--profilers", "pyspy");

        Assert.Equal(ProfilerStatus.Ok, run.Status);
        var artifact = run.Artifacts[0];
        Assert.Equal(format, artifact.Kind);
        Assert.Equal($"cpu/local-cpu-pyspy.{extension}", artifact.Path);
        Assert.All(run.Artifacts, a => AssertListed(root, a));
        // Speedscope is converted to the same collapsed stacks raw would have given.
        Assert.Equal(output == "speedscope" ? ["speedscope", "raw", "flamegraph"] : ["raw", "flamegraph"], run.Artifacts.Select(a => a.Kind));
        var collapsed = File.ReadAllText(Path.Combine(root.RunFolder(), "cpu", "local-cpu-pyspy.txt"));
        Assert.Matches(@"^<module> \(run_program\.py:\d+\);.* \d+\n$", collapsed);
        var call = Fakes.Call(log, "record");
        Assert.Equal(["-o", Path.Combine(root.RunFolder(), artifact.Path), "-f", format], call.Skip(1).Take(4));

        var content = File.ReadAllText(Path.Combine(root.RunFolder(), artifact.Path));
        switch (output)
        {
            case "speedscope":
                using (var json = JsonDocument.Parse(content))
                {
                    Assert.Equal("https://www.speedscope.app/file-format-schema.json", json.RootElement.GetProperty("$schema").GetString());
                    Assert.NotEqual(0, json.RootElement.GetProperty("profiles").GetArrayLength());
                }
                break;
            case "raw":
                // "frame;frame;... count", root first; the fake names frames after the first script it runs.
                Assert.Matches(@"^<module> \(run_program\.py:\d+\);.* \d+\n$", content);
                break;
            default:
                Assert.Equal(collapsed, content);
                break;
        }
    }

    [Fact]
    public async Task Rate_native_idle_and_subprocesses_reach_py_spys_command_line()
    {
        using var root = new TestRoot().FixtureScenario("cpu", "--work 3", runs: 1);
        var log = root.File_("pyspy.log");
        var settings = new Dictionary<string, string>
        {
            ["FIL_PERF_SPY_RATE"] = "250",
            ["FIL_PERF_SPY_NATIVE"] = "1",
            ["FIL_PERF_SPY_IDLE"] = "true",
            ["FIL_PERF_SPY_SUBPROCESSES"] = "yes",
        };

        var (_, run) = await ProfileAsync(root, Fakes.WithPySpy(log, settings), "PerfRun", "--profilers", "pyspy");

        Assert.Equal(ProfilerStatus.Ok, run.Status);
        var svg = Path.Combine(root.RunFolder(), "cpu", "local-cpu-pyspy.svg");
        List<string> expected =
        [
            "record", "-o", Path.ChangeExtension(svg, "txt"), "-f", "raw", "-r", "250", "--native", "--idle", "--subprocesses",
            .. ProfiledProgram(root, "cpu", "--work", "3"),
        ];
        Assert.Equal(expected, Fakes.Call(log, "record"));
        // The fake's flamegraph shows the native frame and the process only when asked to.
        var text = File.ReadAllText(svg);
        Assert.Contains("_PyEval_EvalFrameDefault", text, StringComparison.Ordinal);
        Assert.Contains("process ", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FIL_PERF_SPY_IDLE", "--idle")]
    [InlineData("FIL_PERF_SPY_NATIVE", "--native")]
    [InlineData("FIL_PERF_SPY_SUBPROCESSES", "--subprocesses")]
    public async Task Each_flag_alone_adds_only_itself(string variable, string flag)
    {
        using var root = new TestRoot().FixtureScenario("cpu", "--work 1", runs: 1);
        var log = root.File_("pyspy.log");

        await ProfileAsync(root, Fakes.WithPySpy(log, new() { [variable] = "on" }), "PerfRun", "--profilers", "pyspy", "--spy-rate", "7");

        var call = Fakes.Call(log, "record");
        var options = call.Take(call.ToList().IndexOf("--")).ToList();
        Assert.Equal(["record", "-o", Path.Combine(root.RunFolder(), "cpu", "local-cpu-pyspy.txt"), "-f", "raw", "-r", "7", flag], options);
    }

    [Fact]
    public async Task A_failing_program_is_a_failed_profile_with_its_exit_code_though_py_spy_exits_zero()
    {
        using var root = new TestRoot().FixtureScenario("fails", "--work 2 --exit 3", runs: 1);

        // Measure would stop at the failing run; profile the scenario on its own.
        var (_, run) = await ProfileAsync(root, Fakes.WithPySpy(), "ProfilePySpy", "--profilers", "pyspy");

        Assert.Equal(ProfilerStatus.Failed, run.Status);
        Assert.Equal("program exited with code 3", run.Reason);
        Assert.Equal(3, run.ExitCode);
        // py-spy itself succeeded (it never reports the child's status), and its profile is kept.
        var exec = File.ReadAllText(Path.Combine(root.RunFolder(), "fails", PySpy.Name, "exec.json"));
        Assert.Matches(@"""exit_code""\s*:\s*0\b", exec);
        var svg = run.Artifacts.Single(a => a.Kind == "flamegraph");
        Assert.Equal("fails/local-fails-pyspy.svg", svg.Path);
        AssertListed(root, svg);
    }

    [Theory]
    [InlineData("sudo")]
    [InlineData("docker")]
    [InlineData("generic")]
    public async Task Refused_ptrace_is_skipped_with_the_fix_and_the_build_still_succeeds(string variant)
    {
        // Long enough to still be running when py-spy gives up attaching (20 x 20 ms) and kills it.
        using var root = new TestRoot().FixtureScenario("sleepy", "--sleep 2", runs: 1);
        var environment = Fakes.WithPySpy(extra: new() { ["FAKE_PYSPY_MODE"] = "ptrace", ["FAKE_PYSPY_PTRACE_VARIANT"] = variant });

        var (outcome, run) = await ProfileAsync(root, environment, "PerfRun", "--profilers", "pyspy");

        Assert.Equal(ProfilerStatus.Skipped, run.Status);
        Assert.Equal("skipped: ptrace not permitted", run.StatusText);
        var note = Assert.Single(run.Notes);
        Assert.Contains("SYS_PTRACE", note, StringComparison.Ordinal);
        Assert.Contains("ptrace_scope", note, StringComparison.Ordinal);
        Assert.Empty(run.Artifacts);
        Assert.Equal(ScenarioStatus.Ok, Assert.Single(root.Metrics().Scenarios).Status);
        Assert.Contains("Build succeeded", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refused_ptrace_is_skipped_even_when_the_program_finishes_before_py_spy_gives_up()
    {
        using var root = new TestRoot().FixtureScenario("quick", "--work 1", runs: 1);
        var environment = Fakes.WithPySpy(extra: new() { ["FAKE_PYSPY_MODE"] = "ptrace", ["FAKE_PYSPY_PTRACE_VARIANT"] = "docker" });

        var (_, run) = await ProfileAsync(root, environment, "PerfRun", "--profilers", "pyspy");

        Assert.Equal("skipped: ptrace not permitted", run.StatusText);
        Assert.Contains("SYS_PTRACE", Assert.Single(run.Notes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_with_no_samples_is_empty_and_nothing_is_listed_or_drawn()
    {
        using var root = new TestRoot().FixtureScenario("blink", "--work 1", runs: 1);

        var (outcome, run) = await ProfileAsync(root, Fakes.WithPySpy(extra: new() { ["FAKE_PYSPY_MODE"] = "nosamples" }), "PerfRun", "--profilers", "pyspy");

        Assert.Equal("empty: run too short", run.StatusText);
        Assert.Empty(run.Artifacts);
        // raw writes an empty file and exits 0 (only the flamegraph format errors): no picture is drawn from nothing.
        Assert.Equal("", File.ReadAllText(Path.Combine(root.RunFolder(), "blink", "local-blink-pyspy.txt")));
        Assert.False(File.Exists(Path.Combine(root.RunFolder(), "blink", "local-blink-pyspy.svg")));
        Assert.Contains("Build succeeded", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Py_spys_echild_race_after_a_good_profile_is_still_ok()
    {
        using var root = new TestRoot().FixtureScenario("cpu", "--work 3", runs: 1);

        var (_, run) = await ProfileAsync(root, Fakes.WithPySpy(extra: new() { ["FAKE_PYSPY_MODE"] = "echild" }), "PerfRun", "--profilers", "pyspy");

        Assert.Equal(ProfilerStatus.Ok, run.Status);
        Assert.Equal(0, run.ExitCode);
        var exec = File.ReadAllText(Path.Combine(root.RunFolder(), "cpu", PySpy.Name, "exec.json"));
        Assert.Matches(@"""exit_code""\s*:\s*1\b", exec); // py-spy's own exit code, ignored
        Assert.Equal(2, run.Artifacts.Count);
        Assert.All(run.Artifacts, a => AssertListed(root, a));
    }

    [Fact]
    public async Task Without_py_spy_every_scenario_is_skipped_as_not_installed_with_the_hint_never_failed()
    {
        Assert.SkipWhen(ToolProcess.Which("py-spy", TestRoot.CleanEnvironment()) is not null, "a real py-spy is on PATH");
        using var root = new TestRoot().FixtureScenario("a", "--work 1", runs: 1).FixtureScenario("b", "--work 1 --exit 4", runs: 1);

        var outcome = await root.RunAsync(new Dictionary<string, string> { ["PATH"] = Fakes.MachinePath }, "ProfilePySpy", "--profilers", "pyspy");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Equal(2, root.Metrics().Scenarios.Count);
        Assert.All(root.Metrics().Scenarios, scenario =>
        {
            var run = Assert.Single(scenario.Profilers);
            Assert.Equal("skipped: not installed", run.StatusText);
            Assert.Contains("pip install py-spy", Assert.Single(run.Notes), StringComparison.Ordinal);
            Assert.Null(run.Version);
        });
        Assert.Contains("pyspy is not installed", outcome.Output, StringComparison.Ordinal);
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
        var log = root.File_("pyspy.log");

        var (_, run) = await ProfileAsync(root, Fakes.WithPySpy(log), "PerfRun", "--profilers", "pyspy");

        Assert.Equal(ProfilerStatus.Skipped, run.Status);
        Assert.Equal("sh is not a Python program", run.Reason);
        Assert.DoesNotContain(Fakes.Calls(log), call => call[0] == "record");
    }

    [Fact]
    public async Task The_version_is_probed_with_the_builds_environment()
    {
        using var root = new TestRoot().FixtureScenario("cpu", "--work 1", runs: 1);

        var (_, run) = await ProfileAsync(root, Fakes.WithPySpy(extra: new() { ["FAKE_PYSPY_VERSION"] = "0.3.14" }), "PerfRun", "--profilers", "pyspy");

        Assert.Equal("0.3.14", run.Version);
    }
}
