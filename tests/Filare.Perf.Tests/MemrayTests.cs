using System.Security.Cryptography;
using System.Text.Json;
using Filare.Perf.Checkout;
using Filare.Perf.Processes;
using Filare.Perf.Profilers;
using Filare.Perf.Results;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests;

/// <summary>
/// Memray through the fake `memray` package of tests/fakes/python, run as `python -m memray` by the
/// profiled interpreter (contract: tests/fakes/CONTRACTS.md). The fake's peak is tracemalloc's
/// peak, so a fixture holding N MiB peaks above N MiB.
/// </summary>
public sealed class MemrayTests
{
    private const long Mib = 1024 * 1024;

    private static async Task<(BuildOutcome Outcome, ProfilerRun Run)> ProfileAsync(TestRoot root, Dictionary<string, string> environment, params string[] args)
    {
        var outcome = await root.RunAsync(environment, args);
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var run = Assert.Single(Assert.Single(root.Metrics().Scenarios).Profilers);
        Assert.Equal(Memray.Name, run.Tool);
        return (outcome, run);
    }

    private static string Artifact(TestRoot root, string scenario, string extension) =>
        Path.Combine(root.RunFolder(), scenario, $"local-{scenario}-memray.{extension}");

    private static void AssertListed(TestRoot root, Artifact artifact)
    {
        var file = Path.Combine(root.RunFolder(), artifact.Path);
        Assert.True(File.Exists(file), $"{artifact.Path} is listed but not on disk");
        Assert.Equal(new FileInfo(file).Length, artifact.Bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))), artifact.Sha256);
    }

    private static string[] Kinds(ProfilerRun run) => run.Artifacts.Select(a => a.Kind).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task Captures_renders_a_flamegraph_and_reads_peak_memory_and_allocations_from_stats()
    {
        using var root = new TestRoot().FixtureScenario("alloc", "--work 2 --alloc-mb 24", runs: 1);

        var (_, run) = await ProfileAsync(root, Fakes.WithMemray(), "PerfRun", "--profilers", "memray");

        Assert.Equal(ProfilerStatus.Ok, run.Status);
        Assert.Equal("1.19.1", run.Version); // `python -m memray --version`
        Assert.Equal(0, run.ExitCode);
        Assert.NotNull(run.OverheadRatio);
        Assert.Empty(run.Notes);
        Assert.Equal(["capture", "flamegraph", "stats"], Kinds(run));
        Assert.Equal("alloc/local-alloc-memray.bin", run.Artifacts.Single(a => a.Kind == "capture").Path);
        Assert.Equal("alloc/local-alloc-memray.flamegraph.html", run.Artifacts.Single(a => a.Kind == "flamegraph").Path);
        Assert.Equal("alloc/local-alloc-memray.stats.json", run.Artifacts.Single(a => a.Kind == "stats").Path);
        Assert.All(run.Artifacts, a => AssertListed(root, a));

        var memory = Assert.IsType<MemoryStats>(run.Memory);
        Assert.True(memory.PeakBytes >= 24 * Mib, $"peak {memory.PeakBytes} bytes, the fixture held 24 MiB");
        Assert.True(memory.TotalAllocations > 0);
        Assert.True(memory.TotalFrames > 0);
        // The figures are the ones memray's stats JSON holds.
        using var stats = JsonDocument.Parse(File.ReadAllText(Artifact(root, "alloc", "stats.json")));
        Assert.Equal(memory.PeakBytes, stats.RootElement.GetProperty("metadata").GetProperty("peak_memory").GetInt64());
        Assert.Equal(memory.TotalAllocations, stats.RootElement.GetProperty("metadata").GetProperty("total_allocations").GetInt64());

        // --no-web: the report loads nothing from a CDN.
        var html = File.ReadAllText(Artifact(root, "alloc", "flamegraph.html"));
        Assert.Contains("flamegraph report", html, StringComparison.Ordinal);
        Assert.DoesNotContain("cdn.jsdelivr.net", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_memray_run_with_output_and_force_then_renders_and_reads_that_capture()
    {
        using var root = new TestRoot().FixtureScenario("alloc", "--work 1 --alloc-mb 2", runs: 1);
        var log = root.File_("memray.log");

        await ProfileAsync(root, Fakes.WithMemray(log), "PerfRun", "--profilers", "memray");

        var capture = Artifact(root, "alloc", "bin");
        List<string> expected =
        [
            "run", "-o", capture, "--force",
            PythonEnvironment.Helper("run_program.py"), "--status", Path.Combine(root.RunFolder(), "alloc", Memray.Name, "status.txt"),
            "--", Path.Combine(root.Path, "perf_fixture.py"), "--work", "1", "--alloc-mb", "2",
        ];
        Assert.Equal(expected, Fakes.Call(log, "run"));
        Assert.Equal(["flamegraph", "--force", "-o", Artifact(root, "alloc", "flamegraph.html"), "--no-web", capture], Fakes.Call(log, "flamegraph"));
        Assert.Equal(["stats", "--json", "--force", "-o", Artifact(root, "alloc", "stats.json"), capture], Fakes.Call(log, "stats"));
        Assert.Equal(["--version"], Fakes.Call(log, "--version"));
    }

    [Fact]
    public async Task Native_and_aggregate_reach_memray_run()
    {
        using var root = new TestRoot().FixtureScenario("alloc", "--work 1", runs: 1);
        var log = root.File_("memray.log");

        await ProfileAsync(root, Fakes.WithMemray(log, new() { ["FIL_PERF_MEMRAY_NATIVE"] = "1", ["FIL_PERF_MEMRAY_AGGREGATE"] = "1" }), "PerfRun",
            "--profilers", "memray");

        var run = Fakes.Call(log, "run");
        Assert.Equal(["run", "-o", Artifact(root, "alloc", "bin"), "--force", "--native", "--aggregate", PythonEnvironment.Helper("run_program.py")],
            run.Take(7));
    }

    [Fact]
    public async Task Native_alone_adds_only_native()
    {
        using var root = new TestRoot().FixtureScenario("alloc", "--work 1", runs: 1);
        var log = root.File_("memray.log");

        var (_, result) = await ProfileAsync(root, Fakes.WithMemray(log), "PerfRun", "--profilers", "memray", "--memray-native");

        Assert.Equal(ProfilerStatus.Ok, result.Status);
        var run = Fakes.Call(log, "run");
        Assert.Equal(["run", "-o", Artifact(root, "alloc", "bin"), "--force", "--native", PythonEnvironment.Helper("run_program.py")], run.Take(6));
    }

    [Fact]
    public async Task An_aggregated_capture_is_read_through_FileReader_since_stats_refuses_it()
    {
        using var root = new TestRoot().FixtureScenario("alloc", "--work 1 --alloc-mb 16", runs: 1);
        var log = root.File_("memray.log");

        var (_, run) = await ProfileAsync(root, Fakes.WithMemray(log, new() { ["FIL_PERF_MEMRAY_AGGREGATE"] = "true" }), "PerfRun", "--profilers", "memray");

        Assert.Equal(ProfilerStatus.Ok, run.Status);
        Assert.Empty(run.Notes);
        Assert.Contains("--aggregate", Fakes.Call(log, "run"));
        // `memray stats` would fail on it (NotImplementedError): it is not even tried.
        Assert.DoesNotContain(Fakes.Calls(log), call => call[0] == "stats");
        Assert.Equal(["capture", "flamegraph"], Kinds(run));
        Assert.False(File.Exists(Artifact(root, "alloc", "stats.json")));
        var memory = Assert.IsType<MemoryStats>(run.Memory);
        Assert.True(memory.PeakBytes >= 16 * Mib, $"peak {memory.PeakBytes} bytes, the fixture held 16 MiB");
        Assert.True(memory.TotalAllocations > 0);
        Assert.NotNull(memory.TotalFrames);
    }

    [Fact]
    public async Task Html_format_keeps_the_table_report_instead_of_the_flamegraph()
    {
        using var root = new TestRoot().FixtureScenario("alloc", "--work 1", runs: 1);
        var log = root.File_("memray.log");

        var (_, run) = await ProfileAsync(root, Fakes.WithMemray(log, new() { ["FIL_PERF_MEMRAY_FORMAT"] = "html" }), "PerfRun", "--profilers", "memray");

        Assert.Equal(ProfilerStatus.Ok, run.Status);
        Assert.Equal(["capture", "stats", "table"], Kinds(run));
        var table = run.Artifacts.Single(a => a.Kind == "table");
        Assert.Equal("alloc/local-alloc-memray.table.html", table.Path);
        AssertListed(root, table);
        Assert.Contains("table report", File.ReadAllText(Path.Combine(root.RunFolder(), table.Path)), StringComparison.Ordinal);
        Assert.Equal(["table", "--force", "-o", Artifact(root, "alloc", "table.html"), Artifact(root, "alloc", "bin")], Fakes.Call(log, "table"));
        Assert.DoesNotContain(Fakes.Calls(log), call => call[0] == "flamegraph");
    }

    [Fact]
    public async Task Bin_format_keeps_the_capture_and_stats_but_renders_no_html()
    {
        using var root = new TestRoot().FixtureScenario("alloc", "--work 1", runs: 1);
        var log = root.File_("memray.log");

        var (_, run) = await ProfileAsync(root, Fakes.WithMemray(log), "PerfRun", "--profilers", "memray", "--memray-format", "bin");

        Assert.Equal(ProfilerStatus.Ok, run.Status);
        Assert.Equal(["capture", "stats"], Kinds(run));
        Assert.NotNull(run.Memory);
        Assert.DoesNotContain(Fakes.Calls(log), call => call[0] is "flamegraph" or "table");
        Assert.Empty(Directory.GetFiles(Path.Combine(root.RunFolder(), "alloc"), "*.html"));
    }

    /// <summary>
    /// The fake's capture is a header (metadata, a size histogram of the blocks live at exit, ten top
    /// lines) and stays a few KiB whatever the program allocates: the fixture's blocks are freed
    /// before it is written. What grows it is the command line, which memray records in the capture
    /// (Metadata.command_line) as the real one does. So a scenario with ~1.2 MB of arguments
    /// (ten 120 kB values, each under Linux's 128 KiB limit per argument) makes a capture over 1 MiB.
    /// </summary>
    private static async Task<TestRoot> LongCommandLineScenarioAsync()
    {
        var argMax = await ToolProcess.RunAsync("getconf", ["ARG_MAX"], "/", TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.SkipUnless(long.TryParse(argMax.StandardOutput.Trim(), out var limit) && limit >= 3 * Mib / 2,
            $"ARG_MAX is {argMax.StandardOutput.Trim()}: a 1.2 MB command line does not fit");
        var ballast = string.Join(' ', Enumerable.Range(0, 10).Select(_ => "--extra-work 0." + new string('0', 120_000)));
        return new TestRoot().FixtureScenario("long", "--work 1 --alloc-mb 4 " + ballast, runs: 1);
    }

    [Fact]
    public async Task The_fakes_capture_of_an_ordinary_run_is_tiny_whatever_it_allocates()
    {
        using var root = new TestRoot().FixtureScenario("alloc", "--work 1 --alloc-mb 64", runs: 1);

        var (_, run) = await ProfileAsync(root, Fakes.WithMemray(), "ProfileMemray", "--profilers", "memray");

        Assert.True(run.Memory!.PeakBytes >= 64 * Mib);
        Assert.InRange(run.Artifacts.Single(a => a.Kind == "capture").Bytes, 1, 256 * 1024);
    }

    [Fact]
    public async Task A_capture_over_max_mb_is_dropped_with_a_note_and_the_report_and_stats_are_kept()
    {
        using var root = await LongCommandLineScenarioAsync();

        var (_, run) = await ProfileAsync(root, Fakes.WithMemray(extra: new() { ["FIL_PERF_MEMRAY_MAX_MB"] = "1" }), "ProfileMemray", "--profilers", "memray");

        Assert.Equal(ProfilerStatus.Ok, run.Status);
        Assert.Equal(["flamegraph", "stats"], Kinds(run));
        Assert.False(File.Exists(Artifact(root, "long", "bin")), "the .bin is deleted, not only left out of the list");
        var note = Assert.Single(run.Notes);
        Assert.Matches(@"^the capture \(1\.\d MiB\) exceeded FIL_PERF_MEMRAY_MAX_MB=1: kept the report and stats, dropped the \.bin$", note);
        Assert.All(run.Artifacts, a => AssertListed(root, a));
        Assert.True(run.Memory!.PeakBytes >= 4 * Mib);
    }

    [Fact]
    public async Task The_same_capture_is_kept_under_the_default_limit()
    {
        using var root = await LongCommandLineScenarioAsync();

        var (_, run) = await ProfileAsync(root, Fakes.WithMemray(), "ProfileMemray", "--profilers", "memray");

        Assert.Equal(ProfilerStatus.Ok, run.Status);
        Assert.Empty(run.Notes);
        var capture = run.Artifacts.Single(a => a.Kind == "capture");
        Assert.True(capture.Bytes > Mib, $"the capture is {capture.Bytes} bytes: the test above would not exceed 1 MiB");
        AssertListed(root, capture);
    }

    [Fact]
    public async Task Without_no_web_the_flamegraph_is_rendered_again_without_it_and_the_note_names_the_cdn()
    {
        using var root = new TestRoot().FixtureScenario("alloc", "--work 1", runs: 1);
        var log = root.File_("memray.log");

        var (_, run) = await ProfileAsync(root, Fakes.WithMemray(log, new() { ["FAKE_MEMRAY_NO_WEB_UNSUPPORTED"] = "1" }), "PerfRun", "--profilers", "memray");

        Assert.Equal(ProfilerStatus.Ok, run.Status);
        var flamegraph = run.Artifacts.Single(a => a.Kind == "flamegraph");
        AssertListed(root, flamegraph);
        Assert.Contains("cdn.jsdelivr.net", File.ReadAllText(Path.Combine(root.RunFolder(), flamegraph.Path)), StringComparison.Ordinal);
        Assert.Contains("CDN", Assert.Single(run.Notes), StringComparison.Ordinal);
        var renders = Fakes.Calls(log).Where(call => call[0] == "flamegraph").ToList();
        Assert.Equal(2, renders.Count);
        Assert.Contains("--no-web", renders[0]);
        Assert.DoesNotContain("--no-web", renders[1]);
    }

    [Fact]
    public async Task A_failing_program_is_a_failed_profile_with_its_exit_code_and_its_artifacts()
    {
        using var root = new TestRoot().FixtureScenario("fails", "--work 1 --alloc-mb 8 --exit 3", runs: 1);

        // Measure would stop at the failing run; profile the scenario on its own.
        var (_, run) = await ProfileAsync(root, Fakes.WithMemray(), "ProfileMemray", "--profilers", "memray");

        Assert.Equal(ProfilerStatus.Failed, run.Status);
        Assert.Equal("program exited with code 3", run.Reason);
        Assert.Equal(3, run.ExitCode);
        Assert.Equal(["capture", "flamegraph", "stats"], Kinds(run));
        Assert.True(run.Memory!.PeakBytes >= 8 * Mib);
    }

    [Fact]
    public async Task Without_memray_every_scenario_is_skipped_as_not_installed_with_the_hint()
    {
        var probe = await ToolProcess.RunAsync("python3", ["-c", "import memray"], "/", TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken,
            TestRoot.CleanEnvironment());
        Assert.SkipWhen(probe.Succeeded, "python3 has a real memray");
        using var root = new TestRoot().FixtureScenario("alloc", "--work 1", runs: 1);

        var (outcome, run) = await ProfileAsync(root, [], "PerfRun", "--profilers", "memray");

        Assert.Equal("skipped: not installed", run.StatusText);
        Assert.Contains("pip install memray", Assert.Single(run.Notes), StringComparison.Ordinal);
        Assert.Contains("Build succeeded", outcome.Output, StringComparison.Ordinal);
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

        var (_, run) = await ProfileAsync(root, Fakes.WithMemray(), "PerfRun", "--profilers", "memray");

        Assert.Equal("skipped: sh is not a Python program", run.StatusText);
    }
}
