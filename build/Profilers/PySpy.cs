using System.Globalization;
using Filare.Perf.Checkout;
using Filare.Perf.Measurement;
using Filare.Perf.Processes;
using Filare.Perf.Settings;

namespace Filare.Perf.Profilers;

/// <summary>
/// py-spy, the sampling profiler that reads the interpreter's memory from outside (ptrace): low
/// overhead, whole-program flamegraphs. Contract notes (tests/fakes/CONTRACTS.md): `record` exits 0
/// whatever the program did, and may exit 1 after writing a good profile (a known race), so its exit
/// code decides nothing: the program runs through run_program.py to record its own status, and a
/// refused ptrace and a run with no samples are told apart by py-spy's own messages.
/// </summary>
public sealed class PySpy(PySpySettings settings) : IProfiler
{
    public const string Name = "pyspy";

    /// <summary>What py-spy prints when the kernel refuses ptrace (a container without SYS_PTRACE, Yama).</summary>
    public static readonly string[] PtraceRefused = ["Permission Denied", "Operation not permitted (os error 1)"];

    public const string NoSamples = "No stack counts found";

    public const string PtraceFix =
        "py-spy needs ptrace: in a container add --cap-add SYS_PTRACE; on a host, sudo sysctl kernel.yama.ptrace_scope=0 (or run as root)";

    public string Tool => Name;

    public string? Package => "py-spy";

    public async Task<ToolProbe> ProbeAsync(PythonEnvironment python, IReadOnlyDictionary<string, string> environment, CancellationToken cancellation)
    {
        const string hint = "pip install py-spy (or uv pip install py-spy) into the profiled environment, or ./build.sh PerfSetup --install-profilers";
        var executable = python.ConsoleScript("py-spy", environment);
        if (executable is null)
        {
            return ToolProbe.Missing(hint);
        }
        var version = await ToolProcess.RunAsync(executable, ["--version"], "/", TimeSpan.FromSeconds(30), cancellation, environment).ConfigureAwait(false);
        return version.Succeeded
            ? new ToolProbe(true, version.StandardOutput.Trim().Replace("py-spy ", "", StringComparison.Ordinal), executable, hint)
            : ToolProbe.Missing($"{executable} --version failed: {version.StandardError.Trim()}; {hint}");
    }

    public (string Format, string Extension) Output => settings.Output switch
    {
        SpyOutput.Speedscope => ("speedscope", "speedscope.json"),
        SpyOutput.Raw => ("raw", "txt"),
        _ => ("flamegraph", "svg"),
    };

    public IReadOnlyList<string> Command(string executable, string outputFile, IReadOnlyList<string> program)
    {
        var command = new List<string>
        {
            executable, "record", "-o", outputFile, "-f", Output.Format, "-r", settings.Rate.ToString(CultureInfo.InvariantCulture),
        };
        if (settings.Native)
        {
            command.Add("--native");
        }
        if (settings.Idle)
        {
            command.Add("--idle");
        }
        if (settings.Subprocesses)
        {
            command.Add("--subprocesses");
        }
        command.Add("--");
        command.AddRange(program);
        return command;
    }

    public async Task<ProfilerRun> ProfileAsync(ProfilingContext context, CancellationToken cancellation)
    {
        if (context.Program(Tool, out var reason) is not { } program)
        {
            return ProfilerRun.Skipped(Tool, reason!);
        }
        Directory.CreateDirectory(context.WorkFolder(Tool));
        var status = Path.Combine(context.WorkFolder(Tool), "status.txt");
        var output = context.ArtifactPath(Tool, Output.Extension);
        var command = Command(context.Tool.Executable!, output, [context.Scenario.Interpreter, .. context.InProcess(program, status)]);
        var sample = await context.RunAsync(Tool, command, cancellation).ConfigureAwait(false);
        var messages = context.Stderr(sample) + "\n" + context.Stdout(sample);
        var result = new ProfilerResult(Tool, context, sample) { ProgramExitCode = ProfilingContext.ProgramExitCode(status) };

        // The program's own stderr passes through py-spy, so its texts only count when py-spy wrote nothing.
        // (Not "the program never finished": py-spy starts it first and retries attaching for ~0.4 s.)
        if (!File.Exists(output) && PtraceRefused.Any(text => messages.Contains(text, StringComparison.OrdinalIgnoreCase)))
        {
            result.Note(PtraceFix);
            return result.With(ProfilerStatus.Skipped, "ptrace not permitted");
        }
        if (result.Broken() is { } broken)
        {
            return broken;
        }
        // py-spy still writes an SVG then, holding only an error picture: never keep it as a flamegraph.
        if (messages.Contains(NoSamples, StringComparison.Ordinal))
        {
            return result.With(ProfilerStatus.Empty, "run too short");
        }
        if (!result.Keep(Output.Format, output))
        {
            return result.With(ProfilerStatus.Failed, $"py-spy wrote no {Output.Format} (exit {sample.ExitCode}): {OutputTail.Of(messages)}");
        }
        return result.Finished();
    }
}
