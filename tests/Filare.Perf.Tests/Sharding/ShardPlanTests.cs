using Filare.Perf.History;
using Filare.Perf.Results;
using Filare.Perf.Scenarios;
using Filare.Perf.Sharding;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests.Sharding;

/// <summary>The split rule the gate and PerfRun --shard share.</summary>
public sealed class ShardPlanTests
{
    private static ScenarioCost Cost(string name, double seconds) => new(name, seconds, CostSource.ScenarioFile);

    // The issue-22 run of Filare 1.6's set, by scenario (seconds, both sides, counted and profiled runs).
    private static readonly ScenarioCost[] s_filare =
    [
        Cost("bomqty", 150), Cost("bomqty-multipliers", 160), Cost("demo01", 240), Cost("multi-page", 330), Cost("pytest-render-bom", 250),
        Cost("rendering", 190),
    ];

    [Fact]
    public void Every_scenario_is_in_exactly_one_shard_and_the_split_balances_expected_cost()
    {
        var shards = ShardPlan.Split(s_filare, 3);

        Assert.Equal(["1/3", "2/3", "3/3"], shards.Select(s => s.Spec.ToString()));
        Assert.Equal(s_filare.Select(c => c.Scenario).Order(StringComparer.Ordinal), shards.SelectMany(s => s.Scenarios).Order(StringComparer.Ordinal));
        // LPT: 330+150 | 250+160 | 240+190 → the slowest shard within 4/3 of the ideal third.
        var ideal = s_filare.Sum(c => c.Seconds) / 3;
        Assert.All(shards, s => Assert.True(s.ExpectedSeconds <= ideal * 4 / 3, $"shard {s.Spec} expects {s.ExpectedSeconds} s; ideal {ideal}"));
        Assert.Equal(480, shards.Max(s => s.ExpectedSeconds));
        // A naive round-robin in name order would put multi-page with demo01 (570 s).
        Assert.DoesNotContain(shards, s => s.Scenarios.Contains("multi-page") && s.Scenarios.Contains("demo01"));
    }

    [Fact]
    public void The_plan_does_not_depend_on_the_order_scenarios_are_given_in_and_keeps_catalog_order_within_a_shard()
    {
        var forward = ShardPlan.Split(s_filare, 3);
        var backward = ShardPlan.Split([.. s_filare.Reverse()], 3);

        Assert.Equal(forward.Select(s => s.Scenarios.Order(StringComparer.Ordinal).ToList()),
            backward.Select(s => s.Scenarios.Order(StringComparer.Ordinal).ToList()));
        Assert.All(forward, s => Assert.Equal(s.Scenarios.Order(StringComparer.Ordinal), s.Scenarios));
    }

    [Fact]
    public void Equal_costs_are_dealt_round_the_shards_by_name()
    {
        var costs = new[] { "a", "b", "c", "d", "e" }.Select(n => new ScenarioCost(n, 100, CostSource.Default)).ToList();

        var shards = ShardPlan.Split(costs, 2);

        Assert.Equal(["a", "c", "e"], shards[0].Scenarios);
        Assert.Equal(["b", "d"], shards[1].Scenarios);
    }

    [Theory]
    [InlineData(300, 4, 4)]  // 1320 s / 330 s (the largest scenario: no shard can be shorter) = 4
    [InlineData(600, 4, 3)]  // 1320 / 600 → 3
    [InlineData(300, 3, 3)]  // capped by the maximum
    [InlineData(100, 2, 2)]
    [InlineData(5000, 4, 1)] // everything fits one shard's target
    public void The_number_of_shards_follows_the_target_time_and_is_capped(double target, int maximum, int expected) =>
        Assert.Equal(expected, ShardPlan.CountFor(s_filare, new ShardSettings(target, maximum)));

    [Fact]
    public void No_more_shards_than_scenarios_and_no_shard_below_the_largest_scenario()
    {
        var costs = new[] { Cost("huge", 1000), Cost("small", 10), Cost("tiny", 5) };

        // Not 17 (1015 s / 60 s) nor 3: the 1000 s scenario bounds every split, two shards already reach it.
        Assert.Equal(2, ShardPlan.CountFor(costs, new ShardSettings(60, 8)));
        Assert.Equal(2, ShardPlan.CountFor([Cost("a", 100), Cost("b", 100)], new ShardSettings(30, 8)));
        Assert.Equal(1, ShardPlan.CountFor([], new ShardSettings(30, 8)));
    }

    [Theory]
    [InlineData("2/3", 2, 3)]
    [InlineData(" 1 / 1 ", 1, 1)]
    public void A_shard_is_written_k_of_n(string text, int index, int count) =>
        Assert.Equal(new ShardSpec(index, count), ShardSpec.Parse(text, "--shard"));

    [Theory]
    [InlineData("3")]
    [InlineData("0/3")]
    [InlineData("4/3")]
    [InlineData("a/b")]
    [InlineData("1/0")]
    public void A_bad_shard_is_refused_naming_the_parameter_and_the_form(string text)
    {
        var error = Assert.Throws<FormatException>(() => ShardSpec.Parse(text, "--shard / FIL_PERF_SHARD"));
        Assert.Contains("--shard / FIL_PERF_SHARD", error.Message, StringComparison.Ordinal);
        Assert.Contains("K/N", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Costs_come_from_the_nightly_history_then_the_scenario_file_then_an_equal_share()
    {
        Scenario S(string name, double? cost) =>
            new(name, "", [], [], ".", new Dictionary<string, string>(), Scenario.DefaultTimeout, 5, 1, [], name + ".yml", 1)
        {
            Cost = cost is { } c ? TimeSpan.FromSeconds(c) : null,
        };
        var history = new[]
        {
            HistoryData.Record("master", "measured", 1, 1.0) with { CostSeconds = 111 },
            HistoryData.Record("master", "measured", 2, 1.0) with { CostSeconds = 222 },
            HistoryData.Record("beta", "measured", 3, 1.0) with { CostSeconds = 333 },
            HistoryData.Record("master", "estimated", 4, 1.0),
        };

        var costs = ScenarioCosts.Resolve([S("measured", 50), S("estimated", 70), S("unknown", null)], HistoryCosts.Of(history), "master");

        Assert.Equal(new ScenarioCost("measured", 222, CostSource.History), costs[0]);
        Assert.Equal(new ScenarioCost("estimated", 70, CostSource.ScenarioFile), costs[1]);
        Assert.Equal(new ScenarioCost("unknown", ScenarioCosts.DefaultSeconds, CostSource.Default), costs[2]);
        Assert.Equal(333, ScenarioCosts.Resolve([S("measured", 50)], HistoryCosts.Of(history), "beta")[0].Seconds);
    }

    [Fact]
    public void A_history_record_carries_the_scenarios_whole_cost_and_reads_back()
    {
        var run = HistoryData.Run("nightly", HistoryData.Sha(1), "master", DateTimeOffset.UnixEpoch, ("demo01", [1.0, 2.0, 3.0]));
        using var root = new TestRoot();
        var file = root.File_("metrics.json");
        File.WriteAllText(file, System.Text.Json.JsonSerializer.Serialize(run, Results.MetricsStore.JsonOptions));

        var (records, _) = HistoryIntake.Read([file], new HistorySource("master", [], null, null));

        Assert.Equal(6.0, Assert.Single(records).CostSeconds);
        var folder = new HistoryFolder(root.File_("history"));
        folder.Append(records);
        Assert.Equal(6.0, Assert.Single(HistoryCosts.ReadFolder(folder.Root, [])).Seconds);
    }
}
