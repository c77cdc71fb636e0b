using System.Collections.Concurrent;
using Filare.Perf.Engine;
using Filare.Perf.Tests.Support;
using Spectre.Console;
namespace Filare.Perf.Tests;

/// <summary>
/// A small build for the engine's own tests. Each target appends its name to the list of the test
/// that runs it; tests pass their own id as FIL_PERF_RUN_ID so parallel tests never share a list.
/// Targets are declared out of order (D before C, C before B...) so ordering comes from the edges.
/// </summary>
public sealed class EngineTestBuild : BuildHost
{
    public static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> Executions = new(StringComparer.Ordinal);

    [Parameter("Identifies the test that runs this build.", Group = "Test")]
    public string? RunId { get; init; }

    [Parameter("Samples per second.", Minimum = 1, Group = "Test")]
    public int SpyRate { get; init; } = 100;

    [Parameter("Scenarios to run.", Group = "Test")]
    public string[] Scenario { get; init; } = [];

    Target D => _ => _
        .Description("Runs after C when both run")
        .After(C)
        .Executes(() => Record(nameof(D)));

    Target C => _ => _
        .Description("Third step")
        .DependsOn(B)
        .Executes(() => Record(nameof(C)));

    Target B => _ => _
        .Description("Second step")
        .DependsOn(A)
        .Executes(() => Record(nameof(B)));

    Target A => _ => _
        .Description("First step")
        .Executes(() => Record(nameof(A)));

    Target Broken => _ => _
        .Description("Always fails")
        .DependsOn(A)
        .Executes(() =>
        {
            Record(nameof(Broken));
            throw new BuildFailedException("Broken went wrong on purpose");
        });

    Target Dependent => _ => _
        .Description("Needs Broken")
        .DependsOn(Broken)
        .Executes(() => Record(nameof(Dependent)));

    Target Bystander => _ => _
        .Description("Independent of Broken, ordered after it")
        .After(Dependent)
        .Executes(() => Record(nameof(Bystander)));

    Target Cleanup => _ => _
        .Description("Runs even after a failure")
        .After(Dependent, Bystander)
        .AssuredAfterFailure()
        .Executes(() => Record(nameof(Cleanup)));

    Target Conditional => _ => _
        .Description("Never runs")
        .DependsOn(A)
        .OnlyWhen(() => false, "switched off for the test")
        .Executes(() => Record(nameof(Conditional)));

    Target AfterConditional => _ => _
        .Description("Depends on a skipped target")
        .DependsOn(Conditional)
        .Executes(() => Record(nameof(AfterConditional)));

    private void Record(string name) => Executions.GetOrAdd(RunId ?? "", _ => new ConcurrentQueue<string>()).Enqueue(name);
}

/// <summary>Two builds whose targets form cycles: through DependsOn only, and through After.</summary>
public sealed class CyclicTestBuild : BuildHost
{
    Target X => _ => _.DependsOn(Y).Executes(() => { });

    Target Y => _ => _.DependsOn(X).Executes(() => { });

    // P orders itself after Q, and Q needs P: a cycle only once both are in the plan.
    Target P => _ => _.After(Q).Executes(() => { });

    Target Q => _ => _.DependsOn(P).Executes(() => { });

    Target Fine => _ => _.Executes(() => { });
}

public sealed class EngineTests : IDisposable
{
    private readonly string _workingDirectory;
    private readonly string _runId = Guid.NewGuid().ToString("N");

    public EngineTests()
    {
        _workingDirectory = Directory.CreateTempSubdirectory("filare-perf-engine-").FullName;
        Directory.CreateDirectory(Path.Combine(_workingDirectory, ".nuke"));
    }

    public void Dispose()
    {
        EngineTestBuild.Executions.TryRemove(_runId, out _);
        Directory.Delete(_workingDirectory, recursive: true);
    }

    private IReadOnlyList<string> Executed => EngineTestBuild.Executions.TryGetValue(_runId, out var queue) ? queue.ToList() : [];

    private Task<BuildOutcome> Run(params string[] args) => Run<EngineTestBuild>(x => x.GetTarget("C"), args);

    private async Task<BuildOutcome> Run<T>(Func<T, Target> defaultTarget, params string[] args)
        where T : BuildHost, new()
    {
        var captured = new CapturedConsole(200);
        var console = captured.Console;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["FIL_PERF_RUN_ID"] = _runId };
        var context = new BuildContext(_workingDirectory, environment, console, TestContext.Current.CancellationToken);
        var exitCode = await BuildHost.ExecuteAsync(args, defaultTarget, context);
        return new BuildOutcome(exitCode, captured.Text);
    }

    /// <summary>The summary row of one target: its cells between the table's borders.</summary>
    private static string[] SummaryRow(string output, string target) => output
        .Split('\n')
        .Select(line => line.Trim())
        .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Last(cells => cells.Length >= 2 && cells[0] == target && Enum.TryParse<TargetStatus>(cells[1], out _));

    private static TargetStatus StatusOf(string output, string target) => Enum.Parse<TargetStatus>(SummaryRow(output, target)[1]);

    [Fact]
    public async Task Default_target_runs_its_dependencies_first()
    {
        var outcome = await Run();

        Assert.True(outcome.ExitCode == BuildHost.ExitSuccess, outcome.ToString());
        Assert.Equal(["A", "B", "C"], Executed);
        Assert.Contains("Build succeeded", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_orders_without_pulling_the_other_target_in()
    {
        var both = await Run("D", "C");
        Assert.True(both.ExitCode == 0, both.ToString());
        // D is declared before C, yet runs after it because of After(C).
        Assert.Equal(["A", "B", "C", "D"], Executed);

        EngineTestBuild.Executions.TryRemove(_runId, out _);
        var alone = await Run("D");
        Assert.True(alone.ExitCode == 0, alone.ToString());
        Assert.Equal(["D"], Executed);
    }

    [Fact]
    public async Task Target_names_are_matched_case_insensitively_and_via_target_option()
    {
        var outcome = await Run("--target", "b");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Equal(["A", "B"], Executed);
    }

    [Fact]
    public async Task Plan_prints_the_order_and_runs_nothing()
    {
        var outcome = await Run("D", "C", "--plan");

        Assert.True(outcome.ExitCode == BuildHost.ExitSuccess, outcome.ToString());
        Assert.Empty(Executed);
        var steps = outcome.Output.Split('\n').Select(l => l.Trim())
            .Where(l => l.Length > 2 && char.IsDigit(l[0]) && l.Contains(". ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["1. A", "2. B", "3. C", "4. D"], steps);
        Assert.DoesNotContain("Build succeeded", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_marks_skipped_targets()
    {
        var outcome = await Run("C", "--plan", "--skip", "B");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("2. B (skipped)", outcome.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("1. A (skipped)", outcome.Output, StringComparison.Ordinal);
        Assert.Empty(Executed);
    }

    [Fact]
    public async Task Skip_with_a_name_skips_only_that_target()
    {
        var outcome = await Run("C", "--skip", "a");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Equal(["B", "C"], Executed);
        Assert.Equal(TargetStatus.Skipped, StatusOf(outcome.Output, "A"));
        Assert.Equal(TargetStatus.Succeeded, StatusOf(outcome.Output, "B"));
    }

    [Fact]
    public async Task Bare_skip_skips_every_dependency_and_runs_what_was_asked_for()
    {
        var outcome = await Run("C", "--skip");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Equal(["C"], Executed);
        Assert.Equal(TargetStatus.Skipped, StatusOf(outcome.Output, "A"));
        Assert.Equal(TargetStatus.Skipped, StatusOf(outcome.Output, "B"));
        Assert.Equal(TargetStatus.Succeeded, StatusOf(outcome.Output, "C"));
    }

    [Fact]
    public async Task Unknown_target_exits_2_and_suggests_the_close_name()
    {
        var outcome = await Run("Dependnt");

        Assert.Equal(BuildHost.ExitUsage, outcome.ExitCode);
        Assert.Contains("Unknown target 'Dependnt'. Did you mean Dependent?", outcome.Output, StringComparison.Ordinal);
        Assert.Empty(Executed);
    }

    [Fact]
    public async Task Unknown_skip_target_exits_2()
    {
        var outcome = await Run("C", "--skip", "Bee");

        Assert.Equal(BuildHost.ExitUsage, outcome.ExitCode);
        Assert.Contains("Unknown target 'Bee'", outcome.Output, StringComparison.Ordinal);
        Assert.Empty(Executed);
    }

    [Fact]
    public async Task Unknown_parameter_exits_2_with_a_suggestion_and_runs_nothing()
    {
        var outcome = await Run("C", "--scenaro", "x");

        Assert.Equal(BuildHost.ExitUsage, outcome.ExitCode);
        Assert.Contains("Unknown parameter --scenaro. Did you mean --scenario?", outcome.Output, StringComparison.Ordinal);
        Assert.Empty(Executed);
    }

    [Fact]
    public async Task Invalid_parameter_value_exits_2_before_any_target()
    {
        var outcome = await Run("C", "--spy-rate", "0");

        Assert.Equal(BuildHost.ExitUsage, outcome.ExitCode);
        Assert.Contains("--spy-rate 0: expected a whole number ≥ 1", outcome.Output, StringComparison.Ordinal);
        Assert.Empty(Executed);
    }

    [Fact]
    public async Task Failing_target_exits_1_stops_dependents_and_later_targets_but_not_assured_ones()
    {
        var outcome = await Run("Dependent", "Bystander", "Cleanup");

        Assert.Equal(BuildHost.ExitTargetFailed, outcome.ExitCode);
        Assert.Equal(["A", "Broken", "Cleanup"], Executed);
        Assert.Equal(TargetStatus.Succeeded, StatusOf(outcome.Output, "A"));
        Assert.Equal(TargetStatus.Failed, StatusOf(outcome.Output, "Broken"));
        Assert.Equal(TargetStatus.NotRun, StatusOf(outcome.Output, "Dependent"));
        Assert.Equal(TargetStatus.NotRun, StatusOf(outcome.Output, "Bystander"));
        Assert.Equal(TargetStatus.Succeeded, StatusOf(outcome.Output, "Cleanup"));
        Assert.Contains("Broken went wrong on purpose", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("Broken did not succeed", string.Join(' ', SummaryRow(outcome.Output, "Dependent")), StringComparison.Ordinal);
        Assert.Contains("Build failed", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyWhen_false_skips_the_target_with_its_reason_and_dependents_still_run()
    {
        var outcome = await Run("AfterConditional");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Equal(["A", "AfterConditional"], Executed);
        Assert.Equal(TargetStatus.Skipped, StatusOf(outcome.Output, "Conditional"));
        Assert.Contains("switched off for the test", string.Join(' ', SummaryRow(outcome.Output, "Conditional")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Summary_table_lists_every_planned_target_with_its_status()
    {
        var outcome = await Run("C", "--skip", "A");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var lines = outcome.Output.Split('\n');
        var header = Array.FindIndex(lines, l => l.Contains("Target", StringComparison.Ordinal) && l.Contains("Status", StringComparison.Ordinal)
            && l.Contains("Duration", StringComparison.Ordinal));
        Assert.True(header >= 0, outcome.ToString());
        var rows = lines.Skip(header + 1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(c => c.Length >= 2 && Enum.TryParse<TargetStatus>(c[1], out _))
            .Select(c => $"{c[0]} {c[1]}")
            .ToList();
        Assert.Equal(["A Skipped", "B Succeeded", "C Succeeded"], rows);
        Assert.Contains(lines.Skip(header), l => l.TrimStart().StartsWith("Total", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Help_lists_targets_with_descriptions_and_parameters_with_environment_names()
    {
        var outcome = await Run("--help");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Empty(Executed);
        Assert.Contains("(default: C)", outcome.Output, StringComparison.Ordinal);
        var lines = outcome.Output.Split('\n');
        Assert.Contains(lines, l => l.Contains(" A ", StringComparison.Ordinal) && l.Contains("First step", StringComparison.Ordinal));
        Assert.Contains(lines, l =>
            l.Contains(" C ", StringComparison.Ordinal) && l.Contains("Third step", StringComparison.Ordinal) && l.Contains("-> B", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Cleanup", StringComparison.Ordinal) && l.Contains("Runs even after a failure", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("--spy-rate <int>", StringComparison.Ordinal) && l.Contains("Samples per second.", StringComparison.Ordinal)
            && l.Contains("(default 100)", StringComparison.Ordinal) && l.Contains("FIL_PERF_SPY_RATE", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("--run-id <text>", StringComparison.Ordinal) && l.Contains("FIL_PERF_RUN_ID", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("--scenario <value...>", StringComparison.Ordinal) && l.Contains("FIL_PERF_SCENARIO", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Help_wins_over_bad_parameters()
    {
        var outcome = await Run("--help", "--spy-rate", "fast");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("--spy-rate", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Short_help_flag_is_accepted()
    {
        var outcome = await Run("-h");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("First step", outcome.Output, StringComparison.Ordinal);
        Assert.Empty(Executed);
    }

    [Fact]
    public async Task A_cycle_through_dependencies_is_reported_with_exit_2()
    {
        var outcome = await Run<CyclicTestBuild>(x => x.GetTarget("Fine"), "X");

        Assert.Equal(BuildHost.ExitUsage, outcome.ExitCode);
        Assert.Contains("cycle", outcome.Output, StringComparison.Ordinal);
        Assert.Matches(@"(X -> Y -> X|Y -> X -> Y)", outcome.Output);
    }

    [Fact]
    public async Task A_cycle_through_after_is_reported_when_both_are_planned()
    {
        var outcome = await Run<CyclicTestBuild>(x => x.GetTarget("Fine"), "Q");

        Assert.Equal(BuildHost.ExitUsage, outcome.ExitCode);
        Assert.Contains("cycle", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("P", outcome.Output, StringComparison.Ordinal);

        var fine = await Run<CyclicTestBuild>(x => x.GetTarget("Fine"));
        Assert.True(fine.ExitCode == 0, fine.ToString());
    }

    [Fact]
    public void Target_graph_plans_dependencies_first_and_rejects_unknown_names()
    {
        var graph = TargetGraph.Read(new EngineTestBuild());

        Assert.Equal(["A", "B", "C", "D"], graph.Plan(["d", "C"]).Select(t => t.Name));
        Assert.Equal("Dependent", graph.Canonical("dependent"));
        var error = Assert.Throws<BuildConfigurationException>(() => graph.Plan(["Clenup"]));
        Assert.Contains("Did you mean Cleanup?", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SpyRate", "spy-rate", "SPY_RATE")]
    [InlineData("EnablePyspy", "enable-pyspy", "ENABLE_PYSPY")]
    [InlineData("ScaleneCpuRate", "scalene-cpu-rate", "SCALENE_CPU_RATE")]
    [InlineData("CprofileFormat", "cprofile-format", "CPROFILE_FORMAT")]
    [InlineData("OutputDir", "output-dir", "OUTPUT_DIR")]
    public void Parameter_names_follow_one_rule(string property, string kebab, string snake)
    {
        Assert.Equal(kebab, ParameterNames.ToKebab(property));
        Assert.Equal(snake, ParameterNames.ToUpperSnake(property));
    }

    [Fact]
    public void Parameter_definitions_of_the_real_build_answer_to_cli_and_environment_names()
    {
        var definitions = ParameterCatalog.For(typeof(Build), new Build());

        var spyRate = Assert.Single(definitions, d => d.Name == "SpyRate");
        Assert.Equal("--spy-rate", spyRate.CommandLine);
        Assert.Equal("FIL_PERF_SPY_RATE", spyRate.EnvironmentVariable);
        Assert.Equal(ParameterKind.Integer, spyRate.Kind);
        Assert.Equal(100, spyRate.DefaultValue);

        var pyspy = Assert.Single(definitions, d => d.Name == "EnablePyspy");
        Assert.Equal("FIL_PERF_ENABLE_PYSPY", pyspy.EnvironmentVariable);
        Assert.Equal("--enable-pyspy", pyspy.CommandLine);
        Assert.Equal(ParameterKind.Boolean, pyspy.Kind);

        var output = Assert.Single(definitions, d => d.Name == "SpyOutput");
        Assert.Equal(ParameterKind.Choice, output.Kind);
        Assert.Equal(["svg", "speedscope", "raw"], output.Choices);
    }

    [Theory]
    [InlineData("--spy-rate")]
    [InlineData("--SpyRate")]
    [InlineData("--spy_rate")]
    public async Task Command_line_accepts_kebab_pascal_and_snake_spellings(string option)
    {
        var outcome = await Run("C", option, "0");

        // A spelling that were not recognised would be "Unknown parameter" instead of a range error.
        Assert.Equal(BuildHost.ExitUsage, outcome.ExitCode);
        Assert.Contains("expected a whole number", outcome.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unknown parameter", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Suggestions_rank_the_closest_candidates()
    {
        Assert.Equal(["--spy-rate"], Suggestions.Closest("--spy-rat", ["--spy-rate", "--scenario", "--python"]));
        Assert.Equal("", Suggestions.DidYouMean("zzzzzz", ["--spy-rate", "--scenario"]));
    }

    [Fact]
    public void Command_line_splits_targets_from_options()
    {
        var parsed = CommandLineArguments.Parse(["Measure", "PerfRun", "--scenario", "a", "b", "--spy-rate=5", "--plan"]);

        Assert.Equal(["Measure", "PerfRun"], parsed.Targets);
        Assert.Equal(["a", "b"], parsed.Values("scenario"));
        Assert.Equal(["5"], parsed.Values("SPY-RATE"));
        Assert.True(parsed.Has("plan"));
        Assert.Empty(parsed.Values("plan"));
        Assert.Equal(["scenario", "spy-rate", "plan"], parsed.OptionOrder);
    }

    [Fact]
    public void Committed_build_schema_is_up_to_date()
    {
        var path = Path.Combine(Repository.Root, BuildSchema.RelativePath);
        Assert.True(File.Exists(path), $"{path} is missing; run the build once locally to generate it.");

        var expected = BuildSchema.Generate(ParameterCatalog.For(typeof(Build), new Build()));

        Assert.True(
            expected == File.ReadAllText(path),
            $"{BuildSchema.RelativePath} is stale; run './build.sh PerfSettings' locally to regenerate it and commit the result.");
    }

    [Fact]
    public void Build_schema_describes_types_choices_and_ranges()
    {
        var schema = System.Text.Json.Nodes.JsonNode.Parse(BuildSchema.Generate(ParameterCatalog.For(typeof(Build), new Build())))!;
        var properties = schema["properties"]!;

        Assert.False(schema["additionalProperties"]!.GetValue<bool>());
        Assert.Equal("integer", properties["SpyRate"]!["type"]!.GetValue<string>());
        Assert.Equal(1, properties["SpyRate"]!["minimum"]!.GetValue<double>());
        Assert.Equal(10000, properties["SpyRate"]!["maximum"]!.GetValue<double>());
        Assert.Equal("boolean", properties["EnableMemray"]!["type"]!.GetValue<string>());
        Assert.Equal(["bin", "html", "flamegraph"], properties["MemrayFormat"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("number", properties["ScaleneCpuRate"]!["type"]!.GetValue<string>());
        Assert.Contains("FIL_PERF_SCENARIO", properties["Scenario"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

internal static class TargetLookup
{
    /// <summary>Target properties are private, as in NUKE builds; tests reach them by name.</summary>
    public static Target GetTarget(this BuildHost build, string name) =>
        (Target)build.GetType().GetProperty(name,
            System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public)!.GetValue(build)!;
}
