using System.Text.RegularExpressions;
using Filare.Perf.GitHub;
using Filare.Perf.Reporting;
using Filare.Perf.Results;

namespace Filare.Perf.Publishing;

/// <summary>
/// The "Time to verdict" from GitHub's own clock: the run's creation (when GitHub received the trigger), the jobs' start
/// and end (GET /actions/runs/{id}/jobs) and the moment the comment is posted. Stages follow each other: gate (queue
/// included), the slowest shard (from the gate's end: its queue, container and run), the report (from that shard's end to
/// the comment). The slowest shard's fixed costs are its steps before measuring: the container, the checkout, the uv
/// cache, and from the PerfRun step's start to its metrics.json's start (harness build, Filare's environment, profilers).
/// </summary>
public static partial class VerdictTimes
{
    public static VerdictTimeline? From(DateTimeOffset trigger, IReadOnlyList<JobTiming> jobs, MergedRun run, DateTimeOffset comment)
    {
        var gate = jobs.FirstOrDefault(j => j.Name == "gate" && j.CompletedAt is not null);
        var shards = jobs
            .Where(j => j.Name == "profile" || j.Name.StartsWith("profile (", StringComparison.Ordinal))
            .Where(j => j.StartedAt is not null && j.CompletedAt is not null)
            .ToList();
        if (gate is null || shards.Count == 0)
        {
            return null;
        }
        var slowest = shards.MaxBy(j => j.CompletedAt!.Value)!;
        var id = ShardId().Match(slowest.Name);
        var shardId = id.Success ? $" ({id.Value})" : "";
        var stages = new List<VerdictStage>
        {
            new("gate", (gate.CompletedAt!.Value - trigger).TotalSeconds),
            new($"slowest shard{shardId}", (slowest.CompletedAt!.Value - gate.CompletedAt.Value).TotalSeconds),
            new("report", (comment - slowest.CompletedAt.Value).TotalSeconds),
        };
        return new VerdictTimeline(stages, (comment - trigger).TotalSeconds, "GitHub's job timings", FixedCosts(slowest, run, id.Success ? id.Value : null));
    }

    private static List<FixedCost> FixedCosts(JobTiming job, MergedRun run, string? shard)
    {
        var costs = new List<FixedCost>();
        void Add(string name, Func<StepTiming, bool> match)
        {
            var seconds = job.Steps.Where(match).Sum(s => s.Seconds ?? 0);
            if (seconds > 0)
            {
                costs.Add(new FixedCost(name, seconds));
            }
        }
        Add("container", s => s.Name == "Initialize containers");
        Add("checkout", s => s.Name.StartsWith("Run actions/checkout", StringComparison.Ordinal));
        Add("uv cache", s => s.Name.StartsWith("Run actions/cache/restore", StringComparison.Ordinal));
        var measured = run.Shards.Count == 0 ? run.Metrics
            : run.Shards.FirstOrDefault(s => s.Metrics.Shard is { } r && $"{r.Index}/{r.Count}" == shard)?.Metrics;
        if (job.Steps.FirstOrDefault(s => s.Name == "PerfRun")?.StartedAt is { } perfRun && measured is not null && measured.StartedAt > perfRun)
        {
            costs.Add(new FixedCost("harness build and setup", (measured.StartedAt - perfRun).TotalSeconds));
        }
        return costs;
    }

    [GeneratedRegex(@"\b[0-9]+/[0-9]+\b")]
    private static partial Regex ShardId();
}
