using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Filare.Perf.Analysis;
using Filare.Perf.Comparison;
using Filare.Perf.ImportTime;
using Filare.Perf.Profilers;
using Filare.Perf.Reporting;
using Filare.Perf.Results;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests;

/// <summary>ProfileImportTime on the fixture, and the differential views of an A/B (py-spy through its fake, import time for real).</summary>
public sealed class ImportTimeProfilerTests
{
    private static ProfilerRun Run(ScenarioResult scenario, string tool) => Assert.Single(scenario.Profilers, p => p.Tool == tool);

    private static XDocument Svg(TestRoot root, Artifact artifact, string label = "local") =>
        XDocument.Parse(File.ReadAllText(Path.Combine(root.RunFolder(label), artifact.Path)));

    private static Dictionary<string, string> Fills(XDocument svg) =>
        svg.Descendants().Where(e => e.Name.LocalName == "g").ToDictionary(
            g => g.Elements().First(e => e.Name.LocalName == "title").Value.Split('\n')[0],
            g => g.Elements().First(e => e.Name.LocalName == "rect").Attribute("fill")!.Value);

    private static List<string> FrameNames(XDocument svg) =>
        svg.Descendants().Where(e => e.Name.LocalName == "g").Select(g => g.Elements().First(e => e.Name.LocalName == "title").Value.Split('\n')[0]).ToList();

    [Fact]
    public async Task Runs_the_scenario_under_x_importtime_and_keeps_the_lines_the_tree_and_a_flamegraph_with_the_median_of_its_runs()
    {
        using var root = new TestRoot().FixtureScenario("imports", "--import-tree --slow-import-ms 30", runs: 1);

        var outcome = await root.RunAsync("PerfRun", "--profilers", "importtime", "--importtime-runs", "3");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var run = Run(Assert.Single(root.Metrics().Scenarios), ImportTimeProfiler.Name);
        Assert.Equal(ProfilerStatus.Ok, run.Status);
        Assert.Equal(["lines", "tree", "flamegraph"], run.Artifacts.Select(a => a.Kind));
        Assert.Equal(["imports/local-imports-importtime.txt", "imports/local-imports-importtime.json", "imports/local-imports-importtime.svg"],
            run.Artifacts.Select(a => a.Path));
        var imports = run.Imports!;
        Assert.Equal(3, imports.Runs);
        Assert.True(imports.TotalSeconds > 0 && imports.ShareOfWall is > 0 and <= 1, $"{imports.TotalSeconds} s, {imports.ShareOfWall}");
        Assert.Equal(imports.TotalSeconds / imports.WallSeconds, imports.ShareOfWall, 3);
        Assert.Contains(imports.Top, m => m.Module == "fixture_pkg.app" && m.Chain.Count == 0);
        Assert.Equal(ImportTimeProfiler.TopModules, imports.Top.Count);
        Assert.True(imports.Top.Zip(imports.Top.Skip(1)).All(p => p.First.CumulativeSeconds >= p.Second.CumulativeSeconds));

        var tree = ImportTreeFile.Read(Path.Combine(root.RunFolder(), run.Artifacts[1].Path), out var problem);
        Assert.Null(problem);
        Assert.Equal("fixture_pkg.app", tree!["fixture_pkg.slow"]!.Parent);
        Assert.Equal(3, tree.Runs);
        Assert.All(File.ReadAllLines(Path.Combine(root.RunFolder(), run.Artifacts[0].Path)), line => Assert.StartsWith("import time:", line));
        Assert.Contains("fixture_pkg.slow", FrameNames(Svg(root, run.Artifacts[2])));
        // Each run's own stderr is kept as written, and the program's part of it apart, whole.
        var work = Path.Combine(root.RunFolder(), "imports", ImportTimeProfiler.Name);
        Assert.All(Enumerable.Range(1, 3), i =>
            Assert.Equal("fixture: slow module imported; (imports done)\n", File.ReadAllText(Path.Combine(work, $"run-{i}", "program-stderr.txt"))));
        Assert.Contains("import time:", File.ReadAllText(Path.Combine(work, "run-1", "stderr.txt")));
        Assert.Contains("\"shareOfWall\"", File.ReadAllText(Path.Combine(root.RunFolder(), "metrics.json")));
    }

    [Fact]
    public async Task A_failing_program_is_run_once_and_failed_with_its_own_stderr_not_the_import_lines()
    {
        using var root = new TestRoot().FixtureScenario("fails", "--import-tree --exit 3", runs: 1);

        var outcome = await root.RunAsync("ProfileImportTime", "--profilers", "importtime");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var run = Run(Assert.Single(root.Metrics().Scenarios), ImportTimeProfiler.Name);
        Assert.Equal("failed: program exited with code 3", run.StatusText);
        Assert.Equal(3, run.ExitCode);
        var note = Assert.Single(run.Notes);
        Assert.Contains("fixture failing on purpose with exit code 3", note);
        Assert.DoesNotContain("import time:", note);
        Assert.False(Directory.Exists(Path.Combine(root.RunFolder(), "fails", ImportTimeProfiler.Name, "run-2")));
        // What it imported before failing is still shown.
        Assert.Contains(run.Artifacts, a => a.Kind == "tree");
    }

    [Fact]
    public async Task Importtime_is_on_by_default_and_off_with_its_switch()
    {
        using var root = new TestRoot().FixtureScenario("quick", "--work 1", runs: 1);

        var on = await root.RunAsync(new Dictionary<string, string> { ["FIL_PERF_ENABLE_PYSPY"] = "0", ["FIL_PERF_ENABLE_SCALENE"] = "0",
            ["FIL_PERF_IMPORTTIME_RUNS"] = "1" }, "PerfRun");
        Assert.True(on.ExitCode == 0, on.ToString());
        Assert.Equal(ProfilerStatus.Ok, Run(Assert.Single(root.Metrics().Scenarios), ImportTimeProfiler.Name).Status);

        var off = await root.RunAsync(new Dictionary<string, string> { ["FIL_PERF_ENABLE_PYSPY"] = "0", ["FIL_PERF_ENABLE_SCALENE"] = "0",
            ["FIL_PERF_ENABLE_IMPORTTIME"] = "0" }, "PerfRun");
        Assert.True(off.ExitCode == 0, off.ToString());
        Assert.DoesNotContain(Assert.Single(root.Metrics().Scenarios).Profilers, p => p.Tool == ImportTimeProfiler.Name);
        Assert.Contains("importtime is off", off.Output);
    }

    [Fact]
    public async Task A_compare_run_takes_the_two_sides_import_time_runs_in_turn_abba_not_as_a_block_per_side()
    {
        using var root = CompareRunTests.GitRoot(r => r.FixtureScenario("imports", "--import-tree", runs: 1));
        File.WriteAllText(root.File_("NOTES.txt"), "the head changes no code\n");
        CompareRunTests.Commit(root, "head: the same code");

        var outcome = await root.RunAsync(new Dictionary<string, string> { ["FIL_PERF_RUN_LABEL"] = "local" },
            "PerfRun", "--compare-ref", "HEAD~1", "--profilers", "importtime", "--importtime-runs", "3", "--warmups", "0");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var scenario = Assert.Single(root.Metrics().Scenarios);
        Assert.Equal(3, Run(scenario, ImportTimeProfiler.Name).Imports!.Runs);
        Assert.Equal(3, Assert.Single(scenario.Base!.Profilers, p => p.Tool == ImportTimeProfiler.Name).Imports!.Runs);
        // Each run's exec.json is written when it ends, and the runs are one at a time: their times give the order.
        var folder = Path.Combine(root.RunFolder(), "imports");
        var order = new[] { ("base", Path.Combine(folder, "base", ImportTimeProfiler.Name)), ("head", Path.Combine(folder, ImportTimeProfiler.Name)) }
            .SelectMany(side => Enumerable.Range(1, 3)
                .Select(k => (Name: $"{side.Item1}{k}", Ended: File.GetLastWriteTimeUtc(Path.Combine(side.Item2, $"run-{k}", "exec.json")))))
            .OrderBy(r => r.Ended).Select(r => r.Name).ToList();
        Assert.Equal(["base1", "head1", "head2", "base2", "base3", "head3"], order);
    }

    [Fact]
    public void Interleaving_goes_from_the_base_first_then_the_head_first_round_by_round()
    {
        // The pass lists the head first, the base second.
        Assert.Equal([1, 0], Filare.Perf.Harness.InterleavedProfiling.Order(0, 2));
        Assert.Equal([0, 1], Filare.Perf.Harness.InterleavedProfiling.Order(1, 2));
        Assert.Equal([1, 0], Filare.Perf.Harness.InterleavedProfiling.Order(2, 2));
    }

    [Fact]
    public async Task An_a_b_with_py_spy_draws_both_differential_views_for_samples_and_imports()
    {
        using var root = CompareRunTests.GitRoot(r => r.FixtureScenario("imports", "--import-tree --work 1", runs: 2));
        File.WriteAllText(root.File_("pyspy-stacks.txt"),
            "main (app.py:1);work (app.py:5) 10\nmain (app.py:1);parse (app.py:9) 80\nmain (app.py:1);old (app.py:12) 10\n");
        CompareRunTests.Commit(root, "base stacks");
        // The head: the same code moved down a line, a new path, one gone; and a new import. The changes are
        // far beyond the noise floor (sampling, and the runs' wall-time spread even on a loaded machine).
        File.WriteAllText(root.File_("pyspy-stacks.txt"),
            "main (app.py:2);work (app.py:6) 340\nmain (app.py:2);parse (app.py:10) 20\nmain (app.py:2);new (app.py:14) 40\n");
        var fixture = root.File_("perf_fixture.py");
        File.WriteAllText(fixture, File.ReadAllText(fixture).Replace("IMPORTS = \"fast,slow\"", "IMPORTS = \"fast,slow,extra\"", StringComparison.Ordinal));
        CompareRunTests.Commit(root, "head");
        var environment = Fakes.WithPySpy(extra: new() { ["FAKE_PYSPY_STACKS"] = "pyspy-stacks.txt", ["FIL_PERF_RUN_LABEL"] = "local",
            ["FIL_PERF_IMPORTTIME_RUNS"] = "1" });

        var outcome = await root.RunAsync(environment, "PerfRun", "--compare-ref", "HEAD~1", "--profilers", "pyspy", "importtime");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var scenario = Assert.Single(root.Metrics().Scenarios);
        var pyspy = Run(scenario, PySpy.Name);
        var views = pyspy.Artifacts.Where(a => a.Kind.StartsWith("diff-", StringComparison.Ordinal)).ToList();
        Assert.Equal(["imports/local-imports-diff-pyspy.svg", "imports/local-imports-diff-pyspy-negated.svg"], views.Select(v => v.Path));
        var head = FrameNames(Svg(root, views[0]));
        var negated = FrameNames(Svg(root, views[1]));
        // Line numbers are folded: work is one frame on both sides, not a gone one and a new one.
        Assert.Contains("work (app.py)", head);
        Assert.Contains("new (app.py)", head);
        Assert.DoesNotContain("old (app.py)", head);
        Assert.Contains("old (app.py)", negated);
        Assert.DoesNotContain("new (app.py)", negated);
        var imports = Run(scenario, ImportTimeProfiler.Name).Artifacts.Where(a => a.Kind.StartsWith("diff-", StringComparison.Ordinal)).ToList();
        Assert.Equal(["imports/local-imports-diff-importtime.svg", "imports/local-imports-diff-importtime-negated.svg"], imports.Select(v => v.Path));
        Assert.Contains("fixture_pkg.extra", FrameNames(Svg(root, imports[0])));
        Assert.DoesNotContain("fixture_pkg.extra", FrameNames(Svg(root, imports[1])));
        // The report's profiler table is one line per scenario (the files are in metrics.json and the
        // artifact, asserted above): both profilers ran on both sides, then the import diff and what grew.
        var summary = File.ReadAllText(Path.Combine(root.RunFolder(), "summary.md"));
        Assert.Contains("#### Profiler reports", summary);
        Assert.Matches(@"\| imports \| ok [0-9.]+× · [0-9.]+× \| ok ", summary);
        Assert.Contains("### Where the time went", summary);
        // The Base column is left out when every row is new (MarkdownTable drops a column of "-"):
        // whether some import also grew past the noise threshold depends on the runner.
        Assert.Matches(@"\| new \| fixture\\_pkg\.extra \(\+\d+ modules it pulled in\) \|( - \|)? [^|]+ \| \+[^|]+ \| fixture\\_pkg\.app \|", summary);
        // One run per side is never tested for noise: the total's change is "within noise", not a number.
        Assert.Matches(@"\| imports \(head\) \| [\d.]+ m?s \(\d+%\) \| [\d.]+ m?s \| \d+ \| one run \| within noise \|", summary);
        // The floor is the fixture runs' wall-time spread, which a loaded machine can push past 80% (seen at load 12 on
        // 2 cores); the fake's samples change far beyond any floor below that, and the unit tests pin the rule itself.
        var floor = Regex.Match(summary, @"samples grew beyond noise from base to head \(floor ±([\d.]+)%|grew beyond noise, floor ±([\d.]+)%");
        Assert.True(floor.Success, summary);
        Assert.Contains("grey: within noise (floor ±", Svg(root, views[0]).ToString(), StringComparison.Ordinal);
        if (double.Parse(floor.Groups[1].Success ? floor.Groups[1].Value : floor.Groups[2].Value, CultureInfo.InvariantCulture) < 80)
        {
            // work: 10% -> 85% of the samples; new: 0 -> 10%; parse shrank, so it is not in "what grew".
            Assert.Contains("| work (app.py) | 10.0% | 85.0% | +75.0 points | main (app.py) |", summary);
            Assert.Contains("| new (app.py) (new) | 0.0% | 10.0% | +10.0 points | main (app.py) |", summary);
            // The view's colours are the same test: what grew is red, what shrank blue.
            Assert.Equal("rgb(255,0,0)", Fills(Svg(root, views[0]))["work (app.py)"]);
            Assert.Equal("rgb(0,0,255)", Fills(Svg(root, views[1]))["parse (app.py)"]);
        }
        Assert.DoesNotContain("| parse (app.py)", summary);
        // Each side keeps its own profiles.
        Assert.Contains(Run(new ScenarioResult("", "", [], [], "", ScenarioStatus.Ok, null, 0, 0, [], [], null, scenario.Base!.Profilers), PySpy.Name)
            .Artifacts, a => a.Path == "imports/base/local-imports-base-pyspy.txt");
    }
}

/// <summary>The stand-in Filare (Filare 1.6's CLI contract) under git, a PR that adds imports and moves samples: the report of its A/B.</summary>
public sealed class StandInDiffTests
{
    private static void CopyStandIn(string target)
    {
        foreach (var file in Directory.GetFiles(Repository.StandIn, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(Repository.StandIn, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(destination, File.GetUnixFileMode(file));
            }
        }
    }

    [Fact]
    public async Task An_a_b_of_the_stand_in_with_py_spy_links_both_sides_profiles_and_both_diff_svgs_and_names_the_new_import()
    {
        using var root = CompareRunTests.GitRoot(r =>
        {
            CopyStandIn(r.Path);
            File.Copy(Path.Combine(Repository.Root, "scenarios", "demo01.yml"), r.File_("scenarios/demo01.yml"));
            File.WriteAllText(r.File_("pyspy-stacks.txt"), "main (filare:55);render (filare:20) 60\nmain (filare:55);parse (filare:12) 40\n");
            return r;
        });
        // The PR's new import is in Filare's code: the console script is the same on both sides (a
        // shared interpreter runs the head's launcher with the base's source first on the path).
        var cli = root.File_("src/filare/cli.py");
        File.WriteAllText(cli,
            File.ReadAllText(cli).Replace("import sys\n", "import sys\nimport fractions  # the PR's new import\n", StringComparison.Ordinal));
        File.WriteAllText(root.File_("pyspy-stacks.txt"),
            "main (filare:56);render (filare:21) 90\nmain (filare:56);parse (filare:13) 30\nmain (filare:56);layout (filare:40) 30\n");
        CompareRunTests.Commit(root, "a PR: one more import, layout is new");
        var environment = Fakes.WithPySpy(extra: new() { ["FAKE_PYSPY_STACKS"] = "pyspy-stacks.txt", ["FIL_PERF_RUN_LABEL"] = "local",
            ["FIL_PERF_IMPORTTIME_RUNS"] = "1" });

        var outcome = await root.RunAsync(environment, "PerfRun", "--compare-ref", "HEAD~1", "--runs", "2", "--warmups", "0", "--profilers", "pyspy",
            "importtime");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var summary = File.ReadAllText(Path.Combine(root.RunFolder(), "summary.md"));
        Assert.True(File.Exists(Path.Combine(root.RunFolder(), "demo01", "local-demo01-diff-pyspy.svg")));
        // On GitHub the report links each file to its scenario's artifact (a zip), naming the file.
        var metrics = root.Metrics();
        var notes = new List<string>();
        var analysis = RunAnalysis.Of(new AnalysisInput(metrics, new ComparisonSettings(),
            Profiles: ProfileEvidence.BetweenSides(metrics, root.RunFolder(), notes)));
        const string artifact = "https://github.com/o/r/actions/runs/1/artifacts/9";
        var report = ReportMarkdown.Render(new ReportInput(analysis,
            new ReportLinks("https://github.com/o/r/actions/runs/1", new Dictionary<string, string> { ["perf-demo01"] = artifact })));
        Assert.Empty(notes);
        foreach (var (kind, file) in new[]
        {
            ("diff-flamegraph", "local-demo01-diff-pyspy.svg"), ("diff-flamegraph-negated", "local-demo01-diff-pyspy-negated.svg"),
            ("diff-flamegraph", "local-demo01-diff-importtime.svg"), ("diff-flamegraph-negated", "local-demo01-diff-importtime-negated.svg"),
            ("flamegraph", "local-demo01-base-pyspy.svg"), ("flamegraph", "local-demo01-head-pyspy.svg"),
        })
        {
            // The profiler table links the scenario's artifact once (it holds both sides' files); metrics.json names each file.
            Assert.Contains(metrics.Scenarios.Single().Profilers.Concat(metrics.Scenarios.Single().Base!.Profilers).SelectMany(p => p.Artifacts),
                a => a.Kind == kind && a.Path.EndsWith(file, StringComparison.Ordinal));
        }
        Assert.Contains($"| demo01 | ok ", report, StringComparison.Ordinal);
        Assert.Contains($"[zip]({artifact}) |", report, StringComparison.Ordinal);
        Assert.Contains("`perf-demo01` |", summary, StringComparison.Ordinal);
        // fractions is imported by filare.cli: new, with its importer chain.
        Assert.Matches(@"\| new \| fractions( \(\+\d+ modules it pulled in\))? \|( - \|)? [^|]+ \| \+[^|]+ \| [^|]*filare\.cli \|", summary);
        // layout: 0 -> 20% of the samples; render 60% -> 60%: not grown.
        Assert.Contains("| layout (filare) (new) | 0.0% | 20.0% | +20.0 points | main (filare) |", summary);
        Assert.DoesNotContain("| render (filare)", summary);
    }
}
