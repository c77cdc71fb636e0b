using Filare.Perf.Instructions;
using Filare.Perf.Results;
using Filare.Perf.Scenarios;

namespace Filare.Perf.Harness;

/// <summary>
/// The CountInstructions target: one run per scenario and side under Valgrind, both sides in the
/// same variables, before Measure (so that a decisive change of the work may end a scenario's pairs early).
/// What goes wrong there is the count's status, never the wall time's. The runs go
/// through the pool, in parallel up to its jobs: a count does not depend on the machine's load
/// (ParallelPassTests shows an A/A counted both ways within the floor); each scenario is saved as
/// soon as both its sides are counted.
/// </summary>
internal sealed class InstructionPass(SessionConsole console, MetricsStore store, RunnerPool pool)
{
    public async Task RunAsync(IReadOnlyList<Side> sides, string headRoot, string? baseRoot, IReadOnlyDictionary<string, string> environment,
        CancellationToken cancellation, string? headNote = null)
    {
        var counter = await pool.RunAsync(runner => InstructionCounter.CreateAsync(runner, store.RunFolder, environment, cancellation), cancellation)
            .ConfigureAwait(false);
        console.Valgrind(counter.Probe);
        console.Note($"counted runs: up to {pool.Jobs} at once (--parallel-jobs)");
        var (head, @base) = (sides[0], sides.Count > 1 ? sides[1] : null);
        var (headEnvironment, baseEnvironment, differences) = @base is null || baseRoot is null
            ? (head.Environment, head.Environment, [])
            : SideEnvironments.Equalize(head.Environment, headRoot, @base.Environment, baseRoot);
        var counting = new List<Task>();
        foreach (var (scenario, current) in head.WithResults(store.Current))
        {
            if (current is null or { Status: ScenarioStatus.Skipped } || scenario.SkipReason is not null)
            {
                continue;
            }
            var runs = new[] { (head, headEnvironment), (@base, baseEnvironment) }
                .Select(pair => CountAsync(counter, pair.Item1, pair.Item2, current, scenario, head, @base is not null, differences, headNote, cancellation))
                .ToList();
            counting.Add(SaveAsync(current, runs));
        }
        await Task.WhenAll(counting).ConfigureAwait(false);
    }

    private static readonly SideResult Pending = new(ScenarioStatus.Pending, null, [], [], null, []);

    /// <summary>The scenario with both sides' counts, saved once both are in.</summary>
    private async Task SaveAsync(ScenarioResult current, IReadOnlyList<Task<(Side Side, InstructionRun Run)?>> runs)
    {
        foreach (var counted in await Task.WhenAll(runs).ConfigureAwait(false))
        {
            if (counted is var (side, run))
            {
                current = side.Kind == SideKind.Head
                    ? current with { Instructions = run }
                    : current with { Base = (current.Base ?? Pending) with { Instructions = run } };
            }
        }
        store.Update(current);
    }

    private async Task<(Side Side, InstructionRun Run)?> CountAsync(InstructionCounter counter, Side? side, IReadOnlyDictionary<string, string> variables,
        ScenarioResult current, PreparedScenario scenario, Side head, bool paired, IReadOnlyList<string> differences, string? headNote,
        CancellationToken cancellation)
    {
        // Counted before Measure, a scenario is pending and its base has no result yet.
        var measured = side?.Measured(current) ?? (current.Status == ScenarioStatus.Pending ? Pending : null);
        if (side is null || measured is null || side.Find(scenario).Scenario is not { } prepared)
        {
            return null;
        }
        var failed = measured.Status is ScenarioStatus.Ok or ScenarioStatus.Pending ? null : measured.Status.ToString().ToLowerInvariant();
        // Both sides' runs under the head's scenario folder: instructions/head and instructions/base, paths of equal length.
        var request = new InstructionSide(side.Name, prepared, head.Folder(store.RunFolder, scenario.Name), variables, measured.Statistics?.WallSeconds.Median,
            failed);
        InstructionRun run;
        try
        {
            run = await pool.RunAsync(runner => counter.CountAsync(request, cancellation, runner), cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // This count's own failure: the other scenarios' counts, and this one's other side, go on.
            run = new InstructionRun(InstructionStatus.Error, e.Message, null, [], null, null, 0, Valgrind.ToolName, counter.Probe.Version, null, null, []);
        }
        if (side.Kind == SideKind.Head && headNote is not null)
        {
            run = run with { Notes = [.. run.Notes, headNote] };
        }
        if (differences.Count > 0)
        {
            run = run with { Notes = [.. run.Notes, $"variables that differ between the sides: {string.Join(", ", differences)}"] };
        }
        console.Counted(scenario.Name + (paired ? $" ({side.Name})" : ""), run);
        return (side, run);
    }
}
