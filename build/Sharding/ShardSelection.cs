using Filare.Perf.Results;
using Filare.Perf.Scenarios;

namespace Filare.Perf.Sharding;

/// <summary>
/// PerfRun's <c>--shard K/N</c>: which of the selected scenarios this run measures. Locally the split
/// rule decides (costs from <paramref name="History"/>, else each file's <c>cost:</c>); in CI the gate
/// already decided and passes the shard's scenarios (<paramref name="Given"/>), so a PR that edits its
/// scenario files cannot move a scenario into two shards or none.
/// </summary>
public sealed record ShardSelection(ShardSpec Spec, IReadOnlyList<string> Given, IReadOnlyList<MeasuredCost> History, string? PreferredBranch)
{
    /// <summary>The shard's scenarios, in catalog order, and the seconds the split expected of them.</summary>
    public (IReadOnlyList<Scenario> Scenarios, double? ExpectedSeconds) Apply(IReadOnlyList<Scenario> selected)
    {
        if (Given.Count > 0)
        {
            var unknown = Given.Where(g => !selected.Any(s => string.Equals(s.Name, g, StringComparison.OrdinalIgnoreCase))).ToList();
            if (unknown.Count > 0)
            {
                throw new ScenarioException([$"--shard-scenarios / FIL_PERF_SHARD_SCENARIOS: {string.Join(", ", unknown.Select(u => $"'{u}'"))} " +
                    $"not among the selected scenarios ({string.Join(", ", selected.Select(s => s.Name))})."]);
            }
            return (selected.Where(s => Given.Contains(s.Name, StringComparer.OrdinalIgnoreCase)).ToList(), null);
        }
        var costs = ScenarioCosts.Resolve(selected, History, PreferredBranch);
        var shard = ShardPlan.Select(costs, Spec);
        return (selected.Where(s => shard.Scenarios.Contains(s.Name, StringComparer.OrdinalIgnoreCase)).ToList(), shard.ExpectedSeconds);
    }
}
