using Filare.Perf.Checkout;
using Filare.Perf.Comparison;
using Filare.Perf.Flamegraphs;
using Filare.Perf.ImportTime;
using Filare.Perf.Results;

namespace Filare.Perf.Profilers;

/// <summary>
/// CPython's own import profiler (`-X importtime`, 3.7+): which module costs what at start-up, the
/// bulk of a short CLI run like Filare's. Free (it ships with Python) and cheap, so on by default.
/// The flag goes on the interpreter's command line rather than PYTHONPROFILEIMPORTTIME in the
/// environment, so Graphviz's and other child processes' imports stay out of the tree; the program
/// runs directly (not through run_program.py, whose own imports would pose as the program's).
/// </summary>
public sealed class ImportTimeProfiler(ImportTimeSettings settings) : IRepeatedProfiler, IDifferentialProfiler
{
    public const string Name = ProfilerNames.ImportTime;
    public const int TopModules = 10;

    /// <summary>Artifact kinds: the raw lines, the tree (JSON), its flamegraph.</summary>
    public const string Lines = ArtifactKinds.ImportLines, Tree = ArtifactKinds.ImportTree, Flamegraph = ArtifactKinds.Flamegraph;

    public string Tool => Name;

    public string? Package => null;

    /// <summary>Import times are compared base → head against their spread: its runs are not shared with others, and a
    /// compare run takes the two sides' runs in turn (<see cref="IRepeatedProfiler"/>).</summary>
    public bool RunsAlone => true;

    public Task<ToolProbe> ProbeAsync(PythonEnvironment python, IReadOnlyDictionary<string, string> environment, CancellationToken cancellation)
    {
        var parts = python.Version.Split('.');
        var supported = python.Implementation.Equals("CPython", StringComparison.OrdinalIgnoreCase) || python.Implementation.Length == 0;
        var recent = parts.Length >= 2 && int.TryParse(parts[0], out var major) && int.TryParse(parts[1], out var minor)
            && (major, minor).CompareTo((3, 7)) >= 0;
        return Task.FromResult(supported && recent
            ? new ToolProbe(true, python.Version, python.Executable, "")
            : ToolProbe.Missing($"-X importtime needs CPython 3.7 or later; {python.Executable} is {python.Implementation} {python.Version}"));
    }

    public Task<ProfilerRun> ProfileAsync(ProfilingContext context, CancellationToken cancellation) =>
        RepeatedRuns.RunAllAsync(Start(context), cancellation);

    public IRepeatedRuns Start(ProfilingContext context) => new ImportTimeRuns(context, settings.Runs);

    public IReadOnlyList<Artifact> Compare(ProfilingContext head, ProfilerRun headRun, ProfilerRun baseRun, ChangeFloor floor)
    {
        var headTree = DiffFlamegraphs.File(headRun, Tree, head.RunFolder) is { } h ? ImportTreeFile.Read(h, out _) : null;
        var baseTree = DiffFlamegraphs.File(baseRun, Tree, head.RunFolder) is { } b ? ImportTreeFile.Read(b, out _) : null;
        if (headTree is null || baseTree is null)
        {
            return [];
        }
        // The same test as the report's import diff: a module is coloured only when its runs on the two sides are apart beyond their spread.
        var total = ImportNoise.Of(baseTree.RunTotalsUs, headTree.RunTotalsUs).FloorUs;
        bool BeyondNoise(FrameChange frame) =>
            baseTree[frame.Frame] is { } before && headTree[frame.Frame] is { } after && ImportNoise.Of(before.Values, after.Values, total).Beyond;
        return DiffFlamegraphs.Write(head, Tool, "import time by module", "µs", baseTree.ToCollapsed(), headTree.ToCollapsed(), BeyondNoise);
    }
}
