using Filare.Perf.Processes;
using Filare.Perf.Results;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests;

/// <summary>
/// The shipped scenarios and Filare 1.6's failure modes on the stand-in checkout (shaped like
/// Filare 1.6.0: YAML-only tests/rendering and tests/bom, inputs 1.6 rejects, Filare's addopts).
/// </summary>
public sealed class StandInFilareTests
{
    private static TestRoot WithShippedScenarios()
    {
        var root = new TestRoot();
        foreach (var file in Directory.GetFiles(Path.Combine(Repository.Root, "scenarios")))
        {
            File.Copy(file, Path.Combine(root.Path, "scenarios", Path.GetFileName(file)));
        }
        return root;
    }

    private static readonly Dictionary<string, string> Quick = new() { ["FIL_PERF_PROFILERS"] = "cprofile", ["FIL_PERF_RUN_LABEL"] = "local",
        ["FIL_PERF_RUNS"] = "1", ["FIL_PERF_WARMUPS"] = "0" };

    /// <summary>Debian's python3-pytest (installed by .ci/run): the stand-in's pytest scenarios need a real pytest.</summary>
    private static string? PythonWithPytest()
    {
        foreach (var candidate in new[] { "/usr/bin/python3", ToolProcess.Which("python3", TestRoot.CleanEnvironment()) })
        {
            if (candidate is not null && File.Exists(candidate)
                && ToolProcess.RunAsync(candidate, ["-c", "import pytest"], Repository.Root, TimeSpan.FromSeconds(60), CancellationToken.None).GetAwaiter()
                .GetResult().Succeeded)
            {
                return candidate;
            }
        }
        return null;
    }

    [Fact]
    public async Task Every_shipped_scenario_runs_on_the_stand_in_and_pytest_is_skipped_where_it_is_missing()
    {
        using var root = WithShippedScenarios();

        var outcome = await root.RunAsync(Quick, "PerfRun", "--filare-root", Repository.StandIn);

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var byName = root.Metrics().Scenarios.ToDictionary(s => s.Name);
        Assert.Equal(["bomqty", "bomqty-multipliers", "demo01", "multi-page", "pytest-render-bom", "rendering"], byName.Keys.Order(StringComparer.Ordinal));
        Assert.All(byName.Values.Where(s => s.Name != "pytest-render-bom"), s => Assert.Equal(ScenarioStatus.Ok, s.Status));
        // The stand-in's interpreter has no pytest: skipped with the reason, not failed.
        Assert.True(byName["pytest-render-bom"].Status is ScenarioStatus.Skipped or ScenarioStatus.Ok, byName["pytest-render-bom"].Message);
        var multipliers = Path.Combine(root.RunFolder(), byName["bomqty-multipliers"].Samples[0].OutputDirectory, "bomqty.shared_bom");
        Assert.EndsWith("x3\n", File.ReadAllText(multipliers), StringComparison.Ordinal);
        Assert.Equal(4, byName["multi-page"].Command.Count(a => Path.GetFileName(a).StartsWith("ex0", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_input_filare_rejects_fails_with_the_exception_line_as_headline_and_the_boxed_tail_in_the_details()
    {
        using var root = new TestRoot().Scenario("colors", """
            name: colors
            command: [filare, run, tests/rendering/01_color_single.yml, -f, pst, -o, "{output}"]
            runs: 1
            warmups: 0
            """);

        var outcome = await root.RunAsync(Quick, "PerfRun", "--filare-root", Repository.StandIn);

        Assert.Equal(1, outcome.ExitCode);
        var scenario = Assert.Single(root.Metrics().Scenarios);
        Assert.Equal(ScenarioStatus.Failed, scenario.Status);
        var lines = scenario.Message!.Split('\n');
        Assert.Equal("run 1: exit code 1: UnknownTemplateDesignator: Unknown template/designator '<--'", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("╭", StringComparison.Ordinal) && l.Contains("Traceback", StringComparison.Ordinal));
        Assert.Equal("UnknownTemplateDesignator: Unknown template/designator '<--'", scenario.Samples[0].Headline);
        var summary = File.ReadAllText(Path.Combine(root.RunFolder(), "summary.md"));
        // The problem's first line is the headline; the boxed tail follows it.
        Assert.True(summary.Contains("```text\nrun 1: exit code 1: UnknownTemplateDesignator: Unknown template/designator '<--'\n\n╭",
            StringComparison.Ordinal), summary);
    }

    [Fact]
    public async Task A_pytest_scenario_over_yaml_only_folders_fails_as_collected_no_tests_naming_the_paths()
    {
        var python = PythonWithPytest();
        Assert.SkipWhen(python is null, "no python3 with pytest here (.ci/run installs Debian's python3-pytest)");
        using var root = new TestRoot().Scenario("old-pytest", """
            name: old-pytest
            kind: pytest
            pytest:
              paths: [tests/rendering/, tests/bom/]
            runs: 1
            warmups: 0
            """);

        var outcome = await root.RunAsync(Quick, "PerfRun", "--filare-root", Repository.StandIn, "--python", python!);

        Assert.Equal(1, outcome.ExitCode);
        var scenario = Assert.Single(root.Metrics().Scenarios);
        Assert.Equal(ScenarioStatus.Failed, scenario.Status);
        Assert.StartsWith("run 1: exit code 5: collected no tests: tests/rendering/ tests/bom/", scenario.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_shipped_pytest_scenario_passes_with_the_projects_coverage_addopts_neutralised()
    {
        var python = PythonWithPytest();
        Assert.SkipWhen(python is null, "no python3 with pytest here (.ci/run installs Debian's python3-pytest)");
        using var root = WithShippedScenarios();

        var outcome = await root.RunAsync(Quick, "PerfRun", "--filare-root", Repository.StandIn, "--python", python!, "--scenario", "pytest-render-bom");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var scenario = Assert.Single(root.Metrics().Scenarios);
        Assert.Equal(ScenarioStatus.Ok, scenario.Status);
        var stdout = File.ReadAllText(Path.Combine(root.RunFolder(), scenario.Samples[0].Stdout));
        // The marker selection left the slow 'examples' test out, and no coverage report was made.
        Assert.Matches(@"\b6 passed, 1 deselected\b", stdout);
        Assert.DoesNotContain("coverage", stdout, StringComparison.OrdinalIgnoreCase);
        Assert.False(Directory.Exists(Path.Combine(Repository.StandIn, ".pytest_cache")));
    }

    [Fact]
    public async Task A_scenario_whose_version_range_excludes_the_checkout_is_skipped_with_the_reason()
    {
        using var root = new TestRoot().Scenario("future", """
            name: future
            filare: ">=2.0"
            command: [filare, run, examples/demo01.yml, -f, t, -o, "{output}"]
            """).Scenario("now", """
            name: now
            filare: ">=1.6, <2"
            command: [filare, run, examples/demo01.yml, -f, t, -o, "{output}"]
            """);

        var outcome = await root.RunAsync(Quick, "PerfRun", "--filare-root", Repository.StandIn);

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var byName = root.Metrics().Scenarios.ToDictionary(s => s.Name);
        Assert.Equal((ScenarioStatus.Skipped, "fits Filare >=2.0; this checkout is 1.6.0+standin"), (byName["future"].Status, byName["future"].Message));
        Assert.Equal(ScenarioStatus.Ok, byName["now"].Status);
    }

    [Fact]
    public async Task Runs_get_a_fixed_terminal_so_both_sides_print_the_same_text()
    {
        using var root = new TestRoot().Scenario("term", """
            name: term
            command: [python, -c,
              "import os; print(os.environ.get('COLUMNS'), os.environ.get('NO_COLOR'), os.environ.get('TERM'), os.environ.get('FORCE_COLOR'))"]
            runs: 1
            warmups: 0
            """);
        var environment = new Dictionary<string, string>(Quick) { ["COLUMNS"] = "37", ["TERM"] = "xterm-256color", ["FORCE_COLOR"] = "1" };

        var outcome = await root.RunAsync(environment, "PerfRun");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var scenario = Assert.Single(root.Metrics().Scenarios);
        Assert.Equal("120 1 dumb None", File.ReadAllText(Path.Combine(root.RunFolder(), scenario.Samples[0].Stdout)).Trim());
    }
}
