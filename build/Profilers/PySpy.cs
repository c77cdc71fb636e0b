using System.Globalization;
using Filare.Perf.Checkout;
using Filare.Perf.Comparison;
using Filare.Perf.Flamegraphs;
using Filare.Perf.Processes;
using Filare.Perf.Results;
using Filare.Perf.Storage;

namespace Filare.Perf.Profilers;

/// <summary>
/// py-spy, the sampling profiler that reads the interpreter's memory from outside (ptrace): low
/// overhead, whole-program flamegraphs. Contract notes (tests/fakes/CONTRACTS.md): `record` exits 0
/// whatever the program did, and may exit 1 after writing a good profile (a known race), so its exit
/// code decides nothing: the program runs through run_program.py to record its own status, and a
/// refused ptrace and a run with no samples are told apart by py-spy's own messages.
/// One run gives both files a reviewer and a diff need: py-spy records raw collapsed stacks (or
/// speedscope, converted), kept as -pyspy.txt, and our own renderer draws -pyspy.svg from them.
/// </summary>
public sealed class PySpy(PySpySettings settings) : IProfiler, IDifferentialProfiler
{
    public const string Name = ProfilerNames.PySpy;

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

    /// <summary>Artifact kind of the collapsed stacks (py-spy's raw format), what differential views are made from.</summary>
    public const string Collapsed = ArtifactKinds.Collapsed;

    /// <summary>What py-spy is asked to write: raw for svg and raw (the SVG is drawn from it), else speedscope.</summary>
    public (string Format, string Extension) Output => settings.Output == SpyOutput.Speedscope
        ? ("speedscope", "speedscope.json")
        : ("raw", "txt");

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
        // Only py-spy's flamegraph format fails this way (and leaves an error picture); raw and speedscope are just empty.
        var stacks = ReadStacks(output, out var unreadable);
        if (messages.Contains(NoSamples, StringComparison.Ordinal) || stacks is { Total: 0 })
        {
            return result.With(ProfilerStatus.Empty, "run too short");
        }
        if (stacks is null)
        {
            return result.With(ProfilerStatus.Failed,
                $"py-spy wrote no readable {Output.Format} (exit {sample.ExitCode}): {unreadable ?? OutputTail.Of(messages)}");
        }
        KeepViews(context, result, output, stacks);
        return result.Finished();
    }

    private CollapsedStacks? ReadStacks(string output, out string? problem)
    {
        problem = null;
        if (!File.Exists(output))
        {
            return null;
        }
        return Output.Format == "raw" ? CollapsedStacks.Read(output) : Speedscope.ToCollapsed(File.ReadAllText(output), out problem);
    }

    private void KeepViews(ProfilingContext context, ProfilerResult result, string output, CollapsedStacks stacks)
    {
        var collapsed = context.ArtifactPath(Tool, "txt");
        if (Output.Format != "raw")
        {
            result.Keep(Output.Format, output);
            AtomicFile.WriteAllText(collapsed, stacks.Write());
        }
        result.Keep(Collapsed, collapsed);
        var svg = context.ArtifactPath(Tool, "svg");
        var side = context.Side is null ? "" : $" ({context.Side})";
        var labels = new FlameGraphLabels(
            $"{context.Scenario.Name}{side}: py-spy {context.Tool.Version}, {settings.Rate} samples/s",
            $"{stacks.Total:N0} samples of: {string.Join(' ', context.Scenario.Argv("{output}"))}",
            "samples");
        AtomicFile.WriteAllText(svg, FlameSvg.Plain(FlameTree.Of(stacks), labels));
        result.Keep("flamegraph", svg);
    }

    /// <summary>The differential views, a frame coloured only when its share moved beyond the floor (the same test as the report's "what grew").</summary>
    public IReadOnlyList<Artifact> Compare(ProfilingContext head, ProfilerRun headRun, ProfilerRun baseRun, ChangeFloor floor)
    {
        var headFile = DiffFlamegraphs.File(headRun, Collapsed, head.RunFolder);
        var baseFile = DiffFlamegraphs.File(baseRun, Collapsed, head.RunFolder);
        if (headFile is null || baseFile is null)
        {
            return [];
        }
        var (before, after) = (CollapsedStacks.Read(baseFile).WithoutLineNumbers(), CollapsedStacks.Read(headFile).WithoutLineNumbers());
        var diff = FlameDiff.Sampled(before, after, floor.BeyondShares);
        return DiffFlamegraphs.Write(head, Tool, "py-spy samples by function", "samples", diff, floor.SharesText);
    }
}
