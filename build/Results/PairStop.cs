namespace Filare.Perf.Results;

/// <summary>Why an interleaved scenario stopped adding pairs.</summary>
public enum StopReason { Decided, MaxRuns, TimeBudget, Failure }

/// <summary>How many pairs a scenario took and why it stopped there; in metrics.json as "adaptive".</summary>
/// <param name="Pairs">Pairs with a head run (the head's runs; the base may have fewer if it failed).</param>
public sealed record PairStop(int MinimumPairs, int MaximumPairs, double? TimeBudgetSeconds, int Pairs, StopReason Reason, string Why);
