using Filare.Perf.Analysis;
using Filare.Perf.Comparison;
using Filare.Perf.Engine;
using Filare.Perf.Reporting;
using Filare.Perf.Results;
using Filare.Perf.Storage;

namespace Filare.Perf.Harness;

/// <summary>The PerfRun target: analyse the run once, store its paired verdicts, write summary.md and the console table.</summary>
/// <summary>--keep-outputs and --artifact-budget-mb.</summary>
public sealed record StorageOptions(int KeepOutputs = 1, double BudgetMegabytes = StorageOptions.DefaultBudgetMegabytes)
{
    public const double DefaultBudgetMegabytes = 10;
}

internal static class SessionFinish
{
    /// <summary>Fails the target when a scenario (or its base side) did not run cleanly.</summary>
    public static void Finish(MetricsStore store, ComparisonSettings settings, SessionConsole console, StorageOptions storage)
    {
        // Analysed once, with the run's own --compare-alpha and --compare-min-effect, for every output.
        var unread = new List<string>();
        var analysis = RunAnalysis.Of(new AnalysisInput(store.Current, settings,
            Profiles: ProfileEvidence.BetweenSides(store.Current, store.RunFolder, unread)));
        unread.ForEach(console.Warning);
        foreach (var scenario in store.Current.Scenarios.Where(s => s.Base is not null && analysis.Compared))
        {
            var found = analysis.For(scenario.Name);
            store.Update(scenario with { Paired = found.Paired, InstructionChange = found.Instructions, HeapChange = found.Heap });
        }
        // Before summary.md and upload: the artifacts hold what a reviewer opens, and their sizes are on record.
        var kept = OutputPruning.Prune(store.RunFolder, store.Current, storage.KeepOutputs, storage.BudgetMegabytes);
        store.SetStorage(kept);
        console.Note($"artifacts: {Format.Bytes((double)kept.Artifacts.Sum(a => a.Stored))} as uploaded (zipped), " +
            $"{Format.Bytes((double)kept.Artifacts.Sum(a => a.Bytes))} on disk; {Format.Bytes((double)kept.DeletedBytes)} of Filare outputs deleted");
        foreach (var over in kept.Artifacts.Where(a => a.OverBudget))
        {
            console.Warning($"artifact {over.Name} is {Format.Bytes((double)over.Stored)} zipped ({Format.Bytes((double)over.Bytes)} on disk), " +
                $"over the {Format.Bytes((double)over.BudgetBytes)} budget (--artifact-budget-mb)");
        }
        store.Finish(RunState.Complete, DateTimeOffset.UtcNow);
        var metrics = store.Current;
        analysis = analysis with { Current = metrics };
        AtomicFile.WriteAllText(Path.Combine(store.RunFolder, "summary.md"), ReportMarkdown.Render(new ReportInput(analysis)));
        ConsoleReport.Write(console.Console, analysis);
        console.Results(store.FilePath);
        var broken = metrics.Scenarios.Where(s => s.Status is ScenarioStatus.Failed or ScenarioStatus.Timeout or ScenarioStatus.Error).ToList();
        var brokenBase = metrics.Scenarios.Where(s => s.Base?.Status is ScenarioStatus.Failed or ScenarioStatus.Timeout or ScenarioStatus.Error).ToList();
        if (broken.Count > 0 || brokenBase.Count > 0)
        {
            throw new BuildFailedException(string.Join(" ", new[]
            {
                broken.Count == 0 ? null : $"{broken.Count} of {metrics.Scenarios.Count} scenarios did not run cleanly: " +
                    string.Join("; ", broken.Select(s => $"{s.Name} ({s.Status.ToString().ToLowerInvariant()})")) + ".",
                brokenBase.Count == 0 ? null : $"At {metrics.Compare?.Ref}, {brokenBase.Count} did not: " +
                    string.Join("; ", brokenBase.Select(s => $"{s.Name} ({s.Base!.Status.ToString().ToLowerInvariant()})")) + ".",
            }.Where(m => m is not null)));
        }
    }
}
