using Filare.Perf.Comparison;

namespace Filare.Perf.Results;

/// <summary>
/// The change in one count from before to after: the whole tree ("total") or one kind of process.
/// No interval and no test: the counts are deterministic to well under the threshold, so the
/// threshold (raised to a calibrated A/A floor) is the whole rule.
/// </summary>
public sealed record InstructionDelta(string Scope, long? Before, long? After, double Ratio, Verdict Verdict, string Why);

/// <summary>
/// Instructions of the head against the base of a same-runner run (<see cref="Against"/> "base"),
/// or against a stored baseline's head ("baseline"). <see cref="Threshold"/> is the one the verdicts
/// used: --instructions-threshold, raised to <see cref="NoiseFloor"/> when an A/A run measured more.
/// </summary>
/// <param name="NoiseFloor">Set on an A/A run: what this runner and Valgrind could not tell from no change.</param>
public sealed record InstructionComparison(
    string Against,
    InstructionDelta Total,
    IReadOnlyList<InstructionDelta> Processes,
    double Threshold,
    double? NoiseFloor,
    IReadOnlyList<string> Caveats);

/// <summary>What a counted run ran on, for the caveats of a stored-baseline comparison.</summary>
public sealed record CountedOn(string? PythonVersion, string? Architecture);
