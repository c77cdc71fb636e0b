using Filare.Perf.Scenarios;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests;

/// <summary>Scenario files: every validation error names its file and line; valid files load with their defaults.</summary>
public sealed class ScenarioFileTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("filare-perf-scenarios-").FullName;

    public ScenarioFileTests() => Directory.CreateDirectory(Path.Combine(_root, "scenarios"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Write(string name, string yaml)
    {
        var path = Path.Combine(_root, "scenarios", name);
        File.WriteAllText(path, yaml.ReplaceLineEndings("\n"));
        return path;
    }

    private Scenario Load(string yaml, string name = "case.yml") => ScenarioFile.Load(Write(name, yaml), "scenarios/" + name);

    /// <summary>Loads a file that must be rejected and returns its errors.</summary>
    private IReadOnlyList<string> Errors(string yaml, string name = "case.yml") =>
        Assert.Throws<ScenarioException>(() => Load(yaml, name)).Errors;

    private ScenarioCatalog Catalog() => ScenarioCatalog.Load(Path.Combine(_root, "scenarios"), _root);

    private static IReadOnlyList<string> Literals(Scenario scenario) =>
        scenario.Command.Select(p => Assert.IsType<LiteralPart>(p).Text).ToList();

    [Fact]
    public void Minimal_file_gets_the_documented_defaults()
    {
        var scenario = Load("""
            name: demo
            command: [filare, run, examples/demo01.yml]
            """);

        Assert.Equal("demo", scenario.Name);
        Assert.Equal(TimeSpan.FromSeconds(300), scenario.Timeout);
        Assert.Equal(5, scenario.Runs);
        Assert.Equal(1, scenario.Warmups);
        Assert.Equal(".", scenario.WorkingDirectory);
        Assert.Equal("", scenario.Description);
        Assert.Empty(scenario.Tags);
        Assert.Empty(scenario.Requires);
        Assert.Empty(scenario.Environment);
        Assert.Equal("scenarios/case.yml", scenario.SourceFile);
        Assert.Equal(["filare", "run", "examples/demo01.yml"], Literals(scenario));
    }

    [Fact]
    public void Every_key_is_read()
    {
        var scenario = Load("""
            version: 1
            name: full.case_1
            description: Everything set
            tags: [render, bom]
            command:
              - python
              - "{root}/tool.py"
              - -o
              - "{output}"
            workdir: examples
            env:
              MPLBACKEND: Agg
              OUT: "{output}/env"
            timeout: 42.5s
            runs: 3
            warmups: 0
            requires: [graphviz, numpy]
            """);

        Assert.Equal("full.case_1", scenario.Name);
        Assert.Equal("Everything set", scenario.Description);
        Assert.Equal(["render", "bom"], scenario.Tags);
        Assert.Equal(["python", "{root}/tool.py", "-o", "{output}"], Literals(scenario));
        Assert.Equal("examples", scenario.WorkingDirectory);
        Assert.Equal(new Dictionary<string, string> { ["MPLBACKEND"] = "Agg", ["OUT"] = "{output}/env" }, scenario.Environment);
        Assert.Equal(TimeSpan.FromSeconds(42.5), scenario.Timeout);
        Assert.Equal(3, scenario.Runs);
        Assert.Equal(0, scenario.Warmups);
        Assert.Equal(["graphviz", "numpy"], scenario.Requires);
    }

    [Fact]
    public void Glob_items_become_glob_parts_between_literals()
    {
        var scenario = Load("""
            name: globbed
            command: [filare, run, {glob: "tests/rendering/*.yml"}, -f, hpst]
            """);

        Assert.Equal<CommandPart>(
            [new LiteralPart("filare"), new LiteralPart("run"), new GlobPart("tests/rendering/*.yml"), new LiteralPart("-f"), new LiteralPart("hpst")],
            scenario.Command);
    }

    [Fact]
    public void Pytest_kind_builds_the_pytest_command_and_requires_pytest()
    {
        var scenario = Load("""
            name: tests
            kind: pytest
            pytest:
              paths: [tests/rendering/, tests/bom/]
              select: "bom and not slow"
            requires: [graphviz]
            """);

        Assert.Equal(["python", "-m", "pytest", "-q", "-o", "addopts=", "-p", "no:cacheprovider", "tests/rendering/", "tests/bom/", "-k", "bom and not slow"],
            Literals(scenario));
        Assert.Equal(["graphviz", "pytest"], scenario.Requires);
    }

    [Fact]
    public void Pytest_kind_passes_extra_args_and_does_not_repeat_a_listed_requirement()
    {
        var scenario = Load("""
            name: tests
            kind: pytest
            pytest:
              paths: tests/bom/
              args: [-x, --no-header]
            requires: [pytest]
            """);

        Assert.Equal(["python", "-m", "pytest", "-q", "-o", "addopts=", "-p", "no:cacheprovider", "tests/bom/", "-x", "--no-header"], Literals(scenario));
        Assert.Equal(["pytest"], scenario.Requires);
    }

    [Fact]
    public void Doubled_braces_are_literal_and_not_placeholders()
    {
        var scenario = Load("""
            name: braces
            command: [python, -c, "print({{'a': 1}}, '{output}')"]
            """);

        var code = Literals(scenario)[2];
        Assert.Empty(Placeholders.Problems(code));
        Assert.Equal("print({'a': 1}, '/tmp/out')", Placeholders.Expand(code, new Dictionary<string, string> { ["output"] = "/tmp/out", ["root"] = "/src" }));
    }

    [Fact]
    public void Placeholders_know_output_and_root_only()
    {
        Assert.StartsWith("unknown placeholder {outptu}", Assert.Single(Placeholders.Problems("-o {outptu}")), StringComparison.Ordinal);
        Assert.StartsWith("unclosed '{'", Assert.Single(Placeholders.Problems("-o {output")), StringComparison.Ordinal);
        Assert.Empty(Placeholders.Problems("{root}/x {output} {{outptu}}"));
        Assert.Equal("/src/x /o", Placeholders.Expand("{root}/x {output}", new Dictionary<string, string> { ["output"] = "/o", ["root"] = "/src" }));
    }

    [Fact]
    public void Unknown_key_names_file_line_and_suggests_the_close_key()
    {
        var errors = Errors("""
            version: 1
            name: demo
            comand: [filare, run]
            """);

        Assert.Contains(errors, e => e.StartsWith("scenarios/case.yml:3: unknown key 'comand'. Did you mean command?", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("scenarios/case.yml:1: missing 'command'", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_command_names_the_file_and_line()
    {
        var errors = Errors("""
            name: demo
            description: no command
            """);

        Assert.Equal(["scenarios/case.yml:1: missing 'command' (a list: program and arguments)."], errors);
    }

    [Fact]
    public void Missing_name_names_the_file_and_line()
    {
        var errors = Errors("""
            command: [filare, run]
            runs: 2
            """);

        Assert.Equal(["scenarios/case.yml:1: missing 'name'."], errors);
    }

    [Theory]
    [InlineData("my scenario")]
    [InlineData("-leading-dash")]
    [InlineData("a/b")]
    [InlineData("../up")]
    [InlineData("semi;colon")]
    public void Invalid_name_characters_are_rejected_on_the_name_line(string name)
    {
        var errors = Errors($"""
            version: 1
            name: "{name}"
            command: [filare, run]
            """);

        var error = Assert.Single(errors);
        Assert.StartsWith($"scenarios/case.yml:2: name '{name}' must start with a letter or digit", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_placeholder_points_at_the_line_of_the_offending_item()
    {
        var errors = Errors("""
            name: demo
            command:
              - filare
              - run
              - -o
              - "{outptu}"
            env:
              FIRST: fine
              OUT: "{outptu}/x"
            """);

        Assert.Equal(2, errors.Count);
        Assert.StartsWith("scenarios/case.yml:6: unknown placeholder {outptu}; allowed: {output}", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("scenarios/case.yml:9: unknown placeholder {outptu}", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Unclosed_placeholder_brace_is_an_error_on_its_line()
    {
        var errors = Errors("""
            name: demo
            command:
              - filare
              - -o
              - "{output"
            """);

        Assert.StartsWith("scenarios/case.yml:5:", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("timeout: soon", "'timeout' must be a number of seconds > 0, not 'soon'.")]
    [InlineData("timeout: 0", "'timeout' must be a number of seconds > 0, not '0'.")]
    [InlineData("timeout: -5", "'timeout' must be a number of seconds > 0, not '-5'.")]
    [InlineData("runs: 0", "'runs' must be a whole number ≥ 1, not '0'.")]
    [InlineData("runs: two", "'runs' must be a whole number ≥ 1, not 'two'.")]
    [InlineData("runs: 2.5", "'runs' must be a whole number ≥ 1, not '2.5'.")]
    [InlineData("warmups: -1", "'warmups' must be a whole number ≥ 0, not '-1'.")]
    [InlineData("warmups: [1]", "'warmups' must be a single value.")]
    public void Bad_numbers_name_the_line_of_the_value(string line, string message)
    {
        var errors = Errors($"""
            name: demo
            command: [filare, run]
            description: x
            {line}
            """);

        Assert.Equal([$"scenarios/case.yml:4: {message}"], errors);
    }

    [Fact]
    public void Pytest_kind_without_paths_is_an_error_at_the_pytest_mapping()
    {
        var errors = Errors("""
            name: tests
            kind: pytest
            pytest:
              select: bom
            """);

        Assert.Equal(["scenarios/case.yml:4: 'pytest' needs 'paths' (tests/render/, tests/flows/, ...)."], errors);
    }

    [Fact]
    public void Pytest_kind_without_a_pytest_mapping_is_an_error()
    {
        var errors = Errors("""
            name: tests
            kind: pytest
            """);

        Assert.Equal(["scenarios/case.yml:1: 'kind: pytest' needs a 'pytest' mapping with 'paths'."], errors);
    }

    [Fact]
    public void Pytest_kind_with_empty_paths_or_unknown_subkey_or_a_command_is_an_error()
    {
        var errors = Errors("""
            name: tests
            kind: pytest
            command: [pytest]
            pytest:
              paths: []
              selekt: bom
            """);

        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("scenarios/case.yml:3: 'kind: pytest' builds its own command", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("scenarios/case.yml:5: 'pytest.paths' needs at least one test path.", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("scenarios/case.yml:6: unknown key 'pytest.selekt'. Did you mean select?", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_kind_is_an_error_on_its_line()
    {
        var errors = Errors("""
            name: demo
            command: [filare, run]
            kind: shell
            """);

        Assert.Equal(["scenarios/case.yml:3: unknown kind 'shell'; allowed: command, pytest."], errors);
    }

    [Fact]
    public void Unsupported_version_is_an_error_on_its_line()
    {
        var errors = Errors("""
            # a comment first
            version: 2
            name: demo
            command: [filare, run]
            """);

        Assert.Equal(["scenarios/case.yml:2: unsupported version '2'; this harness reads version 1."], errors);
    }

    [Fact]
    public void Command_must_be_a_non_empty_list_of_text_or_globs()
    {
        Assert.Equal(
            ["scenarios/case.yml:2: 'command' must be a non-empty list: [program, argument, ...] (no shell is used)."],
            Errors("name: demo\ncommand: filare run examples/demo01.yml\n"));
        Assert.Equal(
            ["scenarios/case.yml:2: 'command' must be a non-empty list: [program, argument, ...] (no shell is used)."],
            Errors("name: demo\ncommand: []\n"));
        Assert.Equal(
            ["scenarios/case.yml:5: a command item is text or {glob: pattern}."],
            Errors("name: demo\ncommand:\n  - filare\n  - run\n  - {pattern: \"*.yml\"}\n"));
    }

    [Fact]
    public void Absolute_workdir_and_bad_env_are_errors_on_their_lines()
    {
        var errors = Errors("""
            name: demo
            command: [filare, run]
            workdir: /etc
            env: [A, B]
            """);

        Assert.Equal(2, errors.Count);
        Assert.Contains("scenarios/case.yml:4: 'env' must be a mapping of VARIABLE: value.", errors);
        Assert.Contains("scenarios/case.yml:3: 'workdir' is relative to the Filare root; '/etc' is absolute.", errors);
    }

    [Fact]
    public void Every_problem_of_a_file_is_reported_at_once()
    {
        var errors = Errors("""
            version: 3
            name: "bad name"
            comand: [x]
            runs: none
            timeout: never
            """);

        // version (1), name (2), unknown key (3), missing command (1, the mapping), runs (4), timeout (5).
        Assert.Equal(6, errors.Count);
        Assert.Equal(["1", "1", "2", "3", "4", "5"], errors.Select(e => e.Split(':')[1]).Order(StringComparer.Ordinal));
        Assert.All(errors, e => Assert.StartsWith("scenarios/case.yml:", e, StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_yaml_and_non_mapping_files_are_errors_with_a_line()
    {
        Assert.Equal(
            ["scenarios/case.yml:3: not valid YAML: While parsing a flow sequence, did not find expected ',' or ']'."],
            Errors("name: demo\ncommand: [filare, run\n"));
        Assert.Equal(
            ["scenarios/case.yml:3: not valid YAML: Duplicate key name"],
            Errors("name: demo\ncommand: [x]\nname: again\n"));

        Assert.Equal(["scenarios/case.yml:1: expected one YAML mapping (name:, command:, ...) per file"], Errors("- just\n- a list\n"));
    }

    [Fact]
    public void Unclosed_flow_list_followed_by_a_key_is_a_file_error_not_a_crash()
    {
        var error = Assert.Single(Errors("name: demo\ncommand: [filare, run\nruns: 2\n"));

        Assert.StartsWith("scenarios/case.yml:", error, StringComparison.Ordinal);
        Assert.Contains("not valid YAML", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_names_across_files_name_both_files()
    {
        Write("a.yml", "name: same\ncommand: [filare, run]\n");
        Write("b.yml", "version: 1\nname: Same\ncommand: [filare, run]\n");

        var errors = Assert.Throws<ScenarioException>(Catalog).Errors;

        var error = Assert.Single(errors);
        Assert.Contains("scenarios/b.yml", error, StringComparison.Ordinal);
        Assert.Contains("duplicate scenario name 'Same' (also in scenarios/a.yml:1)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_name_error_carries_the_line_of_the_name()
    {
        Write("a.yml", "name: same\ncommand: [filare, run]\n");
        Write("b.yml", "version: 1\nname: Same\ncommand: [filare, run]\n");

        var error = Assert.Single(Assert.Throws<ScenarioException>(Catalog).Errors);

        Assert.StartsWith("scenarios/b.yml:2: duplicate scenario name 'Same'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_reports_the_errors_of_every_file_together()
    {
        Write("a.yml", "name: one\ncomand: [x]\n");
        Write("b.yaml", "name: two\ncommand: [filare]\nruns: 0\n");
        Write("notes.txt", "not a scenario");

        var errors = Assert.Throws<ScenarioException>(Catalog).Errors;

        Assert.Contains(errors, e => e.StartsWith("scenarios/a.yml:2: unknown key 'comand'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("scenarios/b.yaml:3: 'runs' must be", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("notes.txt", StringComparison.Ordinal));
    }

    [Fact]
    public void Catalog_without_files_or_folder_is_an_error()
    {
        Assert.Contains("no scenario files", Assert.Single(Assert.Throws<ScenarioException>(Catalog).Errors), StringComparison.Ordinal);
        Assert.Contains("no scenario folder", Assert.Single(Assert.Throws<ScenarioException>(() => ScenarioCatalog.Load(Path.Combine(_root, "missing"), _root))
            .Errors), StringComparison.Ordinal);
    }

    private ScenarioCatalog ThreeScenarios()
    {
        Write("a.yml", "name: alpha\ntags: [render]\ncommand: [filare, run]\n");
        Write("b.yml", "name: beta\ntags: [bom, render]\ncommand: [filare, run]\n");
        Write("c.yml", "name: gamma\ntags: [tests]\ncommand: [filare, run]\n");
        return Catalog();
    }

    [Fact]
    public void Select_by_name_is_case_insensitive()
    {
        var catalog = ThreeScenarios();

        Assert.Equal(["beta"], catalog.Select(["BETA"], []).Select(s => s.Name));
        Assert.Equal(["alpha", "gamma"], catalog.Select(["gamma", "alpha"], []).Select(s => s.Name));
    }

    [Fact]
    public void Select_by_tag_and_by_name_or_tag()
    {
        var catalog = ThreeScenarios();

        Assert.Equal(["alpha", "beta"], catalog.Select([], ["render"]).Select(s => s.Name));
        Assert.Equal(["beta", "gamma"], catalog.Select(["gamma"], ["bom"]).Select(s => s.Name));
    }

    [Fact]
    public void Select_nothing_means_all()
    {
        var catalog = ThreeScenarios();

        Assert.Equal(["alpha", "beta", "gamma"], catalog.Select([], []).Select(s => s.Name));
    }

    [Fact]
    public void Select_unknown_name_or_tag_lists_what_exists()
    {
        var catalog = ThreeScenarios();

        var errors = Assert.Throws<ScenarioException>(() => catalog.Select(["delta"], ["gpu"])).Errors;

        Assert.Equal(
            ["Unknown scenario 'delta'. Available: alpha, beta, gamma.", "No scenario has the tag 'gpu'. Tags in use: bom, render, tests."],
            errors);
    }

    [Fact]
    public void Glob_expands_sorted_matches_and_skips_hidden_files()
    {
        var data = Path.Combine(_root, "data");
        Directory.CreateDirectory(Path.Combine(data, "sub"));
        foreach (var file in new[] { "b.yml", "a.yml", ".hidden.yml", "c.txt", "sub/d.yml" })
        {
            File.WriteAllText(Path.Combine(data, file), "");
        }

        Assert.Equal(["data/a.yml", "data/b.yml"], Glob.Expand(_root, "data/*.yml"));
        Assert.Equal(["data/sub/d.yml"], Glob.Expand(_root, "data/*/?.yml"));
        Assert.Empty(Glob.Expand(_root, "nowhere/*.yml"));
    }

    [Fact]
    public void Shipped_scenarios_all_load()
    {
        var catalog = ScenarioCatalog.Load(Path.Combine(Repository.Root, "scenarios"), Repository.Root);
        var byName = catalog.All.ToDictionary(s => s.Name);

        Assert.Superset(new HashSet<string> { "demo01", "multi-page", "rendering", "bomqty", "bomqty-multipliers", "pytest-render-bom" },
            byName.Keys.ToHashSet());
        Assert.Equal(["filare", "run", "examples/demo01.yml", "-f", "hpst", "-o", "{output}"], Literals(byName["demo01"]));
        Assert.Equal("scenarios/demo01.yml", byName["demo01"].SourceFile.Replace('\\', '/'));
        // Filare 1.6 renders only these two of tests/rendering, and only without the HTML title page.
        Assert.Equal(["filare", "run", "tests/rendering/00_minimal.yml", "tests/rendering/03_bgcolors.yml", "-f", "pst", "-o", "{output}"],
            Literals(byName["rendering"]));
        Assert.Contains(new GlobPart("examples/multi-page/ex0*.yml"), byName["multi-page"].Command);
        Assert.Equal(["filare", "run", "tests/bom/bomqty.yml", "-f", "t", "-o", "{output}"], Literals(byName["bomqty"]));
        Assert.Contains("-u", Literals(byName["bomqty-multipliers"]));
        var pytest = byName["pytest-render-bom"];
        Assert.Contains("pytest", pytest.Requires);
        Assert.Equal(["-o", "addopts="], Literals(pytest).Skip(4).Take(2));
        Assert.Equal("not examples and not tutorial and not functional", Literals(pytest)[Literals(pytest).ToList().LastIndexOf("-m") + 1]);
        Assert.All(catalog.All, s => Assert.Equal(">=1.6", s.Filare?.Text));
    }

    [Fact]
    public void Pytest_markers_become_dash_m_and_the_projects_addopts_are_neutralised_unless_kept()
    {
        var neutral = Load("""
            name: tests
            kind: pytest
            pytest:
              paths: [tests/render/]
              markers: "not examples and not functional"
            """);
        var kept = Load("""
            name: kept
            kind: pytest
            pytest:
              paths: tests/render/
              project_addopts: true
            """, "kept.yml");

        Assert.Equal(["python", "-m", "pytest", "-q", "-o", "addopts=", "-p", "no:cacheprovider", "tests/render/", "-m", "not examples and not functional"],
            Literals(neutral));
        Assert.Equal("collected no tests: tests/render/ with -m \"not examples and not functional\"", neutral.ExitMeanings[5]);
        Assert.Equal(["tests/render/"], neutral.TestPaths);
        Assert.DoesNotContain("addopts=", Literals(kept));
        Assert.Equal(ScenarioKind.Pytest, kept.Kind);
    }

    [Fact]
    public void A_filare_version_range_is_read_and_a_bad_one_names_its_line()
    {
        var scenario = Load("""
            name: demo
            filare: ">=1.6, <2"
            command: [filare, run, x.yml]
            """);
        var errors = Errors("""
            name: demo
            command: [filare, run, x.yml]
            filare: "about 1.6"
            """);

        Assert.Equal(">=1.6, <2", scenario.Filare!.Text);
        Assert.Equal(["scenarios/case.yml:3: 'filare': 'about 1.6' is not a version range; " +
            "write clauses such as >=1.6, <2, ==1.6.*, !=1.6.1 separated by commas."], errors);
    }

    [Theory]
    [InlineData(">=1.6", "1.6.0", true)]
    [InlineData(">=1.6", "1.6.0+standin", true)]
    [InlineData(">=1.6", "1.5.9", false)]
    [InlineData(">=1.6", "1.6.0b1", false)]
    [InlineData(">=1.6,<1.7", "1.7.0b1", true)]
    [InlineData(">=1.6, <2", "2.0", false)]
    [InlineData("==1.6.*", "1.6.3", true)]
    [InlineData("==1.6.*", "1.60.0", false)]
    [InlineData("!=1.6.1", "1.6.1", false)]
    [InlineData(">1.6", "1.6", false)]
    [InlineData("<=1.6", "1.6.0", true)]
    public void Version_ranges_compare_release_numbers_as_pip_does(string range, string version, bool expected)
    {
        Assert.Equal(expected, VersionRange.TryParse(range, out _)!.Contains(version));
    }

    [Fact]
    public void A_version_that_cannot_be_read_is_neither_in_nor_out_of_a_range()
    {
        Assert.Null(VersionRange.TryParse(">=1.6", out _)!.Contains("unknown"));
        Assert.Null(VersionRange.TryParse(">=", out var problem));
        Assert.NotNull(problem);
    }

    [Fact]
    public void Cost_is_an_estimate_in_seconds_for_the_shard_split()
    {
        Assert.Equal(TimeSpan.FromSeconds(120), Load("name: demo\ncommand: [filare]\ncost: 120s\n").Cost);
        Assert.Null(Load("name: demo\ncommand: [filare]\n").Cost);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("two minutes")]
    [InlineData("90000")]
    public void A_bad_cost_names_the_file_line_key_and_what_is_allowed(string cost)
    {
        var error = Assert.Single(Errors($"name: demo\ncommand: [filare]\ncost: {cost}\n"));

        Assert.StartsWith("scenarios/case.yml:3: 'cost' is the seconds", error, StringComparison.Ordinal);
        Assert.Contains("a number > 0 and <= 86400", error, StringComparison.Ordinal);
        Assert.Contains($"not '{cost}'", error, StringComparison.Ordinal);
    }
}
