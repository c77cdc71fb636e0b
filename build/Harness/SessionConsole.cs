using Filare.Perf.Checkout;
using Filare.Perf.Git;
using Filare.Perf.Instructions;
using Filare.Perf.Profilers;
using Filare.Perf.Results;
using Filare.Perf.Scenarios;
using Spectre.Console;

namespace Filare.Perf.Harness;

/// <summary>
/// What a PerfRun tells the person watching it, step by step. Every line escapes what it shows:
/// paths, refs and messages come from the checkout and its tools.
/// </summary>
public sealed class SessionConsole(IAnsiConsole console)
{
    public IAnsiConsole Console => console;

    public void Started(FilareCheckout filare, PythonEnvironment python, string runFolder, IEnumerable<PreparedScenario> scenarios)
    {
        console.MarkupLine($"Filare:   [cyan]{Markup.Escape(filare.Root)}[/]");
        console.MarkupLine($"Python:   [cyan]{Markup.Escape(python.Executable)}[/] ({Markup.Escape(python.Version)})");
        console.MarkupLine($"Run:      [cyan]{Markup.Escape(runFolder)}[/]");
        console.MarkupLine($"Scenarios: {Markup.Escape(string.Join(", ", scenarios.Select(p => p.Name)))}");
    }

    public void BaseCheckedOut(string reference, Worktree worktree) =>
        console.MarkupLine($"Base:     [cyan]{Markup.Escape(reference)}[/] = " +
            $"{Markup.Escape(ShortSha.Of(worktree.Commit, ShortSha.InPath))} at [cyan]{Markup.Escape(worktree.FilareRoot)}[/]");

    public void BasePython(CheckoutPython python) =>
        console.MarkupLine($"Base Python: [cyan]{Markup.Escape(python.Python.Executable)}[/] ({Markup.Escape(python.Kind)})");

    public void BaseEnvironment(string reason) => console.MarkupLine($"Base env: {Markup.Escape(reason)}");

    /// <summary>Where a side's code comes from, one line per launcher.</summary>
    public void Imports(string side, SideEnvironment environment)
    {
        foreach (var line in ComparedSides.Describe(side, environment))
        {
            console.MarkupLine($"  {Markup.Escape(line)}");
        }
    }

    public void BaseProfilersMissing(string problem) => console.MarkupLine($"[yellow]Base profilers: {Markup.Escape(problem)}[/]");

    public void Calibrating() => console.MarkupLine("A/A calibration: the same clean commit on both sides measures this runner's noise.");

    public void WorktreeLeft(Worktree worktree, string problem) =>
        console.MarkupLine($"[yellow]Could not remove the worktree {Markup.Escape(worktree.Path)}: {Markup.Escape(problem)}[/]");

    public void Skipped(string scenario, string reason) => console.MarkupLine($"[yellow]{Markup.Escape(scenario)}: skipped, {Markup.Escape(reason)}[/]");

    public void EvenedPairs(string scenario, int pairs) =>
        console.MarkupLine($"  {Markup.Escape(scenario)}: {pairs} pairs at least, so each side goes first equally often");

    /// <summary>A scenario (or its base side) that did not run cleanly.</summary>
    public void Broken(ScenarioResult result)
    {
        if (result.Status != ScenarioStatus.Ok)
        {
            console.MarkupLine($"[red]{Markup.Escape(result.Name)}: {result.Status.ToString().ToLowerInvariant()}: {Markup.Escape(result.Message ?? "")}[/]");
        }
        if (result.Base is { Status: not (ScenarioStatus.Ok or ScenarioStatus.Skipped) } broken)
        {
            console.MarkupLine($"[red]{Markup.Escape(result.Name)} (base): " +
                $"{broken.Status.ToString().ToLowerInvariant()}: {Markup.Escape(broken.Message ?? "")}[/]");
        }
    }

    /// <param name="label">The side's name when the run has two, else null.</param>
    public void Sample(string scenario, string? label, RunSample sample, int count)
    {
        var name = scenario + (label is null ? "" : $" ({label})");
        var color = sample.Status == RunStatus.Ok ? "green" : "red";
        var figures = sample.Status == RunStatus.Ok
            ? $"{sample.WallSeconds,8:0.000} s {sample.CpuPercent,6:0}% CPU {Format.Bytes(sample.PeakRssBytes),10}"
            : sample.Status.ToString().ToLowerInvariant();
        console.MarkupLine($"  {Markup.Escape(name),-24} {sample.Kind.Name() + " " + sample.Index + "/" + count,-12} [{color}]{Markup.Escape(figures)}[/]");
    }

    public void Probed(IProfiler profiler, ToolProbe tool, SideKind side) => console.MarkupLine(tool.Installed
        ? $"{Markup.Escape(profiler.Tool)} {Markup.Escape(tool.Version ?? "")}{(side == SideKind.Head ? "" : " (base)")}"
        : $"[yellow]{Markup.Escape(profiler.Tool)} is not " +
        $"installed{(side == SideKind.Head ? "" : " in the base's interpreter")}: {Markup.Escape(tool.InstallHint)}[/]");

    public void Profiling(string name, IProfiler profiler) => console.MarkupLine($"  {Markup.Escape(name),-24} {profiler.Tool} ...");

    public void Profiled(string name, IProfiler profiler, ProfilerRun run)
    {
        var color = run.Status == ProfilerStatus.Ok ? "green" : run.Status == ProfilerStatus.Failed ? "red" : "yellow";
        console.MarkupLine($"  {Markup.Escape(name),-24} {profiler.Tool}: [{color}]{Markup.Escape(run.StatusText)}[/]");
    }

    public void PairsStopped(string scenario, PairStop stop) =>
        console.MarkupLine($"  {Markup.Escape(scenario)}: {stop.Pairs} pairs, stopped: {Markup.Escape(stop.Why)}");

    public void Valgrind(ValgrindProbe probe) => console.MarkupLine(probe.Installed
        ? $"Valgrind {Markup.Escape(probe.Version ?? "")}: counting instructions ({Instructions.Valgrind.ToolName})"
        : $"[yellow]Valgrind: {Markup.Escape(probe.Problem ?? "")}: {Markup.Escape(Instructions.Valgrind.InstallHint)}[/]");

    public void Counted(string name, InstructionRun run)
    {
        var color = run.Status == InstructionStatus.Ok ? "green" : run.Status == InstructionStatus.Skipped ? "yellow" : "red";
        console.MarkupLine($"  {Markup.Escape(name),-24} instructions: [{color}]{Markup.Escape(run.Describe())}[/]");
    }

    public void Traced(string name, HeapRun run)
    {
        var color = run.Status == HeapStatus.Ok ? "green" : run.Status == HeapStatus.Skipped ? "yellow" : "red";
        console.MarkupLine($"  {Markup.Escape(name),-24} heap: [{color}]{Markup.Escape(run.Describe())}[/]");
    }

    /// <summary>Something the run could not do that costs only itself (a differential view, a file the analysis wanted).</summary>
    public void Note(string text) => console.MarkupLine(Markup.Escape(text));

    public void Warning(string text) => console.MarkupLine($"[yellow]{Markup.Escape(text)}[/]");

    public void Results(string path) => console.MarkupLine($"Results: [cyan]{Markup.Escape(path)}[/]");
}
