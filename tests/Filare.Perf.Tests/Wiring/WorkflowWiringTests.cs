using Filare.Perf.Engine;
using Filare.Perf.Gate;
using Filare.Perf.Results;
using Filare.Perf.Sharding;
using Filare.Perf.Tests.Support;
using Filare.Perf.BisectReport;

namespace Filare.Perf.Tests.Wiring;

/// <summary>The generated workflows' jobs agree on outputs, artifact names, settings and matrix keys; and the check catches each kind of slip.</summary>
public sealed class WorkflowWiringTests
{
    private static readonly IReadOnlyDictionary<string, string> s_generated = Build.GeneratedFiles(Repository.Root)
        .Where(kv => kv.Key.StartsWith(".github/workflows/", StringComparison.Ordinal))
        .ToDictionary();

    private static WorkflowWiring.Knowledge Knowledge()
    {
        var parameters = ParameterCatalog.For(typeof(Build), new Build());
        var variables = parameters.Select(p => p.EnvironmentVariable).Concat(parameters.SelectMany(p => p.Attribute.Aliases)).ToHashSet(StringComparer.Ordinal);
        var targets = GateDecision.Nightly("nightly", [new GateTarget("beta", ArtifactNames.BranchSuffix("beta"), "beta-1234567", "HEAD")],
            new RunPlan([], [], Baselines.None), new string('a', 40));
        var shards = ShardPlan.Split([new ScenarioCost("a", 1, CostSource.Default), new ScenarioCost("b", 1, CostSource.Default)], 2);
        return new WorkflowWiring.Knowledge(
            variables,
            new Dictionary<string, IReadOnlyList<string>>
            {
                // A single target has no suffix; a nightly one names its branch.
                ["matrix.target.suffix"] = ["", ArtifactNames.BranchSuffix("beta")],
                ["matrix.shard.suffix"] = [.. shards.Select(s => s.Spec.Suffix)],
            },
            new Dictionary<string, string>
            {
                ["targets"] = targets.TargetsJson(),
                ["shards"] = GateShards.Json(shards),
                ["bisections"] = BisectChain.OutputJson([new PlannedBisection("master/demo01/aaaaaaa..bbbbbbb", "master", "demo01", "aaaaaaa", "bbbbbbb")]),
            });
    }

    private static IReadOnlyList<string> Problems(Func<string, string>? edit = null) =>
        new WorkflowWiring(s_generated.ToDictionary(kv => kv.Key, kv => edit is null ? kv.Value : edit(kv.Value)), Knowledge()).Problems();

    [Fact]
    public void Every_output_artifact_setting_and_matrix_key_a_generated_job_reads_is_there()
    {
        Assert.Empty(Problems());
        // The check looked at what matters: the perf workflow has all four kinds of reference.
        var perf = s_generated[".github/workflows/perf.yml"];
        Assert.Contains("needs.gate.outputs.shards", perf, StringComparison.Ordinal);
        Assert.Contains("matrix.shard.scenarios", perf, StringComparison.Ordinal);
        Assert.Contains("pattern: perf-metrics${{ matrix.target.suffix }}-shard*", perf, StringComparison.Ordinal);
        Assert.Contains("FIL_PERF_SHARD_SCENARIOS:", perf, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fromJSON(needs.gate.outputs.shards)", "fromJSON(needs.gate.outputs.shard)", "reads needs.gate.outputs.shard, which job gate does not declare")]
    [InlineData("needs: [gate, profile]", "needs: [profile]", "reads needs.gate.outputs.run but does not need gate")]
    [InlineData("perf-metrics${{ matrix.target.suffix }}-shard*", "perf-metrics${{ matrix.target.suffix }}",
        "downloads pattern 'perf-metrics${{ matrix.target.suffix }}' (as 'perf-metrics'), which no job uploads")]
    [InlineData("FIL_PERF_SHARD_SCENARIOS:", "FIL_PERF_SHARD_SCENARIO:", "sets FIL_PERF_SHARD_SCENARIO, which is no parameter or alias")]
    [InlineData("${{ matrix.shard.id }}", "${{ matrix.shards.id }}", "uses matrix.shards, which its matrix does not define")]
    [InlineData("${{ matrix.shard.scenarios }}", "${{ matrix.shard.names }}", "uses matrix.shard.names, which the gate's shards entries do not have")]
    public void Each_kind_of_broken_reference_is_found(string original, string broken, string expected)
    {
        Assert.Contains(original, s_generated[".github/workflows/perf.yml"], StringComparison.Ordinal);

        var problems = Problems(text => text.Replace(original, broken, StringComparison.Ordinal));

        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Artifacts_uploaded_without_the_shard_suffix_no_longer_meet_the_history_jobs_pattern()
    {
        var problems = Problems(text =>
            text.Replace("${{ matrix.target.suffix }}${{ matrix.shard.suffix }}", "${{ matrix.target.suffix }}", StringComparison.Ordinal));

        Assert.Contains(problems, p => p.Contains("job history downloads pattern", StringComparison.Ordinal));
    }
}
