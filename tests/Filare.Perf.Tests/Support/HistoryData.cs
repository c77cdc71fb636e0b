using Filare.Perf.History;
using Filare.Perf.Results;

namespace Filare.Perf.Tests.Support;

/// <summary>Runs and records as the history sees them, for the history and trend tests.</summary>
public static class HistoryData
{
    public static string Sha(int n) => n.ToString("x8", System.Globalization.CultureInfo.InvariantCulture).PadLeft(40, 'a');

    public static RunMetrics Run(string label, string? commit, string? branch, DateTimeOffset started, params (string Name, double[] Walls)[] scenarios) => new(
        RunMetrics.SchemaName, RunMetrics.CurrentVersion, label, RunState.Complete, started, started.AddMinutes(5),
        new RunEnvironment("AMD EPYC 7763", 4, 16L << 30, "Ubuntu 24.04", "6.8.0", "x64", "3.12.3", "CPython", "/usr/bin/python3", "/src", commit, branch,
            false, null, "10.0.0", null),
        new PerformanceSettings("outputs/perf", label, null, null, null,
            new PySpySettings(false, 100, SpyOutput.Svg, false, false, false), new ScaleneSettings(false, 0.01, true, true, "filare"),
            new MemraySettings(false, false, MemrayFormat.Flamegraph, false, 50), new CProfileSettings(false, CProfileSort.Tottime, CProfileFormat.Pstats)),
        [.. scenarios.Select(s => Scenario(s.Name, s.Walls))]);

    public static ScenarioResult Scenario(string name, double[] walls, ScenarioStatus status = ScenarioStatus.Ok)
    {
        var samples = walls.Select((w, i) =>
            new RunSample(SampleKind.Run, i + 1, RunStatus.Ok, w, w * 0.9, w * 0.05, 100L << 20, 0, null, 0, "o", "e", "d", null)).ToList();
        return new ScenarioResult(name, "d", [], ["filare"], "/src", status, null, walls.Length, 0, [], samples, null, []);
    }

    /// <summary>A record of one night: wall median <paramref name="wall"/>, on a runner named <paramref name="cpu"/>.</summary>
    public static HistoryRecord Record(string branch, string scenario, int night, double wall, string cpu = "AMD EPYC 7763", double rss = 100 << 20,
        double? noise = null, string python = "3.12.3") => new(
        HistoryRecord.SchemaName, HistoryRecord.CurrentVersion, branch, scenario, Sha(night),
        new DateTimeOffset(2026, 1, 1, 3, 0, 0, TimeSpan.Zero).AddDays(night), $"nightly-{branch}-{night}", null, "filare/filare",
        new HistoryRunner(cpu, 4, "Ubuntu 24.04", "x64"), new HistoryPython("CPython", python), ScenarioStatus.Ok, 5,
        new HistoryMetric(wall, wall * 0.99, wall * 1.01, 5), new HistoryMetric(95, 94, 96, 5), new HistoryMetric(rss, rss, rss, 5), null,
        noise is { } n ? new HistoryNoise(n, n, n) : null);
}
