using Filare.Perf.Results;

namespace Filare.Perf.Tests;

/// <summary>States are enums in code and keep metrics.json's documented spelling (docs/performance/metrics.md).</summary>
public sealed class MetricsJsonTests
{
    [Fact]
    public void States_are_written_as_metrics_json_has_always_spelled_them_and_read_back()
    {
        var folder = Directory.CreateTempSubdirectory("filare-perf-json-").FullName;
        try
        {
            RunSample Sample(SampleKind kind) => new(kind, 1, RunStatus.Ok, 1.0, 0.9, 0.05, 1 << 20, 0, null, 0, "o", "e", "d", null);
            var scenario = new ScenarioResult("demo01", "d", [], ["filare"], "/src", ScenarioStatus.Ok, null, 1, 1, [Sample(SampleKind.Warmup)],
                [Sample(SampleKind.Run)], null, []);
            var settings = new PerformanceSettings("outputs/perf", "aa", null, null, null, new PySpySettings(false, 100, SpyOutput.Svg, false, false, false),
                new ScaleneSettings(false, 0.01, true, true, "filare"), new MemraySettings(false, false, MemrayFormat.Flamegraph, false, 50),
                new CProfileSettings(false, CProfileSort.Tottime, CProfileFormat.Pstats));
            var environment = new RunEnvironment("CPU", 2, null, "Linux", "6", "x64", "3.11.7", "CPython", "python3", "/src", null, null, null, null, "10",
                null);
            var store = new MetricsStore(folder, new RunMetrics(RunMetrics.SchemaName, RunMetrics.CurrentVersion, "aa", RunState.Running,
                DateTimeOffset.UnixEpoch, null, environment, settings, [scenario],
                new CompareRun("HEAD", "c", CompareMode.AA, CompareStatus.Ok, null, "/base", "shared interpreter", "python3", "3.11.7")));
            Assert.Contains("\"status\": \"running\"", File.ReadAllText(store.FilePath), StringComparison.Ordinal);

            store.SetCompare(store.Current.Compare! with { Mode = CompareMode.AB, Status = CompareStatus.Failed });
            store.Finish(RunState.Complete, DateTimeOffset.UnixEpoch);
            var json = File.ReadAllText(store.FilePath);

            Assert.Contains("\"status\": \"complete\"", json, StringComparison.Ordinal);
            Assert.Contains("\"mode\": \"a/b\"", json, StringComparison.Ordinal);
            Assert.Contains("\"status\": \"failed\"", json, StringComparison.Ordinal);
            Assert.Contains("\"kind\": \"warmup\"", json, StringComparison.Ordinal);
            Assert.Contains("\"kind\": \"run\"", json, StringComparison.Ordinal);
            Assert.Equal((CompareMode.AB, CompareStatus.Failed, RunState.Complete),
                (MetricsStore.Read(store.FilePath).Compare!.Mode, MetricsStore.Read(store.FilePath).Compare!.Status, MetricsStore.Read(store.FilePath).Status));
            File.WriteAllText(store.FilePath, json.Replace("\"a/b\"", "\"a/a\"", StringComparison.Ordinal));
            Assert.Equal(CompareMode.AA, MetricsStore.Read(store.FilePath).Compare!.Mode);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
