using Filare.Perf.Engine;
using Filare.Perf.Results;
using Filare.Perf.Storage;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests;

/// <summary>
/// The FIL_PERF_* settings of the real build: every documented name, its typed value, the layering
/// defaults &lt; .nuke/parameters.json &lt; environment &lt; command line, and the errors for bad values.
/// </summary>
public sealed class SettingsTests
{
    /// <summary>The variables docs/performance/settings.md documents, each with a non-default value and where it lands.</summary>
    public static IReadOnlyDictionary<string, (string Value, Func<Build, object?> Read, object? Expected)> Documented { get; } =
        new Dictionary<string, (string, Func<Build, object?>, object?)>(StringComparer.Ordinal)
        {
            ["FIL_PERF_ENABLE_PYSPY"] = ("false", b => b.Settings.PySpy.Enabled, false),
            ["FIL_PERF_ENABLE_SCALENE"] = ("off", b => b.Settings.Scalene.Enabled, false),
            ["FIL_PERF_ENABLE_MEMRAY"] = ("yes", b => b.Settings.Memray.Enabled, true),
            ["FIL_PERF_ENABLE_CPROFILE"] = ("1", b => b.Settings.CProfile.Enabled, true),
            ["FIL_PERF_ENABLE_IMPORTTIME"] = ("off", b => b.Settings.ImportTime!.Enabled, false),
            ["FIL_PERF_IMPORTTIME_RUNS"] = ("5", b => b.Settings.ImportTime!.Runs, 5),
            ["FIL_PERF_PARALLEL_JOBS"] = ("3", b => b.ParallelJobs, 3),
            ["FIL_PERF_OUTPUT_DIR"] = ("/tmp/perf-results", b => b.Settings.OutputDir, "/tmp/perf-results"),
            ["FIL_PERF_RUN_LABEL"] = ("nightly", b => b.Settings.RunLabel, "nightly"),
            ["FIL_PERF_CONTAINER_IMAGE"] = ("ghcr.io/filare/perf:3.12", b => b.Settings.ContainerImage, "ghcr.io/filare/perf:3.12"),
            ["FIL_PERF_SPY_RATE"] = ("250", b => b.Settings.PySpy.Rate, 250),
            ["FIL_PERF_SPY_OUTPUT"] = ("speedscope", b => b.Settings.PySpy.Output, SpyOutput.Speedscope),
            ["FIL_PERF_SPY_NATIVE"] = ("true", b => b.Settings.PySpy.Native, true),
            ["FIL_PERF_SPY_IDLE"] = ("on", b => b.Settings.PySpy.Idle, true),
            ["FIL_PERF_SPY_SUBPROCESSES"] = ("YES", b => b.Settings.PySpy.Subprocesses, true),
            ["FIL_PERF_SCALENE_CPU_RATE"] = ("0.05", b => b.Settings.Scalene.CpuRate, 0.05),
            ["FIL_PERF_SCALENE_MEMORY"] = ("0", b => b.Settings.Scalene.Memory, false),
            ["FIL_PERF_SCALENE_HTML"] = ("no", b => b.Settings.Scalene.Html, false),
            ["FIL_PERF_MEMRAY_NATIVE"] = ("True", b => b.Settings.Memray.Native, true),
            ["FIL_PERF_MEMRAY_FORMAT"] = ("html", b => b.Settings.Memray.Format, MemrayFormat.Html),
            ["FIL_PERF_MEMRAY_AGGREGATE"] = ("1", b => b.Settings.Memray.Aggregate, true),
            ["FIL_PERF_CPROFILE_SORT"] = ("cumtime", b => b.Settings.CProfile.Sort, CProfileSort.Cumtime),
            ["FIL_PERF_CPROFILE_FORMAT"] = ("callgrind", b => b.Settings.CProfile.Format, CProfileFormat.Callgrind),
            ["FIL_PERF_FILARE_ROOT"] = ("/src/filare", b => b.FilareRoot, "/src/filare"),
            ["FIL_PERF_PYTHON"] = ("/opt/python/bin/python3.12", b => b.Python, "/opt/python/bin/python3.12"),
            ["FIL_PERF_MEMRAY_MAX_MB"] = ("200", b => b.Settings.Memray.MaxMegabytes, 200),
            ["FIL_PERF_SCALENE_PROFILE_ONLY"] = ("perf_fixture", b => b.Settings.Scalene.ProfileOnly, "perf_fixture"),
            ["FIL_PERF_PROFILERS"] = ("memray", b =>
                (b.Settings.PySpy.Enabled, b.Settings.Scalene.Enabled, b.Settings.Memray.Enabled, b.Settings.CProfile.Enabled), (false, false, true, false)),
            ["FIL_PERF_INSTALL_PROFILERS"] = ("on", b => b.InstallProfilers, true),
        };

    /// <summary>Parameters the build adds beyond the documented list.</summary>
    private static readonly string[] s_undocumented =
    [
        "FIL_PERF_RUNS", "FIL_PERF_WARMUPS", "FIL_PERF_SCENARIO", "FIL_PERF_TAG",
        // Shards and storage (issue 22; docs/performance/ci-workflow.md).
        "FIL_PERF_SHARD", "FIL_PERF_SHARD_SCENARIOS", "FIL_PERF_SHARD_TARGET_SECONDS", "FIL_PERF_MAX_SHARDS",
        "FIL_PERF_KEEP_OUTPUTS", "FIL_PERF_ARTIFACT_BUDGET_MB",
        // PerfReport's parameters, set by the workflow.
        "FIL_PERF_REPORT_INPUT", "FIL_PERF_BASELINE", "FIL_PERF_BASELINE_BRANCH", "FIL_PERF_COMPARE_ALPHA",
        "FIL_PERF_COMPARE_MIN_EFFECT", "FIL_PERF_PR", "FIL_PERF_COMMENT_ID", "FIL_PERF_SOURCE_RUN",
        // Same-runner A/B, set by the workflow from the gate (a PR's merge base, HEAD nightly).
        "FIL_PERF_COMPARE_REF", "FIL_PERF_COMPARE_ENV",
        // Instruction counts (on in CI with a compare ref) and adaptive pairs.
        "FIL_PERF_ENABLE_INSTRUCTIONS", "FIL_PERF_INSTRUCTIONS_THRESHOLD", "FIL_PERF_MAX_RUNS", "FIL_PERF_TIME_BUDGET",
        "FIL_PERF_ENABLE_HEAP", "FIL_PERF_HEAP_THRESHOLD", "FIL_PERF_HEAP_FRAMES",
        // On in CI: a fresh checkout gets its .venv.
        "FIL_PERF_SETUP_FILARE", "FIL_PERF_SETUP_GROUPS",
        // PerfHistory and PerfTrend (docs/performance/history.md), set by the history job.
        "FIL_PERF_HISTORY_DIR", "FIL_PERF_HISTORY_REMOTE", "FIL_PERF_HISTORY_BRANCH", "FIL_PERF_FILARE_BRANCH",
        "FIL_PERF_TREND_POINTS", "FIL_PERF_TREND_MIN_MAGNITUDE", "FIL_PERF_TREND_METHOD", "FIL_PERF_TREND_REPOSITORY",
        // PerfBisect and the nightly chain (docs/performance/bisect.md), set by perf-bisect.yml.
        "FIL_PERF_GOOD", "FIL_PERF_BAD", "FIL_PERF_METRIC", "FIL_PERF_FIRST_PARENT", "FIL_PERF_MAX_COMMITS", "FIL_PERF_BISECT_TIME_BUDGET",
        "FIL_PERF_JOBS", "FIL_PERF_BISECT_THRESHOLD", "FIL_PERF_BISECT_CONFIRM", "FIL_PERF_TRACKING_ISSUE", "FIL_PERF_BISECT_LIMIT", "FIL_PERF_BISECT_KEY",
    ];

    public static TheoryData<string> DocumentedNames => new(Documented.Keys);

    private static IReadOnlyList<ParameterDefinition> Definitions => ParameterCatalog.For(typeof(Build), new Build());

    /// <summary>Resolves as BuildHost does, then sets the typed values on a Build.</summary>
    private static (Build Build, IReadOnlyList<ResolvedParameter> Parameters, IReadOnlyList<string> Warnings) Resolve(
        IReadOnlyDictionary<string, string>? environment = null, string? parametersJson = null, params string[] args)
    {
        string? file = null;
        if (parametersJson is not null)
        {
            file = Path.Combine(Directory.CreateTempSubdirectory("filare-perf-settings-").FullName, "parameters.json");
            File.WriteAllText(file, parametersJson);
        }
        try
        {
            var resolver = new ParameterResolver(Definitions);
            var parameters = resolver.Resolve(file, ".nuke/parameters.json", environment ?? new Dictionary<string, string>(), CommandLineArguments.Parse(args));
            var build = new Build();
            foreach (var parameter in parameters)
            {
                parameter.Definition.Property.SetValue(build, parameter.Value);
            }
            return (build, parameters, resolver.Warnings);
        }
        finally
        {
            if (file is not null)
            {
                Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
            }
        }
    }

    private static ResolvedParameter Parameter(IReadOnlyList<ResolvedParameter> parameters, string name) =>
        Assert.Single(parameters, p => p.Definition.Name == name);

    /// <summary>The cells of one row of the PerfSettings table: variable, value, source.</summary>
    private static string[] Row(string output, string variable)
    {
        var line = output.Split('\n').SingleOrDefault(l => l.Split('│', '|').Select(c => c.Trim()).Contains(variable));
        Assert.True(line is not null, $"no row for {variable} in:\n{output}");
        return line.Split('│', '|').Select(c => c.Trim()).Where(c => c.Length > 0).ToArray();
    }

    private static void WriteParameters(TestRoot root, string json) => File.WriteAllText(root.File_(".nuke/parameters.json"), json);

    [Fact]
    public void Defaults_turn_on_pyspy_and_scalene_only()
    {
        var (build, parameters, warnings) = Resolve();
        var settings = build.Settings;

        Assert.True(settings.PySpy.Enabled);
        Assert.True(settings.Scalene.Enabled);
        Assert.False(settings.Memray.Enabled);
        Assert.False(settings.CProfile.Enabled);
        Assert.Equal(100, settings.PySpy.Rate);
        Assert.Equal(SpyOutput.Svg, settings.PySpy.Output);
        Assert.Equal("outputs/perf", settings.OutputDir);
        Assert.Equal(0.01, settings.Scalene.CpuRate);
        Assert.Equal(MemrayFormat.Flamegraph, settings.Memray.Format);
        Assert.Equal(CProfileSort.Tottime, settings.CProfile.Sort);
        Assert.Equal(CProfileFormat.Pstats, settings.CProfile.Format);
        Assert.Null(settings.Runs);
        Assert.Null(settings.Warmups);
        Assert.Null(build.FilareRoot);
        Assert.Empty(build.Scenario);
        Assert.All(parameters, p => Assert.Equal(ParameterResolver.DefaultSource, p.Origin.Source));
        Assert.Empty(warnings);
    }

    [Fact]
    public void Every_documented_variable_is_a_parameter_of_the_build()
    {
        var variables = Definitions.Select(d => d.EnvironmentVariable).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(Documented.Keys.Concat(s_undocumented).Order(StringComparer.Ordinal), variables);
    }

    [Theory]
    [MemberData(nameof(DocumentedNames))]
    public void Documented_variable_changes_its_typed_value(string variable)
    {
        var (value, read, expected) = Documented[variable];
        var (defaults, _, _) = Resolve();
        Assert.NotEqual(expected, read(defaults));

        var (build, parameters, warnings) = Resolve(new Dictionary<string, string> { [variable] = value });

        Assert.Equal(expected, read(build));
        Assert.Empty(warnings);
        var changed = Assert.Single(parameters, p => p.Origin.Source != ParameterResolver.DefaultSource);
        Assert.Equal(variable, changed.Definition.EnvironmentVariable);
        Assert.Equal(ParameterResolver.EnvironmentSource, changed.Origin.Source);
    }

    [Fact]
    public void Selection_and_run_count_variables_are_typed()
    {
        var (build, _, _) = Resolve(new Dictionary<string, string>
        {
            ["FIL_PERF_RUNS"] = "7",
            ["FIL_PERF_WARMUPS"] = "0",
            ["FIL_PERF_SCENARIO"] = "demo01 bomqty,rendering",
            ["FIL_PERF_TAG"] = "render",
        });

        Assert.Equal(7, build.Settings.Runs);
        Assert.Equal(0, build.Settings.Warmups);
        Assert.Equal(["demo01", "bomqty", "rendering"], build.Scenario);
        Assert.Equal(["render"], build.Tag);
    }

    [Fact]
    public async Task PerfSettings_shows_every_documented_variable_with_its_value_and_source()
    {
        using var root = new TestRoot();
        var environment = Documented.ToDictionary(kv => kv.Key, kv => kv.Value.Value, StringComparer.Ordinal);

        var outcome = await root.RunAsync(environment, "PerfSettings");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        foreach (var (variable, (value, _, _)) in Documented)
        {
            var row = Row(outcome.Output, variable);
            Assert.Equal(3, row.Length);
            Assert.Equal(value.ToLowerInvariant() switch
            {
                "1" or "yes" or "on" or "true" => "true",
                "0" or "no" or "off" or "false" => "false",
                _ => value,
            }, row[1]);
            Assert.Equal($"environment ({variable})", row[2]);
        }
        Assert.Equal(["FIL_PERF_SPY_RATE", "100", "default"], Row((await root.RunAsync("PerfSettings")).Output, "FIL_PERF_SPY_RATE"));
    }

    [Fact]
    public async Task Layers_apply_in_order_defaults_file_environment_command_line_and_each_source_is_shown()
    {
        using var root = new TestRoot();
        WriteParameters(root, """
            {
              "$schema": "./build.schema.json",
              "SpyRate": 200,
              "ScaleneCpuRate": 0.05,
              "EnableMemray": false,
              "RunLabel": "from-file",
              "Scenario": ["one", "two"]
            }
            """);
        var environment = new Dictionary<string, string>
        {
            ["FIL_PERF_SPY_RATE"] = "300",
            ["FIL_PERF_ENABLE_MEMRAY"] = "true",
            ["FIL_PERF_RUN_LABEL"] = "from-env",
        };

        var outcome = await root.RunAsync(environment, "PerfSettings", "--spy-rate", "400", "--run-label", "from-cli");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Equal(["FIL_PERF_SPY_RATE", "400", "command line (--spy-rate)"], Row(outcome.Output, "FIL_PERF_SPY_RATE"));
        Assert.Equal(["FIL_PERF_RUN_LABEL", "from-cli", "command line (--run-label)"], Row(outcome.Output, "FIL_PERF_RUN_LABEL"));
        Assert.Equal(["FIL_PERF_ENABLE_MEMRAY", "true", "environment (FIL_PERF_ENABLE_MEMRAY)"], Row(outcome.Output, "FIL_PERF_ENABLE_MEMRAY"));
        Assert.Equal(["FIL_PERF_SCALENE_CPU_RATE", "0.05", ".nuke/parameters.json"], Row(outcome.Output, "FIL_PERF_SCALENE_CPU_RATE"));
        Assert.Equal(["FIL_PERF_SCENARIO", "one two", ".nuke/parameters.json"], Row(outcome.Output, "FIL_PERF_SCENARIO"));
        Assert.Equal(["FIL_PERF_SPY_NATIVE", "false", "default"], Row(outcome.Output, "FIL_PERF_SPY_NATIVE"));
        Assert.Equal(["FIL_PERF_CONTAINER_IMAGE", "(unset)", "default"], Row(outcome.Output, "FIL_PERF_CONTAINER_IMAGE"));
    }

    [Fact]
    public void Each_layer_overrides_the_one_below_it()
    {
        const string file = """{ "SpyRate": 200, "EnableScalene": false }""";

        Assert.Equal(100, Resolve().Build.Settings.PySpy.Rate);
        Assert.Equal(200, Resolve(parametersJson: file).Build.Settings.PySpy.Rate);
        var (build, parameters, _) = Resolve(new Dictionary<string, string> { ["FIL_PERF_SPY_RATE"] = "300" }, file);
        Assert.Equal(300, build.Settings.PySpy.Rate);
        Assert.False(build.Settings.Scalene.Enabled);
        Assert.Equal(".nuke/parameters.json", Parameter(parameters, "EnableScalene").Origin.Source);
        var (top, topParameters, _) = Resolve(new Dictionary<string, string> { ["FIL_PERF_SPY_RATE"] = "300" }, file, "--spy-rate", "400", "--enable-scalene");
        Assert.Equal(400, top.Settings.PySpy.Rate);
        Assert.True(top.Settings.Scalene.Enabled);
        Assert.Equal(new ParameterOrigin(ParameterResolver.CommandLineSource, "--spy-rate", "400"), Parameter(topParameters, "SpyRate").Origin);
    }

    [Fact]
    public void Command_line_list_replaces_a_list_from_the_file()
    {
        var (build, _, _) = Resolve(parametersJson: """{ "Scenario": ["a", "b", "c"] }""", args: ["--scenario", "x"]);

        Assert.Equal(["x"], build.Scenario);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("0", false)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("TRUE", true)]
    [InlineData("False", false)]
    [InlineData("yes", true)]
    [InlineData("no", false)]
    [InlineData("Yes", true)]
    [InlineData("NO", false)]
    [InlineData("on", true)]
    [InlineData("off", false)]
    [InlineData("ON", true)]
    [InlineData("Off", false)]
    [InlineData(" yes ", true)]
    public void Boolean_spellings_are_case_insensitive(string text, bool expected)
    {
        var memray = Resolve(new Dictionary<string, string> { ["FIL_PERF_ENABLE_MEMRAY"] = text }).Build.Settings.Memray.Enabled;
        var pyspy = Resolve(new Dictionary<string, string> { ["FIL_PERF_ENABLE_PYSPY"] = text }).Build.Settings.PySpy.Enabled;

        // Memray defaults off and py-spy on, so each expectation differs from one default.
        Assert.Equal(expected, memray);
        Assert.Equal(expected, pyspy);
    }

    [Fact]
    public void A_bare_boolean_switch_means_on()
    {
        Assert.True(Resolve(args: ["--enable-memray"]).Build.Settings.Memray.Enabled);
        Assert.False(Resolve(args: ["--enable-pyspy", "off"]).Build.Settings.PySpy.Enabled);
    }

    [Fact]
    public void Unknown_fil_perf_variable_is_a_warning_with_a_suggestion()
    {
        var (build, _, warnings) = Resolve(new Dictionary<string, string> { ["FIL_PERF_SPY_RAT"] = "5", ["OTHER_VARIABLE"] = "x" });

        var warning = Assert.Single(warnings);
        Assert.Contains("FIL_PERF_SPY_RAT", warning, StringComparison.Ordinal);
        // The closest candidate comes first.
        Assert.Contains("Did you mean FIL_PERF_SPY_RATE", warning, StringComparison.Ordinal);
        Assert.Equal(100, build.Settings.PySpy.Rate);
    }

    [Theory]
    [InlineData("FIL_PERF_SPY_RATE", "fast", "a whole number from 1 to 10000")]
    [InlineData("FIL_PERF_SPY_OUTPUT", "png", "one of svg, speedscope, raw")]
    [InlineData("FIL_PERF_ENABLE_MEMRAY", "maybe", "a boolean (1/0, true/false, yes/no, on/off)")]
    [InlineData("FIL_PERF_MEMRAY_FORMAT", "gif", "one of bin, html, flamegraph")]
    [InlineData("FIL_PERF_CPROFILE_FORMAT", "kcachegrind", "one of pstats, callgrind")]
    [InlineData("FIL_PERF_SCALENE_CPU_RATE", "2", "a number from 0.0001 to 1")]
    [InlineData("FIL_PERF_RUNS", "0", "a whole number ≥ 1")]
    public async Task Invalid_environment_value_stops_PerfRun_with_exit_2_before_any_scenario(string variable, string value, string allowed)
    {
        using var root = new TestRoot().FixtureScenario("quick", "--work 1", runs: 1);

        var outcome = await root.RunAsync(new Dictionary<string, string> { [variable] = value }, "PerfRun");

        Assert.Equal(BuildHost.ExitUsage, outcome.ExitCode);
        Assert.Contains($"error: {variable}={value}: expected {allowed}.", outcome.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(root.File_("outputs")), outcome.ToString());
        Assert.DoesNotContain("PerfPrepare", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_command_line_value_stops_PerfRun_with_exit_2()
    {
        using var root = new TestRoot().FixtureScenario("quick", "--work 1", runs: 1);

        var outcome = await root.RunAsync(new Dictionary<string, string>(), "PerfRun", "--spy-rate", "0");

        Assert.Equal(BuildHost.ExitUsage, outcome.ExitCode);
        Assert.Contains("error: --spy-rate 0: expected a whole number from 1 to 10000.", outcome.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(root.File_("outputs")), outcome.ToString());
    }

    [Fact]
    public async Task The_same_root_with_valid_settings_does_open_a_run_folder()
    {
        // The control for the tests above: PerfPrepare creates outputs/perf/<label> when settings are fine.
        using var root = new TestRoot().FixtureScenario("quick", "--work 1", runs: 1);

        var outcome = await root.RunAsync(new Dictionary<string, string> { ["FIL_PERF_RUN_LABEL"] = "control" }, "PerfPrepare");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.True(Directory.Exists(root.RunFolder("control")), outcome.ToString());
    }

    [Fact]
    public async Task All_setting_errors_are_reported_at_once()
    {
        using var root = new TestRoot().FixtureScenario("quick", "--work 1", runs: 1);
        var environment = new Dictionary<string, string>
        {
            ["FIL_PERF_SPY_OUTPUT"] = "png",
            ["FIL_PERF_ENABLE_MEMRAY"] = "maybe",
            ["FIL_PERF_MEMRAY_FORMAT"] = "gif",
        };

        var outcome = await root.RunAsync(environment, "PerfRun", "--spy-rate", "0", "--scenaro", "quick");

        Assert.Equal(BuildHost.ExitUsage, outcome.ExitCode);
        var errors = outcome.Output.Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, errors.Count);
        Assert.Contains(errors, e => e.Contains("FIL_PERF_SPY_OUTPUT=png", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("FIL_PERF_ENABLE_MEMRAY=maybe", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("FIL_PERF_MEMRAY_FORMAT=gif", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("--spy-rate 0", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Unknown parameter --scenaro. Did you mean --scenario?", StringComparison.Ordinal));
        Assert.False(Directory.Exists(root.File_("outputs")));
    }

    [Fact]
    public void Resolver_collects_every_error_in_one_exception()
    {
        var error = Assert.Throws<ParameterException>(() => Resolve(
            new Dictionary<string, string> { ["FIL_PERF_SPY_RATE"] = "fast", ["FIL_PERF_SPY_IDLE"] = "sometimes" },
            """{ "CprofileSort": "speed" }"""));

        Assert.Equal(3, error.Errors.Count);
        Assert.Contains("FIL_PERF_SPY_RATE=fast: expected a whole number from 1 to 10000.", error.Errors);
        Assert.Contains("FIL_PERF_SPY_IDLE=sometimes: expected a boolean (1/0, true/false, yes/no, on/off).", error.Errors);
        Assert.Contains(".nuke/parameters.json: \"CprofileSort\": speed: expected one of tottime, cumtime, ncalls, pcalls, name, filename.", error.Errors);
    }

    [Fact]
    public async Task Unknown_key_in_parameters_file_is_an_error_naming_the_file_and_key()
    {
        using var root = new TestRoot();
        WriteParameters(root, """{ "SpyRat": 5 }""");

        var outcome = await root.RunAsync("PerfSettings");

        Assert.Equal(BuildHost.ExitUsage, outcome.ExitCode);
        Assert.Contains("error: .nuke/parameters.json: unknown key \"SpyRat\". Did you mean SpyRate?", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_json_in_parameters_file_is_an_error_naming_the_file()
    {
        using var root = new TestRoot();
        WriteParameters(root, """{ "SpyRate": 5, """);

        var outcome = await root.RunAsync("PerfSettings");

        Assert.Equal(BuildHost.ExitUsage, outcome.ExitCode);
        Assert.Contains("error: .nuke/parameters.json is not valid JSON", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parameters_file_keys_are_checked_for_PerfRun_too()
    {
        using var root = new TestRoot().FixtureScenario("quick", "--work 1", runs: 1);
        WriteParameters(root, """{ "EnableMemray": "maybe" }""");

        var outcome = await root.RunAsync("PerfRun");

        Assert.Equal(BuildHost.ExitUsage, outcome.ExitCode);
        Assert.Contains(".nuke/parameters.json: \"EnableMemray\": maybe: expected a boolean", outcome.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(root.File_("outputs")));
    }

    [Fact]
    public void Empty_environment_variable_for_an_optional_setting_means_unset()
    {
        // Would throw ParameterException if an empty value were parsed as a number.
        var (build, _, _) = Resolve(new Dictionary<string, string> { ["FIL_PERF_RUNS"] = "", ["FIL_PERF_RUN_LABEL"] = "" });

        Assert.Null(build.Settings.Runs);
        Assert.Equal("", build.Settings.RunLabel);
    }

    [Fact]
    public void Empty_output_dir_variable_does_not_leave_a_null_output_dir()
    {
        var (build, _, _) = Resolve(new Dictionary<string, string> { ["FIL_PERF_OUTPUT_DIR"] = "" });

        Assert.NotNull(build.Settings.OutputDir);
        Assert.Equal("outputs/perf", build.Settings.OutputDir);
    }

    [Theory]
    [InlineData("feature/x y;rm -rf", "feature-x-y-rm-rf")]
    [InlineData("../../etc", "etc")]
    [InlineData("..", "local")]
    [InlineData("/", "local")]
    [InlineData("", "local")]
    [InlineData("  main  ", "main")]
    [InlineData("release/1.2.0", "release-1.2.0")]
    [InlineData("a\\..\\b", "a-..-b")]
    [InlineData("naïve`$(whoami)`", "na-ve-whoami")]
    public void Safe_reduces_labels_to_a_single_harmless_path_segment(string text, string expected)
    {
        var label = RunLabel.Safe(text);

        Assert.Equal(expected, label);
        Assert.Matches("^[A-Za-z0-9._-]+$", label);
        Assert.NotEqual(".", label);
        Assert.NotEqual("..", label);
        var baseDirectory = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "perf-out"));
        var folder = Path.GetFullPath(Path.Combine(baseDirectory, label));
        Assert.Equal(baseDirectory, Path.GetDirectoryName(folder));
    }

    [Fact]
    public void Safe_limits_the_length()
    {
        var label = RunLabel.Safe(new string('a', 79) + "-" + new string('b', 50));

        Assert.Equal(new string('a', 79), label);
    }

    [Fact]
    public void From_joins_branch_and_commit()
    {
        var none = new Dictionary<string, string>();

        Assert.Equal("main-abc1234", RunLabel.From("main", "abc1234", none));
        Assert.Equal("feature-perf-abc1234", RunLabel.From("feature/perf", "abc1234", none));
        Assert.Equal(RunLabel.OutsideGit, RunLabel.From("main", null, none));
        Assert.Equal("local", RunLabel.From(null, null, none));
    }

    [Fact]
    public void From_a_detached_head_uses_the_ci_branch_name()
    {
        var pullRequest = new Dictionary<string, string> { ["GITHUB_HEAD_REF"] = "feature/x y", ["GITHUB_REF_NAME"] = "42/merge" };
        var push = new Dictionary<string, string> { ["GITHUB_HEAD_REF"] = "", ["GITHUB_REF_NAME"] = "main" };

        Assert.Equal("feature-x-y-abc1234", RunLabel.From("HEAD", "abc1234", pullRequest));
        Assert.Equal("feature-x-y-abc1234", RunLabel.From(null, "abc1234", pullRequest));
        Assert.Equal("main-abc1234", RunLabel.From("HEAD", "abc1234", push));
        Assert.Equal("detached-abc1234", RunLabel.From("HEAD", "abc1234", new Dictionary<string, string>()));
        // A named branch wins over the CI's variables.
        Assert.Equal("topic-abc1234", RunLabel.From("topic", "abc1234", pullRequest));
    }
}
