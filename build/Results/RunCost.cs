namespace Filare.Perf.Results;

/// <summary>What a scenario cost a runner in one run: the figure the next split balances on.</summary>
public static class RunCost
{
    /// <summary>
    /// Seconds of every process the scenario ran, both sides: warmups, clean runs, the counted run and
    /// the profiled runs; null when it ran nothing. Start-up of the harness and of the base's checkout
    /// are per shard, not per scenario, and are left out.
    /// </summary>
    public static double? Of(ScenarioResult scenario)
    {
        var seconds = Side(scenario.Head) + (scenario.Base is { } side ? Side(side) : 0);
        return seconds > 0 && double.IsFinite(seconds) ? Math.Round(seconds, 3) : null;
    }

    private static double Side(SideResult side) =>
        side.Warmups.Concat(side.Samples).Sum(s => Positive(s.WallSeconds))
        + side.Profilers.Sum(p => Positive(p.WallSeconds))
        + Positive(side.Instructions?.WallSeconds);

    private static double Positive(double? seconds) => seconds is { } s && s > 0 && double.IsFinite(s) ? s : 0;
}
