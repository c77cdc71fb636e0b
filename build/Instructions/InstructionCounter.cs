using System.Collections.Concurrent;
using Filare.Perf.Measurement;
using Filare.Perf.Processes;
using Filare.Perf.Results;
using Filare.Perf.Scenarios;

namespace Filare.Perf.Instructions;

/// <summary>
/// One side of a scenario to count: where its run goes, its variables, and what its clean runs
/// showed (a scenario that failed without Valgrind is not counted: it would fail again, 30× slower).
/// </summary>
/// <param name="Side">"head" or "base": the same length, so both sides' paths are as long as each other.</param>
/// <param name="CleanRunsFailed">Why the clean runs did not succeed, or null when they did.</param>
public sealed record InstructionSide(string Side, PreparedScenario Scenario, string ScenarioFolder, IReadOnlyDictionary<string, string> Environment,
    double? MedianWallSeconds, string? CleanRunsFailed);

/// <summary>
/// Counts a scenario's instructions: one run under Valgrind per side, in an environment fixed
/// for both (PYTHONHASHSEED=0 on top of the run's variables). The program's exit status and every
/// process's count are kept; whatever goes wrong here is this run's status, never the wall time's.
/// </summary>
public sealed class InstructionCounter
{
    /// <summary>Set on both sides: str and bytes hashes are salted per process otherwise, and dict/set order changes what runs.</summary>
    public static readonly IReadOnlyDictionary<string, string> FixedEnvironment = new Dictionary<string, string> { ["PYTHONHASHSEED"] = "0" };

    private readonly TreeRunner _runner;
    private readonly string _runFolder;
    // Counted runs may go in parallel (PerfRun's --parallel-jobs): each asks through its own runner.
    private readonly ConcurrentDictionary<string, string?> _builds = new(StringComparer.Ordinal);

    private InstructionCounter(TreeRunner runner, string runFolder, ValgrindProbe probe)
    {
        _runner = runner;
        _runFolder = runFolder;
        Probe = probe;
    }

    public ValgrindProbe Probe { get; }

    public static async Task<InstructionCounter> CreateAsync(TreeRunner runner, string runFolder, IReadOnlyDictionary<string, string> environment,
        CancellationToken cancellation) =>
        new(runner, runFolder, await Valgrind.ProbeAsync(environment, runFolder, cancellation).ConfigureAwait(false));

    /// <param name="runner">The runner to count through; null: the one this counter was made with.</param>
    public async Task<InstructionRun> CountAsync(InstructionSide side, CancellationToken cancellation, TreeRunner? runner = null)
    {
        if (!Probe.Installed)
        {
            return InstructionRun.Skipped(Probe.Problem ?? "not installed", notes: [Valgrind.InstallHint]);
        }
        if (!side.Scenario.Scenario.CountsInstructions)
        {
            return InstructionRun.Skipped(InstructionRun.OffForScenario, Probe.Version);
        }
        if (side.CleanRunsFailed is { } failed)
        {
            return InstructionRun.Skipped($"scenario {failed}", Probe.Version);
        }
        var scenario = side.Scenario;
        var runDirectory = Path.Combine(side.ScenarioFolder, "instructions", side.Side);
        var folder = Path.Combine(runDirectory, "valgrind");
        var output = Path.Combine(runDirectory, "output");
        if (Directory.Exists(runDirectory))
        {
            Directory.Delete(runDirectory, recursive: true);
        }
        Directory.CreateDirectory(folder);
        var plain = scenario.Request(SampleKind.Profile, 1, scenario.Argv(output), runDirectory, output, side.Environment);
        // Last, so that a scenario's own env cannot unfix it.
        var environment = new Dictionary<string, string>(plain.Environment, StringComparer.Ordinal);
        foreach (var (name, value) in FixedEnvironment)
        {
            environment[name] = value;
        }
        var timeout = Valgrind.Timeout(scenario.Scenario.Timeout, side.MedianWallSeconds);
        var request = plain with { Argv = Valgrind.Command(Probe.Executable!, folder, plain.Argv), Environment = environment, Timeout = timeout };
        var build = await InterpreterBuildAsync(scenario.Interpreter, request.Environment, cancellation).ConfigureAwait(false);
        var sample = await (runner ?? _runner).RunAsync(request, cancellation).ConfigureAwait(false);

        var processes = Directory.Exists(folder) ? ValgrindOutput.Read(folder, scenario.Interpreter) : [];
        if (Directory.Exists(folder))
        {
            ValgrindOutput.TrimLogs(folder);
        }
        var notes = new List<string>();
        var uncounted = processes.Where(p => p.Instructions is null).ToList();
        if (uncounted.Count > 0)
        {
            notes.Add($"{uncounted.Count} of {processes.Count} processes have no count (killed before Valgrind could write it): no total");
        }
        var (status, message) = sample.Status switch
        {
            RunStatus.Ok when processes.Count == 0 => (InstructionStatus.Error, "Valgrind left no log: nothing was counted"),
            RunStatus.Ok => (InstructionStatus.Ok, (string?)null),
            RunStatus.Failed => (InstructionStatus.Failed, $"under Valgrind: {sample.Message}"),
            RunStatus.Timeout => (InstructionStatus.Timeout, $"under Valgrind ({Valgrind.SlowdownFactor:0}× twice " +
                $"the median wall time, at least {Valgrind.MinimumTimeout.TotalSeconds:0} s): {sample.Message}"),
            _ => (InstructionStatus.Error, $"under Valgrind: {sample.Message}"),
        };
        long? total = processes.Count > 0 && uncounted.Count == 0 ? processes.Sum(p => p.Instructions!.Value) : null;
        return new InstructionRun(status, message, total, processes, sample.ExitCode, sample.WallSeconds, timeout.TotalSeconds, Valgrind.ToolName,
            Probe.Version, build, Path.GetRelativePath(_runFolder, folder), notes);
    }

    /// <summary>sys.version of an interpreter, asked once: a different build of the same version retires different instructions.</summary>
    private async Task<string?> InterpreterBuildAsync(string interpreter, IReadOnlyDictionary<string, string> environment, CancellationToken cancellation)
    {
        if (!_builds.TryGetValue(interpreter, out var build))
        {
            var result = await ToolProcess.RunAsync(interpreter, ["-I", "-c", "import sys; print(sys.version.replace(chr(10), ' '))"], _runFolder,
                TimeSpan.FromSeconds(60), cancellation, environment).ConfigureAwait(false);
            build = result.Succeeded ? result.StandardOutput.Trim() : null;
            _builds[interpreter] = build;
        }
        return build;
    }
}
