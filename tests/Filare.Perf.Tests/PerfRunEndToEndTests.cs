using Filare.Perf.Measurement;
using Filare.Perf.Processes;
using Filare.Perf.Profilers;
using Filare.Perf.Results;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests;

/// <summary>Whole PerfRun builds over the fixture program, in-process, with real processes.</summary>
public sealed class PerfRunEndToEndTests
{
    private const long Mib = 1024 * 1024;

    [Fact]
    public async Task Peak_rss_covers_a_child_that_allocates_more_than_the_parent()
    {
        using var root = new TestRoot().FixtureScenario("child-heavy", "--alloc-mb 20 --child-alloc-mb 160", runs: 2);

        var outcome = await root.RunAsync("PerfRun");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var scenario = Assert.Single(root.Metrics().Scenarios);
        Assert.Equal(ScenarioStatus.Ok, scenario.Status);
        Assert.Equal(2, scenario.Samples.Count);
        Assert.All(scenario.Samples, s => Assert.True(s.PeakRssBytes >= 160 * Mib, $"peak RSS {s.PeakRssBytes} < 160 MiB"));
        Assert.True(scenario.Statistics!.PeakRssBytes.Min >= 160 * Mib);
    }

    [Fact]
    public async Task Cpu_bound_work_reports_cpu_near_one_core_and_counts_children()
    {
        using var root = new TestRoot().FixtureScenario("cpu", "--work 40 --child-alloc-mb 8", runs: 3);

        var outcome = await root.RunAsync("PerfRun");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var scenario = Assert.Single(root.Metrics().Scenarios);
        Assert.InRange(scenario.Statistics!.CpuPercent.Median, 80, 110);
        Assert.All(scenario.Samples, s =>
        {
            Assert.NotNull(s.UserSeconds);
            Assert.True(s.UserSeconds + s.SystemSeconds <= s.WallSeconds * 1.15, "CPU cannot exceed wall on one busy core");
        });
    }
}
