using Filare.Perf.Comparison;
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
    /// <param name="floor">
    /// The floor a frame's change must pass, from the scenario's clean runs (a profiler with runs of its own may test those instead).
    /// </param>
    IReadOnlyList<Artifact> Compare(ProfilingContext head, ProfilerRun headRun, ProfilerRun baseRun, ChangeFloor floor);
}

/// <summary>Writes the two differential views (head's shape, base's shape) and finds a side's kept files.</summary>
public static class DiffFlamegraphs
{
    /// <summary>Artifact kind of the view in the head's shape: what grew, and what is new.</summary>
    public const string HeadShape = ArtifactKinds.DiffFlamegraph;

    /// <summary>Artifact kind of the negated view, in the base's shape: what shrank, and what vanished.</summary>
    public const string BaseShape = ArtifactKinds.DiffFlamegraphNegated;

    /// <param name="beyondNoise">A frame's noise test when the profiler's runs allow one: a frame within noise is grey.</param>
    public static IReadOnlyList<Artifact> Write(ProfilingContext head, string tool, string what, string unit, CollapsedStacks @base, CollapsedStacks headStacks,
        Func<FrameChange, bool>? beyondNoise = null) =>
        @base.Total == 0 || headStacks.Total == 0 ? [] : Write(head, tool, what, unit, FlameDiff.Of(@base, headStacks, beyondNoise));

    /// <param name="floor">The noise floor in words, for the legend.</param>
    public static IReadOnlyList<Artifact> Write(ProfilingContext head, string tool, string what, string unit, FlameDiff diff, string? floor = null)
    {
        if (diff.BaseTotal == 0 || diff.HeadTotal == 0)
        {
            return [];
        }
        var grey = !diff.Tested ? "" : floor is null ? ", grey: within the noise of the runs" : $", grey: within noise (floor {floor})";
        var legend = $"red: self share grew, blue: shrank, white: unchanged{grey}; each side as " +
            $"shares of its own total (head {diff.HeadTotal:N0}, base {diff.BaseTotal:N0} {unit})";
        var headPath = head.DiffArtifactPath(tool, "");
        var basePath = head.DiffArtifactPath(tool, "-negated");
        AtomicFile.WriteAllText(headPath,
            FlameSvg.Differential(diff, FlameSide.Head, new($"{head.Scenario.Name}: {what}, base → head, in the head's shape", legend, unit)));
        AtomicFile.WriteAllText(basePath, FlameSvg.Differential(diff, FlameSide.Base,
            new($"{head.Scenario.Name}: {what}, base → head, in the base's shape (negated view: what vanished)", legend, unit)));
        return [Artifact.Of(HeadShape, headPath, head.RunFolder), Artifact.Of(BaseShape, basePath, head.RunFolder)];
    }

    /// <summary>
    /// The file of a run's artifact of this kind, when it is on disk inside the run folder (a path
    /// read back from metrics.json is the PR's data: it must not lead outside).
    /// </summary>
    public static string? File(ProfilerRun run, string kind, string runFolder) => run.ArtifactFile(kind, runFolder);
}
