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
        Assert.True(Directory.EnumerateFiles(Path.Combine(root.RunFolder(), metrics.Scenarios[0].Samples[0].OutputDirectory)).Any(), "the kept output has Filare's files");
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

        var outcome = await root.RunAsync("PerfRun", "--profilers", "importtime", "--importtime-runs", "1", "--keep-outputs", "0", "--artifact-budget-mb", "0.01");
        var report = await root.RunAsync("PerfReport", "--report-input", "outputs/perf/local", "--baseline", "none");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Empty(Outputs(root));
        var storage = root.Metrics().Storage!;
        Assert.Contains(storage.Artifacts, a => a.OverBudget && a.Name == "perf-writes");
        Assert.All(storage.Artifacts, a => Assert.Equal(a.Bytes > 10485, a.OverBudget));
        Assert.Contains("artifact perf-writes is", outcome.Output, StringComparison.Ordinal);
        Assert.True(report.ExitCode == 0, report.ToString());
        var markdown = File.ReadAllText(Path.Combine(root.RunFolder(), "report.md"));
        Assert.Contains("Artifacts over the 10.2 KiB budget (FIL_PERF_ARTIFACT_BUDGET_MB): ", markdown, StringComparison.Ordinal);
        Assert.Matches(@"budget \(FIL_PERF_ARTIFACT_BUDGET_MB\): [^\n]*perf-writes [0-9.]+ KiB", markdown);
    }
}
