using Filare.Perf.Heap;
using Filare.Perf.Instructions;
using Filare.Perf.Measurement;
using Filare.Perf.Results;

namespace Filare.Perf.Harness;

/// <summary>
/// The TraceHeap target: one run per scenario and side under tracemalloc, both sides in the same
/// variables. What goes wrong there is the heap run's status, never the wall time's or another pass's.
/// </summary>
internal sealed class HeapPass(SessionConsole console, MetricsStore store, TreeRunner runner, HeapSettings settings)
{
    public async Task RunAsync(IReadOnlyList<Side> sides, string headRoot, string? baseRoot, CancellationToken cancellation)
    {
        var tracer = new HeapTracer(runner, store.RunFolder, settings);
        var (head, @base) = (sides[0], sides.Count > 1 ? sides[1] : null);
        var (headEnvironment, baseEnvironment, differences) = @base is null || baseRoot is null
            ? (head.Environment, head.Environment, [])
            : SideEnvironments.Equalize(head.Environment, headRoot, @base.Environment, baseRoot);
        foreach (var scenario in head.Scenarios)
        {
            var current = store.Current.Scenarios.FirstOrDefault(s => s.Name == scenario.Name);
            if (current is null or { Status: ScenarioStatus.Skipped } || scenario.SkipReason is not null)
            {
                continue;
            }
            foreach (var (side, variables) in new[] { (head, headEnvironment), (@base, baseEnvironment) })
            {
                if (side?.Measured(current) is not { } measured || side.Find(scenario.Name).Scenario is not { } prepared)
                {
                    continue;
                }
                var failed = measured.Status is ScenarioStatus.Ok or ScenarioStatus.Pending ? null : measured.Status.ToString().ToLowerInvariant();
                HeapRun run;
                try
                {
                    run = await tracer.TraceAsync(new HeapSide(side.Name, prepared, head.Folder(store.RunFolder, scenario.Name), variables, measured.Statistics?.WallSeconds.Median, failed), cancellation).ConfigureAwait(false);
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
                {
                    // This pass's own failure: the scenario's other results stay as they are.
                    run = new HeapRun(HeapStatus.Error, error.Message, null, [], [], null, null, null, 0, null, []);
                }
                if (differences.Count > 0)
                {
                    run = run with { Notes = [.. run.Notes, $"variables that differ between the sides: {string.Join(", ", differences)}"] };
                }
                console.Traced(scenario.Name + (@base is null ? "" : $" ({side.Name})"), run);
                current = side.Kind == SideKind.Head ? current with { Heap = run } : current with { Base = current.Base! with { Heap = run } };
            }
            store.Update(current);
        }
    }
}
