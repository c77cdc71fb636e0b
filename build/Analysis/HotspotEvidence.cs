using Filare.Perf.Results;
using Filare.Perf.Storage;

namespace Filare.Perf.Analysis;

/// <summary>
/// Reads the hotspot diffs an analysis shows from the cProfile captures on disk: since the baseline,
/// and from base to head in a compare run. What cannot be read becomes a note, never a failure.
/// </summary>
public static class HotspotEvidence
{
    public static async Task<IReadOnlyList<HotspotDiff>> SinceBaselineAsync(RunMetrics current, string currentFolder, RunMetrics baseline,
        string baselineFolder, IReadOnlyDictionary<string, string> environment, List<string> notes, CancellationToken cancellation)
    {
        var diffs = new List<HotspotDiff>();
        foreach (var scenario in current.Scenarios)
        {
            var now = Pstats(scenario.Profilers, currentFolder);
            var before = Pstats(baseline.Matching(scenario)?.Profilers ?? [], baselineFolder);
            if (now is null || before is null)
            {
                continue;
            }
            await AddAsync(diffs, scenario.Name, before, now, environment, notes, cancellation).ConfigureAwait(false);
        }
        return diffs;
    }

    /// <summary>A compare run holds both sides' captures in its own folder: where the time moved from base to head, whatever the baseline.</summary>
    public static async Task<IReadOnlyList<HotspotDiff>> BetweenSidesAsync(RunMetrics current, string folder, IReadOnlyDictionary<string, string> environment,
        List<string> notes, CancellationToken cancellation)
    {
        var diffs = new List<HotspotDiff>();
        if (current.Compare is not { Status: CompareStatus.Ok })
        {
            return diffs;
        }
        foreach (var scenario in current.Scenarios)
        {
            var head = Pstats(scenario.Profilers, folder);
            var side = Pstats(scenario.Base?.Profilers ?? [], folder);
            if (head is null || side is null)
            {
                // Both captured but a file is not here: the artifact that was downloaded left it out.
                if (Declared(scenario.Profilers) && Declared(scenario.Base?.Profilers ?? []))
                {
                    notes.Add($"{scenario.Name}: no hotspot diff between base and head: the " +
                        $"{(head is null ? "head" : "base")} pstats file is not under {folder}");
                }
                continue;
            }
            await AddAsync(diffs, scenario.Name, side, head, environment, notes, cancellation).ConfigureAwait(false);
        }
        return diffs;
    }

    private static async Task AddAsync(List<HotspotDiff> diffs, string scenario, string before, string after, IReadOnlyDictionary<string, string> environment,
        List<string> notes, CancellationToken cancellation)
    {
        var (diff, problem) = await Hotspots.CompareAsync(scenario, before, after, cancellation).ConfigureAwait(false);
        if (problem is not null)
        {
            notes.Add(problem);
        }
        if (diff is not null)
        {
            diffs.Add(diff);
        }
    }

    private static bool Declared(IReadOnlyList<ProfilerRun> profilers) =>
        profilers.Any(p => p.Tool == ProfilerNames.CProfile && p.Artifacts.Any(a => a.Kind == ArtifactKinds.Pstats));

    private static string? Pstats(IReadOnlyList<ProfilerRun> profilers, string folder) =>
        profilers.FirstOrDefault(p => p.Tool == ProfilerNames.CProfile)?.Artifacts.FirstOrDefault(a => a.Kind == ArtifactKinds.Pstats) is { } artifact
        && Path.Combine(folder, artifact.Path) is var path && File.Exists(path)
        && Paths.IsInside(path, folder)
            ? path
            : null;
}
