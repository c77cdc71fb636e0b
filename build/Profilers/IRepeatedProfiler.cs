using Filare.Perf.Results;

namespace Filare.Perf.Profilers;

/// <summary>
/// A profiler whose figures are the median of several runs per side, compared base → head against their
/// spread. Taken as a block per side, a change of the machine's load between the blocks would read as a
/// change of the figures (a real A/B that touched no import once showed "+0.3 s of imports" that way), so
/// with two sides the profile pass takes one run of each side in turn instead (Harness.InterleavedProfiling).
/// </summary>
public interface IRepeatedProfiler : IProfiler
{
    /// <summary>One side's runs, taken one at a time by the caller.</summary>
    IRepeatedRuns Start(ProfilingContext context);
}

/// <summary>One side's runs of an <see cref="IRepeatedProfiler"/>, in progress.</summary>
public interface IRepeatedRuns
{
    /// <summary>False once the side's runs are done: all taken, one failed (the next would fail the same way), or none can run.</summary>
    bool WantsMore { get; }

    Task RunNextAsync(CancellationToken cancellation);

    /// <summary>The side's result from the runs taken (a skipped run when none could be).</summary>
    ProfilerRun Finish();
}

public static class RepeatedRuns
{
    /// <summary>One side alone (no base to interleave with): its runs back to back.</summary>
    public static async Task<ProfilerRun> RunAllAsync(IRepeatedRuns runs, CancellationToken cancellation)
    {
        while (runs.WantsMore)
        {
            await runs.RunNextAsync(cancellation).ConfigureAwait(false);
        }
        return runs.Finish();
    }
}
