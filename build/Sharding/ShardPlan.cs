using Filare.Perf.Results;

namespace Filare.Perf.Sharding;

/// <summary>Where a scenario's expected cost came from, weakest last.</summary>
public enum CostSource { History, ScenarioFile, Default }

/// <summary>A selected scenario and the seconds its whole run is expected to take (both sides, counted runs, profilers).</summary>
public sealed record ScenarioCost(string Scenario, double Seconds, CostSource Source);

/// <summary>One shard: its place, its scenarios (in the order given) and their expected seconds.</summary>
public sealed record Shard(ShardSpec Spec, IReadOnlyList<string> Scenarios, double ExpectedSeconds);

/// <summary>How many shards the gate opens: enough for <see cref="TargetSeconds"/> each, never more than <see cref="MaximumShards"/>.</summary>
public sealed record ShardSettings(double TargetSeconds, int MaximumShards)
{
    public const double DefaultTargetSeconds = 300;
    public const int DefaultMaximumShards = 4;
}

/// <summary>
/// The split rule of the gate and of <c>PerfRun --shard K/N</c>: scenarios, whole (a scenario's two
/// sides are measured interleaved on one runner, so never split), are dealt to shards by expected cost,
/// largest first, each to the least loaded shard (LPT: within 4/3 of the best split). Ties break by
/// name and then by shard number, so the same input gives the same plan on every machine.
/// </summary>
public static class ShardPlan
{
    /// <summary>The number of shards for a target time per shard, capped by the maximum and by the number of scenarios.</summary>
    public static int CountFor(IReadOnlyList<ScenarioCost> costs, ShardSettings settings)
    {
        if (costs.Count == 0)
        {
            return 1;
        }
        var total = costs.Sum(c => c.Seconds);
        // The largest scenario sets a floor no number of shards can go below; more shards than needed for it only cost fixed job time.
        var wanted = (int)Math.Ceiling(total / Math.Max(settings.TargetSeconds, costs.Max(c => c.Seconds)) - 1e-9);
        return Math.Clamp(wanted, 1, Math.Min(settings.MaximumShards, costs.Count));
    }

    /// <summary>All <paramref name="count"/> shards; a shard may be empty only when there are fewer scenarios than shards.</summary>
    public static IReadOnlyList<Shard> Split(IReadOnlyList<ScenarioCost> costs, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var duplicate = costs.GroupBy(c => c.Scenario, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"scenario '{duplicate.Key}' is listed twice", nameof(costs));
        }
        var members = Enumerable.Range(0, count).Select(_ => new List<ScenarioCost>()).ToArray();
        var loads = new double[count];
        foreach (var cost in costs.OrderByDescending(c => c.Seconds).ThenBy(c => c.Scenario, StringComparer.Ordinal))
        {
            var lightest = 0;
            for (var i = 1; i < count; i++)
            {
                if (loads[i] < loads[lightest] - 1e-9)
                {
                    lightest = i;
                }
            }
            members[lightest].Add(cost);
            loads[lightest] += cost.Seconds;
        }
        var order = costs.Select((c, i) => (c.Scenario, i)).ToDictionary(p => p.Scenario, p => p.i, StringComparer.OrdinalIgnoreCase);
        return members.Select((m, i) => new Shard(
                new ShardSpec(i + 1, count),
                m.OrderBy(c => order[c.Scenario]).Select(c => c.Scenario).ToList(),
                loads[i]))
            .ToList();
    }

    /// <summary>The shard <paramref name="spec"/> names, from the same rule.</summary>
    public static Shard Select(IReadOnlyList<ScenarioCost> costs, ShardSpec spec) => Split(costs, spec.Count)[spec.Index - 1];
}
