using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests.Sharding;

/// <summary>What a run leaves for upload: one run's Filare outputs, every artifact's size against the budget.</summary>
public sealed class StorageTests
{
    private static TestRoot Root() => new TestRoot().FixtureScenario("writes", "--work 1 -o {output}", runs: 3, warmups: 1);

    private static IReadOnlyList<string> Outputs(TestRoot root) =>
        Directory.EnumerateDirectories(Path.Combine(root.RunFolder(), "writes"), "output", SearchOption.AllDirectories)
            .Select(d => Path.GetRelativePath(root.RunFolder(), d).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task By_default_only_the_first_clean_runs_outputs_are_kept_and_the_rest_is_deleted_before_upload()
    {
        using var root = Root();

        var outcome = await root.RunAsync("PerfRun", "--profilers", "importtime", "--importtime-runs", "1");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var metrics = root.Metrics();
        Assert.Equal([metrics.Scenarios[0].Samples[0].OutputDirectory], Outputs(root));
        Assert.True(Directory.EnumerateFiles(Path.Combine(root.RunFolder(), metrics.Scenarios[0].Samples[0].OutputDirectory)).Any(),
            "the kept output has Filare's files");
        // stdout and stderr of every run stay: they are small and a failure's evidence.
        Assert.All(metrics.Scenarios[0].Samples, s => Assert.True(File.Exists(Path.Combine(root.RunFolder(), s.Stdout))));
        var storage = metrics.Storage!;
        Assert.Equal(1, storage.KeptOutputs);
        Assert.True(storage.DeletedBytes > 0, "three outputs (one warmup, two runs) were deleted");
        Assert.Equal(["perf-metrics", "perf-writes"], storage.Artifacts.Select(a => a.Name));
        Assert.All(storage.Artifacts, a => Assert.False(a.OverBudget));
    }

    [Fact]
    public async Task Keep_outputs_zero_keeps_none_and_an_artifact_over_the_budget_is_named_in_the_report()
    {
        using var root = Root();

        var outcome = await root.RunAsync("PerfRun", "--profilers", "importtime", "--importtime-runs", "1", "--keep-outputs", "0", "--artifact-budget-mb",
            "0.01");
        var report = await root.RunAsync("PerfReport", "--report-input", "outputs/perf/local", "--baseline", "none");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Empty(Outputs(root));
        var storage = root.Metrics().Storage!;
        Assert.Contains(storage.Artifacts, a => a.OverBudget && a.Name == "perf-writes");
        Assert.All(storage.Artifacts, a => Assert.Equal(a.ZippedBytes > 10485, a.OverBudget));
        Assert.Contains("artifact perf-writes is", outcome.Output, StringComparison.Ordinal);
        Assert.True(report.ExitCode == 0, report.ToString());
        var markdown = File.ReadAllText(Path.Combine(root.RunFolder(), "report.md"));
        Assert.Contains("Artifacts over the 10.2 KiB budget (FIL_PERF_ARTIFACT_BUDGET_MB): ", markdown, StringComparison.Ordinal);
        Assert.Matches(@"budget \(FIL_PERF_ARTIFACT_BUDGET_MB\): [^\n]*perf-writes [0-9.]+ KiB", markdown);
    }

    [Fact]
    public async Task A_profiled_runs_outputs_are_deleted_too_only_the_kept_clean_run_keeps_filares_files()
    {
        using var root = Root();

        var outcome = await root.RunAsync("PerfRun", "--profilers", "cprofile", "importtime", "--importtime-runs", "1");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var metrics = root.Metrics();
        // cProfile's run wrote Filare's files to cprofile/output like any run: a reviewer opens the clean run's, not these.
        Assert.Contains(metrics.Scenarios[0].Profilers, p => p.Tool == "cprofile" && p.Status == Filare.Perf.Results.ProfilerStatus.Ok);
        Assert.Equal([metrics.Scenarios[0].Samples[0].OutputDirectory], Outputs(root));
        Assert.True(File.Exists(Path.Combine(root.RunFolder(), "writes", "cprofile", "stdout.txt")), "the profiled run's logs stay");
    }

    [Fact]
    public void The_budget_is_checked_against_the_zipped_size_that_the_upload_stores_not_the_bytes_on_disk()
    {
        var folder = Directory.CreateTempSubdirectory("filare-perf-zip-").FullName;
        try
        {
            // A report like Scalene's HTML: large on disk, mostly repeated text that deflate shrinks many times over.
            var html = Path.Combine(folder, "report.html");
            File.WriteAllText(html, string.Concat(Enumerable.Range(0, 40_000).Select(i => $"<tr><td>filare/render.py:{i % 700}</td><td>12.5%</td></tr>\n")));
            // Random bytes (a PNG, a binary capture) do not shrink: the zip stores them as they are.
            var noise = new byte[64 * 1024];
            new Random(7).NextBytes(noise);
            var png = Path.Combine(folder, "capture.png");
            File.WriteAllBytes(png, noise);

            var text = Filare.Perf.Storage.ZippedSize.Of([html], folder);
            var binary = Filare.Perf.Storage.ZippedSize.Of([png], folder);

            var onDisk = new FileInfo(html).Length;
            Assert.True(onDisk > 1_500_000, $"{onDisk} bytes on disk");
            Assert.True(text < onDisk / 8, $"{text} bytes zipped of {onDisk}");
            Assert.InRange(binary, noise.Length, noise.Length + 200);
            var artifact = new Filare.Perf.Results.ArtifactSize("perf-x", onDisk, BudgetBytes: onDisk / 2, ZippedBytes: text);
            Assert.False(artifact.OverBudget, "what the upload stores is under the budget");
            Assert.True((artifact with { ZippedBytes = null }).OverBudget, "a record without a zipped size (older runs) is checked on disk");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
