using Filare.Perf.Profilers;
using Filare.Perf.Results;

namespace Filare.Perf.Harness;

/// <summary>What every profiled run of a side goes through, taken alone or in turn with the other side's.</summary>
internal static class ProfiledRun
{
    public static string Name(ProfilingContext context) => context.Scenario.Name + (context.Side is null ? "" : $" ({context.Side})");

    /// <summary>Why the side is not profiled at all, as its skipped run; null when it is.</summary>
    public static ProfilerRun? Skip(IProfiler profiler, ProfilingContext context, SideResult measured)
    {
        if (!context.Tool.Installed)
        {
            // A missing tool is a fact about this machine, not a failure of the run.
            return ProfilerRun.Skipped(profiler.Tool, "not installed", notes: [context.Tool.InstallHint]);
        }
        return measured.Status is not (ScenarioStatus.Ok or ScenarioStatus.Pending)
            ? ProfilerRun.Skipped(profiler.Tool, $"scenario {measured.Status.ToString().ToLowerInvariant()}")
            : null;
    }

    /// <summary>The profiler's result with the hash seed its runs had; its surprise becomes its own failed run.</summary>
    public static async Task<ProfilerRun> GuardAsync(IProfiler profiler, ProfilingContext context, Func<Task<ProfilerRun>> profile)
    {
        try
        {
            return await profile().ConfigureAwait(false) with { PythonHashSeed = context.PythonHashSeed };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A profiler's surprise is its own failure, not the end of the others' passes.
            return Failed(profiler, context, e);
        }
    }

    public static ProfilerRun Failed(IProfiler profiler, ProfilingContext context, Exception e) =>
        new(profiler.Tool, ProfilerStatus.Failed, e.Message, context.Tool.Version, null, null, null, [], []);
}
