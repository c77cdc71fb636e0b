using Filare.Perf.Engine;
using Filare.Perf.Results;
using Filare.Perf.Sharding;

namespace Filare.Perf;

/// <summary>Shards: the selected scenarios split over runners (docs/performance/ci-workflow.md), and the same split locally.</summary>
public sealed partial class Build
{
    [Parameter("Run the K-th of N shards of the selected scenarios (K/N, e.g. 2/3), split as the gate splits them: by expected cost from --history-dir, else " +
        "each scenario's cost:, else equally; a scenario's two sides are never split. The run folder is <run-label>-shardKofN; PerfReport merges the shards.",
        Group = "Shards")]
    public string? Shard { get; init; }

    [Parameter("With --shard, this shard's scenarios as the gate split them (set by the workflow; a PR cannot re-split them); unset: split here.",
        Group = "Shards")]
    public string[] ShardScenarios { get; init; } = [];

    [Parameter("PerfGate: the seconds one shard should take; the gate opens enough shards for it, up to --max-shards.", Minimum = 30, Maximum = 21600,
        Group = "Shards")]
    public double ShardTargetSeconds { get; init; } = ShardSettings.DefaultTargetSeconds;

    [Parameter("PerfGate: the most shards (profile jobs) per matrix target; 1 runs everything in one job.", Minimum = 1, Maximum = 64, Group = "Shards")]
    public int MaxShards { get; init; } = ShardSettings.DefaultMaximumShards;

    private ShardSettings ShardSettings => new(ShardTargetSeconds, MaxShards);

    /// <summary>--shard parsed; a bad value stops the build before anything runs, naming the parameter.</summary>
    private ShardSpec? ShardSpec
    {
        get
        {
            if (Shard is not { Length: > 0 } text)
            {
                return ShardScenarios.Length > 0
                    ? throw new BuildConfigurationException("--shard-scenarios / FIL_PERF_SHARD_SCENARIOS " +
                        "needs --shard / FIL_PERF_SHARD (K/N): the scenarios are one shard's.")
                    : null;
            }
            try
            {
                return ShardSpec.Parse(text, "--shard / FIL_PERF_SHARD");
            }
            catch (FormatException e)
            {
                throw new BuildConfigurationException(e.Message);
            }
        }
    }

    /// <summary>What PerfRun measures of the selection; only a local split reads the history, the gate's split (--shard-scenarios) needs none.</summary>
    private ShardSelection? ShardSelection
    {
        get
        {
            if (ShardSpec is not { } spec)
            {
                return null;
            }
            var notes = new List<string>();
            var history = ShardScenarios.Length > 0 ? [] : Sharding.HistoryCosts.ReadFolder(System.IO.Path.GetFullPath(HistoryDir, RootDirectory), notes);
            notes.ForEach(n => Spectre.Console.AnsiConsoleExtensions.MarkupLine(Console, Spectre.Console.Markup.Escape(n)));
            return new ShardSelection(spec, ShardScenarios, history, FilareBranch);
        }
    }
}
