using System.Globalization;
using System.Text.Json.Nodes;
using Filare.Perf.Scenarios;

namespace Filare.Perf.Sharding;

/// <summary>
/// The gate's shard plan: the selected scenarios split over the profile job's matrix by the rule
/// <see cref="ShardPlan"/> applies, costs from the nightly history when <paramref name="History"/> finds it.
/// </summary>
/// <param name="History">Reads the history's records (fetched from the history branch in CI); never throws, notes what it could not read.</param>
public sealed record GateShards(ShardSettings Settings, Func<ICollection<string>, CancellationToken, Task<IReadOnlyList<MeasuredCost>>> History)
{
    public async Task<IReadOnlyList<Shard>> PlanAsync(IReadOnlyList<Scenario> selected, string? preferredBranch, ICollection<string> notes,
        CancellationToken cancellation)
    {
        var costs = ScenarioCosts.Resolve(selected, await History(notes, cancellation).ConfigureAwait(false), preferredBranch);
        var shards = ShardPlan.Split(costs, ShardPlan.CountFor(costs, Settings));
        var sources = costs.GroupBy(c => c.Source).OrderBy(g => g.Key).Select(g => $"{g.Count()} from {Describe(g.Key)}");
        notes.Add($"{shards.Count} shard(s) for {costs.Count} scenario(s), expected {costs.Sum(c => c.Seconds):0} s in all " +
            $"(target {Settings.TargetSeconds:0} s per shard, at most {Settings.MaximumShards}); costs: {string.Join(", ", sources)}");
        return shards;
    }

    /// <summary>
    /// The <c>shards</c> step output, read by <c>fromJSON(needs.gate.outputs.shards)</c> as a matrix key:
    /// id (FIL_PERF_SHARD), suffix (artifact names), scenarios (FIL_PERF_SHARD_SCENARIOS, names the catalog validated).
    /// </summary>
    public static string Json(IReadOnlyList<Shard> shards) => new JsonArray([.. shards.Select(s => (JsonNode)new JsonObject
    {
        ["id"] = s.Spec.ToString(),
        ["suffix"] = s.Spec.Suffix,
        ["scenarios"] = string.Join(' ', s.Scenarios),
        ["expected"] = Math.Round(s.ExpectedSeconds).ToString(CultureInfo.InvariantCulture),
    })]).ToJsonString();

    private static string Describe(CostSource source) => source switch
    {
        CostSource.History => "the nightly history",
        CostSource.ScenarioFile => "cost: in the scenario file",
        _ => $"the default ({ScenarioCosts.DefaultSeconds:0} s)",
    };
}
