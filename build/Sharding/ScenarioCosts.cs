using Filare.Perf.Scenarios;

namespace Filare.Perf.Sharding;

/// <summary>What one recorded run cost a runner for one scenario (a nightly history record's CostSeconds).</summary>
public sealed record MeasuredCost(string Scenario, string Branch, DateTimeOffset Date, double Seconds);

/// <summary>
/// Each selected scenario's expected cost, from the best source there is: its last nightly record
/// (<see cref="MeasuredCost"/>), else its file's <c>cost:</c>, else an equal share.
/// </summary>
public static class ScenarioCosts
{
    /// <summary>The cost of a scenario nobody has measured or estimated: about what one of Filare's took in the issue-22 run (18:47 for six).</summary>
    public const double DefaultSeconds = 180;

    /// <param name="history">Records of any branches; those of <paramref name="preferredBranch"/> win, then the newest.</param>
    public static IReadOnlyList<ScenarioCost> Resolve(IReadOnlyList<Scenario> selected, IEnumerable<MeasuredCost> history, string? preferredBranch)
    {
        var measured = history
            .Where(r => r.Seconds > 0 && double.IsFinite(r.Seconds))
            .GroupBy(r => r.Scenario, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(
                g => g.Key,
                g => g.OrderByDescending(r => r.Branch == preferredBranch).ThenByDescending(r => r.Date).First().Seconds,
                StringComparer.OrdinalIgnoreCase);
        return selected.Select(s =>
                measured.TryGetValue(s.Name, out var seconds) ? new ScenarioCost(s.Name, seconds, CostSource.History)
                : s.Cost is { } estimate ? new ScenarioCost(s.Name, estimate.TotalSeconds, CostSource.ScenarioFile)
                : new ScenarioCost(s.Name, DefaultSeconds, CostSource.Default))
            .ToList();
    }
}
