using Filare.Perf.ImportTime;
using Filare.Perf.Profilers;
using Filare.Perf.Results;
using Filare.Perf.Tests.Support;
using static Filare.Perf.Tests.CompareRunTests;

namespace Filare.Perf.Tests;

/// <summary>
/// An A/B's import-time runs of both sides interleaved ABBA (issue 21 item 2): a change of the machine's load
/// between the sides' runs must not read as a change of imports, and a real change must still show.
/// </summary>
public sealed class InterleavedImportTimeTests
{
    private static readonly Dictionary<string, string> ImportTimeOnly = new()
    {
        ["FIL_PERF_RUN_LABEL"] = "local", ["FIL_PERF_MAX_RUNS"] = "1", ["FIL_PERF_IMPORTTIME_RUNS"] = "4",
    };

    private static ImportTree Tree(TestRoot root, ProfilerRun run) =>
        ImportTreeFile.Read(run.ArtifactFile(ArtifactKinds.ImportTree, root.RunFolder()) ?? throw new InvalidOperationException("no tree kept"), out _)!;

    private static ImportDiff Diff(TestRoot root)
    {
        var scenario = Assert.Single(root.Metrics().Scenarios);
        var head = Assert.Single(scenario.Profilers, p => p.Tool == ImportTimeProfiler.Name);
        var @base = Assert.Single(scenario.Base!.Profilers, p => p.Tool == ImportTimeProfiler.Name);
        Assert.Equal((ProfilerStatus.Ok, ProfilerStatus.Ok), (head.Status, @base.Status));
        return ImportDiff.Of(Tree(root, @base), Tree(root, head), count: 500);
    }

    [Fact]
    public async Task An_a_a_runs_both_sides_import_time_runs_interleaved_abba_and_reports_no_import_grown_or_shrunk()
    {
        using var root = GitRoot(r => r.FixtureScenario("imports", "--import-tree --work 1", runs: 2));

        var outcome = await root.RunAsync(ImportTimeOnly, "PerfRun", "--compare-ref", "HEAD", "--profilers", "importtime");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        // The runs are one at a time: the order their runner's reports were written in is the order they ran in.
        var folder = Path.Combine(root.RunFolder(), "imports");
        var runs = Enumerable.Range(1, 4)
            .SelectMany(k =>
                new[] { ("base", k, Path.Combine(folder, "base", "importtime", $"run-{k}")), ("head", k, Path.Combine(folder, "importtime", $"run-{k}")) })
            .Select(r => (Name: $"{r.Item1} {r.k}", Written: File.GetLastWriteTimeUtc(Path.Combine(r.Item3, "exec.json"))))
            .OrderBy(r => r.Written).ToList();
        Assert.Equal(["base 1", "head 1", "head 2", "base 2", "base 3", "head 3", "head 4", "base 4"], runs.Select(r => r.Name));
        Assert.Equal(runs.Count, runs.Select(r => r.Written).Distinct().Count());
        // The same code on both sides: nothing grew or shrank beyond the runs' spread, nothing is new or gone.
        var diff = Diff(root);
        Assert.Equal(4, diff.Runs);
        Assert.True(diff.Grew.Count + diff.Shrunk.Count == 0, string.Join(", ", diff.Grew.Concat(diff.Shrunk).Select(c => $"{c.Module} {c.ChangeUs} µs")));
        Assert.Empty(diff.New);
        Assert.Empty(diff.Gone);
        Assert.Contains("imports: no import changed beyond noise, none is new or gone", File.ReadAllText(Path.Combine(root.RunFolder(), "summary.md")),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_head_whose_import_got_slower_is_reported_beyond_noise()
    {
        using var root = GitRoot(r => r.FixtureScenario("imports", "--import-tree --work 1", runs: 2));
        var fixture = root.File_("perf_fixture.py");
        const string slow = "parser.add_argument(\"--slow-import-ms\", type=float, default=40)";
        Assert.Contains(slow, File.ReadAllText(fixture));
        // 400 ms more: beyond the total import time's spread even on a loaded runner (ImportTimeTests).
        File.WriteAllText(fixture, File.ReadAllText(fixture).Replace(slow, slow.Replace("40)", "440)", StringComparison.Ordinal), StringComparison.Ordinal));
        Commit(root, "a slower import");

        var outcome = await root.RunAsync(ImportTimeOnly, "PerfRun", "--compare-ref", "HEAD~1", "--profilers", "importtime");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var diff = Diff(root);
        Assert.True(diff.TotalChanged, $"total {diff.BaseTotalUs} -> {diff.HeadTotalUs} µs, floor {diff.TotalFloorUs}");
        var grew = Assert.Single(diff.Grew, g => g.Module == "fixture_pkg.slow");
        Assert.InRange(grew.ChangeUs, 300_000, 2_000_000);
        Assert.Matches(@"\| fixture\\_pkg\.slow \|", File.ReadAllText(Path.Combine(root.RunFolder(), "summary.md")));
    }
}
