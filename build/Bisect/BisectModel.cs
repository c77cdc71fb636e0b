namespace Filare.Perf.Bisect;

/// <summary>What a bisection compares commits by: instruction counts (one counted run per
/// commit and scenario) or wall time (interleaved pairs against good).</summary>
public enum BisectMetric { Instructions, Wall }

/// <summary>How a commit's measurement ended. Skipped: it could not be measured (git bisect skip); NotMeasured: the budget ran out first.</summary>
public enum CommitStatus { Measured, Skipped, NotMeasured }

/// <summary>A commit of the range as git gives it.</summary>
/// <param name="Parents">Its parents' SHAs, the first parent first: two or more for a merge.</param>
public sealed record BisectCommit(string Sha, string Subject, string Author, IReadOnlyList<string> Parents)
{
    public bool IsMerge => Parents.Count > 1;
}

/// <summary>
/// One commit measured (or not): the value per scenario (instructions, or the wall-time ratio to
/// good), how its interpreter was chosen, and what it cost.
/// </summary>
/// <param name="Order">1 for the first commit measured, 2 for the next...: the order the search asked for them.</param>
/// <param name="CountedRuns">Runs of a scenario this commit cost (under Valgrind for instructions, both sides' runs for wall).</param>
/// <param name="Environment">How its interpreter was made ("shared interpreter", "new venv", "own .venv") and why.</param>
public sealed record CommitMeasurement(
    string Sha,
    CommitStatus Status,
    IReadOnlyDictionary<string, double> Values,
    string? Reason,
    int Order,
    int CountedRuns,
    double Seconds,
    string? Environment = null,
    string? EnvironmentReason = null)
{
    public static CommitMeasurement Skip(string sha, string reason, int order, int countedRuns = 0, double seconds = 0, string? environment = null) =>
        new(sha, CommitStatus.Skipped, new Dictionary<string, double>(), reason, order, countedRuns, seconds, environment);
}

/// <summary>
/// A step: the metric changed by more than the threshold between <see cref="Before"/> and <see cref="After"/>.
/// With no skipped commit between them, <see cref="After"/> is the culprit; else the culprit is one
/// of <see cref="Skipped"/> or <see cref="After"/> (git bisect's "one of these").
/// </summary>
/// <param name="Change">Per scenario, the relative change after/before - 1 (+0.25: 25% more).</param>
/// <param name="Via">The merge commit this step was found under when the search descended into its branch, else null.</param>
public sealed record BisectStep(string Before, string After, IReadOnlyList<string> Skipped, IReadOnlyDictionary<string, double> Change, string? Via = null)
{
    public bool IsRange => Skipped.Count > 0;

    /// <summary>The largest change across scenarios, by size, with its sign.</summary>
    public double Largest => Change.Values.OrderByDescending(Math.Abs).FirstOrDefault();
}

/// <summary>Two measured commits whose values differ by more than the threshold although
/// no single commit between them does: a drift of small changes.</summary>
public sealed record BisectDrift(string From, string To, IReadOnlyDictionary<string, double> Change);
