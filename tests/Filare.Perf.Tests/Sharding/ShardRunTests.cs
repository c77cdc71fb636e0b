using Filare.Perf.Results;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests.Sharding;

/// <summary>PerfRun --shard K/N on the fixture: each shard runs its part, in its own folder, and PerfReport merges them.</summary>
public sealed class ShardRunTests
{
    private static TestRoot Root() => new TestRoot()
        .Scenario("heavy", Yaml("heavy", "--work 1", 200))
        .Scenario("light-a", Yaml("light-a", "--work 1", 90))
        .Scenario("light-b", Yaml("light-b", "--work 1", 100));

    private static string Yaml(string name, string arguments, int cost) => $$"""
        name: {{name}}
        command: [python, "{root}/perf_fixture.py", {{string.Join(", ", arguments.Split(' ').Select(a => $"\"{a}\""))}}]
        runs: 1
        warmups: 0
        cost: {{cost}}
        """;

    [Fact]
    public async Task Two_shards_run_every_scenario_once_split_by_cost_and_merge_into_one_report()
    {
        using var root = Root();

        var first = await root.RunAsync("PerfRun", "--shard", "1/2", "--run-label", "local", "--profilers", "importtime", "--importtime-runs", "1");
        var second = await root.RunAsync("PerfRun", "--shard", "2/2", "--run-label", "local", "--profilers", "importtime", "--importtime-runs", "1");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        var one = root.Metrics("local-shard1of2");
        var two = root.Metrics("local-shard2of2");
        // 200 s alone against 90 + 100: the heavy one gets a shard of its own.
        Assert.Equal(["heavy"], one.Scenarios.Select(s => s.Name));
        Assert.Equal(["light-a", "light-b"], two.Scenarios.Select(s => s.Name));
        Assert.Equal(new ShardRun(1, 2, 200), one.Shard);
        Assert.Equal(new ShardRun(2, 2, 190), two.Shard);
        Assert.Equal("local", two.RunLabel);

        var report = await root.RunAsync("PerfReport", "--report-input", "outputs/perf", "--baseline", "none");
        Assert.True(report.ExitCode == 0, report.ToString());
        var markdown = File.ReadAllText(Path.Combine(root.Path, "outputs", "perf", "report.md"));
        // One run: one headline (all three scenarios) and one header, not one per shard.
        Assert.StartsWith("### ➖ Nothing compared: 3 scenarios measured\n", markdown, StringComparison.Ordinal);
        Assert.Single(markdown.Split('\n'), l => l.StartsWith("**Filare performance** of local", StringComparison.Ordinal));
        Assert.Contains("Sharded over 2 runners", markdown, StringComparison.Ordinal);
        foreach (var name in new[] { "heavy", "light-a", "light-b" })
        {
            Assert.Matches($@"\n\| {name.Replace("-", @"\\?-", StringComparison.Ordinal)} \|", markdown);
        }
    }

    [Theory]
    [InlineData("3/2")]
    [InlineData("two")]
    public async Task A_bad_shard_stops_the_build_naming_the_parameter(string shard)
    {
        using var root = Root();

        var outcome = await root.RunAsync("PerfRun", "--shard", shard);

        Assert.NotEqual(0, outcome.ExitCode);
        Assert.Contains("--shard / FIL_PERF_SHARD", outcome.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(root.Path, "outputs", "perf")), "nothing may run");
    }

    [Fact]
    public async Task A_shard_beyond_the_scenarios_and_gate_scenarios_outside_the_selection_are_refused()
    {
        using var root = Root();

        var empty = await root.RunAsync("PerfRun", "--shard", "4/4");
        var stranger = await root.RunAsync("PerfRun", "--shard", "1/2", "--shard-scenarios", "nobody");

        Assert.NotEqual(0, empty.ExitCode);
        Assert.Contains("shard 4 of 4 has no scenario (3 selected)", empty.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, stranger.ExitCode);
        Assert.Contains("FIL_PERF_SHARD_SCENARIOS: 'nobody' not among the selected scenarios", stranger.Output, StringComparison.Ordinal);
    }
}
