using Filare.Perf.Processes;
using Filare.Perf.Profilers;
using Filare.Perf.Results;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests;

/// <summary>
/// The real py-spy, Memray and (pip's) Scalene, where they are installed: on GitHub's runners the
/// ci workflow installs them with pip; here they cannot be, and these tests say so as skipped.
/// </summary>
[Collection(nameof(Serial))]
public sealed class RealProfilerTests
{
    private static async Task<bool> ModuleAnswersAsync(string module)
    {
        var probe = await ToolProcess.RunAsync("python3", ["-m", module, "--version"], "/", TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken,
            TestRoot.CleanEnvironment());
        // Scalene 1.x answers --version with exit code 255.
        return (probe.StandardOutput + probe.StandardError).Length > 0 && (probe.Succeeded || module == "scalene")
            && !probe.StandardError.Contains("No module named", StringComparison.Ordinal);
    }

    private static string RealPython() => ToolProcess.Which("python3", TestRoot.CleanEnvironment())!;

    [Fact]
    public async Task Real_py_spy_records_a_flamegraph_of_the_fixture()
    {
        Assert.SkipWhen(ToolProcess.Which("py-spy", TestRoot.CleanEnvironment()) is null,
            "py-spy is not installed (pip install py-spy); the ci workflow installs it on GitHub's runners");
        using var root = new TestRoot().FixtureScenario("cpu", "--work 150", runs: 1);

        var outcome = await root.RunAsync("PerfRun", "--profilers", "pyspy");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var run = Assert.Single(Assert.Single(root.Metrics().Scenarios).Profilers);
        Assert.SkipWhen(run.Reason == "ptrace not permitted", "this machine refuses ptrace: " + string.Join(" ", run.Notes));
        Assert.Equal(ProfilerStatus.Ok, run.Status);
        // py-spy's raw samples, and our SVG drawn from them, both hold the fixture's hot function.
        var raw = File.ReadAllText(Path.Combine(root.RunFolder(), run.Artifacts.Single(a => a.Kind == PySpy.Collapsed).Path));
        Assert.Matches(@"cpu_work \(perf_fixture\.py:\d+\)[^\n]* \d+\n", raw);
        var svg = File.ReadAllText(Path.Combine(root.RunFolder(), run.Artifacts.Single(a => a.Kind == "flamegraph").Path));
        Assert.Contains("cpu_work", svg, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Real_memray_measures_the_fixtures_peak_heap()
    {
        Assert.SkipUnless(await ModuleAnswersAsync("memray"),
            "memray is not installed for python3 (pip install memray); the ci workflow installs it on GitHub's runners");
        using var root = new TestRoot().FixtureScenario("alloc", "--alloc-mb 40", runs: 1);

        var outcome = await root.RunAsync("PerfRun", "--profilers", "memray", "--python", RealPython());

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var run = Assert.Single(Assert.Single(root.Metrics().Scenarios).Profilers);
        Assert.Equal(ProfilerStatus.Ok, run.Status);
        Assert.True(run.Memory!.PeakBytes >= 40L << 20, $"peak {run.Memory.PeakBytes}");
        Assert.Contains(run.Artifacts, a => a.Kind == "flamegraph");
    }

    [Fact]
    public async Task Real_scalene_of_the_python3_on_path_profiles_the_fixture()
    {
        Assert.SkipUnless(await ModuleAnswersAsync("scalene"),
            "scalene is not installed for python3 (pip install scalene); the ci workflow installs it on GitHub's runners");
        using var root = new TestRoot().FixtureScenario("cpu", "--work 150", runs: 1);

        var outcome = await root.RunAsync("PerfRun", "--profilers", "scalene", "--python", RealPython(), "--scalene-profile-only", "perf_fixture");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var run = Assert.Single(Assert.Single(root.Metrics().Scenarios).Profilers);
        Assert.Equal(ProfilerStatus.Ok, run.Status);
        Assert.Contains(run.Artifacts, a => a.Kind == "json");
        Assert.Contains(run.Artifacts, a => a.Kind == "html");
    }
}
