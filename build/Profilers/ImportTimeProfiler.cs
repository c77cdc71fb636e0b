using System.Globalization;
using Filare.Perf.Checkout;
using Filare.Perf.Comparison;
using Filare.Perf.Flamegraphs;
using Filare.Perf.ImportTime;
using Filare.Perf.Results;
using Filare.Perf.Storage;

namespace Filare.Perf.Profilers;

/// <summary>
/// CPython's own import profiler (`-X importtime`, 3.7+): which module costs what at start-up, the
/// bulk of a short CLI run like Filare's. Free (it ships with Python) and cheap, so on by default.
/// The flag goes on the interpreter's command line rather than PYTHONPROFILEIMPORTTIME in the
/// environment, so Graphviz's and other child processes' imports stay out of the tree; the program
/// runs directly (not through run_program.py, whose own imports would pose as the program's).
/// </summary>
public sealed class ImportTimeProfiler(ImportTimeSettings settings) : IProfiler, IDifferentialProfiler
{
    public const string Name = ProfilerNames.ImportTime;
    public const int TopModules = 10;

    /// <summary>Artifact kinds: the raw lines, the tree (JSON), its flamegraph.</summary>
    public const string Lines = ArtifactKinds.ImportLines, Tree = ArtifactKinds.ImportTree, Flamegraph = ArtifactKinds.Flamegraph;

    public string Tool => Name;

    public string? Package => null;

    /// <summary>Import times are compared base → head against their spread: its runs are not shared with others.</summary>
    public bool RunsAlone => true;

    public Task<ToolProbe> ProbeAsync(PythonEnvironment python, IReadOnlyDictionary<string, string> environment, CancellationToken cancellation)
    {
        var parts = python.Version.Split('.');
        var supported = python.Implementation.Equals("CPython", StringComparison.OrdinalIgnoreCase) || python.Implementation.Length == 0;
        var recent = parts.Length >= 2 && int.TryParse(parts[0], out var major) && int.TryParse(parts[1], out var minor) && (major, minor).CompareTo((3, 7)) >= 0;
        return Task.FromResult(supported && recent
            ? new ToolProbe(true, python.Version, python.Executable, "")
            : ToolProbe.Missing($"-X importtime needs CPython 3.7 or later; {python.Executable} is {python.Implementation} {python.Version}"));
    }

    public async Task<ProfilerRun> ProfileAsync(ProfilingContext context, CancellationToken cancellation)
    {
        if (context.Program(Tool, out var reason) is null)
        {
            return ProfilerRun.Skipped(Tool, reason!);
        }
        var runs = new List<(RunSample Sample, ImportTimeLog Log)>();
        for (var index = 1; index <= settings.Runs; index++)
        {
            var run = await RunOnceAsync(context, index, cancellation).ConfigureAwait(false);
            runs.Add(run);
            if (run.Sample.Status != RunStatus.Ok)
            {
                // A failing program fails the same way again: one run says all there is to say.
                break;
            }
        }
        var trees = runs.Select(r => ImportTree.Of(r.Log.Records)).ToList();
        var middle = MedianIndex(trees);
        var (sample, log) = runs.FirstOrDefault(r => r.Sample.Status != RunStatus.Ok) is { Sample: not null } failed ? failed : runs[middle];
        var result = new ProfilerResult(Tool, context, sample) { ProgramExitCode = sample.ExitCode };
        if (result.Broken() is { } broken)
        {
            return broken;
        }
        if (sample.Status != RunStatus.Ok && log.ProgramStderr.Trim().Length > 0)
        {
            result.Note($"the program's stderr: {Processes.OutputTail.Of(log.ProgramStderr)}");
        }
        if (trees.All(t => t.Modules.Count == 0))
        {
            return result.With(ProfilerStatus.Empty, "no import time: lines on stderr (the interpreter ignored -X importtime)");
        }
        var tree = ImportTree.Median(trees);
        Keep(context, result, runs[middle].Log, tree);
        NoteOddities(result, runs.Select(r => r.Log).ToList());
        var wall = runs.Select(r => r.Sample.WallSeconds).Order().ElementAt(runs.Count / 2);
        return result.Finished(imports: Stats(tree, wall, runs.Sum(r => r.Log.Malformed)));
    }

    private async Task<(RunSample Sample, ImportTimeLog Log)> RunOnceAsync(ProfilingContext context, int index, CancellationToken cancellation)
    {
        var folder = Path.Combine(context.WorkFolder(Tool), $"run-{index.ToString(CultureInfo.InvariantCulture)}");
        var output = Path.Combine(folder, "output");
        var program = PythonProgram.From(context.Scenario.Argv(output), context.Scenario.Interpreter, out _)!;
        IReadOnlyList<string> command = [context.Scenario.Interpreter, "-X", "importtime", .. program.Target];
        var sample = await context.Runner.RunAsync(context.Scenario.Request(SampleKind.Profile, index, command, folder, output, context.Environment), cancellation).ConfigureAwait(false);
        var stderr = Path.Combine(context.RunFolder, sample.Stderr);
        var log = ImportTimeLog.Parse(File.Exists(stderr) ? await File.ReadAllTextAsync(stderr, cancellation).ConfigureAwait(false) : "");
        // stderr.txt stays as the process wrote it; the program's own part is kept apart, whole.
        await File.WriteAllTextAsync(Path.Combine(folder, "program-stderr.txt"), log.ProgramStderr, cancellation).ConfigureAwait(false);
        return (sample, log);
    }

    private void Keep(ProfilingContext context, ProfilerResult result, ImportTimeLog median, ImportTree tree)
    {
        // The raw lines of the median run, as CPython printed them: what tuna and other viewers read.
        var lines = context.ArtifactPath(Tool, "txt");
        AtomicFile.WriteAllText(lines, string.Join('\n', median.Lines) + "\n");
        result.Keep(Lines, lines);
        var json = context.ArtifactPath(Tool, "json");
        ImportTreeFile.Write(json, tree);
        result.Keep(Tree, json);
        var svg = context.ArtifactPath(Tool, "svg");
        var side = context.Side is null ? "" : $" ({context.Side})";
        var figures = string.Create(CultureInfo.InvariantCulture, $"{tree.TotalUs / 1000.0:0.0} ms of imports, {tree.Modules.Count} modules, median of {tree.Runs} run{(tree.Runs == 1 ? "" : "s")}; width = cumulative time");
        AtomicFile.WriteAllText(svg, FlameSvg.Plain(FlameTree.Of(tree.ToCollapsed()), new($"{context.Scenario.Name}{side}: import tree (-X importtime)", figures, "µs")));
        result.Keep(Flamegraph, svg);
    }

    private static void NoteOddities(ProfilerResult result, IReadOnlyList<ImportTimeLog> logs)
    {
        var malformed = logs.Sum(l => l.Malformed);
        if (malformed > 0)
        {
            result.Note($"{malformed} import-time line(s) could not be read (cut off or mixed with other output) and were left out");
        }
        if (logs.Any(l => l.Headers > 1))
        {
            result.Note("more than one process wrote import-time lines (multiprocessing passes -X importtime on): the tree mixes them");
        }
    }

    private static ImportStats Stats(ImportTree tree, double wallSeconds, int malformed)
    {
        var total = tree.TotalUs / 1e6;
        var top = tree.Top(TopModules).Select(m => new ImportedModule(m.Module, m.SelfUs / 1e6, m.CumulativeUs / 1e6, tree.Chain(m.Module))).ToList();
        return new ImportStats(total, wallSeconds, wallSeconds > 0 ? Math.Round(total / wallSeconds, 4) : 0, tree.Runs, tree.Modules.Count, malformed, top);
    }

    /// <summary>The run whose total import time is the median: its lines are the ones kept as text.</summary>
    private static int MedianIndex(IReadOnlyList<ImportTree> trees) =>
        trees.Select((t, i) => (t.TotalUs, i)).Order().ElementAt(trees.Count / 2).i;

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
        bool BeyondNoise(FrameChange frame) => baseTree[frame.Frame] is { } before && headTree[frame.Frame] is { } after && ImportNoise.Of(before.Values, after.Values, total).Beyond;
        return DiffFlamegraphs.Write(head, Tool, "import time by module", "µs", baseTree.ToCollapsed(), headTree.ToCollapsed(), BeyondNoise);
    }
}
