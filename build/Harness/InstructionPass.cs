using Filare.Perf.Instructions;
using Filare.Perf.Measurement;
using Filare.Perf.Results;

namespace Filare.Perf.Harness;

/// <summary>
/// The CountInstructions target: one run per scenario and side under Valgrind, both sides in the
/// same variables. What goes wrong there is the count's status, never the wall time's.
/// </summary>
internal sealed class InstructionPass(SessionConsole console, MetricsStore store, TreeRunner runner)
{
    public async Task RunAsync(IReadOnlyList<Side> sides, string headRoot, string? baseRoot, IReadOnlyDictionary<string, string> environment, CancellationToken cancellation, string? headNote = null)
    {
        var counter = await InstructionCounter.CreateAsync(runner, store.RunFolder, environment, cancellation).ConfigureAwait(false);
        console.Valgrind(counter.Probe);
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
                // Both sides' runs under the head's scenario folder: instructions/head and instructions/base, paths of equal length.
                var run = await counter.CountAsync(new InstructionSide(side.Name, prepared, head.Folder(store.RunFolder, scenario.Name), variables, measured.Statistics?.WallSeconds.Median, failed), cancellation).ConfigureAwait(false);
                if (side.Kind == SideKind.Head && headNote is not null)
                {
                    run = run with { Notes = [.. run.Notes, headNote] };
                }
                if (differences.Count > 0)
                {
                    run = run with { Notes = [.. run.Notes, $"variables that differ between the sides: {string.Join(", ", differences)}"] };
                }
                console.Counted(scenario.Name + (@base is null ? "" : $" ({side.Name})"), run);
                current = side.Kind == SideKind.Head ? current with { Instructions = run } : current with { Base = current.Base! with { Instructions = run } };
            }
            store.Update(current);
        }
    }
}
