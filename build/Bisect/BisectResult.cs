namespace Filare.Perf.Bisect;

/// <summary>A step as reported: the culprit commit (or the last of a range), the step,
/// whether its environment changed there, and the wall-time confirmation.</summary>
/// <param name="EnvironmentChanged">The culprit's interpreter was made differently from its parent's
/// (its dependency declarations differ): part of the step may be the dependencies.</param>
public sealed record CulpritReport(BisectCommit Culprit, BisectCommit Parent, BisectStep Step, IReadOnlyList<BisectCommit> Candidates, bool EnvironmentChanged,
    WallConfirmation Confirmation);

/// <summary>What the bisection cost: commits measured, counted runs, and the stated bound.</summary>
/// <param name="Bound">At most 3 + (steps + drifts) × ⌈log2 N⌉ commit measurements plus one per
/// skipped commit tried, per list searched (merges descended into add their own).</param>
public sealed record BisectCost(int CommitsInRange, int CommitsMeasured, int CountedRuns, int Bound, double Seconds, double ConfirmationSeconds);

/// <summary>
/// bisect.json: one bisection of good..bad (docs/performance/bisect.md). Versioned: a reader checks
/// <see cref="Schema"/> and <see cref="Version"/> before it reads anything else.
/// </summary>
public sealed record BisectResult(
    string Schema,
    int Version,
    DateTimeOffset Started,
    BisectCommit Good,
    BisectCommit Bad,
    BisectMetric Metric,
    bool FirstParent,
    double Threshold,
    IReadOnlyList<string> Scenarios,
    string? Repository,
    IReadOnlyList<BisectCommit> Range,
    IReadOnlyList<CommitMeasurement> Measured,
    IReadOnlyList<CulpritReport> Culprits,
    IReadOnlyList<BisectDrift> Drifts,
    IReadOnlyList<UnresolvedRange> Unresolved,
    BisectCost Cost)
{
    public const string SchemaName = "filare-perf/bisect";
    public const int CurrentVersion = 1;
    public const string JsonFile = "bisect.json";
    public const string MarkdownFile = "bisect.md";

    /// <summary>Commits skipped (could not be measured), each with its reason, in the order they were tried.</summary>
    public IEnumerable<CommitMeasurement> Skipped => Measured.Where(m => m.Status == CommitStatus.Skipped);
}

/// <summary>A part of the range the search could not finish, and why (an end not measurable, the budget).</summary>
public sealed record UnresolvedRange(string From, string To, string Why);
