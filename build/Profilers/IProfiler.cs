using Filare.Perf.Checkout;
using Filare.Perf.Measurement;
using Filare.Perf.Processes;
using Filare.Perf.Results;
using Filare.Perf.Scenarios;

namespace Filare.Perf.Profilers;

/// <summary>Whether a profiler can run here, and how to get it when it cannot.</summary>
public sealed record ToolProbe(bool Installed, string? Version, string? Executable, string InstallHint)
{
    public static ToolProbe Missing(string hint) => new(false, null, null, hint);
}

/// <summary>Everything a profiler needs for one scenario; artifacts go in <see cref="ScenarioFolder"/>.</summary>
public sealed record ProfilingContext(
    PreparedScenario Scenario,
    PythonEnvironment Python,
    ToolProbe Tool,
    string RunFolder,
    string ScenarioFolder,
    string RunLabel,
    double? CleanMedianSeconds,
    TreeRunner Runner,
    IReadOnlyDictionary<string, string> Environment,
    string? Side = null)
{
    /// <summary>
    /// &lt;run_label&gt;-&lt;scenario&gt;[-base|-head]-&lt;tool&gt;.&lt;ext&gt;, the name reviewers search
    /// artifacts by; an A/B names the side, so two downloaded flamegraphs never look alike.
    /// </summary>
    public string ArtifactPath(string tool, string extension) =>
        Path.Combine(ScenarioFolder, $"{RunLabel}-{Scenario.Name}{(Side is null ? "" : "-" + Side)}-{tool}.{extension}");

    /// <summary>
    /// &lt;run_label&gt;-&lt;scenario&gt;-diff-&lt;tool&gt;[suffix].svg: a base-vs-head view belongs to the
    /// scenario, not to a side.
    /// </summary>
    public string DiffArtifactPath(string tool, string suffix) =>
        Path.Combine(ScenarioFolder, $"{RunLabel}-{Scenario.Name}-diff-{tool}{suffix}.svg");

    /// <summary>The profiled run's own folder: stdout.txt, stderr.txt, output/, status.txt.</summary>
    public string WorkFolder(string tool) => Path.Combine(ScenarioFolder, tool);

    public string OutputDirectory(string tool) => Path.Combine(WorkFolder(tool), "output");

    /// <summary>The scenario as a Python program, with {output} pointing into the profiler's folder.</summary>
    public PythonProgram? Program(string tool, out string? reason) =>
        PythonProgram.From(Scenario.Argv(OutputDirectory(tool)), Scenario.Interpreter, out reason);

    /// <summary>
    /// The interpreter arguments that run the program in-process through run_program.py, which
    /// records the program's own exit status in <paramref name="statusFile"/>: wrapping profilers
    /// report their own status, not the program's.
    /// </summary>
    public IReadOnlyList<string> InProcess(PythonProgram program, string statusFile) =>
        [PythonEnvironment.Helper("run_program.py"), "--status", statusFile, "--", .. program.Target];

    public double? Overhead(RunSample sample) =>
        CleanMedianSeconds is > 0 && sample.WallSeconds > 0 ? Math.Round(sample.WallSeconds / CleanMedianSeconds.Value, 3) : null;

    /// <summary>
    /// Profiled runs hash strings the same way every time, so cProfile's call counts of identical code
    /// differ only by what timing changes (docs/performance/report.md); measured runs keep Python's
    /// random seed. A scenario that sets PYTHONHASHSEED itself keeps its own.
    /// </summary>
    public const string FixedHashSeed = "0";

    public string PythonHashSeed => Scenario.Environment.TryGetValue("PYTHONHASHSEED", out var own) ? own : FixedHashSeed;

    public Task<RunSample> RunAsync(string tool, IReadOnlyList<string> argv, CancellationToken cancellation) =>
        RunAsync(1, argv, WorkFolder(tool), OutputDirectory(tool), cancellation);

    /// <summary>The <paramref name="index"/>-th of a profiler's several runs, in a folder of its own (import time's run-N).</summary>
    public Task<RunSample> RunAsync(int index, IReadOnlyList<string> argv, string folder, string output, CancellationToken cancellation)
    {
        var environment = new Dictionary<string, string>(Environment, StringComparer.Ordinal) { ["PYTHONHASHSEED"] = FixedHashSeed };
        return Runner.RunAsync(Scenario.Request(SampleKind.Profile, index, argv, folder, output, environment), cancellation);
    }

    /// <summary>The exit code run_program.py recorded; null when the program never got that far.</summary>
    public static int? ProgramExitCode(string statusFile) =>
        File.Exists(statusFile) && int.TryParse(File.ReadAllText(statusFile).Trim(), out var code) ? code : null;

    public string Stderr(RunSample sample) => OutputTail.Read(Path.Combine(RunFolder, sample.Stderr));

    public string Stdout(RunSample sample) => OutputTail.Read(Path.Combine(RunFolder, sample.Stdout));
}

public interface IProfiler
{
    /// <summary>Short lower-case name used in artifact names, settings and --profilers.</summary>
    string Tool { get; }

    /// <summary>What PerfSetup installs with pip or uv; null for what ships with Python.</summary>
    string? Package { get; }

    Task<ToolProbe> ProbeAsync(PythonEnvironment python, IReadOnlyDictionary<string, string> environment, CancellationToken cancellation);

    Task<ProfilerRun> ProfileAsync(ProfilingContext context, CancellationToken cancellation);

    /// <summary>
    /// Its runs must have the machine to themselves, as Measure's do: what it reports is a time
    /// compared base → head beside a noise floor; a neighbour's load would widen that floor and hide changes.
    /// </summary>
    bool RunsAlone => false;
}
