using Filare.Perf.Processes;
using Filare.Perf.Results;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests;

/// <summary>
/// Real Scalene, as Debian ships it (python3-scalene 1.5.x for /usr/bin/python3; .ci/run installs it).
/// On GitHub's runners the CI workflow installs Scalene 2.x with pip, and the same tests cover it.
/// </summary>
[Collection(nameof(Serial))]
public sealed class ScaleneTests
{
    private const string DebianPython = "/usr/bin/python3";

    private static async Task<string> RequireScaleneAsync()
    {
        var probe = File.Exists(DebianPython)
            ? await ToolProcess.RunAsync(DebianPython, ["-m", "scalene", "--version"], "/", TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken)
            : new ToolResult(127, "", "no /usr/bin/python3");
        var text = probe.StandardOutput + probe.StandardError;
        Assert.SkipUnless(text.Contains("Scalene version", StringComparison.Ordinal),
            $"Scalene is not installed for {DebianPython} (apt install python3-scalene); .ci/run installs it");
        return text;
    }

    [Fact]
    public async Task Profiles_the_fixture_into_json_and_html_with_the_detected_version()
    {
        var version = await RequireScaleneAsync();
        using var root = new TestRoot().FixtureScenario("cpu", "--work 150 --alloc-mb 20", runs: 1);

        var outcome = await root.RunAsync("PerfRun", "--python", DebianPython, "--profilers", "scalene", "--scalene-profile-only", "perf_fixture");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var run = Assert.Single(Assert.Single(root.Metrics().Scenarios).Profilers);
        Assert.Equal(ProfilerStatus.Ok, run.Status);
        Assert.Contains(run.Version!, version, StringComparison.Ordinal);
        Assert.Equal(0, run.ExitCode);
        var json = Assert.Single(run.Artifacts, a => a.Kind == "json");
        Assert.Equal("cpu/local-cpu-scalene.json", json.Path);
        var profile = File.ReadAllText(Path.Combine(root.RunFolder(), json.Path));
        // The profile is about the fixture's own code, which --profile-only selected.
        Assert.Contains("perf_fixture.py", profile, StringComparison.Ordinal);
        Assert.Contains("cpu_work", profile, StringComparison.Ordinal);
        var html = Assert.Single(run.Artifacts, a => a.Kind == "html");
        Assert.Contains("<html", File.ReadAllText(Path.Combine(root.RunFolder(), html.Path)), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_run_too_short_to_sample_is_empty_not_ok()
    {
        await RequireScaleneAsync();
        // The profiled file is one statement: however loaded the machine, no sample can land in it.
        // (The fixture's own start-up, argument parsing and imports, can take a sample on a busy runner.)
        using var root = new TestRoot().Scenario("blink", """
            name: blink
            description: a program that does nothing
            tags: [fixture]
            command: [python, "{root}/blink.py"]
            runs: 1
            warmups: 0
            """);
        File.WriteAllText(root.File_("blink.py"), "pass\n");

        var outcome = await root.RunAsync("PerfRun", "--python", DebianPython, "--profilers", "scalene", "--scalene-html", "off", "--scalene-profile-only",
            "blink");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var run = Assert.Single(Assert.Single(root.Metrics().Scenarios).Profilers);
        Assert.Equal(ProfilerStatus.Empty, run.Status);
        Assert.Equal("run too short for Scalene to sample", run.Reason);
    }

    [Fact]
    public async Task A_failing_program_is_a_failed_profile_with_its_exit_code_though_scalene_exits_zero()
    {
        await RequireScaleneAsync();
        using var root = new TestRoot().FixtureScenario("fails", "--work 150 --exit 7", runs: 1);
        // Measure would stop at the failing run; profile the scenario on its own.
        var outcome = await root.RunAsync("ProfileScalene", "--python", DebianPython, "--profilers", "scalene", "--scalene-html", "off",
            "--scalene-profile-only", "perf_fixture");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var run = Assert.Single(Assert.Single(root.Metrics().Scenarios).Profilers);
        Assert.Equal(ProfilerStatus.Failed, run.Status);
        Assert.Equal("program exited with code 7", run.Reason);
        Assert.Equal(7, run.ExitCode);
    }

    [Fact]
    public async Task Is_skipped_as_not_installed_when_the_interpreter_lacks_it()
    {
        using var root = new TestRoot().FixtureScenario("cpu", "--work 1", runs: 1);

        // The test host's python3 has no Scalene (PyPI is out of reach here); a virtualenv made
        // without site packages certainly has none.
        var venv = root.File_("venv");
        var made = await ToolProcess.RunAsync("python3", ["-m", "venv", "--without-pip", venv], root.Path, TimeSpan.FromMinutes(2),
            TestContext.Current.CancellationToken);
        Assert.True(made.Succeeded, made.StandardError);
        var outcome = await root.RunAsync("PerfRun", "--python", Path.Combine(venv, "bin", "python"), "--profilers", "scalene");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var run = Assert.Single(Assert.Single(root.Metrics().Scenarios).Profilers);
        Assert.Equal(ProfilerStatus.Skipped, run.Status);
        Assert.Equal("not installed", run.Reason);
        Assert.Contains("pip install scalene", Assert.Single(run.Notes), StringComparison.Ordinal);
    }
}
