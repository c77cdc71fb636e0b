namespace Filare.Perf.Measurement;

/// <summary>
/// How many interleaved pairs a scenario may take: at least <see cref="Minimum"/>, then two more at a
/// time until <see cref="Decided"/> says the pairs so far decide, up to <see cref="Maximum"/> or the
/// <see cref="TimeBudget"/>. Both bounds are even, so each side goes first equally often.
/// </summary>
/// <param name="Decided">Given the (base, head) wall times so far, why they decide, or null to go on.</param>
public sealed record PairPlan(int Minimum, int Maximum, TimeSpan? TimeBudget, Func<IReadOnlyList<(double Base, double Head)>, string?> Decided)
{
    /// <summary>
    /// Checked after <see cref="Decided"/>: why the pairs may stop on the scenario's counted work although wall time has
    /// not decided, or null (StopReason.WorkDecided).
    /// </summary>
    public Func<IReadOnlyList<(double Base, double Head)>, string?>? WorkDecided { get; init; }

    /// <summary>Default of --max-runs: runs per side.</summary>
    public const int DefaultMaximum = 30;

    /// <summary>Default of --time-budget: seconds per scenario, warmups and both sides included.</summary>
    public const double DefaultTimeBudgetSeconds = 300;

    /// <summary>The minimum and maximum made even (the minimum up, the maximum down but not below it).</summary>
    public static PairPlan Balanced(int minimum, int maximum, TimeSpan? budget, Func<IReadOnlyList<(double Base, double Head)>, string?> decided)
    {
        var even = minimum + minimum % 2;
        return new PairPlan(even, Math.Max(even, maximum - maximum % 2), budget, decided);
    }

    /// <summary>Exactly <paramref name="pairs"/> pairs: the plan of a run without adaptive stopping.</summary>
    public static PairPlan Fixed(int pairs) => Balanced(pairs, pairs, null, _ => null);
}

