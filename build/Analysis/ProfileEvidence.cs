using Filare.Perf.Flamegraphs;
using Filare.Perf.ImportTime;
using Filare.Perf.Results;

namespace Filare.Perf.Analysis;

/// <summary>One side's kept profiles of a scenario, read back: its import tree and its py-spy samples.</summary>
public sealed record SideProfiles(ImportTree? Imports, CollapsedStacks? Samples);

/// <summary>Both sides' profiles of one scenario in a compare run, as the differential analyses need them.</summary>
public sealed record ScenarioProfiles(string Scenario, SideProfiles Head, SideProfiles Base);

/// <summary>
/// Reads the import trees (-importtime.json) and py-spy's collapsed samples (-pyspy.txt) of both
/// sides from a run folder, so the analysis can stay pure. A path listed in metrics.json is the PR's
/// data: only files inside the folder are read. What is declared but not here becomes a note.
/// </summary>
public static class ProfileEvidence
{
    public static IReadOnlyList<ScenarioProfiles> BetweenSides(RunMetrics current, string folder, List<string> notes)
    {
        var found = new List<ScenarioProfiles>();
        if (current.Compare is not { Status: CompareStatus.Ok })
        {
            return found;
        }
        foreach (var scenario in current.Scenarios.Where(s => s.Base is not null))
        {
            var head = Side(scenario.Name, "head", scenario.Profilers, folder, notes);
            var @base = Side(scenario.Name, "base", scenario.Base!.Profilers, folder, notes);
            if ((head.Imports is not null && @base.Imports is not null) || (head.Samples is not null && @base.Samples is not null))
            {
                found.Add(new ScenarioProfiles(scenario.Name, head, @base));
            }
        }
        return found;
    }

    private static SideProfiles Side(string scenario, string side, IReadOnlyList<ProfilerRun> profilers, string folder, List<string> notes)
    {
        ImportTree? imports = null;
        if (Declared(profilers, ProfilerNames.ImportTime, ArtifactKinds.ImportTree, folder, out var tree) is { } treeFile)
        {
            imports = ImportTreeFile.Read(treeFile, out var problem);
            if (problem is not null)
            {
                notes.Add($"{scenario} ({side}): import tree not read: {problem}");
            }
        }
        else if (tree)
        {
            notes.Add($"{scenario} ({side}): no import diff: the -importtime.json file is not under {folder}");
        }
        CollapsedStacks? samples = null;
        if (Declared(profilers, ProfilerNames.PySpy, ArtifactKinds.Collapsed, folder, out var raw) is { } rawFile)
        {
            samples = CollapsedStacks.Read(rawFile).WithoutLineNumbers();
        }
        else if (raw)
        {
            notes.Add($"{scenario} ({side}): no sample diff: the -pyspy.txt file is not under {folder}");
        }
        return new SideProfiles(imports, samples);
    }

    /// <summary>The file when it is here; <paramref name="declared"/> says whether metrics.json lists one.</summary>
    private static string? Declared(IReadOnlyList<ProfilerRun> profilers, string tool, string kind, string folder, out bool declared)
    {
        var run = profilers.FirstOrDefault(p => p.Tool == tool);
        declared = run?.Artifacts.Any(a => a.Kind == kind) == true;
        return run is null ? null : run.ArtifactFile(kind, folder);
    }
}
