using Filare.Perf.Profilers;
using Filare.Perf.Results;

namespace Filare.Perf.Harness;

/// <summary>
/// A repeated profiler's runs of base and head taken in turn, ABBA (base, head; head, base; base, head ...):
/// a load that rises or falls through the pass then falls on both sides alike, where blocks of runs per side
/// would put it on one. Each side's failure stays its own: the other side's runs go on.
/// </summary>
internal sealed class InterleavedProfiling(SessionConsole console)
{
    /// <param name="contexts">Per side, as the pass orders them (head first); null where the side has no such scenario.</param>
    public async Task<ProfilerRun?[]> RunAsync(IRepeatedProfiler profiler, ProfilingContext?[] contexts, SideResult?[] measured, CancellationToken cancellation)
    {
        var results = new ProfilerRun?[contexts.Length];
        var runs = new IRepeatedRuns?[contexts.Length];
        for (var i = 0; i < contexts.Length; i++)
        {
            if (contexts[i] is not { } context || measured[i] is not { } side)
            {
                continue;
            }
            results[i] = ProfiledRun.Skip(profiler, context, side);
            if (results[i] is null)
            {
                console.Profiling(ProfiledRun.Name(context), profiler);
                runs[i] = profiler.Start(context);
            }
        }
        for (var round = 0; runs.Any(r => r is { WantsMore: true }); round++)
        {
            foreach (var i in Order(round, contexts.Length))
            {
                if (runs[i] is { WantsMore: true } side)
                {
                    try
                    {
                        await side.RunNextAsync(cancellation).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        results[i] = ProfiledRun.Failed(profiler, contexts[i]!, e);
                        runs[i] = null;
                        console.Profiled(ProfiledRun.Name(contexts[i]!), profiler, results[i]!);
                    }
                }
            }
        }
        for (var i = 0; i < contexts.Length; i++)
        {
            if (runs[i] is { } side)
            {
                var context = contexts[i]!;
                results[i] = await ProfiledRun.GuardAsync(profiler, context, () => Task.FromResult(side.Finish())).ConfigureAwait(false);
                console.Profiled(ProfiledRun.Name(context), profiler, results[i]!);
            }
        }
        return results;
    }

    /// <summary>Even rounds from the last side (the base) to the first, odd rounds back: ABBA.</summary>
    public static IEnumerable<int> Order(int round, int sides) =>
        round % 2 == 0 ? Enumerable.Range(0, sides).Reverse() : Enumerable.Range(0, sides);
}
