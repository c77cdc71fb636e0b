using Filare.Perf.Checkout;
using Filare.Perf.Processes;
using Filare.Perf.Results;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests;

/// <summary>
/// Which environment each side of a comparison gets (--compare-env auto), what it has installed, and
/// the proof that each side imports its own checkout's code (a shadowing .pth, an installed copy).
/// </summary>
public sealed class SideEnvironmentTests
{
    private static readonly Dictionary<string, string> NoProfilers = CompareRunTests.NoProfilers;

    private static string FakeUv => Path.Combine(Repository.Root, "tests", "fakes", "uv");

    /// <summary>No package index and no uv: installing anything fails, as on a machine offline.</summary>
    private static Dictionary<string, string> Offline(Dictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>(extra ?? NoProfilers) { ["PIP_NO_INDEX"] = "1" };
        environment["PATH"] = string.Join(Path.PathSeparator,
            (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Where(d => !File.Exists(Path.Combine(d, "uv"))));
        return environment;
    }

    /// <summary>A root whose src/filare says which commit it is, and a scenario printing what it imported.</summary>
    private static TestRoot SourceRoot()
    {
        var root = CompareRunTests.GitRoot(r => r.Scenario("which", """
            name: which
            command: [python, "-c", "import filare; print(filare.WHERE, filare.__file__)"]
            runs: 2
            warmups: 0
            """));
        Directory.CreateDirectory(root.File_("src/filare"));
        File.WriteAllText(root.File_("src/filare/__init__.py"), "WHERE = 'base'\n");
        CompareRunTests.Commit(root, "base source");
        File.WriteAllText(root.File_("src/filare/__init__.py"), "WHERE = 'head'\n");
        CompareRunTests.Commit(root, "head source");
        return root;
    }

    /// <summary>A real virtualenv of python3 (no pip: nothing is downloaded) with one .pth file.</summary>
    private static string Venv(TestRoot root, string pth)
    {
        var venv = Path.Combine(Directory.CreateTempSubdirectory("filare-perf-venv-").FullName, "venv");
        var made = ToolProcess.RunAsync("python3", ["-m", "venv", "--without-pip", venv], root.Path, TimeSpan.FromMinutes(2), CancellationToken.None)
            .GetAwaiter().GetResult();
        Assert.True(made.Succeeded, made.StandardError);
        var site = Directory.GetDirectories(Path.Combine(venv, "lib")).Single();
        File.WriteAllText(Path.Combine(site, "site-packages", "filare-test.pth"), pth + "\n");
        return Path.Combine(venv, "bin", "python");
    }

    [Fact]
    public async Task Auto_shares_the_interpreter_when_the_declarations_are_identical_and_works_offline()
    {
        using var root = CompareRunTests.GitRoot(r => r.FixtureScenario("work", "--work 1", runs: 2));
        CompareRunTests.AddWork(root, 10);

        var outcome = await root.RunAsync(Offline(), "PerfRun", "--compare-ref", "HEAD~1");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var compare = root.Metrics().Compare!;
        Assert.Equal((CompareStatus.Ok, CheckoutPython.Shared), (compare.Status, compare.Environment));
        Assert.Contains("byte-identical", compare.EnvironmentReason, StringComparison.Ordinal);
        Assert.Equal(["pyproject.toml"], compare.DependencyFiles);
        Assert.Empty(compare.DifferingFiles!);
        Assert.Contains("byte-identical", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auto_makes_a_new_venv_when_pyproject_changed_and_says_why_when_offline_it_cannot()
    {
        using var root = CompareRunTests.GitRoot(r => r.FixtureScenario("work", "--work 1", runs: 2));
        File.AppendAllText(root.File_("pyproject.toml"), "dependencies = [\"tabulate\"]\n");
        CompareRunTests.Commit(root, "a new dependency");

        var outcome = await root.RunAsync(Offline(), "PerfRun", "--compare-ref", "HEAD~1");

        Assert.Equal(1, outcome.ExitCode);
        var metrics = root.Metrics();
        Assert.Equal(CompareStatus.Failed, metrics.Compare!.Status);
        Assert.Contains("Could not prepare an environment", metrics.Compare.Problem, StringComparison.Ordinal);
        Assert.Contains("pip install", metrics.Compare.Problem, StringComparison.Ordinal);
        Assert.Equal(ScenarioStatus.Ok, Assert.Single(metrics.Scenarios).Status);
    }

    [Fact]
    public async Task A_new_base_venv_without_a_lock_is_pinned_to_the_heads_versions_with_uv()
    {
        using var root = CompareRunTests.GitRoot(r => r.FixtureScenario("work", "--work 1", runs: 2));
        File.AppendAllText(root.File_("pyproject.toml"), "version = \"1.0\"\n");
        CompareRunTests.Commit(root, "a version");
        var log = root.File_("uv.log");
        var environment = new Dictionary<string, string>(NoProfilers) { ["PATH"] = FakeUv + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["FAKE_UV_LOG"] = log };

        var outcome = await root.RunAsync(environment, "PerfRun", "--compare-ref", "HEAD~1");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var compare = root.Metrics().Compare!;
        Assert.Equal(CheckoutPython.NewVenv, compare.Environment);
        Assert.Equal(["pyproject.toml"], compare.DifferingFiles);
        Assert.Contains("pinned to the head environment's installed versions", compare.EnvironmentReason, StringComparison.Ordinal);
        var calls = File.ReadAllLines(log);
        Assert.Contains(calls, c => c.StartsWith("[\"venv\", \"--python\"", StringComparison.Ordinal));
        var install = Assert.Single(calls, c => c.StartsWith("[\"pip\", \"install\"", StringComparison.Ordinal));
        Assert.Contains("\"-c\"", install, StringComparison.Ordinal);
        Assert.Contains(calls, c => c.StartsWith("[\"pip\", \"freeze\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_base_that_would_import_the_heads_code_through_a_pth_insert_is_refused_naming_both_paths()
    {
        using var root = SourceRoot();
        var python = Venv(root, $"import sys; sys.path.insert(0, '{root.File_("src")}')");

        var outcome = await root.RunAsync(NoProfilers, "PerfRun", "--python", python, "--compare-ref", "HEAD~1");

        Assert.Equal(1, outcome.ExitCode);
        var metrics = root.Metrics();
        Assert.Equal(CompareStatus.Failed, metrics.Compare!.Status);
        var problem = metrics.Compare.Problem!;
        Assert.Contains($"the base side would import filare from {root.File_("src/filare/__init__.py")}, which is the head's checkout ({root.Path})", problem,
            StringComparison.Ordinal);
        Assert.Contains("expected a file under " + Path.Combine(root.Path, ".nuke", "temp", "compare"), problem, StringComparison.Ordinal);
        Assert.Contains(".pth", problem, StringComparison.Ordinal);
        Assert.Equal(root.Path, metrics.Side(SideKind.Base)!.Imports.Single().Checkout);
        // The head's results are kept and reported.
        var scenario = Assert.Single(metrics.Scenarios);
        Assert.Equal((ScenarioStatus.Ok, 2, null), (scenario.Status, scenario.Samples.Count, scenario.Base));
        Assert.Contains("which is the head's checkout", outcome.Output, StringComparison.Ordinal);
        // summary.md gives the whole refusal under Problems, not only the headline's first line.
        var summary = File.ReadAllText(Path.Combine(root.RunFolder(), "summary.md"));
        Assert.Contains("**Same-runner comparison** with `HEAD~1` (failed; the head was measured alone):", summary, StringComparison.Ordinal);
        Assert.Contains("expected a file under " + Path.Combine(root.Path, ".nuke", "temp", "compare"), summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_editable_pth_that_appends_the_source_lets_each_side_import_its_own_commit()
    {
        using var root = SourceRoot();
        var python = Venv(root, root.File_("src"));

        var outcome = await root.RunAsync(NoProfilers, "PerfRun", "--python", python, "--compare-ref", "HEAD~1");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var metrics = root.Metrics();
        var head = metrics.Side(SideKind.Head)!.Imports.Single();
        var @base = metrics.Side(SideKind.Base)!.Imports.Single();
        Assert.Equal((root.Path, CompareRunTests.Git(root, "rev-parse", "HEAD").Trim()), (head.Checkout, head.Commit));
        Assert.Equal((metrics.Compare!.FilareRoot, metrics.Compare.Commit), (@base.Checkout, @base.Commit));
        var scenario = Assert.Single(metrics.Scenarios);
        Assert.StartsWith("base ", File.ReadAllText(Path.Combine(root.RunFolder(), scenario.Base!.Samples[0].Stdout)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_head_that_imports_an_installed_copy_is_refused_as_such()
    {
        using var root = SourceRoot();
        var python = Venv(root, "");
        var site = Path.Combine(Directory.GetDirectories(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(python))!, "lib")).Single(), "site-packages");
        Directory.CreateDirectory(Path.Combine(site, "filare"));
        File.WriteAllText(Path.Combine(site, "filare", "__init__.py"), "WHERE = 'installed'\n");
        // The base's source goes first on PYTHONPATH and wins; the head has nothing but the installed copy.
        var outcome = await root.RunAsync(NoProfilers, "PerfRun", "--python", python, "--compare-ref", "HEAD~1", "--compare-env", "shared");

        Assert.Equal(1, outcome.ExitCode);
        var problem = root.Metrics().Compare!.Problem!;
        Assert.Contains($"the head side would import filare from {Path.Combine(site, "filare", "__init__.py")}, which " +
            $"is no checkout (an installed copy); expected a file under {root.Path}", problem, StringComparison.Ordinal);
        Assert.Contains("non-editable copy", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setup_filare_with_a_uv_lock_runs_uv_venv_and_uv_sync_frozen_with_the_dev_group()
    {
        using var root = new TestRoot().Scenario("bom", """
            name: bom
            command: [filare, run, tests/bom/bomqty.yml, -f, t, -o, "{output}"]
            runs: 1
            warmups: 0
            """);
        var checkout = Path.Combine(root.Path, "filare");
        CopyStandIn(checkout);
        File.AppendAllText(Path.Combine(checkout, "pyproject.toml"), "\n[dependency-groups]\ndev = [\"pytest>=8\"]\n");
        File.WriteAllText(Path.Combine(checkout, "uv.lock"), "version = 1\n");
        var log = root.File_("uv.log");
        var environment = new Dictionary<string, string>(NoProfilers) { ["PATH"] = FakeUv + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["FAKE_UV_LOG"] = log };

        var outcome = await root.RunAsync(environment, "PerfRun", "--filare-root", checkout, "--setup-filare", "true");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var calls = File.ReadAllLines(log);
        Assert.StartsWith("[\"venv\", \"--python\", ", calls[0], StringComparison.Ordinal);
        Assert.EndsWith($"\"{Path.Combine(checkout, ".venv")}\"]", calls[0], StringComparison.Ordinal);
        Assert.Equal("[\"sync\", \"--frozen\", \"--group\", \"dev\"]", calls[1]);
        var metrics = root.Metrics();
        Assert.Equal(ScenarioStatus.Ok, Assert.Single(metrics.Scenarios).Status);
        var head = metrics.Side(SideKind.Head)!;
        Assert.Equal(Path.Combine(checkout, "src", "filare", "__init__.py"), head.Imports.Single().Path);
        Assert.Contains("pytest==0+fake", head.Packages!);
        Assert.Contains("filare==1.6.0+standin", head.Packages!);
    }

    [Fact]
    public void Package_differences_name_each_changed_added_and_removed_package()
    {
        var differences = PackageFreeze.Differences(["click==8.1.7", "Pydantic==2.7.0", "rich==13.0"], ["click==8.1.7", "pydantic==2.6.4", "tabulate==0.9"]);

        Assert.Equal(["pydantic: 2.6.4 → 2.7.0", "rich: absent → 13.0", "tabulate: 0.9 → absent"], differences);
    }

    private static void CopyStandIn(string target)
    {
        foreach (var file in Directory.GetFiles(Repository.StandIn, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Repository.StandIn, file);
            if (relative.StartsWith(".venv", StringComparison.Ordinal) || relative.Contains("__pycache__", StringComparison.Ordinal))
            {
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, relative))!);
            File.Copy(file, Path.Combine(target, relative));
        }
    }
}
