using System.Text;
using Filare.Perf.Results;

namespace Filare.Perf.Reporting;

/// <summary>
/// A run merged from shards: which runner measured which scenarios, how long each shard took, and its
/// artifacts. When the runners' CPU models differ it says so beside the scenarios concerned: each
/// verdict is still paired on one runner, but figures across those scenarios are not one population.
/// </summary>
public static class ShardsSection
{
    public static void Write(ReportContext context, StringBuilder text)
    {
        TimeToVerdictLine.Write(context, text);
        if (context.Metrics.MergedShards is not { Count: > 0 } shards)
        {
            return;
        }
        text.AppendLine($"Sharded over {shards.Count} runner{(shards.Count == 1 ? "" : "s")}; each scenario's sides ran interleaved on one runner.")
            .AppendLine();
        foreach (var shard in shards)
        {
            var artifacts = context.Links.Artifacts
                .Where(a => shard.ArtifactSuffix.Length > 0 && a.Key.EndsWith(shard.ArtifactSuffix, StringComparison.Ordinal))
                .OrderBy(a => a.Key, StringComparer.Ordinal)
                .Select(a => Markdown.Link(a.Key, a.Value))
                .ToList();
            text.AppendLine($"- shard {shard.Index}/{shard.Count}: {Markdown.Escape(string.Join(", ", shard.Scenarios))} · " +
                $"{Markdown.Escape(shard.CpuModel)}, {shard.LogicalCpus} CPUs, Python {Markdown.Escape(shard.PythonVersion)}" +
                (shard.WallSeconds is { } seconds ? $" · {Format.Seconds(seconds)}" : "") +
                (artifacts.Count > 0 ? " · " + string.Join(", ", artifacts) : ""));
        }
        text.AppendLine();
        var mixed = ShardMerge.MixedCpuModels(context.Metrics);
        if (mixed.Count > 0)
        {
            var byModel = mixed.GroupBy(p => p.Value, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{Markdown.Escape(string.Join(", ", g.Select(p => p.Key).Order(StringComparer.Ordinal)))} on {Markdown.Escape(g.Key)}");
            text.AppendLine($"> [!NOTE]\n> The shards ran on different CPU models: {string.Join("; ", byModel)}. " +
                "Each verdict stays valid (both sides of a scenario were paired on one runner); " +
                "times of scenarios on different models are not comparable with each other.")
                .AppendLine();
        }
    }

    /// <summary>The runner's CPU model beside a scenario's name, when the merged run's shards ran on different models; else null.</summary>
    public static string? CpuNote(ReportContext context, string scenario) =>
        ShardMerge.MixedCpuModels(context.Metrics).TryGetValue(scenario, out var model) ? model : null;
}
