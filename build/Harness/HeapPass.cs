using Filare.Perf.Heap;
using Filare.Perf.Instructions;
using Filare.Perf.Results;
using Filare.Perf.Scenarios;

namespace Filare.Perf.Harness;

/// <summary>
/// The TraceHeap target: one run per scenario and side under tracemalloc, both sides in the same
/// variables. What goes wrong there is the heap run's status, never the wall time's or another pass's.
/// The runs go through the pool, in parallel up to its jobs: what is traced (allocations) does not
/// depend on the machine's load; each scenario is saved once both its sides are traced.
/// </summary>
internal sealed class HeapPass(SessionConsole console, MetricsStore store, RunnerPool pool, HeapSettings settings)
{
    public async Task RunAsync(IReadOnlyList<Side> sides, string headRoot, string? baseRoot, CancellationToken cancellation)
    {
        var (head, @base) = (sides[0], sides.Count > 1 ? sides[1] : null);
        var (headEnvironment, baseEnvironment, differences) = @base is null || baseRoot is null
            ? (head.Environment, head.Environment, [])
            : SideEnvironments.Equalize(head.Environment, headRoot, @base.Environment, baseRoot);
        var tracing = new List<Task>();
        foreach (var (scenario, current) in head.WithResults(store.Current))
        {
            if (current is null or { Status: ScenarioStatus.Skipped } || scenario.SkipReason is not null)
            {
                continue;
            }
            var runs = new[] { (head, headEnvironment), (@base, baseEnvironment) }
                .Select(pair => TraceAsync(pair.Item1, pair.Item2, current, scenario, head, @base is not null, differences, cancellation))
                .ToList();
            tracing.Add(SaveAsync(current, runs));
        }
        await Task.WhenAll(tracing).ConfigureAwait(false);
    }

    private async Task SaveAsync(ScenarioResult current, IReadOnlyList<Task<(Side Side, HeapRun Run)?>> runs)
    {
        foreach (var traced in await Task.WhenAll(runs).ConfigureAwait(false))
        {
            if (traced is var (side, run))
            {
                current = side.Kind == SideKind.Head ? current with { Heap = run } : current with { Base = current.Base! with { Heap = run } };
            }
        }
        store.Update(current);
    }

    private async Task<(Side Side, HeapRun Run)?> TraceAsync(Side? side, IReadOnlyDictionary<string, string> variables, ScenarioResult current,
        PreparedScenario scenario, Side head, bool paired, IReadOnlyList<string> differences, CancellationToken cancellation)
    {
        if (side?.Measured(current) is not { } measured || side.Find(scenario).Scenario is not { } prepared)
        {
            return null;
        }
        var failed = measured.Status is ScenarioStatus.Ok or ScenarioStatus.Pending ? null : measured.Status.ToString().ToLowerInvariant();
        var request = new HeapSide(side.Name, prepared, head.Folder(store.RunFolder, scenario.Name), variables, measured.Statistics?.WallSeconds.Median,
            failed);
        HeapRun run;
        try
        {
            run = await pool.RunAsync(runner => new HeapTracer(runner, store.RunFolder, settings).TraceAsync(request, cancellation), cancellation)
                .ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // This pass's own failure: the scenario's other results, and the other scenarios', stay as they are.
            run = new HeapRun(HeapStatus.Error, error.Message, null, [], [], null, null, null, 0, null, []);
        }
        if (differences.Count > 0)
        {
            run = run with { Notes = [.. run.Notes, $"variables that differ between the sides: {string.Join(", ", differences)}"] };
        }
        console.Traced(scenario.Name + (paired ? $" ({side.Name})" : ""), run);
        return (side, run);
    }
}
