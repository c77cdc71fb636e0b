using Filare.Perf.Comparison;
using Filare.Perf.Flamegraphs;
using Filare.Perf.ImportTime;
using Filare.Perf.Results;

namespace Filare.Perf.Analysis;

/// <summary>
/// Where the imports went in one scenario: each side's import time against its wall time (from
/// metrics.json), and with both sides' trees what grew, what is new and what is gone.
/// </summary>
/// <param name="Head">The head's (or the only side's) -X importtime figures.</param>
public sealed record ImportAnalysis(ImportStats Head, ImportStats? Base, ImportDiff? Diff)
{
    public const int Rows = 10;
}

/// <summary>The frames of py-spy's samples whose self share grew most from base to head, beyond the floor.</summary>
public sealed record SampleGrowth(long BaseSamples, long HeadSamples, IReadOnlyList<FrameChange> Grew, ChangeFloor? Floor = null)
{
    public const int Rows = 10;
}

/// <summary>Import time per side, and the import diff when both trees were read.</summary>
public sealed class ImportAnalyser : IScenarioAnalyser
{
    public ScenarioAnalysis Analyse(ScenarioResult scenario, ScenarioAnalysis found, AnalysisContext context)
    {
        if (Stats(scenario.Profilers) is not { } head)
        {
            return found;
        }
        var profiles = context.Input.Profiles?.FirstOrDefault(p => p.Scenario == scenario.Name);
        var diff = profiles is { Head.Imports: { } after, Base.Imports: { } before } ? ImportDiff.Of(before, after, ImportAnalysis.Rows) : null;
        return found with { Imports = new ImportAnalysis(head, context.Compared ? Stats(scenario.Base?.Profilers ?? []) : null, diff) };
    }

    private static ImportStats? Stats(IReadOnlyList<ProfilerRun> profilers) =>
        profilers.FirstOrDefault(p => p.Tool == ProfilerNames.ImportTime && p.Status == ProfilerStatus.Ok)?.Imports;
}

/// <summary>Gregg's difffolded, normalised: the frames whose share of the samples grew beyond noise, from both sides' py-spy samples.</summary>
public sealed class SampleGrowthAnalyser : IScenarioAnalyser
{
    public ScenarioAnalysis Analyse(ScenarioResult scenario, ScenarioAnalysis found, AnalysisContext context)
    {
        var profiles = context.Input.Profiles?.FirstOrDefault(p => p.Scenario == scenario.Name);
        if (profiles is not { Head.Samples: { Total: > 0 } head, Base.Samples: { Total: > 0 } @base })
        {
            return found;
        }
        return found with { SampleGrowth = HotspotNoise.Growth(@base, head, ScenarioStatistics.Floor(scenario.Statistics, scenario.Base?.Statistics)) };
    }
}
