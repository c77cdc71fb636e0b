using Filare.Perf.Flamegraphs;
using Filare.Perf.Results;
using Filare.Perf.Storage;

namespace Filare.Perf.Profilers;

/// <summary>A profiler whose two sides of an A/B can be drawn as one differential flamegraph.</summary>
public interface IDifferentialProfiler
{
    /// <summary>
    /// The base-vs-head views of one scenario from both sides' kept profiles, written beside the
    /// head's; none when either side kept nothing to compare.
    /// </summary>
    IReadOnlyList<Artifact> Compare(ProfilingContext head, ProfilerRun headRun, ProfilerRun baseRun);
}

/// <summary>Writes the two differential views (head's shape, base's shape) and finds a side's kept files.</summary>
public static class DiffFlamegraphs
{
    /// <summary>Artifact kind of the view in the head's shape: what grew, and what is new.</summary>
    public const string HeadShape = ArtifactKinds.DiffFlamegraph;

    /// <summary>Artifact kind of the negated view, in the base's shape: what shrank, and what vanished.</summary>
    public const string BaseShape = ArtifactKinds.DiffFlamegraphNegated;

    public static IReadOnlyList<Artifact> Write(ProfilingContext head, string tool, string what, string unit, CollapsedStacks @base, CollapsedStacks headStacks)
    {
        if (@base.Total == 0 || headStacks.Total == 0)
        {
            return [];
        }
        var diff = FlameDiff.Of(@base, headStacks);
        var legend = $"red: self share grew, blue: shrank, white: unchanged; each side as shares of its own total (head {headStacks.Total:N0}, base {@base.Total:N0} {unit})";
        var headPath = head.DiffArtifactPath(tool, "");
        var basePath = head.DiffArtifactPath(tool, "-negated");
        AtomicFile.WriteAllText(headPath, FlameSvg.Differential(diff, FlameSide.Head, new($"{head.Scenario.Name}: {what}, base → head, in the head's shape", legend, unit)));
        AtomicFile.WriteAllText(basePath, FlameSvg.Differential(diff, FlameSide.Base, new($"{head.Scenario.Name}: {what}, base → head, in the base's shape (negated view: what vanished)", legend, unit)));
        return [Artifact.Of(HeadShape, headPath, head.RunFolder), Artifact.Of(BaseShape, basePath, head.RunFolder)];
    }

    /// <summary>
    /// The file of a run's artifact of this kind, when it is on disk inside the run folder (a path
    /// read back from metrics.json is the PR's data: it must not lead outside).
    /// </summary>
    public static string? File(ProfilerRun run, string kind, string runFolder) => run.ArtifactFile(kind, runFolder);
}
