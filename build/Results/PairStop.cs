namespace Filare.Perf.Results;

/// <summary>Why an interleaved scenario stopped adding pairs.</summary>
/// <remarks>
/// <see cref="WorkDecided"/>: the instruction counts, taken before the pairs, moved beyond their threshold and the
/// wall-time interval does not contradict their direction (docs/performance/report.md "Stopping early on the work").
/// Last, so that the numbers of the others are unchanged.
/// </remarks>
public enum StopReason { Decided, MaxRuns, TimeBudget, Failure, WorkDecided }

/// <summary>How many pairs a scenario took and why it stopped there; in metrics.json as "adaptive".</summary>
/// <param name="Pairs">Pairs with a head run (the head's runs; the base may have fewer if it failed).</param>
public sealed record PairStop(int MinimumPairs, int MaximumPairs, double? TimeBudgetSeconds, int Pairs, StopReason Reason, string Why);
