using System.Globalization;
using System.Text;
using Filare.Perf.Results;

namespace Filare.Perf.Reporting;

/// <summary>One stage between a trigger and the comment: when it started and how long it took.</summary>
public sealed record VerdictStage(string Name, double Seconds);

/// <summary>A cost every shard pays before measuring (container pull, harness build, Filare's environment), from the slowest shard's job.</summary>
public sealed record FixedCost(string Name, double Seconds);

/// <summary>
/// From the trigger to the comment: <see cref="Stages"/> in order (gate, slowest shard, report), <see cref="TotalSeconds"/>
/// from the trigger (GitHub's clock) to the comment, where the figures come from, and the slowest shard's fixed costs.
/// </summary>
public sealed record VerdictTimeline(IReadOnlyList<VerdictStage> Stages, double? TotalSeconds, string Source, IReadOnlyList<FixedCost> FixedCosts);

/// <summary>The "Time to verdict" line: how long the reviewer waited, stage by stage, and what of it was fixed cost.</summary>
public static class TimeToVerdictLine
{
    public static void Write(ReportContext context, StringBuilder text)
    {
        if (context.Links.Timeline is not { Stages.Count: > 0 } timeline)
        {
            return;
        }
        var stages = string.Join(" → ", timeline.Stages.Select(s => $"{Markdown.Escape(s.Name)} {Clock(s.Seconds)}"));
        text.Append("**Time to verdict**")
            .Append(timeline.TotalSeconds is { } total ? $" {Clock(total)}: trigger → " : ": ")
            .Append(stages)
            .Append(timeline.TotalSeconds is null ? "" : " → comment");
        if (timeline.FixedCosts.Count > 0)
        {
            text.Append(" · fixed costs of the slowest shard: ")
                .Append(string.Join(", ", timeline.FixedCosts.Select(c => $"{Markdown.Escape(c.Name)} {Clock(c.Seconds)}")));
        }
        text.Append($" <sub>({Markdown.Escape(timeline.Source)})</sub>").AppendLine().AppendLine();
    }

    /// <summary>m:ss, as a reviewer reads a wait; under a minute in seconds.</summary>
    public static string Clock(double seconds) => seconds < 60
        ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0} s")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)(seconds / 60)}:{(int)(seconds % 60):00}");

    /// <summary>Without the API: the merged run's own figures, the slowest shard against the shards' sum.</summary>
    public static VerdictTimeline? FromShards(RunMetrics merged)
    {
        if (merged.MergedShards is not { Count: > 1 } shards || shards.Where(s => s.WallSeconds is not null).ToList() is not { Count: > 0 } timed)
        {
            return null;
        }
        var slowest = timed.MaxBy(s => s.WallSeconds!.Value)!;
        var stages = new List<VerdictStage>
        {
            new($"slowest shard ({slowest.Index}/{slowest.Count})", slowest.WallSeconds!.Value),
        };
        var sum = timed.Sum(s => s.WallSeconds!.Value);
        return new VerdictTimeline(stages, null, string.Create(CultureInfo.InvariantCulture,
            $"the shards' own metrics.json; run one after another they would take {Clock(sum)}"), []);
    }
}
