using System.Text.Json;
using System.Text.Json.Nodes;
using Filare.Perf.Checkout;
using Filare.Perf.Measurement;
using Filare.Perf.Results;
using Filare.Perf.Scenarios;

namespace Filare.Perf.Heap;

/// <summary>One side of a scenario to trace: where its run goes, its variables, and what its clean runs showed.</summary>
/// <param name="Side">"head" or "base": the same length, so both sides' paths are as long as each other.</param>
/// <param name="CleanRunsFailed">Why the clean runs did not succeed, or null when they did.</param>
public sealed record HeapSide(string Side, PreparedScenario Scenario, string ScenarioFolder, IReadOnlyDictionary<string, string> Environment,
    double? MedianWallSeconds, string? CleanRunsFailed);

/// <summary>
/// Runs a scenario once under tracemalloc (build/Python/heap_program.py) with PYTHONHASHSEED fixed,
/// its Python children traced through heap/sitecustomize.py, and every process's peak RSS read
/// from /proc by the tree runner. Whatever goes wrong here is this run's status, never the wall time's.
/// </summary>
public sealed class HeapTracer(TreeRunner runner, string runFolder, HeapSettings settings)
{
    public const string Variable = "FIL_PERF_HEAP";

    /// <summary>As for instruction counts: str and bytes hashes are salted per process otherwise, and dict/set order changes what is allocated.</summary>
    public const string FixedHashSeed = "0";

    /// <summary>How often the runner reads the tree's processes from /proc.</summary>
    public const int SampleMilliseconds = 10;

    /// <summary>The slowest tracemalloc was seen to make a run (16 frames, snapshots included) is about 10×; twice that, and a floor.</summary>
    public const double SlowdownFactor = 20;

    public static readonly TimeSpan MinimumTimeout = TimeSpan.FromSeconds(120);

    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public async Task<HeapRun> TraceAsync(HeapSide side, CancellationToken cancellation)
    {
        var scenario = side.Scenario;
        if (!scenario.Scenario.TracesHeap)
        {
            return HeapRun.Skipped("off for this scenario (heap: false, or kind: pytest without heap: true)");
        }
        if (side.CleanRunsFailed is { } failed)
        {
            return HeapRun.Skipped($"scenario {failed}");
        }
        var runDirectory = Path.Combine(side.ScenarioFolder, "heap", side.Side);
        var output = Path.Combine(runDirectory, "output");
        var records = Path.Combine(runDirectory, "records");
        if (Directory.Exists(runDirectory))
        {
            Directory.Delete(runDirectory, recursive: true);
        }
        Directory.CreateDirectory(records);
        if (PythonProgram.From(scenario.Argv(output), scenario.Interpreter, out var reason) is not { } program)
        {
            return HeapRun.Skipped(reason!);
        }
        var plain = scenario.Request(SampleKind.Profile, 1, scenario.Argv(output), runDirectory, output, side.Environment);
        var environment = new Dictionary<string, string>(plain.Environment, StringComparer.Ordinal)
        {
            ["PYTHONHASHSEED"] = FixedHashSeed,
            [Variable] = Configuration(records, scenario.FilareRoot),
        };
        var timeout = Timeout(scenario.Scenario.Timeout, side.MedianWallSeconds);
        var request = plain with
        {
            Argv = [scenario.Interpreter, PythonEnvironment.Helper("heap_program.py"), "--", .. program.Target],
            Environment = environment,
            Timeout = timeout,
            SampleProcessesMilliseconds = SampleMilliseconds,
        };
        var sample = await runner.RunAsync(request, cancellation).ConfigureAwait(false);
        return Read(sample, records, runDirectory, scenario.Interpreter, side.MedianWallSeconds, timeout);
    }

    /// <summary>What the run left: heap.json (the program), child-PID.json (Python children), exec.json (the tree's processes).</summary>
    private HeapRun Read(RunSample sample, string records, string runDirectory, string interpreter, double? median, TimeSpan timeout)
    {
        var notes = new List<string>();
        var program = ReadRecord(Path.Combine(records, "heap.json"), notes);
        var children = Directory.EnumerateFiles(records, "child-*.json").Order(StringComparer.Ordinal)
            .Select(f => ReadRecord(f, notes)).OfType<HeapProcess>().OrderBy(c => c.Pid).ToList();
        var processes = Processes(Path.Combine(runDirectory, "exec.json"), interpreter);
        var untraced = processes.Count(p => p.Kind == ProcessKind.Python) - children.Count - (program is null ? 0 : 1);
        if (untraced > 0)
        {
            notes.Add($"{untraced} Python process(es) left no heap record (started with -I or -S, ended by os._exit or a signal, or killed)");
        }
        var exitCode = program?.ExitCode ?? sample.ExitCode;
        var (status, message) = sample.Status switch
        {
            RunStatus.Ok when program is null => (HeapStatus.Error, "the heap run left no record (heap.json)"),
            RunStatus.Ok => (HeapStatus.Ok, (string?)null),
            RunStatus.Failed => (HeapStatus.Failed, $"under tracemalloc: {sample.Message}"),
            RunStatus.Timeout => (HeapStatus.Timeout,
                $"under tracemalloc ({SlowdownFactor:0}× the median wall time, at least {MinimumTimeout.TotalSeconds:0} s): {sample.Message}"),
            _ => (HeapStatus.Error, $"under tracemalloc: {sample.Message}"),
        };
        var slowdown = median is > 0 && sample.WallSeconds > 0 ? Math.Round(sample.WallSeconds / median.Value, 2) : (double?)null;
        return new HeapRun(status, message, program, children, processes, exitCode, sample.WallSeconds, slowdown, timeout.TotalSeconds,
            Path.GetRelativePath(runFolder, runDirectory), notes);
    }

    private string Configuration(string records, string filareRoot) => new JsonObject
    {
        ["folder"] = records,
        ["own"] = new JsonArray(filareRoot),
        ["packages"] = new JsonArray("filare"),
        ["frames"] = settings.Frames,
        ["step"] = settings.Step,
        ["top"] = settings.Sites,
    }.ToJsonString();

    public static TimeSpan Timeout(TimeSpan scenarioTimeout, double? medianWallSeconds)
    {
        var ceiling = scenarioTimeout * SlowdownFactor;
        var expected = medianWallSeconds is > 0 ? TimeSpan.FromSeconds(SlowdownFactor * medianWallSeconds.Value) : ceiling;
        return expected < MinimumTimeout ? MinimumTimeout : expected > ceiling ? ceiling : expected;
    }

    private static HeapProcess? ReadRecord(string path, List<string> notes)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<HeapProcess>(File.ReadAllText(path), s_json);
        }
        catch (JsonException error)
        {
            notes.Add($"{Path.GetFileName(path)} is not a heap record: {error.Message}");
            return null;
        }
    }

    private static List<ProcessMemory> Processes(string execJson, string interpreter)
    {
        if (!File.Exists(execJson) || JsonNode.Parse(File.ReadAllText(execJson))?["processes"] is not JsonArray list)
        {
            return [];
        }
        return list.OfType<JsonObject>().Select(p =>
        {
            var argv = (p["command"] as JsonArray ?? []).Select(a => a?.GetValue<string>() ?? "").ToList();
            var kind = argv.Count > 0 ? ProcessKinds.Of(argv[0], interpreter) : ProcessKind.Other;
            return new ProcessMemory(p["pid"]!.GetValue<int>(), p["ppid"]?.GetValue<int>(), kind, string.Join(' ', argv),
                p["peak_rss_bytes"]!.GetValue<long>());
        }).ToList();
    }
}

/// <summary>How the heap run traces: tracemalloc's frame depth, the growth between snapshots, how many sites are kept.</summary>
public sealed record HeapSettings(int Frames = HeapSettings.DefaultFrames, double Step = 0.25, int Sites = 100)
{
    public const int DefaultFrames = 16;
}
