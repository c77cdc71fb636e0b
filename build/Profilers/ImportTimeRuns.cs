using System.Globalization;
using Filare.Perf.Checkout;
using Filare.Perf.Flamegraphs;
using Filare.Perf.ImportTime;
using Filare.Perf.Results;
using Filare.Perf.Storage;

namespace Filare.Perf.Profilers;

/// <summary>
/// One side's <c>-X importtime</c> runs: each run's sample and lines as they come, then the median tree, the
/// kept files and the figures. The runs are taken by the caller, so that a compare run can take both sides' in turn.
/// </summary>
internal sealed class ImportTimeRuns(ProfilingContext context, int wanted) : IRepeatedRuns
{
    private const string Tool = ImportTimeProfiler.Name;
    private readonly List<(RunSample Sample, ImportTimeLog Log)> _runs = [];
    private readonly string? _skipped = context.Program(Tool, out var reason) is null ? reason ?? "no program to run" : null;

    public bool WantsMore => _skipped is null && _runs.Count < wanted && _runs.All(r => r.Sample.Status == RunStatus.Ok);

    public async Task RunNextAsync(CancellationToken cancellation)
    {
        var index = _runs.Count + 1;
        var folder = Path.Combine(context.WorkFolder(Tool), $"run-{index.ToString(CultureInfo.InvariantCulture)}");
        var output = Path.Combine(folder, "output");
        var program = PythonProgram.From(context.Scenario.Argv(output), context.Scenario.Interpreter, out _)!;
        IReadOnlyList<string> command = [context.Scenario.Interpreter, "-X", "importtime", .. program.Target];
        // Through the context, as every profiled run: the hash seed it records is the seed it ran with.
        var sample = await context.RunAsync(index, command, folder, output, cancellation).ConfigureAwait(false);
        var stderr = Path.Combine(context.RunFolder, sample.Stderr);
        var log = ImportTimeLog.Parse(File.Exists(stderr) ? await File.ReadAllTextAsync(stderr, cancellation).ConfigureAwait(false) : "");
        // stderr.txt stays as the process wrote it; the program's own part is kept apart, whole.
        await File.WriteAllTextAsync(Path.Combine(folder, "program-stderr.txt"), log.ProgramStderr, cancellation).ConfigureAwait(false);
        _runs.Add((sample, log));
    }

    public ProfilerRun Finish()
    {
        if (_skipped is not null)
        {
            return ProfilerRun.Skipped(Tool, _skipped);
        }
        var trees = _runs.Select(r => ImportTree.Of(r.Log.Records)).ToList();
        var middle = MedianIndex(trees);
        // A failing program fails the same way again: the failed run is the one that says so.
        var (sample, log) = _runs.FirstOrDefault(r => r.Sample.Status != RunStatus.Ok) is { Sample: not null } failed ? failed : _runs[middle];
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
        Keep(result, _runs[middle].Log, tree);
        NoteOddities(result, _runs.Select(r => r.Log).ToList());
        var wall = _runs.Select(r => r.Sample.WallSeconds).Order().ElementAt(_runs.Count / 2);
        return result.Finished(imports: Stats(tree, wall));
    }

    private void Keep(ProfilerResult result, ImportTimeLog median, ImportTree tree)
    {
        // The raw lines of the median run, as CPython printed them: what tuna and other viewers read.
        var lines = context.ArtifactPath(Tool, "txt");
        AtomicFile.WriteAllText(lines, string.Join('\n', median.Lines) + "\n");
        result.Keep(ImportTimeProfiler.Lines, lines);
        var json = context.ArtifactPath(Tool, "json");
        ImportTreeFile.Write(json, tree);
        result.Keep(ImportTimeProfiler.Tree, json);
        var svg = context.ArtifactPath(Tool, "svg");
        var side = context.Side is null ? "" : $" ({context.Side})";
        var runs = tree.Runs == 1 ? "run" : "runs";
        var figures = string.Create(CultureInfo.InvariantCulture,
            $"{tree.TotalUs / 1000.0:0.0} ms of imports, {tree.Modules.Count} modules, median of {tree.Runs} {runs}; width = cumulative time");
        var title = $"{context.Scenario.Name}{side}: import tree (-X importtime)";
        AtomicFile.WriteAllText(svg, FlameSvg.Plain(FlameTree.Of(tree.ToCollapsed()), new(title, figures, "µs")));
        result.Keep(ImportTimeProfiler.Flamegraph, svg);
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

    private ImportStats Stats(ImportTree tree, double wallSeconds)
    {
        var total = tree.TotalUs / 1e6;
        var top = tree.Top(ImportTimeProfiler.TopModules)
            .Select(m => new ImportedModule(m.Module, m.SelfUs / 1e6, m.CumulativeUs / 1e6, tree.Chain(m.Module))).ToList();
        var share = wallSeconds > 0 ? Math.Round(total / wallSeconds, 4) : 0;
        return new ImportStats(total, wallSeconds, share, tree.Runs, tree.Modules.Count, _runs.Sum(r => r.Log.Malformed), top);
    }

    /// <summary>The run whose total import time is the median: its lines are the ones kept as text.</summary>
    private static int MedianIndex(IReadOnlyList<ImportTree> trees) =>
        trees.Select((t, i) => (t.TotalUs, i)).Order().ElementAt(trees.Count / 2).i;
}
