using System.Net;
using Filare.Perf.Flamegraphs;
using Filare.Perf.ImportTime;
using Filare.Perf.Profilers;
using Filare.Perf.Results;
using Filare.Perf.Storage;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests;

/// <summary>
/// Every file the report reads from an artifact is capped and read in its own try: a 1 GB import
/// tree and a 1 GB py-spy capture in a PR's artifact (a 1.1 GB one made PerfReport run out of memory
/// before any comment) are named as refused, and the comment, summary and reaction still go out.
/// The files are sparse: they take no disk, and are deleted with the test's folder.
/// </summary>
public sealed class ArtifactCapTests
{
    private const string Repo = "/repos/filare/filare";
    private const long OneGigabyte = 1L << 30;

    [Fact]
    public async Task A_one_gigabyte_import_tree_and_collapsed_stacks_file_are_refused_by_name_and_the_report_is_still_posted()
    {
        using var root = new TestRoot();
        var folder = root.RunFolder("head");
        WriteCompareRun(folder);
        Sparse(Path.Combine(folder, "demo01", "head-demo01-importtime.json"), OneGigabyte);
        Sparse(Path.Combine(folder, "demo01", "head-demo01-pyspy.txt"), OneGigabyte);
        var github = new FakeGitHub()
            .Serve("GET", $"{Repo}/actions/runs/4242/artifacts", HttpStatusCode.OK, """{"total_count":0,"artifacts":[]}""")
            .Serve("GET", $"{Repo}/issues/12/comments", HttpStatusCode.OK, "[]")
            .Serve("POST", $"{Repo}/issues/12/comments", HttpStatusCode.Created,
                """{"id":555,"body":"x","user":{"login":"github-actions[bot]","type":"Bot"}}""")
            .Serve("POST", $"{Repo}/issues/comments/77/reactions", HttpStatusCode.Created, """{"id":1,"content":"rocket"}""");
        root.GitHub = github;
        var summary = root.File_("summary.md");

        var outcome = await root.RunAsync(new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_REPOSITORY"] = "filare/filare",
            ["GITHUB_TOKEN"] = "ghs_test",
            ["GITHUB_API_URL"] = FakeGitHub.ApiUrl,
            ["GITHUB_RUN_ID"] = "4242",
            ["GITHUB_STEP_SUMMARY"] = summary,
            ["FIL_PERF_REPORT_INPUT"] = folder,
        }, "PerfReport", "--pr", "12", "--comment-id", "77");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Single(github.Requests, r => r.Is("POST", $"{Repo}/issues/12/comments"));
        Assert.Single(github.Requests, r => r.Is("POST", $"{Repo}/issues/comments/77/reactions"));
        var text = File.ReadAllText(summary);
        Assert.Contains("head-demo01-importtime.json refused: 1024 MiB is over the 64 MiB cap", text, StringComparison.Ordinal);
        Assert.Contains("head-demo01-pyspy.txt refused: 1024 MiB is over the 64 MiB cap", text, StringComparison.Ordinal);
        // The rest of the report stands: the scenario's verdict is there.
        Assert.Contains("demo01", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_capped_read_stops_at_the_cap_even_when_the_size_was_small_when_asked()
    {
        using var root = new TestRoot();
        var file = root.File_("grows.txt");
        File.WriteAllText(file, new string('x', 100));

        Assert.Equal(100, CappedFile.ReadAllText(file, 100).Length);
        var refused = Assert.Throws<InvalidDataException>(() => CappedFile.ReadAllText(file, 99));
        Assert.Contains("grows.txt refused", refused.Message, StringComparison.Ordinal);
        // A device reports size 0 and never ends: the read itself is capped.
        Assert.Throws<InvalidDataException>(() => CappedFile.ReadAllBytes("/dev/zero", 1 << 20));
        Assert.Throws<InvalidDataException>(() => CollapsedStacks.Parse(CappedFile.ReadAllText("/dev/zero")));
        Assert.Null(ImportTreeFile.Read("/dev/zero", out var problem));
        Assert.Contains("refused", problem, StringComparison.Ordinal);
    }

    private static void Sparse(string path, long length)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        stream.SetLength(length);
    }

    private static ProfilerRun Profiler(string tool, string kind, string path) =>
        new(tool, ProfilerStatus.Ok, null, "1.0", 1, 1.1, 0, [new Artifact(kind, path, 10, new string('a', 64))], []);

    private static void WriteCompareRun(string folder)
    {
        Directory.CreateDirectory(Path.Combine(folder, "demo01", "base"));
        var baseTree = Path.Combine(folder, "demo01", "base", "base-demo01-importtime.json");
        ImportTreeFile.Write(baseTree, new ImportTree([new ImportModule("filare", 10, 10, null, 1)]));
        File.WriteAllText(Path.Combine(folder, "demo01", "base", "base-demo01-pyspy.txt"), "main (app.py:1);work (app.py:5) 40\n");
        RunSample Sample(int i, double wall) => new(SampleKind.Run, i, RunStatus.Ok, wall, wall * 0.9, 0.01, 50L << 20, 0, null, 0, "o", "e", "d", null);
        var head = new[] { 1.0, 1.01, 0.99 }.Select((w, i) => Sample(i + 1, w)).ToList();
        var @base = new[] { 1.0, 1.0, 1.0 }.Select((w, i) => Sample(i + 1, w)).ToList();
        var scenario = new ScenarioResult("demo01", "d", [], ["python"], folder, ScenarioStatus.Ok, null, 3, 0, [], head, ScenarioStatistics.Of(head),
            [
                Profiler(ImportTimeProfiler.Name, ImportTimeProfiler.Tree, "demo01/head-demo01-importtime.json"),
                Profiler(PySpy.Name, PySpy.Collapsed, "demo01/head-demo01-pyspy.txt"),
            ],
            new SideResult(ScenarioStatus.Ok, null, [], @base, ScenarioStatistics.Of(@base),
                [Profiler(ImportTimeProfiler.Name, ImportTimeProfiler.Tree, "demo01/base/base-demo01-importtime.json"),
                 Profiler(PySpy.Name, PySpy.Collapsed, "demo01/base/base-demo01-pyspy.txt")]));
        var environment = new RunEnvironment("cpu", 2, 1L << 30, "Linux", "6.0", "x64", "3.11", "CPython", "python3", folder,
            new string('c', 40), "master", false, null, "10.0", null);
        var settings = new PerformanceSettings("outputs/perf", "head", null, null, null,
            new PySpySettings(true, 100, SpyOutput.Svg, false, false, false), new ScaleneSettings(false, 0.01, true, true, "filare"),
            new MemraySettings(false, false, MemrayFormat.Flamegraph, false, 50), new CProfileSettings(false, CProfileSort.Tottime, CProfileFormat.Pstats));
        var compare = new CompareRun("origin/master", new string('b', 40), CompareMode.AB, CompareStatus.Ok, null, "/tmp/base", "shared interpreter", null,
            "3.11");
        _ = new MetricsStore(folder, new RunMetrics(RunMetrics.SchemaName, RunMetrics.CurrentVersion, "head", RunState.Complete,
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, environment, settings, [scenario]) { Compare = compare });
    }
}
