using Filare.Perf.Checkout;
using Filare.Perf.Results;
using Filare.Perf.Scenarios;

namespace Filare.Perf.Harness;

/// <summary>
/// One side of a PerfRun: its scenarios bound to its checkout, the interpreter and variables they
/// run with, and where their files go. A run without --compare-ref has only the head; every pass
/// goes over the sides there are, so no step asks whether there is a base.
/// </summary>
/// <param name="Problems">Scenarios this side cannot run at all, and why (a scenario the PR adds has no inputs at the base).</param>
public sealed record Side(
    SideKind Kind,
    PythonEnvironment Python,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<PreparedScenario> Scenarios,
    IReadOnlyDictionary<string, string> Problems)
{
    /// <summary>"head" or "base", as runs, folders and progress lines name them.</summary>
    public string Name => Kind.Key();

    /// <summary>The base's files live under the head's scenario folder, so one artifact holds both.</summary>
    public string Folder(string runFolder, string scenario) =>
        Kind == SideKind.Head ? Path.Combine(runFolder, scenario) : Path.Combine(runFolder, scenario, "base");

    /// <summary>
    /// This side's scenarios, each with what metrics.json holds of it so far (null before a pass saved it): the one place
    /// where a pass's scenario meets its result, so that the passes carry both and never look a result up themselves.
    /// Read once per pass: a pass saves only its own scenario's result, so what it saves never changes another's.
    /// </summary>
    public IReadOnlyList<(PreparedScenario Scenario, ScenarioResult? Result)> WithResults(RunMetrics metrics)
    {
        var results = new Dictionary<string, ScenarioResult>(StringComparer.Ordinal);
        foreach (var result in metrics.Scenarios)
        {
            // The first of a name, as the store replaces it.
            results.TryAdd(result.Name, result);
        }
        return [.. Scenarios.Select(s => (s, results.GetValueOrDefault(s.Name)))];
    }

    /// <summary>This side's version of a scenario (the head's, or another side's) to run, or the side result saying why there is none.</summary>
    public (PreparedScenario? Scenario, SideResult? Unavailable) Find(PreparedScenario scenario)
    {
        if (Problems.TryGetValue(scenario.Name, out var problem))
        {
            // Not a failure: a PR that adds a scenario's inputs has nothing to compare that scenario with.
            return (null, Skipped(problem));
        }
        // Every side binds the head's scenarios, under their names: the one place a side's version is found by it.
        var own = Scenarios.Single(s => s.Name == scenario.Name);
        return own.SkipReason is { } skip ? (null, Skipped(skip)) : (own, null);
    }

    /// <summary>What this side measured of a scenario (the head's is the scenario's own result).</summary>
    public SideResult? Measured(ScenarioResult result) => Kind == SideKind.Head ? result.Head : result.Base;

    /// <summary>The scenario's result with this side's run of a profiler in place of any earlier one.</summary>
    public ScenarioResult WithProfile(ScenarioResult result, ProfilerRun run) => Kind == SideKind.Head
        ? result with { Profilers = [.. result.Profilers.Where(p => p.Tool != run.Tool), run] }
        : result with { Base = result.Base! with { Profilers = [.. result.Base.Profilers.Where(p => p.Tool != run.Tool), run] } };

    /// <summary>Runs the same interpreter as another side: what was probed there holds here.</summary>
    public bool SharesInterpreterWith(Side other) => (Python.Configured, Python.Executable) == (other.Python.Configured, other.Python.Executable);

    private static SideResult Skipped(string why) => new(ScenarioStatus.Skipped, why, [], [], null, []);
}

/// <summary>The base of a same-runner A/B: its side, the worktree it runs in, how its interpreter was made, and whether it is an A/A.</summary>
public sealed record BaseSide(Side Side, Worktree Worktree, CheckoutPython Python, CompareMode Mode);
